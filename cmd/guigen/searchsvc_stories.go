package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
)

// storiesDir is the story full-text index's directory inside the data
// dir, beside the name index.
const storiesDir = "stories-index"

// openStories opens the story index; an index of another version is
// removed and refilled by the next sync from the whole change log. On
// failure serve runs without story search.
func (svc *searchService) openStories(ctx context.Context, dataDir string) {
	dir := filepath.Join(dataDir, storiesDir)
	x, err := search.OpenStories(dir)
	if errors.Is(err, search.ErrStale) {
		svc.log.Warn("故事索引版本不符，正在重建 / the story index was built by another version; rebuilding", "dir", dir)
		if rerr := os.RemoveAll(dir); rerr == nil {
			x, err = search.OpenStories(dir)
		}
	}
	if err != nil && moveAsideCorrupt(dir, err, svc.log) {
		x, err = search.OpenStories(dir) // empty; the sync fills it from the store
	}
	if err != nil {
		svc.log.Error("无法打开故事索引，故事搜索不可用 / cannot open the story index; story search is off", "dir", dir, "err", err)
		return
	}
	svc.stories = x
}

func (svc *searchService) syncStories(ctx context.Context) error {
	if svc.stories == nil {
		return nil
	}
	if _, err := search.SyncStories(ctx, svc.s, svc.stories, search.DefaultSyncBatch); err != nil {
		return fmt.Errorf("sync stories: %w", err)
	}
	return nil
}

func (svc *searchService) closeStories() {
	if svc.stories == nil {
		return
	}
	if err := svc.stories.Close(); err != nil {
		svc.log.Warn("关闭故事索引失败 / closing the story index failed", "err", err)
	}
}

var errStoriesOff = fmt.Errorf("故事搜索未启用 / story search is not available: %w", store.ErrUnavailable)

// SearchStories implements graph.StorySearcher.
func (svc *searchService) SearchStories(ctx context.Context, q search.StoryQuery) (search.StoryResult, error) {
	if svc.stories == nil {
		return search.StoryResult{}, errStoriesOff
	}
	return svc.stories.Search(ctx, svc.s, q)
}

// ListStories implements graph.StorySearcher.
func (svc *searchService) ListStories(ctx context.Context, first int, after string) ([]string, bool, int, error) {
	if svc.stories == nil {
		return nil, false, 0, errStoriesOff
	}
	return svc.stories.ListStories(ctx, first, after)
}
