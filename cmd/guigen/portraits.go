package main

import (
	"context"
	"fmt"
	"github.com/guigen/guigen/auth"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/media"
	"github.com/guigen/guigen/store"
)

// mediaDir is the portrait store under the data dir.
const mediaDir = "media"

// withMedia serves the portrait derivatives, the IIIF image service and
// the IIIF manifests beside next, which keeps every other route. Without
// a usable media directory the server still runs, without images.
func withMedia(next http.Handler, ms *media.Service, s store.Store) http.Handler {
	if ms == nil {
		return next
	}
	mux := http.NewServeMux()
	ms.Routes(mux, imageAccess(s, time.Now, publishedTTL))
	ms.PresentationRoutes(mux, s)
	mux.Handle("/", next)
	return mux
}

// openMedia opens the portrait store under the data dir; nil (and the
// server runs without images) when it cannot.
func openMedia(dataDir string, log *slog.Logger) *media.Service {
	ms, err := media.New(filepath.Join(dataDir, mediaDir), media.Options{Logger: log})
	if err != nil {
		log.Error("画像服务不可用，继续提供其他服务 / portrait service unavailable; serving without it", "err", err)
		return nil
	}
	return ms
}

// startDemoPortraits paints the demo exhibit into the media dir and the
// store in the background, so the server answers at once and the gallery
// fills in within seconds. A store that has the exhibit, or lacks the demo
// martyrs, is left alone; failures only cost the gallery, so they are
// logged. The returned func stops the work and waits for it, and must run
// before the store closes.
func startDemoPortraits(ctx context.Context, dataDir string, s store.Store, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		loadDemoPortraits(ctx, dataDir, s, log)
	}()
	return func() {
		cancel()
		<-done
	}
}

func loadDemoPortraits(ctx context.Context, dataDir string, s store.Store, log *slog.Logger) {
	if got, err := s.GetExhibits(ctx, []string{demo.ExhibitID}); err == nil && len(got) > 0 {
		return
	}
	ms, err := media.New(filepath.Join(dataDir, mediaDir), media.Options{Logger: log})
	if err != nil {
		log.Warn("未载入演示画像 / demo portraits not loaded", "err", err)
		return
	}
	start := time.Now()
	b, err := demo.Portraits(ctx, ms, demoPortraitWidth, demoPortraitHeight)
	if err == nil {
		err = s.Apply(ctx, b)
	}
	if ctx.Err() != nil {
		return // shutting down
	}
	if err != nil {
		log.Warn("未载入演示画像 / demo portraits not loaded", "err", err)
		return
	}
	log.Info("已载入演示画像 / demo portraits loaded", "portraits", len(b.Portraits), "exhibit", demo.ExhibitID, "took", time.Since(start).Round(time.Millisecond))
}

// The demo portraits are a few megapixels, like real scans at a small scale.
const demoPortraitWidth, demoPortraitHeight = 1600, 2000

// publishedTTL is how long the image server trusts what it learned about
// an image's publication. Unpublishing takes effect within it (images
// already in a browser's cache stay there: they were public).
const publishedTTL = 30 * time.Second

// imageAccess decides who may read an image: everyone when a published
// portrait shows it; otherwise only curators and admins, by their token,
// who prepare unpublished work. Everyone else gets 404, as for an image
// that does not exist. Answers are remembered for ttl, so a deep-zoom
// viewer's hundred tile requests cost one store read.
func imageAccess(s store.Store, now func() time.Time, ttl time.Duration) media.Access {
	type entry struct {
		public bool
		until  time.Time
	}
	var mu sync.Mutex
	seen := map[string]entry{}
	const maxSeen = 10000
	return func(r *http.Request, sha string) (media.Visibility, error) {
		t := now()
		mu.Lock()
		e, ok := seen[sha]
		mu.Unlock()
		if !ok || t.After(e.until) {
			page, err := s.ListPortraits(r.Context(), store.PortraitFilter{SHA256: sha, PublishedOnly: true}, store.PageReq{First: 1})
			if err != nil {
				return media.Hidden, fmt.Errorf("is image %s published: %w", sha, err)
			}
			e = entry{public: page.Total > 0, until: t.Add(ttl)}
			mu.Lock()
			if len(seen) >= maxSeen {
				clear(seen) // a crude bound; the next requests refill it
			}
			seen[sha] = e
			mu.Unlock()
		}
		if e.public {
			return media.Public, nil
		}
		u, err := auth.Authenticate(r.Context(), s, r.Header.Get("Authorization"))
		if err != nil || !u.Has(auth.Curator, auth.Admin) {
			return media.Hidden, nil
		}
		return media.Private, nil
	}
}
