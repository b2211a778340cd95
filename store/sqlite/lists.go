package sqlite

import (
	"context"
	"database/sql"

	"github.com/guigen/guigen/store"
)

// listDocs lists one kind stored as (id, doc) in ID order.
func listDocs[T any](ctx context.Context, s *Store, op, table string, p store.PageReq) (store.Page[T], error) {
	q := listQuery{table: table, cols: "v.id, v.doc"}
	return page(ctx, s, op, q, p, func(r *sql.Rows) (T, string, error) {
		id, v, err := scanKeyDoc[T](r)
		return v, id, err
	})
}

// ListCemeteries implements store.Store.
func (s *Store) ListCemeteries(ctx context.Context, p store.PageReq) (store.Page[store.Cemetery], error) {
	return listDocs[store.Cemetery](ctx, s, "list cemeteries", "cemetery", p)
}

// ListUnits implements store.Store.
func (s *Store) ListUnits(ctx context.Context, p store.PageReq) (store.Page[store.Unit], error) {
	return listDocs[store.Unit](ctx, s, "list units", "unit", p)
}

// ListEvents implements store.Store.
func (s *Store) ListEvents(ctx context.Context, p store.PageReq) (store.Page[store.Event], error) {
	return listDocs[store.Event](ctx, s, "list events", "event", p)
}

// ListExhibits implements store.Store.
func (s *Store) ListExhibits(ctx context.Context, f store.ExhibitFilter, p store.PageReq) (store.Page[store.Exhibit], error) {
	q := listQuery{table: "exhibit", cols: "v.id, v.doc"}
	if f.PublishedOnly {
		q.conds = append(q.conds, "json_extract(v.doc, '$.published') = 1")
	}
	return page(ctx, s, "list exhibits", q, p, func(r *sql.Rows) (store.Exhibit, string, error) {
		id, v, err := scanKeyDoc[store.Exhibit](r)
		return v, id, err
	})
}

// ListPortraits implements store.Store.
func (s *Store) ListPortraits(ctx context.Context, f store.PortraitFilter, p store.PageReq) (store.Page[store.Portrait], error) {
	q := listQuery{table: "portrait", cols: "v.id, v.doc"}
	if f.PlaceID != "" {
		q.with, q.withArgs = withPlaceScope, []any{f.PlaceID}
		q.conds = append(q.conds, "v.martyr_id IN (SELECT m.id FROM martyr m WHERE m.hometown_id IN (SELECT id FROM scope))")
	}
	if f.Artist != "" {
		q.conds, q.args = append(q.conds, "json_extract(v.doc, '$.artist') = ?"), append(q.args, f.Artist)
	}
	if f.PublishedOnly {
		q.conds = append(q.conds, "json_extract(v.doc, '$.published') = 1")
	}
	if f.SHA256 != "" {
		q.conds, q.args = append(q.conds, "json_extract(v.doc, '$.sha256') = ?"), append(q.args, f.SHA256)
	}
	if f.EventID != "" {
		// No index on a martyr's events: this scans the martyrs once.
		q.conds = append(q.conds, "v.martyr_id IN (SELECT m.id FROM martyr m, json_each(m.doc, '$.eventIds') e WHERE e.value = ?)")
		q.args = append(q.args, f.EventID)
	}
	return page(ctx, s, "list portraits", q, p, func(r *sql.Rows) (store.Portrait, string, error) {
		id, v, err := scanKeyDoc[store.Portrait](r)
		return v, id, err
	})
}

// PlaceChildren implements store.Store.
func (s *Store) PlaceChildren(ctx context.Context, placeIDs []string) (map[string][]store.Place, error) {
	return byKey(ctx, s, "place children", `SELECT parent_id, doc FROM place
WHERE parent_id IN (SELECT value FROM json_each(?)) ORDER BY parent_id, id`, placeIDs, scanKeyDoc[store.Place])
}
