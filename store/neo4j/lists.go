package neo4j

import (
	"context"

	"github.com/guigen/guigen/store"
)

// listDocs lists the nodes of one label in ID order.
func listDocs[T any](ctx context.Context, s *Store, op, label string, p store.PageReq) (store.Page[T], error) {
	q := listQuery{match: "MATCH (v:" + label + ")", ret: "v.id AS id, v.doc AS doc"}
	return page(ctx, s, op, q, p, decodeAny[T])
}

// ListCemeteries implements store.Store.
func (s *Store) ListCemeteries(ctx context.Context, p store.PageReq) (store.Page[store.Cemetery], error) {
	return listDocs[store.Cemetery](ctx, s, "list cemeteries", lCemetery, p)
}

// ListUnits implements store.Store.
func (s *Store) ListUnits(ctx context.Context, p store.PageReq) (store.Page[store.Unit], error) {
	return listDocs[store.Unit](ctx, s, "list units", lUnit, p)
}

// ListEvents implements store.Store.
func (s *Store) ListEvents(ctx context.Context, p store.PageReq) (store.Page[store.Event], error) {
	return listDocs[store.Event](ctx, s, "list events", lEvent, p)
}

// ListExhibits implements store.Store.
func (s *Store) ListExhibits(ctx context.Context, f store.ExhibitFilter, p store.PageReq) (store.Page[store.Exhibit], error) {
	q := listQuery{match: "MATCH (v:" + lExhibit + ")", ret: "v.id AS id, v.doc AS doc"}
	if f.PublishedOnly {
		q.conds = append(q.conds, "v.published = true")
	}
	return page(ctx, s, "list exhibits", q, p, decodeAny[store.Exhibit])
}

// matchPortraitPlaceScope binds v to the portraits of martyrs from a
// place's scope, as matchPlaceScope does for martyrs.
const matchPortraitPlaceScope = `MATCH (p:Place {id: $place})
MATCH (s:Place)-[:REPLACED_BY*0..]->(p)
WITH DISTINCT s
MATCH (h:Place)-[:PART_OF*0..]->(s)
WITH DISTINCT h
MATCH (v:Portrait)-[:DEPICTS]->(:Martyr)-[:HOMETOWN]->(h)`

// ListPortraits implements store.Store.
func (s *Store) ListPortraits(ctx context.Context, f store.PortraitFilter, p store.PageReq) (store.Page[store.Portrait], error) {
	q := listQuery{match: "MATCH (v:" + lPortrait + ")", ret: "v.id AS id, v.doc AS doc", params: map[string]any{}}
	if f.PlaceID != "" {
		q.match = matchPortraitPlaceScope
		q.params["place"] = f.PlaceID
	}
	if f.Artist != "" {
		q.conds = append(q.conds, "v.artist = $artist")
		q.params["artist"] = f.Artist
	}
	if f.PublishedOnly {
		q.conds = append(q.conds, "v.published = true")
	}
	if f.SHA256 != "" {
		q.conds = append(q.conds, "v.sha256 = $sha256")
		q.params["sha256"] = f.SHA256
	}
	if f.EventID != "" {
		q.conds = append(q.conds, "EXISTS { (v)-[:DEPICTS]->(:Martyr)-[:FELL_IN]->(:Event {id: $event}) }")
		q.params["event"] = f.EventID
	}
	return page(ctx, s, "list portraits", q, p, decodeAny[store.Portrait])
}

// PlaceChildren implements store.Store.
func (s *Store) PlaceChildren(ctx context.Context, placeIDs []string) (map[string][]store.Place, error) {
	return byID(ctx, s, "place children", `UNWIND $ids AS id
MATCH (c:Place)-[:PART_OF]->(:Place {id: id})
RETURN id, c.id AS pid, c.doc AS doc
ORDER BY id, pid`, placeIDs, decodeAny[store.Place])
}
