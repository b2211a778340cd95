package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	imgpng "image/png"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/media"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/sqlite"
)

// An unpublished portrait's image is not served by its hash to the
// public, only to curators and admins (privately); once published it is
// public, within the access cache's lifetime.
func TestUnpublishedImagesAreNotServed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	ms, err := media.New(filepath.Join(dir, mediaDir), media.Options{})
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewNRGBA(image.Rect(0, 0, 300, 400))
	for i := 0; i < 300; i++ {
		img.Set(i, i, color.NRGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := imgpng.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	p, err := ms.Intake(ctx, "m-1", &buf, media.Meta{ID: "por-1", Artist: "画家"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(ctx, &store.Batch{Martyrs: []store.Martyr{{ID: "m-1", Name: "王德明"}}, Portraits: []store.Portrait{p}}); err != nil {
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
	clock := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	mux := http.NewServeMux()
	ms.Routes(mux, imageAccess(s, func() time.Time { return clock }, time.Minute))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	urls := []string{"/media/" + p.SHA256 + "/w160.jpg", "/iiif/" + p.SHA256 + "/info.json", "/iiif/" + p.SHA256 + "/full/max/0/default.jpg"}
	get := func(u, token string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+u, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for _, u := range urls {
		for _, who := range []struct{ name, token string }{{"public", ""}, {"journalist", journalist}, {"forged", "gg_" + string(bytes.Repeat([]byte("x"), 43))}} {
			if resp := get(u, who.token); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s, unpublished, as %s: %d, want 404", u, who.name, resp.StatusCode)
			}
		}
		resp := get(u, curator)
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("%s, unpublished, as curator: %d, Cache-Control %q; want 200 private, no-store", u, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	}

	p.Published, p.FamilyConsent = true, true
	if err := s.Apply(ctx, &store.Batch{Portraits: []store.Portrait{p}}); err != nil {
		t.Fatal(err)
	}
	// Within the cache's lifetime the old answer stands; after it, public.
	if resp := get(urls[0], ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("within the TTL: %d, want the remembered 404", resp.StatusCode)
	}
	clock = clock.Add(2 * time.Minute)
	for _, u := range urls {
		resp := get(u, "")
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") == "private, no-store" {
			t.Errorf("%s, published, as public: %d, Cache-Control %q", u, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	}
	if resp := get("/media/"+string(bytes.Repeat([]byte("ab"), 32))+"/w160.jpg", ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown image: %d", resp.StatusCode)
	}
}
