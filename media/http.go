package media

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

const immutable = "public, max-age=31536000, immutable"

var derivRE = regexp.MustCompile(`^w[0-9]{1,5}\.jpg$`)

// Routes registers the image endpoints on mux:
//
//	GET /media/{sha}/w{width}.jpg                               derivatives
//	GET /iiif/{sha}                                             303 to info.json
//	GET /iiif/{sha}/info.json                                   IIIF Image API 3.0
//	GET /iiif/{sha}/{region}/{size}/{rotation}/{quality.format}
//
// Images are addressed by their content hash, so every URL names bytes
// that never change: strong ETags and immutable caching are exact.
//
// access decides, per request, who may read which image; nil serves every
// image to everyone (tests, and a deployment without unpublished work).
func (s *Service) Routes(mux *http.ServeMux, access Access) {
	mux.HandleFunc("GET /media/{sha}/{file}", s.guard(access, s.serveDerivative))
	mux.HandleFunc("GET /iiif/{sha}", s.guard(access, s.redirectInfo))
	mux.HandleFunc("GET /iiif/{sha}/info.json", s.guard(access, s.serveInfo))
	mux.HandleFunc("GET /iiif/{sha}/{region}/{size}/{rotation}/{qf}", s.guard(access, s.serveImage))
}

// Handler is Routes on a mux of its own, every image public.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	s.Routes(mux, nil)
	return mux
}

// Visibility is who may read an image.
type Visibility int

const (
	// Hidden: not to this caller; answered 404, as if there were none.
	Hidden Visibility = iota
	// Private: to this caller only; never stored by a shared cache.
	Private
	// Public: to anyone, cached as immutable.
	Public
)

// Access tells whether the caller of r may read the image with the hash.
// Images are addressed by hash, so without it anyone holding the hash of
// an unpublished portrait could fetch it.
type Access func(r *http.Request, sha string) (Visibility, error)

type privateKey struct{}

// guard runs access before next; a private answer is marked so that the
// handlers send it with private, no-store caching.
func (s *Service) guard(access Access, next http.HandlerFunc) http.HandlerFunc {
	if access == nil {
		return next
	}
	return func(w http.ResponseWriter, r *http.Request) {
		sha := r.PathValue("sha")
		if !ValidID(sha) {
			commonHeaders(w)
			httpError(w, ErrNotFound)
			return
		}
		v, err := access(r, sha)
		if err != nil {
			s.log.Error("media: access check", "sha256", sha, "err", err)
			commonHeaders(w)
			httpError(w, err)
			return
		}
		switch v {
		case Public:
			next(w, r)
		case Private:
			w.Header().Set("Vary", "Authorization")
			next(w, r.WithContext(context.WithValue(r.Context(), privateKey{}, true)))
		default:
			commonHeaders(w)
			httpError(w, ErrNotFound)
		}
	}
}

// cacheControl is the Cache-Control for a response: public ones as
// given, private ones never stored.
func cacheControl(r *http.Request, public string) string {
	if private, _ := r.Context().Value(privateKey{}).(bool); private {
		return "private, no-store"
	}
	return public
}

func commonHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Access-Control-Allow-Origin", "*")
}

func httpError(w http.ResponseWriter, err error) {
	code := http.StatusInternalServerError
	msg := "服务器错误 / internal error"
	switch {
	case errors.Is(err, ErrNotFound):
		code, msg = http.StatusNotFound, ErrNotFound.Error()
	case errors.Is(err, ErrBadParam):
		code, msg = http.StatusBadRequest, err.Error()
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Del("Cache-Control")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(msg + "\n"))
}

func (s *Service) serveDerivative(w http.ResponseWriter, r *http.Request) {
	commonHeaders(w)
	sha, file := r.PathValue("sha"), r.PathValue("file")
	if !ValidID(sha) || !derivRE.MatchString(file) {
		httpError(w, ErrNotFound)
		return
	}
	s.serveFile(w, r, filepath.Join(s.derivDir(sha), file), `"`+sha+"-"+strings.TrimSuffix(file, ".jpg")+`"`, "image/jpeg")
}

func (s *Service) serveFile(w http.ResponseWriter, r *http.Request, path, etag, ctype string) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		httpError(w, ErrNotFound)
		return
	}
	if err != nil {
		s.log.Error("media: open", "path", path, "err", err)
		httpError(w, err)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		httpError(w, err)
		return
	}
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", cacheControl(r, immutable))
	h.Set("Content-Type", ctype)
	// ServeContent answers If-None-Match, If-Range and Range.
	http.ServeContent(w, r, "", st.ModTime(), f)
}

func (s *Service) redirectInfo(w http.ResponseWriter, r *http.Request) {
	commonHeaders(w)
	sha := r.PathValue("sha")
	if _, err := s.Info(sha); err != nil {
		httpError(w, err)
		return
	}
	http.Redirect(w, r, BaseURL(r)+"/iiif/"+sha+"/info.json", http.StatusSeeOther)
}

// BaseURL is the scheme and host the client used, honouring a proxy's
// X-Forwarded-Proto, for the absolute ids IIIF requires.
func BaseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
		scheme = p
	}
	return scheme + "://" + r.Host
}

func (s *Service) serveInfo(w http.ResponseWriter, r *http.Request) {
	commonHeaders(w)
	sha := r.PathValue("sha")
	info, err := s.Info(sha)
	if err != nil {
		httpError(w, err)
		return
	}
	doc := InfoJSON(BaseURL(r)+"/iiif/"+sha, info)
	ctype := "application/json"
	if strings.Contains(r.Header.Get("Accept"), "application/ld+json") {
		ctype = `application/ld+json;profile="http://iiif.io/api/image/3/context.json"`
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", cacheControl(r, "public, max-age=86400"))
	_ = json.NewEncoder(w).Encode(doc)
}

// InfoJSON is the IIIF Image API 3.0 information document for an image.
func InfoJSON(id string, info Info) map[string]any {
	sizes := []map[string]int{}
	for _, d := range info.Derivatives {
		sizes = append(sizes, map[string]int{"width": d.Width, "height": d.Height})
	}
	return map[string]any{
		"@context": "http://iiif.io/api/image/3/context.json",
		"id":       id,
		"type":     "ImageService3",
		"protocol": "http://iiif.io/api/image",
		"profile":  "level2",
		"width":    info.Width,
		"height":   info.Height,
		"maxArea":  MaxOutputArea,
		"sizes":    sizes,
		"tiles": []map[string]any{
			{"width": 512, "scaleFactors": []int{1, 2, 4, 8, 16, 32}},
		},
		"extraQualities": []string{"color", "gray", "bitonal"},
		"extraFeatures":  []string{"mirroring", "sizeUpscaling"},
	}
}

func (s *Service) serveImage(w http.ResponseWriter, r *http.Request) {
	commonHeaders(w)
	sha := r.PathValue("sha")
	path, ctype, err := s.Render(r.Context(), sha, r.PathValue("region"), r.PathValue("size"), r.PathValue("rotation"), r.PathValue("qf"))
	if err != nil {
		if !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrBadParam) {
			s.log.Error("media: iiif render", "sha256", sha, "path", r.URL.Path, "err", err)
		}
		httpError(w, err)
		return
	}
	w.Header().Set("Link", `<http://iiif.io/api/image/3/level2.json>;rel="profile"`)
	s.serveFile(w, r, path, `"`+sha+"-"+strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))+`"`, ctype)
}
