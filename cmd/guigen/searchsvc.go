package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
)

// syncInterval is how often serve applies the store's changes to the
// search index.
const syncInterval = 2 * time.Second

// searchService is serve's fuzzy search: the index at <data>/index, kept
// in step with the store's change log by a goroutine, and the gazetteer
// that reads hometowns, rebuilt when places change. It implements
// graph.Searcher.
type searchService struct {
	s        store.Store
	ix       *search.Index
	stories  *search.StoryIndex // nil when it could not be opened
	log      *slog.Logger
	interval time.Duration
	// gaz is swapped whole when places change; searches in flight keep
	// the one they started with.
	gaz atomic.Pointer[search.Gazetteer]
	// gazStale: loading the gazetteer failed; retry on the next tick.
	gazStale  bool
	stop      context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// liveHometowns reads hometowns with whatever gazetteer is current.
type liveHometowns struct {
	g *atomic.Pointer[search.Gazetteer]
}

func (h liveHometowns) PrepareHometown(ctx context.Context, typed string) (search.HometownScorer, error) {
	return search.NewHometowns(h.g.Load()).PrepareHometown(ctx, typed)
}

// startSearch opens (or creates) the index under dataDir, loads the
// gazetteer, syncs once and keeps syncing every interval until ctx ends
// or Close. An index built by another version is rebuilt. Errors are
// returned for the caller to log and serve without search.
func startSearch(ctx context.Context, dataDir string, s store.Store, log *slog.Logger, interval time.Duration) (*searchService, error) {
	svc := &searchService{s: s, log: log, interval: interval}
	g, err := loadGazetteer(ctx, s)
	if err != nil {
		log.Warn("无法载入地名表，籍贯按文字比较 / cannot load the gazetteer; hometowns compared as text", "err", err)
		g, svc.gazStale = search.NewGazetteer(nil), true
	}
	svc.gaz.Store(g)

	dir := filepath.Join(dataDir, indexDir)
	opts := []search.Option{search.WithLogger(log), search.WithHometownMatcher(liveHometowns{&svc.gaz})}
	ix, err := search.Open(dir, opts...)
	if errors.Is(err, search.ErrStale) {
		log.Warn("搜索索引版本不符，正在重建 / the search index was built by another version; rebuilding", "dir", dir)
		if _, rerr := search.Rebuild(ctx, s, dir, search.WithLogger(log)); rerr != nil {
			return nil, fmt.Errorf("rebuild search index %s: %w", dir, rerr)
		}
		ix, err = search.Open(dir, opts...)
	}
	if err != nil && moveAsideCorrupt(dir, err, log) {
		if _, rerr := search.Rebuild(ctx, s, dir, search.WithLogger(log)); rerr != nil {
			return nil, fmt.Errorf("rebuild search index %s: %w", dir, rerr)
		}
		ix, err = search.Open(dir, opts...)
	}
	if err != nil {
		return nil, fmt.Errorf("open search index: %w", err)
	}
	svc.ix = ix
	svc.openStories(ctx, dataDir)

	start := time.Now()
	if _, err := svc.syncOnce(ctx); err != nil {
		// The index still answers from what it has; the loop retries.
		log.Error("同步搜索索引失败 / syncing the search index failed", "err", err)
	}
	if n, err := ix.Count(); err == nil {
		log.Info("搜索就绪 / search ready", "dir", dir, "martyrs", n, "took", time.Since(start).Round(time.Millisecond))
	}

	lctx, cancel := context.WithCancel(ctx)
	svc.stop = cancel
	svc.wg.Add(1)
	go svc.loop(lctx)
	return svc, nil
}

func (svc *searchService) loop(ctx context.Context) {
	defer svc.wg.Done()
	t := time.NewTicker(svc.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := svc.syncOnce(ctx); err != nil && ctx.Err() == nil {
			svc.log.Error("同步搜索索引失败 / syncing the search index failed", "err", err)
		}
	}
}

// syncOnce applies the changes since the index's watermark and rebuilds
// the gazetteer when places were among them.
func (svc *searchService) syncOnce(ctx context.Context) (int, error) {
	before, err := svc.ix.Watermark(ctx)
	if err != nil {
		return 0, fmt.Errorf("read watermark: %w", err)
	}
	applied, syncErr := search.Sync(ctx, svc.s, svc.ix, search.DefaultSyncBatch)
	syncErr = errors.Join(syncErr, svc.syncStories(ctx))
	after, err := svc.ix.Watermark(ctx)
	if err != nil {
		return applied, errors.Join(syncErr, fmt.Errorf("read watermark: %w", err))
	}
	if after > before || svc.gazStale {
		changed := svc.gazStale
		if !changed {
			if changed, err = placesChanged(ctx, svc.s, before, after); err != nil {
				changed = true // when in doubt, reload
			}
		}
		if changed {
			g, err := loadGazetteer(ctx, svc.s)
			if err != nil {
				svc.gazStale = true
				return applied, errors.Join(syncErr, err)
			}
			svc.gaz.Store(g)
			svc.gazStale = false
			svc.log.Debug("地名表已更新 / gazetteer reloaded")
		}
	}
	return applied, syncErr
}

// placesChanged tells whether the change log between after (exclusive)
// and upTo (inclusive) touches a place.
func placesChanged(ctx context.Context, s store.Store, after, upTo int64) (bool, error) {
	for after < upTo {
		cs, err := s.Changes(ctx, after, search.DefaultSyncBatch)
		if err != nil {
			return false, fmt.Errorf("changes after %d: %w", after, err)
		}
		if len(cs) == 0 {
			return false, nil
		}
		for _, c := range cs {
			if c.Seq > upTo {
				return false, nil
			}
			if c.Kind == store.KindPlace {
				return true, nil
			}
		}
		after = cs[len(cs)-1].Seq
	}
	return false, nil
}

// loadGazetteer reads every place, current and former.
func loadGazetteer(ctx context.Context, s store.Store) (*search.Gazetteer, error) {
	var places []store.Place
	req := store.PageReq{First: store.MaxPageSize}
	for {
		page, err := s.ListPlaces(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("list places: %w", err)
		}
		places = append(places, page.Items...)
		if !page.HasNext {
			break
		}
		req.After = page.EndCursor
	}
	return search.NewGazetteer(places), nil
}

// SearchMartyrs implements graph.Searcher.
func (svc *searchService) SearchMartyrs(ctx context.Context, q search.Query) ([]search.Hit, error) {
	return svc.ix.Search(ctx, q)
}

// SearchPlaces implements graph.Searcher.
func (svc *searchService) SearchPlaces(_ context.Context, text string, n int) ([]search.Resolution, error) {
	rs := svc.gaz.Load().Resolve(text)
	if len(rs) > n {
		rs = rs[:n]
	}
	return rs, nil
}

// Close stops syncing and closes the index; safe to call twice.
func (svc *searchService) Close() {
	svc.closeOnce.Do(func() {
		if svc.stop != nil {
			svc.stop()
		}
		svc.wg.Wait()
		if err := svc.ix.Close(); err != nil {
			svc.log.Warn("关闭搜索索引失败 / closing the search index failed", "err", err)
		}
		svc.closeStories()
	})
}

// moveAsideCorrupt handles an index that exists but cannot be opened —
// truncated or overwritten files, a half-deleted directory: the index is
// derived from the store, so it is moved aside (kept, for a person to
// look at) and the caller rebuilds it. A permission problem is not
// corruption and is left for the operator. It reports whether the caller
// should rebuild.
func moveAsideCorrupt(dir string, err error, log *slog.Logger) bool {
	if errors.Is(err, fs.ErrPermission) {
		return false
	}
	if _, statErr := os.Stat(dir); statErr != nil {
		return false
	}
	aside := fmt.Sprintf("%s.corrupt-%s", dir, time.Now().UTC().Format("20060102T150405"))
	if rerr := os.Rename(dir, aside); rerr != nil {
		log.Error("无法移开损坏的索引 / cannot move the corrupt index aside", "dir", dir, "err", rerr)
		return false
	}
	log.Error("索引已损坏：已移到一旁，正从数据库重建 / the index is corrupt: moved aside, rebuilding from the store",
		"dir", dir, "aside", aside, "err", err)
	return true
}
