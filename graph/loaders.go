package graph

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/guigen/guigen/store"
)

// loaders batch the look-ups of one request: a page of 100 martyrs asks
// the store for their hometowns, units and cemeteries in one round trip
// each rather than 300, and each entity is fetched once per request.
type loaders struct {
	places     *dataloadgen.Loader[string, store.Place]
	units      *dataloadgen.Loader[string, store.Unit]
	cemeteries *dataloadgen.Loader[string, store.Cemetery]
	events     *dataloadgen.Loader[string, store.Event]
	lineages   *dataloadgen.Loader[string, store.Lineage]
}

// loaderWait is how long a loader gathers keys before fetching: long
// enough for sibling resolvers, which gqlgen runs concurrently, to join.
const loaderWait = 2 * time.Millisecond

func newLoaders(s store.Store) *loaders {
	w := dataloadgen.WithWait(loaderWait)
	return &loaders{
		places:     dataloadgen.NewMappedLoader(s.GetPlaces, w),
		units:      dataloadgen.NewMappedLoader(s.GetUnits, w),
		cemeteries: dataloadgen.NewMappedLoader(s.GetCemeteries, w),
		events:     dataloadgen.NewMappedLoader(s.GetEvents, w),
		lineages:   dataloadgen.NewMappedLoader(s.Lineages, w),
	}
}

type loadersKey struct{}

// withLoaders gives every request its own loaders, so nothing is cached
// across requests.
func withLoaders(s store.Store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, newLoaders(s))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// loadersFor returns the request's loaders, or fresh ones for a caller
// that did not come through the handler.
func (r *Resolver) loadersFor(ctx context.Context) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return newLoaders(r.Store)
}

// loadOne loads an entity by id: nil for an empty id or a missing entity,
// which the schema shows as null.
func loadOne[T any](ctx context.Context, l *dataloadgen.Loader[string, T], id string) (*T, error) {
	if id == "" {
		return nil, nil
	}
	v, err := l.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// loadMany loads entities by id in order, skipping missing ones.
func loadMany[T any](ctx context.Context, l *dataloadgen.Loader[string, T], ids []string) ([]T, error) {
	thunks := make([]func() (T, error), len(ids))
	for i, id := range ids {
		thunks[i] = l.LoadThunk(ctx, id)
	}
	out := make([]T, 0, len(ids))
	for _, th := range thunks {
		v, err := th()
		if errors.Is(err, dataloadgen.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
