package graph

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
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
	martyrs    *dataloadgen.Loader[string, store.Martyr]
	records    *dataloadgen.Loader[string, store.ArchivalRecord]
	portraits  *dataloadgen.Loader[string, store.Portrait]
	exhibits   *dataloadgen.Loader[string, store.Exhibit]

	// Per martyr: the lists nested under a page of martyrs.
	recordsOf    *dataloadgen.Loader[string, []store.ArchivalRecord]
	assertionsOf *dataloadgen.Loader[string, []store.Assertion]
	portraitsOf  *dataloadgen.Loader[string, []store.Portrait]
	childrenOf   *dataloadgen.Loader[string, []store.Place]

	// Per lead: its audit trail, for a board of leads with timelines.
	leadEvents *dataloadgen.Loader[string, []store.LeadEvent]
}

// loaderWait is how long a loader gathers keys before fetching: long
// enough for sibling resolvers, which gqlgen runs concurrently, to join.
const loaderWait = 2 * time.Millisecond

func newLoaders(s store.Store, wait time.Duration) *loaders {
	if wait <= 0 {
		wait = loaderWait
	}
	w := dataloadgen.WithWait(wait)
	return &loaders{
		places:     dataloadgen.NewMappedLoader(s.GetPlaces, w),
		units:      dataloadgen.NewMappedLoader(s.GetUnits, w),
		cemeteries: dataloadgen.NewMappedLoader(s.GetCemeteries, w),
		events:     dataloadgen.NewMappedLoader(s.GetEvents, w),
		lineages:   dataloadgen.NewMappedLoader(s.Lineages, w),
		martyrs:    dataloadgen.NewMappedLoader(s.GetMartyrs, w),
		records:    dataloadgen.NewMappedLoader(s.GetRecords, w),
		portraits:  dataloadgen.NewMappedLoader(s.GetPortraits, w),
		exhibits:   dataloadgen.NewMappedLoader(s.GetExhibits, w),

		recordsOf:    dataloadgen.NewMappedLoader(s.RecordsCiting, w),
		assertionsOf: dataloadgen.NewMappedLoader(s.Assertions, w),
		portraitsOf:  dataloadgen.NewMappedLoader(s.PortraitsOf, w),
		childrenOf:   dataloadgen.NewMappedLoader(s.PlaceChildren, w),

		leadEvents: dataloadgen.NewMappedLoader(s.LeadEventsOf, w),
	}
}

type loadersKey struct{}

// withLoaders gives every request its own loaders, so nothing is cached
// across requests.
func withLoaders(s store.Store, wait time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, newLoaders(s, wait))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// loadersFor returns the request's loaders, or fresh ones for a caller
// that did not come through the handler.
func (r *Resolver) loadersFor(ctx context.Context) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return newLoaders(r.Store, r.loaderWait)
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

// primeLeadLoaders enqueues the timelines and martyrs of a page of leads
// that the query asks for, before the per-lead resolvers run. Those run as
// goroutines, and on a busy machine not all of them reach a loader within
// its wait, which split one batch into two or three (bench/README, API
// benchmark); primed, each is one store call whatever the scheduling.
func (r *Resolver) primeLeadLoaders(ctx context.Context, leads []store.Lead) {
	if len(leads) == 0 {
		return
	}
	sel := selected(ctx, "edges", "node")
	l := r.loadersFor(ctx)
	if sel["events"] {
		ids := make([]string, len(leads))
		for i, x := range leads {
			ids[i] = x.ID
		}
		l.leadEvents.LoadAllThunk(ctx, ids)
	}
	if sel["martyr"] {
		ids := make([]string, 0, len(leads))
		for _, x := range leads {
			if x.MartyrID != "" {
				ids = append(ids, x.MartyrID)
			}
		}
		l.martyrs.LoadAllThunk(ctx, ids)
	}
}

// selected names the fields the query selects at path beneath the field
// being resolved (fragments included).
func selected(ctx context.Context, path ...string) map[string]bool {
	if graphql.GetFieldContext(ctx) == nil {
		return map[string]bool{}
	}
	op := graphql.GetOperationContext(ctx)
	fields := graphql.CollectFieldsCtx(ctx, nil)
	for _, name := range path {
		var next []graphql.CollectedField
		for _, f := range fields {
			if f.Name == name {
				next = append(next, graphql.CollectFields(op, f.Selections, nil)...)
			}
		}
		fields = next
	}
	out := make(map[string]bool, len(fields))
	for _, f := range fields {
		out[f.Name] = true
	}
	return out
}
