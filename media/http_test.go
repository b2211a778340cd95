package media

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/disintegration/imaging"
)

// quadrants is a 400×300 image with four solid colour quadrants, so
// crops, mirrors and rotations can be checked by colour.
func quadrants() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, 400, 300))
	for y := 0; y < 300; y++ {
		for x := 0; x < 400; x++ {
			c := color.NRGBA{255, 0, 0, 255} // top-left red
			switch {
			case x >= 200 && y < 150:
				c = color.NRGBA{0, 255, 0, 255} // top-right green
			case x < 200 && y >= 150:
				c = color.NRGBA{0, 0, 255, 255} // bottom-left blue
			case x >= 200 && y >= 150:
				c = color.NRGBA{255, 255, 0, 255} // bottom-right yellow
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func setup(t *testing.T) (*Service, string, *httptest.Server) {
	t.Helper()
	s := newService(t, Options{})
	p, err := s.Intake(context.Background(), "m1", bytes.NewReader(encPNG(t, quadrants())), Meta{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return s, p.SHA256, srv
}

func get(t *testing.T, url string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestServeDerivative(t *testing.T) {
	_, sha, srv := setup(t)
	url := srv.URL + "/media/" + sha + "/w320.jpg"
	resp, body := get(t, url, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	etag := resp.Header.Get("ETag")
	if etag != `"`+sha+`-w320"` || resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("headers %v", resp.Header)
	}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(body)); err != nil || cfg.Width != 320 {
		t.Fatalf("body: %v %+v", err, cfg)
	}
	resp, _ = get(t, url, map[string]string{"If-None-Match": etag})
	if resp.StatusCode != http.StatusNotModified {
		t.Fatalf("conditional: %d", resp.StatusCode)
	}
	resp, part := get(t, url, map[string]string{"Range": "bytes=10-19"})
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(part, body[10:20]) {
		t.Fatalf("range: %d %q", resp.StatusCode, part)
	}
	for _, u := range []string{
		"/media/" + sha + "/w999.jpg",
		"/media/" + strings.Repeat("0", 64) + "/w320.jpg",
		"/media/" + sha + "/info.json",
		"/media/..%2F..%2Fetc/passwd",
		"/media/" + sha + "/..%2F..%2F..%2Foriginals",
		"/iiif/" + strings.Repeat("0", 64) + "/info.json",
		"/iiif/" + strings.Repeat("0", 64) + "/full/max/0/default.jpg",
		"/iiif/..%2F..%2Fx/info.json",
	} {
		if resp, _ := get(t, srv.URL+u, nil); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", u, resp.StatusCode)
		}
	}
}

func TestIIIFInfo(t *testing.T) {
	_, sha, srv := setup(t)
	resp, _ := get(t, srv.URL+"/iiif/"+sha, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != srv.URL+"/iiif/"+sha+"/info.json" {
		t.Fatalf("base redirect: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := get(t, srv.URL+"/iiif/"+sha+"/info.json", map[string]string{"Accept": "application/ld+json"})
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/ld+json") {
		t.Fatalf("info: %d %v", resp.StatusCode, resp.Header)
	}
	var doc struct {
		Context  string `json:"@context"`
		ID       string `json:"id"`
		Type     string `json:"type"`
		Protocol string `json:"protocol"`
		Profile  string `json:"profile"`
		Width    int    `json:"width"`
		Height   int    `json:"height"`
		Sizes    []struct{ Width, Height int }
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Context != "http://iiif.io/api/image/3/context.json" || doc.ID != srv.URL+"/iiif/"+sha ||
		doc.Type != "ImageService3" || doc.Protocol != "http://iiif.io/api/image" || doc.Profile != "level2" ||
		doc.Width != 400 || doc.Height != 300 || len(doc.Sizes) != 2 || doc.Sizes[1].Width != 320 {
		t.Fatalf("info.json = %s", body)
	}
}

func near(c color.Color, r, g, b uint8) bool {
	cr, cg, cb, _ := c.RGBA()
	d := func(a uint32, b uint8) bool { x := int(a>>8) - int(b); return x > -40 && x < 40 }
	return d(cr, r) && d(cg, g) && d(cb, b)
}

func TestIIIFImage(t *testing.T) {
	s, sha, srv := setup(t)
	red, green, blue, yellow := [3]uint8{255, 0, 0}, [3]uint8{0, 255, 0}, [3]uint8{0, 0, 255}, [3]uint8{255, 255, 0}
	cases := []struct {
		path   string
		w, h   int
		format string
		tl, tr [3]uint8 // expected colours near top-left and top-right
	}{
		{"full/max/0/default.jpg", 400, 300, "jpeg", red, green},
		{"full/max/0/default.png", 400, 300, "png", red, green},
		{"square/max/0/default.jpg", 300, 300, "jpeg", red, green},
		{"200,0,200,150/max/0/default.jpg", 200, 150, "jpeg", green, green},
		{"pct:0,50,50,50/max/0/default.jpg", 200, 150, "jpeg", blue, blue},
		{"300,200,500,500/max/0/default.png", 100, 100, "png", yellow, yellow}, // clipped to the image
		{"full/200,/0/default.jpg", 200, 150, "jpeg", red, green},
		{"full/,150/0/default.jpg", 200, 150, "jpeg", red, green},
		{"full/pct:50/0/default.jpg", 200, 150, "jpeg", red, green},
		{"full/100,100/0/default.jpg", 100, 100, "jpeg", red, green},
		{"full/!100,100/0/default.jpg", 100, 75, "jpeg", red, green},
		{"full/^800,/0/default.jpg", 800, 600, "jpeg", red, green},
		{"full/^pct:150/0/default.jpg", 600, 450, "jpeg", red, green},
		{"full/max/90/default.png", 300, 400, "png", blue, red},
		{"full/max/180/default.png", 400, 300, "png", yellow, blue},
		{"full/max/270/default.png", 300, 400, "png", green, yellow},
		{"full/max/!0/default.png", 400, 300, "png", green, red},
		{"full/max/!90/default.png", 300, 400, "png", yellow, green},
	}
	for _, c := range cases {
		resp, body := get(t, srv.URL+"/iiif/"+sha+"/"+c.path, nil)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d %s", c.path, resp.StatusCode, body)
			continue
		}
		img, format, err := image.Decode(bytes.NewReader(body))
		if err != nil || format != c.format || img.Bounds().Dx() != c.w || img.Bounds().Dy() != c.h {
			t.Errorf("%s: %v %s %v", c.path, err, format, img.Bounds())
			continue
		}
		if resp.Header.Get("Access-Control-Allow-Origin") != "*" || resp.Header.Get("ETag") == "" {
			t.Errorf("%s: headers %v", c.path, resp.Header)
		}
		tl, tr := img.At(5, 5), img.At(c.w-6, 5)
		if !near(tl, c.tl[0], c.tl[1], c.tl[2]) || !near(tr, c.tr[0], c.tr[1], c.tr[2]) {
			t.Errorf("%s: top-left %v top-right %v", c.path, tl, tr)
		}
	}
	// gray has no colour left.
	resp, body := get(t, srv.URL+"/iiif/"+sha+"/full/max/0/gray.png", nil)
	img, err := imaging.Decode(bytes.NewReader(body))
	if resp.StatusCode != 200 || err != nil {
		t.Fatalf("gray: %d %v", resp.StatusCode, err)
	}
	if r, g, b, _ := img.At(5, 5).RGBA(); r != g || g != b {
		t.Errorf("gray pixel %d %d %d", r, g, b)
	}
	resp, bt := get(t, srv.URL+"/iiif/"+sha+"/full/max/0/bitonal.png", nil)
	bimg, err := imaging.Decode(bytes.NewReader(bt))
	if resp.StatusCode != 200 || err != nil {
		t.Fatalf("bitonal: %d %v", resp.StatusCode, err)
	}
	for _, pt := range []image.Point{{5, 5}, {395, 5}, {5, 295}, {395, 295}} {
		if r, g, b, _ := bimg.At(pt.X, pt.Y).RGBA(); r != g || g != b || (r != 0 && r != 0xffff) {
			t.Errorf("bitonal pixel at %v: %d %d %d", pt, r, g, b)
		}
	}
	// The disk cache answers the second time, byte for byte.
	before := len(files(t, s.cacheDir(sha)))
	_, again := get(t, srv.URL+"/iiif/"+sha+"/full/max/0/gray.png", nil)
	if !bytes.Equal(again, body) || len(files(t, s.cacheDir(sha))) != before {
		t.Error("cache not reused")
	}
	for _, bad := range []string{
		"full/max/45/default.jpg", "full/max/0/default.gif", "full/max/0/default",
		"full/800,/0/default.jpg", "full/pct:150/0/default.jpg", "full/0,/0/default.jpg", "1000,1000,10,10/max/0/default.jpg",
		"0,0,0,10/max/0/default.jpg", "-1,0,10,10/max/0/default.jpg", "pct:a,0,10,10/max/0/default.jpg",
		"full/^100000,/0/default.jpg", "full/,/0/default.jpg", "nonsense/max/0/default.jpg",
	} {
		if resp, _ := get(t, srv.URL+"/iiif/"+sha+"/"+bad, nil); resp.StatusCode != 400 {
			t.Errorf("%s: %d, want 400", bad, resp.StatusCode)
		}
	}
}

func FuzzParseImageRequest(f *testing.F) {
	for _, s := range []string{
		"full/max/0/default.jpg", "square/^max/!90/gray.png", "pct:10.5,0,50,50/!100,200/270/color.jpg",
		"0,0,10,10/^pct:300/180/default.png", "1,2,3/,5/0/x.y", "pct:-1,0,1,1/w,/0/default.jpg",
	} {
		f.Add(s, 640, 480)
	}
	f.Fuzz(func(t *testing.T, path string, w, h int) {
		parts := strings.SplitN(path, "/", 4)
		if len(parts) != 4 {
			return
		}
		req, err := ParseImageRequest(parts[0], parts[1], parts[2], parts[3])
		if err != nil {
			return
		}
		w, h = w%30000, h%30000
		if w < 1 || h < 1 {
			return
		}
		crop, ow, oh, err := req.Resolve(w, h)
		if err != nil {
			return
		}
		if crop.Empty() || !crop.In(image.Rect(0, 0, w, h)) {
			t.Fatalf("%q on %d×%d: crop %v", path, w, h, crop)
		}
		if ow < 1 || oh < 1 || int64(ow)*int64(oh) > MaxOutputArea {
			t.Fatalf("%q on %d×%d: output %d×%d", path, w, h, ow, oh)
		}
		if !req.Size.Upscale && (ow > crop.Dx() || oh > crop.Dy()) {
			t.Fatalf("%q on %d×%d: upscaled to %d×%d without ^", path, w, h, ow, oh)
		}
	})
}
