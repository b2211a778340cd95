package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vikstrous/dataloadgen"

	"github.com/guigen/guigen/graph/model"
	"github.com/guigen/guigen/store"
)

// Builders of the connection types from a page of store entities.

func sortedIDs(ids []string) []string {
	return slices.Compact(slices.Sorted(slices.Values(ids)))
}

func storePageInfo[T any](p store.Page[T]) *model.PageInfo {
	return &model.PageInfo{HasNextPage: p.HasNext, EndCursor: optString(p.EndCursor)}
}

func martyrConnection(ms []store.Martyr, info *model.PageInfo, total int) *model.MartyrConnection {
	c := &model.MartyrConnection{Edges: make([]model.MartyrEdge, len(ms)), PageInfo: info, TotalCount: total}
	for i := range ms {
		c.Edges[i] = model.MartyrEdge{Cursor: edgeCursor(ms[i].ID), Node: &ms[i]}
	}
	return c
}

func portraitConnection(ps []store.Portrait, info *model.PageInfo, total int) *model.PortraitConnection {
	c := &model.PortraitConnection{Edges: make([]model.PortraitEdge, len(ps)), PageInfo: info, TotalCount: total}
	for i := range ps {
		c.Edges[i] = model.PortraitEdge{Cursor: edgeCursor(ps[i].ID), Node: &ps[i]}
	}
	return c
}

func cemeteryConnection(p store.Page[store.Cemetery]) *model.CemeteryConnection {
	c := &model.CemeteryConnection{Edges: make([]model.CemeteryEdge, len(p.Items)), PageInfo: storePageInfo(p), TotalCount: p.Total}
	for i := range p.Items {
		c.Edges[i] = model.CemeteryEdge{Cursor: edgeCursor(p.Items[i].ID), Node: &p.Items[i]}
	}
	return c
}

func unitConnection(p store.Page[store.Unit]) *model.UnitConnection {
	c := &model.UnitConnection{Edges: make([]model.UnitEdge, len(p.Items)), PageInfo: storePageInfo(p), TotalCount: p.Total}
	for i := range p.Items {
		c.Edges[i] = model.UnitEdge{Cursor: edgeCursor(p.Items[i].ID), Node: &p.Items[i]}
	}
	return c
}

func eventConnection(p store.Page[store.Event]) *model.EventConnection {
	c := &model.EventConnection{Edges: make([]model.EventEdge, len(p.Items)), PageInfo: storePageInfo(p), TotalCount: p.Total}
	for i := range p.Items {
		c.Edges[i] = model.EventEdge{Cursor: edgeCursor(p.Items[i].ID), Node: &p.Items[i]}
	}
	return c
}

func exhibitConnection(p store.Page[store.Exhibit]) *model.ExhibitConnection {
	c := &model.ExhibitConnection{Edges: make([]model.ExhibitEdge, len(p.Items)), PageInfo: storePageInfo(p), TotalCount: p.Total}
	for i := range p.Items {
		c.Edges[i] = model.ExhibitEdge{Cursor: edgeCursor(p.Items[i].ID), Node: &p.Items[i]}
	}
	return c
}

// martyrsWhere lists martyrs under a cemetery, unit or place.
func (r *Resolver) martyrsWhere(ctx context.Context, f store.MartyrFilter, first *int, after *string) (*model.MartyrConnection, error) {
	req, err := pageRequest(first, after)
	if err != nil {
		return nil, err
	}
	p, err := r.Store.ListMartyrs(ctx, f, req)
	if err != nil {
		return nil, fmt.Errorf("martyrs: %w", err)
	}
	return martyrConnection(p.Items, storePageInfo(p), p.Total), nil
}

// isMissing: a mapped loader reports a key its fetch left out as not
// found; for a per-martyr list that just means an empty list.
func isMissing(err error) bool { return errors.Is(err, dataloadgen.ErrNotFound) }

var neighbourhoods = map[model.NeighbourKind]store.Neighbourhood{
	model.NeighbourKindHometown: store.SameHometown,
	model.NeighbourKindCounty:   store.SameCounty,
	model.NeighbourKindUnit:     store.SameUnit,
	model.NeighbourKindCemetery: store.SameCemetery,
}

// facts groups assertions by field, fields in the order first asserted
// (the store lists assertions in id order).
func facts(as []store.Assertion) []model.Fact {
	out := []model.Fact{}
	at := map[string]int{}
	for _, a := range as {
		i, ok := at[a.Field]
		if !ok {
			i = len(out)
			at[a.Field] = i
			out = append(out, model.Fact{Field: a.Field, Assertions: []store.Assertion{}})
		}
		f := &out[i]
		for _, b := range f.Assertions {
			if strings.TrimSpace(b.Value) != strings.TrimSpace(a.Value) {
				f.Conflicting = true
			}
		}
		f.Assertions = append(f.Assertions, a)
	}
	return out
}

// exhibitPortraits pages through an exhibit's portraits in curated order,
// optionally only those keep keeps.
func (r *Resolver) exhibitPortraits(ctx context.Context, ex *store.Exhibit, first *int, after *string, keep func(store.Portrait) bool) (*model.PortraitConnection, error) {
	ps, err := loadMany(ctx, r.loadersFor(ctx).portraits, ex.PortraitIDs)
	if err != nil {
		return nil, err
	}
	ps = visiblePortraits(ctx, ps)
	if keep != nil {
		ps = slices.DeleteFunc(ps, func(p store.Portrait) bool { return !keep(p) })
	}
	page, info, err := sliceOf(ps, func(v store.Portrait) string { return v.ID }, false, first, after)
	if err != nil {
		return nil, err
	}
	return portraitConnection(page, info, len(ps)), nil
}
