package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func testFiles(t *testing.T) map[string]file {
	t.Helper()
	files, err := load(fstest.MapFS{
		"dist/index.html":              {Data: []byte("<!doctype html><title>归根</title>")},
		"dist/assets/index-AbC123.js":  {Data: []byte("console.log(1)")},
		"dist/assets/index-AbC123.css": {Data: []byte("body{}")},
		"dist/robots.txt":              {Data: []byte("User-agent: *")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestHandler(t *testing.T) {
	h := handler(testFiles(t))
	cases := []struct {
		name, method, path string
		code               int
		ctype, cache       string
		bodyHas            string
	}{
		{"root is the app", "GET", "/", 200, "text/html; charset=utf-8", "no-cache", "归根"},
		{"client route is the app", "GET", "/martyr/m-0001", 200, "text/html; charset=utf-8", "no-cache", "归根"},
		{"deep client route", "GET", "/leads/lead-0001", 200, "text/html; charset=utf-8", "no-cache", "归根"},
		{"index.html itself", "GET", "/index.html", 200, "text/html; charset=utf-8", "no-cache", "归根"},
		{"hashed js", "GET", "/assets/index-AbC123.js", 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "console.log"},
		{"hashed css", "GET", "/assets/index-AbC123.css", 200, "text/css; charset=utf-8", "public, max-age=31536000, immutable", "body"},
		{"other file", "GET", "/robots.txt", 200, "text/plain; charset=utf-8", "public, max-age=3600", "User-agent"},
		{"missing asset is 404", "GET", "/assets/index-old.js", 404, "", "no-store", ""},
		{"missing file with extension is 404", "GET", "/favicon.png", 404, "", "no-store", ""},
		{"traversal stays inside", "GET", "/../../etc/passwd", 200, "text/html; charset=utf-8", "no-cache", "归根"},
		{"HEAD", "HEAD", "/", 200, "text/html; charset=utf-8", "no-cache", ""},
		{"POST refused", "POST", "/", 405, "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
			if rec.Code != c.code {
				t.Fatalf("status %d, want %d", rec.Code, c.code)
			}
			if got := rec.Header().Get("X-Content-Type-Options"); c.code != 405 && got != "nosniff" {
				t.Errorf("nosniff header %q", got)
			}
			if c.ctype != "" && rec.Header().Get("Content-Type") != c.ctype {
				t.Errorf("content type %q, want %q", rec.Header().Get("Content-Type"), c.ctype)
			}
			if c.cache != "" && rec.Header().Get("Cache-Control") != c.cache {
				t.Errorf("cache %q, want %q", rec.Header().Get("Cache-Control"), c.cache)
			}
			body, _ := io.ReadAll(rec.Body)
			if !strings.Contains(string(body), c.bodyHas) {
				t.Errorf("body %q lacks %q", body, c.bodyHas)
			}
			if c.method == "HEAD" && len(body) != 0 {
				t.Errorf("HEAD has a body")
			}
		})
	}
}

func TestHandlerHTMLHeaders(t *testing.T) {
	h := handler(testFiles(t))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/gallery", nil))
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
}

func TestHandlerETag(t *testing.T) {
	h := handler(testFiles(t))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/assets/index-AbC123.js", nil))
	etag := rec.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req := httptest.NewRequest("GET", "/assets/index-AbC123.js", nil)
	req.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("status %d, want 304", rec.Code)
	}
}

// The committed build must be complete: an index.html that loads a
// script and a stylesheet that exist in the embedded tree.
func TestEmbeddedDist(t *testing.T) {
	files, err := load(dist)
	if err != nil {
		t.Fatal(err)
	}
	index := string(files["/index.html"].body)
	n := 0
	for p := range files {
		if strings.HasPrefix(p, "/assets/") && (strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".css")) && strings.Contains(index, p) {
			n++
		}
	}
	if n < 2 {
		t.Errorf("index.html references %d embedded assets, want a script and a stylesheet:\n%s", n, index)
	}
	h := Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/search?q=x", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `id="app"`) {
		t.Errorf("GET /search: %d %q", rec.Code, rec.Body.String())
	}
}
