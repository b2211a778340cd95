package graph

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/guigen/guigen/graph/model"
	"github.com/guigen/guigen/store"
)

// MaxNodes bounds the ids of one nodes(ids) call.
const MaxNodes = MaxPageSize

// nodeKind fetches the entities of one kind for node and nodes. Ids are
// the store's own and carry no type, so a lookup asks every kind, each
// once for all the ids.
type nodeKind struct {
	name  string
	fetch func(ctx context.Context, s store.Store, ids []string) (map[string]model.Node, error)
}

// nodeKinds is every type that implements Node and can be fetched by id.
// Adding a kind is one line: {"Person", nodesOf(store.Store.GetPeople)}.
// Assertions have no Get in the store (they are read through their
// martyr), so node(id) does not find them.
var nodeKinds = []nodeKind{
	{"Martyr", nodesOf(store.Store.GetMartyrs)},
	{"Place", nodesOf(store.Store.GetPlaces)},
	{"ArchivalRecord", nodesOf(store.Store.GetRecords)},
	{"Cemetery", nodesOf(store.Store.GetCemeteries)},
	{"Unit", nodesOf(store.Store.GetUnits)},
	{"Event", nodesOf(store.Store.GetEvents)},
	{"Portrait", publishedOnly(nodesOf(store.Store.GetPortraits))},
	{"Exhibit", publishedOnly(nodesOf(store.Store.GetExhibits))},
	// A person's personal data is guarded by its own resolvers wherever
	// the person is reached from, node(id) included.
	// Living people outside an announcement are seen by tracing roles only.
	{"Person", publicPeople(nodesOf(store.Store.GetPeople))},
	// Drafts are not public: story(id) hides them, and so does node(id).
	{"Story", publishedOnly(nodesOf(store.Store.GetStories))},
	// Leads are not here on purpose: reading one needs casework's lead
	// check, which lead(id) applies.
}

// publishedOnly drops the unpublished stories, portraits and exhibits
// fetch returns, unless the user is one who prepares them.
func publishedOnly(fetch func(context.Context, store.Store, []string) (map[string]model.Node, error)) func(context.Context, store.Store, []string) (map[string]model.Node, error) {
	return func(ctx context.Context, s store.Store, ids []string) (map[string]model.Node, error) {
		m, err := fetch(ctx, s, ids)
		if err != nil || seesUnpublished(ctx) {
			return m, err
		}
		for id, n := range m {
			published := true
			switch v := n.(type) {
			case *store.Story:
				published = v.Published
			case *store.Portrait:
				published = v.Published
			case *store.Exhibit:
				published = v.Published
			}
			if !published {
				delete(m, id)
			}
		}
		return m, nil
	}
}

// publicPeople drops, for users outside tracing work, the living people
// no announcement has made public (see announcedSet).
func publicPeople(fetch func(context.Context, store.Store, []string) (map[string]model.Node, error)) func(context.Context, store.Store, []string) (map[string]model.Node, error) {
	return func(ctx context.Context, s store.Store, ids []string) (map[string]model.Node, error) {
		m, err := fetch(ctx, s, ids)
		if err != nil || seesFamilies(ctx) {
			return m, err
		}
		for id, n := range m {
			p, ok := n.(*store.Person)
			if !ok {
				continue
			}
			public, err := announcedFor(ctx, s).publicPerson(ctx, *p)
			if err != nil {
				return nil, err
			}
			if !public {
				delete(m, id)
			}
		}
		return m, nil
	}
}

// nodesOf adapts a store getter; entities are returned as pointers, which
// the generated Node dispatch accepts like values.
func nodesOf[T any](get func(store.Store, context.Context, []string) (map[string]T, error)) func(context.Context, store.Store, []string) (map[string]model.Node, error) {
	return func(ctx context.Context, s store.Store, ids []string) (map[string]model.Node, error) {
		m, err := get(s, ctx, ids)
		if err != nil {
			return nil, err
		}
		out := make(map[string]model.Node, len(m))
		for id, v := range m {
			out[id] = &v
		}
		return out, nil
	}
}

// resolveNodes looks ids up in every kind concurrently. An id found in
// two kinds is ambiguous, and an error rather than a guess.
func (r *Resolver) resolveNodes(ctx context.Context, ids []string) ([]model.Node, error) {
	if len(ids) > MaxNodes {
		return nil, badInput("ids 最多 %d 个 / at most %d ids, got %d", MaxNodes, MaxNodes, len(ids))
	}
	found := make([]map[string]model.Node, len(nodeKinds))
	g, gctx := errgroup.WithContext(ctx)
	for i, k := range nodeKinds {
		g.Go(func() error {
			m, err := k.fetch(gctx, r.Store, ids)
			if err != nil {
				return fmt.Errorf("node %s: %w", k.name, err)
			}
			found[i] = m
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make([]model.Node, len(ids))
	for j, id := range ids {
		var kinds []string
		for i, k := range nodeKinds {
			if n, ok := found[i][id]; ok {
				out[j] = n
				kinds = append(kinds, k.name)
			}
		}
		if len(kinds) > 1 {
			return nil, badInput("id %q 有歧义，同时是 %v / id %q is ambiguous: it names a %v", id, kinds, id, kinds)
		}
	}
	return out, nil
}
