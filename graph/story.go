package graph

import (
	"context"

	"github.com/guigen/guigen/search"
)

// StorySearcher is the full-text search behind searchStories and the
// stories listing (the store lists no stories; the index knows which are
// published). The Searcher given to WithSearch serves stories when it
// also implements this.
type StorySearcher interface {
	SearchStories(ctx context.Context, q search.StoryQuery) (search.StoryResult, error)
	ListStories(ctx context.Context, first int, after string) (ids []string, hasNext bool, total int, err error)
}

func (r *Resolver) stories() (StorySearcher, error) {
	ss, ok := r.Search.(StorySearcher)
	if !ok || ss == nil {
		return nil, errSearchOff
	}
	return ss, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
