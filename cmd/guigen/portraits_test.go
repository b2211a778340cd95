package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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
	srv := httptest.NewServer(withMedia(newMux(s, log), dir, s, log))
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
