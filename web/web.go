// Package web serves the browser UI: the single-page app built from
// web/src by Vite into web/dist, embedded in the binary so that `guigen
// serve` needs no Node at run time. web/dist is committed (a clean clone
// builds without Node) and web/check-build.sh proves it matches the
// sources.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed all:dist
var dist embed.FS

// contentTypes covers what Vite emits; mime.TypeByExtension depends on
// the host's mime tables, which differ between machines.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".json":  "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".webp":  "image/webp",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
}

// csp keeps the page to its own origin: scripts and styles from the
// binary, images from the media service (and the data: placeholders),
// GraphQL over fetch and websocket. Inline style attributes are allowed
// because OpenSeadragon positions its canvas with them.
const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; connect-src 'self' ws: wss:; font-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"

type file struct {
	body  []byte
	ctype string
	etag  string
}

// Handler serves the app: files under dist by their path, hashed assets
// (under /assets/) cached for a year, and index.html, never cached, for
// every other path without a file extension so that client routes
// (/martyr/m-0001, /leads) load the app. A missing asset is a 404, not
// the app, so a stale page fails visibly instead of parsing HTML as
// JavaScript.
func Handler() http.Handler {
	files, err := load(dist)
	if err != nil {
		// The embedded tree is fixed at build time; a broken one is a
		// build defect, caught by the package's tests.
		panic(fmt.Sprintf("web: embedded dist: %v", err))
	}
	return handler(files)
}

func load(fsys fs.FS) (map[string]file, error) {
	sub, err := fs.Sub(fsys, "dist")
	if err != nil {
		return nil, fmt.Errorf("sub dist: %w", err)
	}
	files := map[string]file{}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(p)
		ct, ok := contentTypes[ext]
		if !ok {
			ct = mime.TypeByExtension(ext)
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		files["/"+p] = file{body: b, ctype: ct, etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk dist: %w", err)
	}
	if _, ok := files["/index.html"]; !ok {
		return nil, fmt.Errorf("dist/index.html missing (run: make web)")
	}
	return files, nil
}

func handler(files map[string]file) http.Handler {
	index := files["/index.html"]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "方法不允许 / method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := path.Clean("/" + r.URL.Path)
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		f, ok := files[p]
		switch {
		case ok && p != "/index.html":
			if strings.HasPrefix(p, "/assets/") {
				// Vite puts a content hash in every name under assets/.
				h.Set("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				h.Set("Cache-Control", "public, max-age=3600")
			}
		case p != "/index.html" && (strings.HasPrefix(p, "/assets/") || path.Ext(p) != ""):
			h.Set("Cache-Control", "no-store")
			http.NotFound(w, r)
			return
		default:
			f = index
			h.Set("Cache-Control", "no-cache")
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Frame-Options", "SAMEORIGIN")
		}
		h.Set("Content-Type", f.ctype)
		h.Set("ETag", f.etag)
		// ServeContent answers If-None-Match and ranges; the zero time
		// leaves Last-Modified out (embedded files have no mtime).
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
	})
}
