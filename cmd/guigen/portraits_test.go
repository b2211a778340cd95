package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	imgpng "image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/graph"
	"github.com/guigen/guigen/media"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/sqlite"
)

// TestServeMountsMedia: the served handler answers the image, IIIF and
// manifest routes from the media dir under the data dir, and still the API.
func TestServeMountsMedia(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, filepath.Join(dir, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	ms, err := media.New(filepath.Join(dir, mediaDir), media.Options{})
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewNRGBA(image.Rect(0, 0, 700, 500))
	for i := range img.Pix {
		img.Pix[i] = uint8(i % 251)
	}
	img.Set(0, 0, color.Black)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	p, err := ms.Intake(ctx, "m-1", &buf, media.Meta{ID: "portrait-1", CaptionZH: "烈士像", CaptionEN: "Portrait", Published: true})
	if err != nil {
		t.Fatal(err)
	}
	b := &store.Batch{
		Martyrs:   []store.Martyr{{ID: "m-1", Name: "王德明"}},
		Portraits: []store.Portrait{p},
		Exhibits:  []store.Exhibit{{ID: "ex-1", Title: "展览", TitleEN: "Show", PortraitIDs: []string{p.ID}, Published: true}},
	}
	if err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(withMedia(newMux(s, log, graph.WithMedia(ms)), ms, s))
	defer srv.Close()
	for path, want := range map[string]int{
		"/healthz":                                      200,
		"/media/" + p.SHA256 + "/w640.jpg":              200,
		"/iiif/" + p.SHA256 + "/info.json":              200,
		"/iiif/" + p.SHA256 + "/full/max/0/default.jpg": 200,
		"/iiif/" + p.SHA256 + "/full/max/7/default.jpg": 400,
		"/presentation/manifest/portrait-1":             200,
		"/presentation/collection/ex-1":                 200,
		"/presentation/manifest/none":                   404,
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d: %s", path, resp.StatusCode, want, body)
		}
		if path == "/presentation/collection/ex-1" {
			var c struct{ Items []struct{ ID string } }
			if err := json.Unmarshal(body, &c); err != nil || len(c.Items) != 1 || c.Items[0].ID != srv.URL+"/presentation/manifest/portrait-1" {
				t.Errorf("collection: %v %s", err, body)
			}
		}
	}
	// Every URL the API hands out for the portrait is one the server
	// answers: derivatives for srcset, the IIIF info.json, the manifest and
	// the exhibit's collection.
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(`{"query":"{ exhibits { edges { node { collectionUrl portraits { edges { node { placeholder images { width height url } iiifInfoUrl manifestUrl } } } } } } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Data struct {
			Exhibits struct {
				Edges []struct {
					Node struct {
						CollectionURL string
						Portraits     struct {
							Edges []struct {
								Node struct {
									Placeholder string
									Images      []struct {
										Width, Height int
										URL           string
									}
									IiifInfoURL, ManifestURL string
								}
							}
						}
					}
				}
			}
		}
		Errors []any
	}
	err = json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if err != nil || len(out.Errors) > 0 || len(out.Data.Exhibits.Edges) != 1 || len(out.Data.Exhibits.Edges[0].Node.Portraits.Edges) != 1 {
		t.Fatalf("exhibits query: %v %+v", err, out)
	}
	ex := out.Data.Exhibits.Edges[0].Node
	por := ex.Portraits.Edges[0].Node
	if !strings.HasPrefix(por.Placeholder, "data:image/") {
		t.Errorf("placeholder %.40q", por.Placeholder)
	}
	var widths []int
	urls := []string{ex.CollectionURL, por.IiifInfoURL, por.ManifestURL}
	for _, im := range por.Images {
		widths = append(widths, im.Width)
		urls = append(urls, im.URL)
	}
	// 700 pixels wide: the standard widths up to 640, never upscaled.
	if !slices.Equal(widths, []int{160, 320, 640}) || por.Images[0].Height != 114 {
		t.Errorf("images %+v", por.Images)
	}
	for _, u := range urls {
		if !strings.HasPrefix(u, srv.URL+"/") {
			t.Errorf("URL %q is not absolute on this server", u)
			continue
		}
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", u, resp.StatusCode)
		}
	}
}

// TestUploadPortrait: uploadPortrait over a real GraphQL multipart
// request — refused by role and by content before anything is written,
// taken in and served when a curator sends a real image.
func TestUploadPortrait(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, filepath.Join(dir, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	if err := s.Apply(ctx, &store.Batch{Martyrs: []store.Martyr{{ID: "m-1", Name: "王德明"}}}); err != nil {
		t.Fatal(err)
	}
	ms, err := media.New(filepath.Join(dir, mediaDir), media.Options{})
	if err != nil {
		t.Fatal(err)
	}
	curator, _, err := auth.Issue(ctx, s, "陈策展", auth.Curator)
	if err != nil {
		t.Fatal(err)
	}
	journalist, _, err := auth.Issue(ctx, s, "记者", auth.Journalist)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(withMedia(newMux(s, log, graph.WithMedia(ms)), ms, s))
	defer srv.Close()

	img := image.NewNRGBA(image.Rect(0, 0, 400, 500))
	for i := range img.Pix {
		img.Pix[i] = uint8(i % 241)
	}
	var png bytes.Buffer
	if err := imgpng.Encode(&png, img); err != nil {
		t.Fatal(err)
	}
	// A PNG header that claims 50000×50000 pixels: refused before decoding.
	bomb := append([]byte(nil), png.Bytes()[:33]...)
	binary.BigEndian.PutUint32(bomb[16:], 50000)
	binary.BigEndian.PutUint32(bomb[20:], 50000)
	binary.BigEndian.PutUint32(bomb[29:], crc32.ChecksumIEEE(bomb[12:29]))

	const mutation = `mutation($m: ID!, $f: Upload!, $meta: PortraitMetaInput) { uploadPortrait(martyrId: $m, file: $f, meta: $meta) { id width height reconstruction published images { width url } } }`
	upload := func(token, martyr, name string, data []byte, meta map[string]any) (map[string]any, string) {
		t.Helper()
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		ops, _ := json.Marshal(map[string]any{"query": mutation, "variables": map[string]any{"m": martyr, "f": nil, "meta": meta}})
		_ = w.WriteField("operations", string(ops))
		_ = w.WriteField("map", `{"0": ["variables.f"]}`)
		fw, _ := w.CreateFormFile("0", name)
		_, _ = fw.Write(data)
		_ = w.Close()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Data   map[string]any
			Errors []struct {
				Message    string
				Extensions map[string]any
			}
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatalf("%s: status %d: %v", name, resp.StatusCode, err)
		}
		if len(out.Errors) > 0 {
			code, _ := out.Errors[0].Extensions["code"].(string)
			return nil, code + " " + out.Errors[0].Message
		}
		return out.Data, ""
	}
	portraits := func() int {
		p, err := s.ListPortraits(ctx, store.PortraitFilter{}, store.PageReq{})
		if err != nil {
			t.Fatal(err)
		}
		return p.Total
	}

	for _, c := range []struct {
		name, token, martyr, file string
		data                      []byte
		meta                      map[string]any
		want                      string
	}{
		{"Public", "", "m-1", "a.png", png.Bytes(), nil, "UNAUTHENTICATED"},
		{"Journalist", journalist, "m-1", "a.png", png.Bytes(), nil, "FORBIDDEN"},
		{"UnknownMartyr", curator, "m-404", "a.png", png.Bytes(), nil, "NOT_FOUND"},
		{"NotAnImage", curator, "m-1", "a.png", []byte("姓名,籍贯\n王德明,胶县\n"), nil, "BAD_USER_INPUT 文件 \"a.png\"：不支持的图像格式"},
		{"HugeDeclaredSize", curator, "m-1", "bomb.png", bomb, nil, "BAD_USER_INPUT 文件 \"bomb.png\"：图像过大"},
		{"Truncated", curator, "m-1", "cut.png", png.Bytes()[:png.Len()/2], nil, "BAD_USER_INPUT 文件 \"cut.png\"：图像数据损坏"},
		{"BadDate", curator, "m-1", "a.png", png.Bytes(), map[string]any{"painted": "去年"}, "BAD_USER_INPUT meta.painted"},
		{"PublishedWithoutConsent", curator, "m-1", "a.png", png.Bytes(), map[string]any{"published": true}, "BAD_USER_INPUT 发布画像须有家属同意"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, msg := upload(c.token, c.martyr, c.file, c.data, c.meta); !strings.HasPrefix(msg, c.want) {
				t.Errorf("got %q, want %q…", msg, c.want)
			}
			if n := portraits(); n != 0 {
				t.Errorf("%d portraits written by a refused upload", n)
			}
		})
	}

	data, msg := upload(curator, "m-1", "portrait.png", png.Bytes(), map[string]any{
		"artist": "青岛画院", "painted": "2022年6月", "reconstruction": true, "familyConsent": true, "published": true,
		"captionZh": "王德明烈士画像", "captionEn": "Portrait of martyr Wang Deming"})
	if msg != "" {
		t.Fatalf("curator upload: %s", msg)
	}
	p := data["uploadPortrait"].(map[string]any)
	if p["width"] != float64(400) || p["height"] != float64(500) || p["reconstruction"] != true || p["published"] != true {
		t.Errorf("uploaded portrait %v", p)
	}
	images := p["images"].([]any)
	if len(images) != 2 { // 400 wide: the standard widths 160 and 320
		t.Errorf("images %v, want widths 160 and 320", images)
	}
	for _, im := range images {
		u := im.(map[string]any)["url"].(string)
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("GET %s: %d %s", u, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	if n := portraits(); n != 1 {
		t.Errorf("%d portraits after one upload", n)
	}
}
