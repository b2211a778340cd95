package sqlite

import (
	"context"
	"database/sql"

	"github.com/guigen/guigen/store"
)

// ListPlaces implements store.Store.
func (s *Store) ListPlaces(ctx context.Context, p store.PageReq) (store.Page[store.Place], error) {
	q := listQuery{table: "place", cols: "v.id, v.doc"}
	return page(ctx, s, "list places", q, p, func(r *sql.Rows) (store.Place, string, error) {
		id, pl, err := scanKeyDoc[store.Place](r)
		return pl, id, err
	})
}
