// Package graphiql serves the GraphiQL IDE from the binary itself: the
// page, its script and its styles are embedded, nothing is fetched from a
// CDN, so it works on a closed network.
package graphiql

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed index.html init.js assets/*.js assets/*.css
var files embed.FS

// Handler serves GraphiQL; mount it at /graphiql/ with the API at
// /graphql beside it.
func Handler() http.Handler {
	assets, _ := fs.Sub(files, "assets") // a constant path: cannot fail
	static := http.FileServerFS(assets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:")
		h.Set("X-Content-Type-Options", "nosniff")
		name := lastElem(r.URL.Path)
		if name == "graphiql" {
			// Relative asset URLs need the trailing slash.
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		switch name {
		case "", "index.html":
			h.Set("Content-Type", "text/html; charset=utf-8")
			b, _ := files.ReadFile("index.html")
			_, _ = w.Write(b)
		case "init.js":
			h.Set("Content-Type", "text/javascript; charset=utf-8")
			b, _ := files.ReadFile("init.js")
			_, _ = w.Write(b)
		default:
			h.Set("Cache-Control", "public, max-age=86400")
			r2 := r.Clone(r.Context())
			r2.URL.Path = "/" + name
			static.ServeHTTP(w, r2)
		}
	})
}

func lastElem(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}
