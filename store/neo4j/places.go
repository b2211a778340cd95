package neo4j

import (
	"context"

	"github.com/guigen/guigen/store"
)

// ListPlaces implements store.Store.
func (s *Store) ListPlaces(ctx context.Context, p store.PageReq) (store.Page[store.Place], error) {
	q := listQuery{match: "MATCH (v:" + lPlace + ")", ret: "v.id AS id, v.doc AS doc"}
	return page(ctx, s, "list places", q, p, decodeAny[store.Place])
}
