package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/guigen/guigen/store"
)

// decode reads a stored document; one that does not parse was not
// written by Guigen.
func decode[T any](doc string) (T, error) {
	var v T
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return v, fmt.Errorf("decode stored document: %w: %w", store.ErrCorrupt, err)
	}
	return v, nil
}

func decodeMartyr(doc string, version, updated int64) (store.Martyr, error) {
	m, err := decode[store.Martyr](doc)
	if err != nil {
		return m, err
	}
	m.Version, m.UpdatedAt = version, time.Unix(0, updated).UTC()
	return m, nil
}

// queryEach runs q and calls fn for every row.
func queryEach(ctx context.Context, tx *sql.Tx, q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// getDocs fetches entities of one table by id.
func getDocs[T any](ctx context.Context, s *Store, table string, ids []string) (map[string]T, error) {
	out := make(map[string]T, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	err := s.read(ctx, "get "+table, func(tx *sql.Tx) error {
		q := "SELECT id, doc FROM " + table + " WHERE id IN (SELECT value FROM json_each(?))"
		return queryEach(ctx, tx, q, []any{idsJSON(ids)}, func(r *sql.Rows) error {
			var id, doc string
			if err := r.Scan(&id, &doc); err != nil {
				return err
			}
			v, err := decode[T](doc)
			if err != nil {
				return fmt.Errorf("%s %q: %w", table, id, err)
			}
			out[id] = v
			return nil
		})
	})
	return out, err
}

// GetMartyrs implements store.Store.
func (s *Store) GetMartyrs(ctx context.Context, ids []string) (map[string]store.Martyr, error) {
	out := make(map[string]store.Martyr, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	err := s.read(ctx, "get martyrs", func(tx *sql.Tx) error {
		return queryEach(ctx, tx, "SELECT "+martyrCols+" FROM martyr v WHERE id IN (SELECT value FROM json_each(?))",
			[]any{idsJSON(ids)}, func(r *sql.Rows) error {
				m, err := scanMartyr(r)
				if err == nil {
					out[m.ID] = m
				}
				return err
			})
	})
	return out, err
}

const martyrCols = "v.id, v.doc, v.version, v.updated_at"

func scanMartyr(r *sql.Rows) (store.Martyr, error) {
	var id, doc string
	var version, updated int64
	if err := r.Scan(&id, &doc, &version, &updated); err != nil {
		return store.Martyr{}, err
	}
	m, err := decodeMartyr(doc, version, updated)
	if err != nil {
		return m, fmt.Errorf("martyr %q: %w", id, err)
	}
	return m, nil
}

func (s *Store) GetPeople(ctx context.Context, ids []string) (map[string]store.Person, error) {
	return getDocs[store.Person](ctx, s, "person", ids)
}

func (s *Store) GetPlaces(ctx context.Context, ids []string) (map[string]store.Place, error) {
	return getDocs[store.Place](ctx, s, "place", ids)
}

func (s *Store) GetRecords(ctx context.Context, ids []string) (map[string]store.ArchivalRecord, error) {
	return getDocs[store.ArchivalRecord](ctx, s, "record", ids)
}

func (s *Store) GetCemeteries(ctx context.Context, ids []string) (map[string]store.Cemetery, error) {
	return getDocs[store.Cemetery](ctx, s, "cemetery", ids)
}

func (s *Store) GetUnits(ctx context.Context, ids []string) (map[string]store.Unit, error) {
	return getDocs[store.Unit](ctx, s, "unit", ids)
}

func (s *Store) GetEvents(ctx context.Context, ids []string) (map[string]store.Event, error) {
	return getDocs[store.Event](ctx, s, "event", ids)
}

func (s *Store) GetPortraits(ctx context.Context, ids []string) (map[string]store.Portrait, error) {
	return getDocs[store.Portrait](ctx, s, "portrait", ids)
}

func (s *Store) GetExhibits(ctx context.Context, ids []string) (map[string]store.Exhibit, error) {
	return getDocs[store.Exhibit](ctx, s, "exhibit", ids)
}

func (s *Store) GetStories(ctx context.Context, ids []string) (map[string]store.Story, error) {
	return getDocs[store.Story](ctx, s, "story", ids)
}

func (s *Store) GetLeads(ctx context.Context, ids []string) (map[string]store.Lead, error) {
	return getDocs[store.Lead](ctx, s, "lead", ids)
}

// listQuery is a keyset-paged list over table v. All SQL text comes from
// constants in this package; values travel as arguments.
type listQuery struct {
	with     string // a WITH clause the conditions may use, or ""
	withArgs []any
	table    string
	cols     string
	conds    []string
	args     []any
	// order is the ORDER BY of a sorted list ("" for v.id); keyset and
	// keysetArgs the condition that starts a page after the cursor,
	// which the caller then leaves out of the PageReq.
	order      string
	keyset     string
	keysetArgs []any
}

// page runs a list and its total in one read transaction.
func page[T any](ctx context.Context, s *Store, op string, q listQuery, p store.PageReq, scan func(*sql.Rows) (T, string, error)) (store.Page[T], error) {
	n, err := store.PageSize(p)
	if err != nil {
		return store.Page[T]{}, fmt.Errorf("%s: %w", op, err)
	}
	after, err := store.DecodeCursor(p.After)
	if err != nil {
		return store.Page[T]{}, fmt.Errorf("%s: %w", op, err)
	}
	where := func(conds []string) string {
		if len(conds) == 0 {
			return ""
		}
		return " WHERE " + strings.Join(conds, " AND ")
	}
	conds, args := q.conds, append(append([]any{}, q.withArgs...), q.args...)
	listConds, listArgs := conds, args
	if after != "" {
		listConds = append(append([]string{}, conds...), "v.id > ?")
		listArgs = append(append([]any{}, args...), after)
	}
	if q.keyset != "" {
		listConds = append(append([]string{}, listConds...), q.keyset)
		listArgs = append(append([]any{}, listArgs...), q.keysetArgs...)
	}
	order := q.order
	if order == "" {
		order = "v.id"
	}
	listArgs = append(listArgs, n+1)
	list := q.with + " SELECT " + q.cols + " FROM " + q.table + " v" + where(listConds) + " ORDER BY " + order + " LIMIT ?"
	count := q.with + " SELECT count(*) FROM " + q.table + " v" + where(conds)

	out := store.Page[T]{Items: []T{}}
	err = s.read(ctx, op, func(tx *sql.Tx) error {
		out.Items, out.HasNext, out.EndCursor = out.Items[:0], false, ""
		err := queryEach(ctx, tx, list, listArgs, func(r *sql.Rows) error {
			if len(out.Items) == n {
				out.HasNext = true
				return nil
			}
			v, id, err := scan(r)
			if err != nil {
				return err
			}
			out.Items = append(out.Items, v)
			out.EndCursor = store.EncodeCursor(id)
			return nil
		})
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, count, args...).Scan(&out.Total)
	})
	if err != nil {
		return store.Page[T]{}, err
	}
	return out, nil
}

func scanMartyrWithID(r *sql.Rows) (store.Martyr, string, error) {
	m, err := scanMartyr(r)
	return m, m.ID, err
}

// Place scope of a filter: the place, every place it replaced
// (transitively), and every place beneath one of those. UNION (not
// UNION ALL) makes cycles in bad data terminate.
const withPlaceScope = `WITH RECURSIVE
scope_root(id) AS (SELECT ? UNION SELECT c.from_id FROM place_change c JOIN scope_root r ON c.to_id = r.id),
scope(id) AS (SELECT id FROM scope_root UNION SELECT p.id FROM place p JOIN scope s ON p.parent_id = s.id)`

// ListMartyrs implements store.Store.
func (s *Store) ListMartyrs(ctx context.Context, f store.MartyrFilter, p store.PageReq) (store.Page[store.Martyr], error) {
	q := listQuery{table: "martyr", cols: martyrCols}
	if f.PlaceID != "" {
		q.with, q.withArgs = withPlaceScope, []any{f.PlaceID}
		q.conds = append(q.conds, "v.hometown_id IN (SELECT id FROM scope)")
	}
	if f.Surname != "" {
		q.conds, q.args = append(q.conds, "v.surname = ?"), append(q.args, f.Surname)
	}
	if f.DiedFrom != 0 {
		q.conds, q.args = append(q.conds, "v.died_hi >= ?"), append(q.args, f.DiedFrom)
	}
	if f.DiedTo != 0 {
		q.conds, q.args = append(q.conds, "v.died_lo <= ?"), append(q.args, f.DiedTo)
	}
	if f.CemeteryID != "" {
		q.conds, q.args = append(q.conds, "v.cemetery_id = ?"), append(q.args, f.CemeteryID)
	}
	if f.UnitID != "" {
		q.conds, q.args = append(q.conds, "v.unit_id = ?"), append(q.args, f.UnitID)
	}
	if f.Unnamed != nil {
		u := 0
		if *f.Unnamed {
			u = 1
		}
		q.conds, q.args = append(q.conds, "v.unnamed = ?"), append(q.args, u)
	}
	if f.Order.Plain() {
		return page(ctx, s, "list martyrs", q, p, scanMartyrWithID)
	}
	if !f.Order.Valid() {
		return store.Page[store.Martyr]{}, fmt.Errorf("list martyrs: unknown order %q: %w", f.Order.By, store.ErrInvalid)
	}
	key, after, err := store.DecodeMartyrCursor(p.After, f.Order)
	if err != nil {
		return store.Page[store.Martyr]{}, fmt.Errorf("list martyrs: %w", err)
	}
	// The same keys as store.MartyrSortKey, computed by SQLite; the name
	// expression is the one the martyr_name index is built on.
	var expr string
	switch f.Order.By {
	case store.SortByName:
		expr = "coalesce(json_extract(v.doc, '$.name'), '')"
	case store.SortByDied:
		unknown := store.UnknownYearAsc
		if f.Order.Desc {
			unknown = store.UnknownYearDesc
		}
		expr = fmt.Sprintf("coalesce(v.died_lo, %d)", unknown)
	case store.SortByUpdated:
		expr = "v.updated_at"
	default:
		expr = "v.id"
	}
	dir, cmp := "ASC", ">"
	if f.Order.Desc {
		dir, cmp = "DESC", "<"
	}
	q.order = expr + " " + dir + ", v.id " + dir
	if key != nil {
		q.keyset = "(" + expr + " " + cmp + " ? OR (" + expr + " = ? AND v.id " + cmp + " ?))"
		q.keysetArgs = []any{key, key, after}
	}
	p.After = ""
	out, err := page(ctx, s, "list martyrs", q, p, scanMartyrWithID)
	if err == nil && len(out.Items) > 0 {
		out.EndCursor = store.MartyrCursor(out.Items[len(out.Items)-1], f.Order)
	}
	return out, err
}

// Neighbourhood scopes, each binding scope(id) to the hometowns that
// count as the same. The argument is the martyr's hometown.
const (
	// The hometown with its former names and its later names, each
	// direction followed transitively.
	withSameHometown = `WITH RECURSIVE
home(id) AS (SELECT ?),
pre(id) AS (SELECT id FROM home UNION SELECT c.from_id FROM place_change c JOIN pre ON c.to_id = pre.id),
suc(id) AS (SELECT id FROM home UNION SELECT c.to_id FROM place_change c JOIN suc ON c.from_id = suc.id),
scope(id) AS (SELECT id FROM pre UNION SELECT id FROM suc)`
	// The county-level places at or above the hometown, their former and
	// later names, and everything beneath any of them.
	withSameCounty = `WITH RECURSIVE
up(id) AS (SELECT ? UNION SELECT p.parent_id FROM place p JOIN up ON p.id = up.id WHERE p.parent_id IS NOT NULL),
county(id) AS (SELECT p.id FROM place p JOIN up ON p.id = up.id WHERE p.level = 'county'),
pre(id) AS (SELECT id FROM county UNION SELECT c.from_id FROM place_change c JOIN pre ON c.to_id = pre.id),
suc(id) AS (SELECT id FROM county UNION SELECT c.to_id FROM place_change c JOIN suc ON c.from_id = suc.id),
roots(id) AS (SELECT id FROM pre UNION SELECT id FROM suc),
scope(id) AS (SELECT id FROM roots UNION SELECT p.id FROM place p JOIN scope s ON p.parent_id = s.id)`
)

// Neighbours implements store.Store.
func (s *Store) Neighbours(ctx context.Context, martyrID string, n store.Neighbourhood, p store.PageReq) (store.Page[store.Martyr], error) {
	op := fmt.Sprintf("neighbours (%s) of martyr %q", n, martyrID)
	var col string
	switch n {
	case store.SameHometown, store.SameCounty:
		col = "hometown_id"
	case store.SameUnit:
		col = "unit_id"
	case store.SameCemetery:
		col = "cemetery_id"
	default:
		return store.Page[store.Martyr]{}, fmt.Errorf("%s: unknown neighbourhood: %w", op, store.ErrInvalid)
	}
	var place sql.NullString
	err := s.read(ctx, op, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "SELECT "+col+" FROM martyr WHERE id = ?", martyrID).Scan(&place)
	})
	if err != nil {
		if isNoRows(err) {
			return store.Page[store.Martyr]{}, fmt.Errorf("%s: %w", op, store.ErrNotFound)
		}
		return store.Page[store.Martyr]{}, err
	}
	if !place.Valid || place.String == "" {
		if _, err := store.PageSize(p); err != nil {
			return store.Page[store.Martyr]{}, fmt.Errorf("%s: %w", op, err)
		}
		if _, err := store.DecodeCursor(p.After); err != nil {
			return store.Page[store.Martyr]{}, fmt.Errorf("%s: %w", op, err)
		}
		return store.Page[store.Martyr]{Items: []store.Martyr{}}, nil
	}
	q := listQuery{table: "martyr", cols: martyrCols, conds: []string{"v.id <> ?"}, args: []any{martyrID}}
	switch n {
	case store.SameHometown:
		q.with, q.withArgs = withSameHometown, []any{place.String}
		q.conds = append(q.conds, "v.hometown_id IN (SELECT id FROM scope)")
	case store.SameCounty:
		q.with, q.withArgs = withSameCounty, []any{place.String}
		q.conds = append(q.conds, "v.hometown_id IN (SELECT id FROM scope)")
	default:
		q.conds, q.args = append(q.conds, "v."+col+" = ?"), append(q.args, place.String)
	}
	return page(ctx, s, op, q, p, scanMartyrWithID)
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// byKey runs a query over a JSON array of ids whose first column is the
// key, and groups the rows by it in query order.
func byKey[T any](ctx context.Context, s *Store, op, q string, ids []string, scan func(*sql.Rows) (string, T, error)) (map[string][]T, error) {
	out := map[string][]T{}
	if len(ids) == 0 {
		return out, nil
	}
	err := s.read(ctx, op, func(tx *sql.Tx) error {
		return queryEach(ctx, tx, q, []any{idsJSON(ids)}, func(r *sql.Rows) error {
			k, v, err := scan(r)
			if err != nil {
				return err
			}
			out[k] = append(out[k], v)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Relatives implements store.Store; relatives come in person id order.
func (s *Store) Relatives(ctx context.Context, martyrIDs []string) (map[string][]store.Relative, error) {
	return byKey(ctx, s, "relatives", `SELECT k.martyr_id, p.doc, k.doc
FROM kinship k JOIN person p ON p.id = k.person_id
WHERE k.martyr_id IN (SELECT value FROM json_each(?))
ORDER BY k.martyr_id, k.person_id`, martyrIDs, func(r *sql.Rows) (string, store.Relative, error) {
		var id, pdoc, kdoc string
		if err := r.Scan(&id, &pdoc, &kdoc); err != nil {
			return "", store.Relative{}, err
		}
		p, err := decode[store.Person](pdoc)
		if err != nil {
			return "", store.Relative{}, err
		}
		k, err := decode[store.Kinship](kdoc)
		return id, store.Relative{Person: p, Kinship: k}, err
	})
}

// KinOf implements store.Store; martyrs come in id order.
func (s *Store) KinOf(ctx context.Context, personIDs []string) (map[string][]store.Kin, error) {
	return byKey(ctx, s, "kin of", `SELECT k.person_id, m.doc, m.version, m.updated_at, k.doc
FROM kinship k JOIN martyr m ON m.id = k.martyr_id
WHERE k.person_id IN (SELECT value FROM json_each(?))
ORDER BY k.person_id, k.martyr_id`, personIDs, func(r *sql.Rows) (string, store.Kin, error) {
		var id, mdoc, kdoc string
		var version, updated int64
		if err := r.Scan(&id, &mdoc, &version, &updated, &kdoc); err != nil {
			return "", store.Kin{}, err
		}
		m, err := decodeMartyr(mdoc, version, updated)
		if err != nil {
			return "", store.Kin{}, err
		}
		k, err := decode[store.Kinship](kdoc)
		return id, store.Kin{Martyr: m, Kinship: k}, err
	})
}

func scanKeyDoc[T any](r *sql.Rows) (string, T, error) {
	var id, doc string
	if err := r.Scan(&id, &doc); err != nil {
		var zero T
		return "", zero, err
	}
	v, err := decode[T](doc)
	return id, v, err
}

// RecordsCiting implements store.Store.
func (s *Store) RecordsCiting(ctx context.Context, martyrIDs []string) (map[string][]store.ArchivalRecord, error) {
	return byKey(ctx, s, "records citing", `WITH ids(id) AS (SELECT value FROM json_each(?1)),
hits(martyr_id, record_id) AS (
	SELECT rm.martyr_id, rm.record_id FROM record_martyr rm WHERE rm.martyr_id IN (SELECT id FROM ids)
	UNION
	SELECT a.martyr_id, c.record_id FROM assertion a JOIN assertion_cite c ON c.assertion_id = a.id
	WHERE a.martyr_id IN (SELECT id FROM ids))
SELECT h.martyr_id, r.doc FROM hits h JOIN record r ON r.id = h.record_id
ORDER BY h.martyr_id, r.id`, martyrIDs, scanKeyDoc[store.ArchivalRecord])
}

// Assertions implements store.Store.
func (s *Store) Assertions(ctx context.Context, martyrIDs []string) (map[string][]store.Assertion, error) {
	return byKey(ctx, s, "assertions", `SELECT martyr_id, doc FROM assertion
WHERE martyr_id IN (SELECT value FROM json_each(?)) ORDER BY martyr_id, id`, martyrIDs, scanKeyDoc[store.Assertion])
}

// PortraitsOf implements store.Store.
func (s *Store) PortraitsOf(ctx context.Context, martyrIDs []string) (map[string][]store.Portrait, error) {
	return byKey(ctx, s, "portraits of", `SELECT martyr_id, doc FROM portrait
WHERE martyr_id IN (SELECT value FROM json_each(?)) ORDER BY martyr_id, id`, martyrIDs, scanKeyDoc[store.Portrait])
}

// Lineage queries, each over a JSON array of place ids, each row with its
// distance so the nearest comes first. A predecessor's link is its own
// change (the first on the path); a successor's is the change that
// produced it (the last). The depth bound stops cycles in bad data.
const (
	qAncestors = `WITH RECURSIVE anc(root, id, d) AS (
	SELECT p.id, p.parent_id, 1 FROM place p
	WHERE p.id IN (SELECT value FROM json_each(?)) AND p.parent_id IS NOT NULL
	UNION
	SELECT anc.root, p.parent_id, anc.d + 1 FROM anc JOIN place p ON p.id = anc.id
	WHERE p.parent_id IS NOT NULL AND anc.d < 64)
SELECT anc.root, anc.id, anc.d, 0, '', pl.doc FROM anc JOIN place pl ON pl.id = anc.id
ORDER BY anc.root, anc.d, anc.id`
	qPredecessors = `WITH RECURSIVE pre(root, id, d, year, kind) AS (
	SELECT c.to_id, c.from_id, 1, c.year, c.kind FROM place_change c
	WHERE c.to_id IN (SELECT value FROM json_each(?))
	UNION
	SELECT pre.root, c.from_id, pre.d + 1, c.year, c.kind FROM pre JOIN place_change c ON c.to_id = pre.id
	WHERE pre.d < 64)
SELECT pre.root, pre.id, pre.d, pre.year, pre.kind, pl.doc FROM pre JOIN place pl ON pl.id = pre.id
ORDER BY pre.root, pre.d, pre.id`
	qSuccessors = `WITH RECURSIVE suc(root, id, d, year, kind) AS (
	SELECT c.from_id, c.to_id, 1, c.year, c.kind FROM place_change c
	WHERE c.from_id IN (SELECT value FROM json_each(?))
	UNION
	SELECT suc.root, c.to_id, suc.d + 1, c.year, c.kind FROM suc JOIN place_change c ON c.from_id = suc.id
	WHERE suc.d < 64)
SELECT suc.root, suc.id, suc.d, suc.year, suc.kind, pl.doc FROM suc JOIN place pl ON pl.id = suc.id
ORDER BY suc.root, suc.d, suc.id`
)

// Lineages implements store.Store.
func (s *Store) Lineages(ctx context.Context, placeIDs []string) (map[string]store.Lineage, error) {
	out := map[string]store.Lineage{}
	if len(placeIDs) == 0 {
		return out, nil
	}
	arg := []any{idsJSON(placeIDs)}
	// links reads rows of one lineage query: each reached place once, at
	// its shortest distance (rows come nearest first), never the root.
	links := func(ctx context.Context, tx *sql.Tx, q string) (map[string][]store.PlaceLink, error) {
		res := map[string][]store.PlaceLink{}
		seen := map[[2]string]bool{}
		err := queryEach(ctx, tx, q, arg, func(r *sql.Rows) error {
			var root, id, kind, doc string
			var d, year int
			if err := r.Scan(&root, &id, &d, &year, &kind, &doc); err != nil {
				return err
			}
			if id == root || seen[[2]string{root, id}] {
				return nil
			}
			seen[[2]string{root, id}] = true
			p, err := decode[store.Place](doc)
			if err != nil {
				return err
			}
			res[root] = append(res[root], store.PlaceLink{Place: p, Year: year, Kind: kind})
			return nil
		})
		return res, err
	}
	err := s.read(ctx, "lineages", func(tx *sql.Tx) error {
		err := queryEach(ctx, tx, "SELECT id, doc FROM place WHERE id IN (SELECT value FROM json_each(?))", arg,
			func(r *sql.Rows) error {
				id, p, err := scanKeyDoc[store.Place](r)
				if err == nil {
					out[id] = store.Lineage{Place: p, Ancestors: []store.Place{},
						Predecessors: []store.PlaceLink{}, Successors: []store.PlaceLink{}}
				}
				return err
			})
		if err != nil {
			return err
		}
		anc, err := links(ctx, tx, qAncestors)
		if err != nil {
			return err
		}
		pre, err := links(ctx, tx, qPredecessors)
		if err != nil {
			return err
		}
		suc, err := links(ctx, tx, qSuccessors)
		if err != nil {
			return err
		}
		for id, l := range out {
			for _, a := range anc[id] {
				l.Ancestors = append(l.Ancestors, a.Place)
			}
			l.Predecessors = append(l.Predecessors, pre[id]...)
			l.Successors = append(l.Successors, suc[id]...)
			out[id] = l
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Changes implements store.Store.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]store.Change, error) {
	out := []store.Change{}
	if limit <= 0 {
		return out, nil
	}
	err := s.read(ctx, "changes", func(tx *sql.Tx) error {
		return queryEach(ctx, tx, "SELECT seq, kind, id, at FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?",
			[]any{after, limit}, func(r *sql.Rows) error {
				var c store.Change
				var kind string
				var at int64
				if err := r.Scan(&c.Seq, &kind, &c.ID, &at); err != nil {
					return err
				}
				c.Kind, c.At = store.Kind(kind), time.Unix(0, at).UTC()
				out = append(out, c)
				return nil
			})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
