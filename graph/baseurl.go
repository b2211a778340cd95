package graph

import (
	"context"
	"net/http"

	"github.com/guigen/guigen/media"
	"github.com/guigen/guigen/store"
)

type baseURLKey struct{}

// withBaseURL remembers the scheme and host the client used, so that the
// image and IIIF URLs the API hands out are absolute, as IIIF viewers
// need them.
func withBaseURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), baseURLKey{}, media.BaseURL(r))))
	})
}

// baseURL is the request's scheme and host, or "" (root-relative URLs)
// outside an HTTP request.
func baseURL(ctx context.Context) string {
	s, _ := ctx.Value(baseURLKey{}).(string)
	return s
}

// hasImage reports whether the portrait's image was taken in, so that its
// derivatives and IIIF service exist.
func hasImage(p *store.Portrait) bool {
	return len(p.SHA256) == 64 && p.Width > 0 && p.Height > 0
}
