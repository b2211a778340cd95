package neo4j

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/guigen/guigen/store"
)

func str(r *driver.Record, key string) string {
	v, _ := r.Get(key)
	s, _ := v.(string)
	return s
}

func integer(r *driver.Record, key string) int64 {
	v, _ := r.Get(key)
	n, _ := v.(int64)
	return n
}

func timestamp(r *driver.Record, key string) time.Time {
	v, _ := r.Get(key)
	t, _ := v.(time.Time)
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// decode reads a stored document. A document that does not parse means
// the node was not written by Guigen.
func decode[T any](doc string) (T, error) {
	var v T
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return v, fmt.Errorf("decode stored document: %w: %w", store.ErrCorrupt, err)
	}
	return v, nil
}

// decodeMartyr reads a martyr from a record with doc, version and
// updatedAt columns; the version and time live outside the document.
func decodeMartyr(r *driver.Record) (store.Martyr, error) {
	m, err := decode[store.Martyr](str(r, "doc"))
	if err != nil {
		return m, err
	}
	m.Version, m.UpdatedAt = integer(r, "version"), timestamp(r, "updatedAt")
	return m, nil
}

func decodeAny[T any](r *driver.Record) (T, error) { return decode[T](str(r, "doc")) }

// getDocs fetches entities of one kind by id in one round trip.
func getDocs[T any](ctx context.Context, s *Store, kind store.Kind, ids []string, dec func(*driver.Record) (T, error)) (map[string]T, error) {
	out := make(map[string]T, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := readTx(ctx, s, func(tx driver.ManagedTransaction) ([]*driver.Record, error) {
		return collect(ctx, tx, qGetDocs[labelOf[kind]], map[string]any{"ids": ids})
	})
	if err != nil {
		return nil, s.fail(fmt.Sprintf("get %s", kind), err)
	}
	for _, r := range recs {
		v, err := dec(r)
		if err != nil {
			return nil, fmt.Errorf("get %s %q: %w", kind, str(r, "id"), err)
		}
		out[str(r, "id")] = v
	}
	return out, nil
}

func (s *Store) GetMartyrs(ctx context.Context, ids []string) (map[string]store.Martyr, error) {
	return getDocs(ctx, s, store.KindMartyr, ids, decodeMartyr)
}

func (s *Store) GetPeople(ctx context.Context, ids []string) (map[string]store.Person, error) {
	return getDocs(ctx, s, store.KindPerson, ids, decodeAny[store.Person])
}

func (s *Store) GetPlaces(ctx context.Context, ids []string) (map[string]store.Place, error) {
	return getDocs(ctx, s, store.KindPlace, ids, decodeAny[store.Place])
}

func (s *Store) GetRecords(ctx context.Context, ids []string) (map[string]store.ArchivalRecord, error) {
	return getDocs(ctx, s, store.KindRecord, ids, decodeAny[store.ArchivalRecord])
}

func (s *Store) GetCemeteries(ctx context.Context, ids []string) (map[string]store.Cemetery, error) {
	return getDocs(ctx, s, store.KindCemetery, ids, decodeAny[store.Cemetery])
}

func (s *Store) GetUnits(ctx context.Context, ids []string) (map[string]store.Unit, error) {
	return getDocs(ctx, s, store.KindUnit, ids, decodeAny[store.Unit])
}

func (s *Store) GetEvents(ctx context.Context, ids []string) (map[string]store.Event, error) {
	return getDocs(ctx, s, store.KindEvent, ids, decodeAny[store.Event])
}

func (s *Store) GetPortraits(ctx context.Context, ids []string) (map[string]store.Portrait, error) {
	return getDocs(ctx, s, store.KindPortrait, ids, decodeAny[store.Portrait])
}

func (s *Store) GetExhibits(ctx context.Context, ids []string) (map[string]store.Exhibit, error) {
	return getDocs(ctx, s, store.KindExhibit, ids, decodeAny[store.Exhibit])
}

func (s *Store) GetStories(ctx context.Context, ids []string) (map[string]store.Story, error) {
	return getDocs(ctx, s, store.KindStory, ids, decodeAny[store.Story])
}

func (s *Store) GetLeads(ctx context.Context, ids []string) (map[string]store.Lead, error) {
	return getDocs(ctx, s, store.KindLead, ids, decodeAny[store.Lead])
}

// listQuery is a keyset-paged list: a MATCH binding the row variable,
// conditions, and the columns to return. All text comes from constants
// in this package; values travel as parameters.
type listQuery struct {
	match  string   // binds the variable v
	conds  []string // on v, ANDed
	ret    string   // columns after RETURN, including "v.id AS id"
	params map[string]any
	// order is the ORDER BY of a sorted list ("" for id); keyset the
	// condition that starts a page after the cursor (its parameters in
	// params), which the caller then leaves out of the PageReq.
	order  string
	keyset string
}

// page runs the list and its total count in one read transaction.
func page[T any](ctx context.Context, s *Store, op string, q listQuery, p store.PageReq, dec func(*driver.Record) (T, error)) (store.Page[T], error) {
	n, err := store.PageSize(p)
	if err != nil {
		return store.Page[T]{}, fmt.Errorf("%s: %w", op, err)
	}
	after, err := store.DecodeCursor(p.After)
	if err != nil {
		return store.Page[T]{}, fmt.Errorf("%s: %w", op, err)
	}
	params := map[string]any{"limit": int64(n + 1)}
	for k, v := range q.params {
		params[k] = v
	}
	where := func(conds []string) string {
		if len(conds) == 0 {
			return ""
		}
		return "\nWHERE " + strings.Join(conds, " AND ")
	}
	listConds := q.conds
	if after != "" {
		listConds = append(slices.Clip(listConds), "v.id > $after")
		params["after"] = after
	}
	if q.keyset != "" {
		listConds = append(slices.Clip(listConds), q.keyset)
	}
	order := q.order
	if order == "" {
		order = "id"
	}
	list := q.match + where(listConds) + "\nRETURN " + q.ret + "\nORDER BY " + order + "\nLIMIT $limit"
	count := q.match + where(q.conds) + "\nRETURN count(DISTINCT v) AS total"
	type result struct {
		recs  []*driver.Record
		total int64
	}
	res, err := readTx(ctx, s, func(tx driver.ManagedTransaction) (result, error) {
		recs, err := collect(ctx, tx, list, params)
		if err != nil {
			return result{}, err
		}
		c, err := collect(ctx, tx, count, params)
		if err != nil {
			return result{}, err
		}
		var total int64
		if len(c) > 0 {
			total = integer(c[0], "total")
		}
		return result{recs: recs, total: total}, nil
	})
	if err != nil {
		return store.Page[T]{}, s.fail(op, err)
	}
	out := store.Page[T]{Items: make([]T, 0, min(n, len(res.recs))), Total: int(res.total)}
	for i, r := range res.recs {
		if i == n {
			out.HasNext = true
			break
		}
		v, err := dec(r)
		if err != nil {
			return store.Page[T]{}, fmt.Errorf("%s: %w", op, err)
		}
		out.Items = append(out.Items, v)
		out.EndCursor = store.EncodeCursor(str(r, "id"))
	}
	return out, nil
}

const martyrColumns = "v.id AS id, v.doc AS doc, v.version AS version, v.updatedAt AS updatedAt"

// Place scope of a filter: the place, every place it replaced
// (transitively), and every place beneath one of those.
const matchPlaceScope = `MATCH (p:Place {id: $place})
MATCH (s:Place)-[:REPLACED_BY*0..]->(p)
WITH DISTINCT s
MATCH (h:Place)-[:PART_OF*0..]->(s)
WITH DISTINCT h
MATCH (v:Martyr)-[:HOMETOWN]->(h)`

// ListMartyrs implements store.Store.
func (s *Store) ListMartyrs(ctx context.Context, f store.MartyrFilter, p store.PageReq) (store.Page[store.Martyr], error) {
	q := listQuery{match: "MATCH (v:Martyr)", ret: martyrColumns, params: map[string]any{}}
	if f.PlaceID != "" {
		q.match = matchPlaceScope
		q.params["place"] = f.PlaceID
	}
	if f.Surname != "" {
		q.conds = append(q.conds, "v.surname = $surname")
		q.params["surname"] = f.Surname
	}
	if f.DiedFrom != 0 {
		q.conds = append(q.conds, "v.diedHi >= $diedFrom")
		q.params["diedFrom"] = int64(f.DiedFrom)
	}
	if f.DiedTo != 0 {
		q.conds = append(q.conds, "v.diedLo <= $diedTo")
		q.params["diedTo"] = int64(f.DiedTo)
	}
	if f.CemeteryID != "" {
		q.conds = append(q.conds, "v.cemeteryId = $cemetery")
		q.params["cemetery"] = f.CemeteryID
	}
	if f.UnitID != "" {
		q.conds = append(q.conds, "v.unitId = $unit")
		q.params["unit"] = f.UnitID
	}
	if f.Unnamed != nil {
		q.conds = append(q.conds, "v.unnamed = $unnamed")
		q.params["unnamed"] = *f.Unnamed
	}
	if f.Order.Plain() {
		return page(ctx, s, "list martyrs", q, p, decodeMartyr)
	}
	if !f.Order.Valid() {
		return store.Page[store.Martyr]{}, fmt.Errorf("list martyrs: unknown order %q: %w", f.Order.By, store.ErrInvalid)
	}
	key, after, err := store.DecodeMartyrCursor(p.After, f.Order)
	if err != nil {
		return store.Page[store.Martyr]{}, fmt.Errorf("list martyrs: %w", err)
	}
	// The same keys as store.MartyrSortKey, computed by Neo4j.
	var expr string
	switch f.Order.By {
	case store.SortByName:
		expr = "coalesce(v.name, '')"
	case store.SortByDied:
		expr = "coalesce(v.diedLo, $unknownYear)"
		q.params["unknownYear"] = int64(store.UnknownYearAsc)
		if f.Order.Desc {
			q.params["unknownYear"] = int64(store.UnknownYearDesc)
		}
	case store.SortByUpdated:
		expr = "v.updatedAt"
		if n, ok := key.(int64); ok {
			key = time.Unix(0, n).UTC()
		}
	default:
		expr = "v.id"
	}
	dir, cmp := "ASC", ">"
	if f.Order.Desc {
		dir, cmp = "DESC", "<"
	}
	q.order = expr + " " + dir + ", id " + dir
	if key != nil {
		q.keyset = "(" + expr + " " + cmp + " $sortKey OR (" + expr + " = $sortKey AND v.id " + cmp + " $sortAfter))"
		q.params["sortKey"], q.params["sortAfter"] = key, after
	}
	p.After = ""
	out, err := page(ctx, s, "list martyrs", q, p, decodeMartyr)
	if err == nil && len(out.Items) > 0 {
		out.EndCursor = store.MartyrCursor(out.Items[len(out.Items)-1], f.Order)
	}
	return out, err
}

// Neighbourhood matches, each binding v to the candidate martyrs.
const (
	// The hometown, its former names and its later names, transitively.
	matchSameHometown = `MATCH (h:Place {id: $place})
OPTIONAL MATCH (a:Place)-[:REPLACED_BY*1..]->(h)
WITH h, collect(DISTINCT a) AS pred
OPTIONAL MATCH (h)-[:REPLACED_BY*1..]->(b:Place)
WITH h, pred, collect(DISTINCT b) AS succ
UNWIND [h] + pred + succ AS x
WITH DISTINCT x
MATCH (v:Martyr)-[:HOMETOWN]->(x)`
	// The county-level place above (or at) the hometown, with its former
	// and later names, and everything beneath any of them.
	matchSameCounty = `MATCH (:Place {id: $place})-[:PART_OF*0..]->(c:Place {level: $county})
WITH DISTINCT c
OPTIONAL MATCH (a:Place)-[:REPLACED_BY*1..]->(c)
WITH c, collect(DISTINCT a) AS pred
OPTIONAL MATCH (c)-[:REPLACED_BY*1..]->(b:Place)
WITH c, pred, collect(DISTINCT b) AS succ
UNWIND [c] + pred + succ AS x
WITH DISTINCT x
MATCH (d:Place)-[:PART_OF*0..]->(x)
WITH DISTINCT d
MATCH (v:Martyr)-[:HOMETOWN]->(d)`
	matchSameUnit     = `MATCH (:Unit {id: $place})<-[:SERVED_IN]-(v:Martyr)`
	matchSameCemetery = `MATCH (:Cemetery {id: $place})<-[:BURIED_IN]-(v:Martyr)`
)

// Neighbours implements store.Store.
func (s *Store) Neighbours(ctx context.Context, martyrID string, n store.Neighbourhood, p store.PageReq) (store.Page[store.Martyr], error) {
	op := fmt.Sprintf("neighbours (%s) of martyr %q", n, martyrID)
	var match, field string
	switch n {
	case store.SameHometown:
		match, field = matchSameHometown, "hometownId"
	case store.SameCounty:
		match, field = matchSameCounty, "hometownId"
	case store.SameUnit:
		match, field = matchSameUnit, "unitId"
	case store.SameCemetery:
		match, field = matchSameCemetery, "cemeteryId"
	default:
		return store.Page[store.Martyr]{}, fmt.Errorf("%s: unknown neighbourhood: %w", op, store.ErrInvalid)
	}
	recs, err := readTx(ctx, s, func(tx driver.ManagedTransaction) ([]*driver.Record, error) {
		return collect(ctx, tx, `MATCH (m:Martyr {id: $id})
RETURN m.hometownId AS hometownId, m.unitId AS unitId, m.cemeteryId AS cemeteryId`, map[string]any{"id": martyrID})
	})
	if err != nil {
		return store.Page[store.Martyr]{}, s.fail(op, err)
	}
	if len(recs) == 0 {
		return store.Page[store.Martyr]{}, fmt.Errorf("%s: %w", op, store.ErrNotFound)
	}
	place := str(recs[0], field)
	if place == "" {
		if _, err := store.PageSize(p); err != nil {
			return store.Page[store.Martyr]{}, fmt.Errorf("%s: %w", op, err)
		}
		return store.Page[store.Martyr]{Items: []store.Martyr{}}, nil
	}
	q := listQuery{match: match, conds: []string{"v.id <> $self"}, ret: martyrColumns,
		params: map[string]any{"place": place, "self": martyrID, "county": string(store.LevelCounty)}}
	return page(ctx, s, op, q, p, decodeMartyr)
}

// byID runs a query over $ids whose rows carry the key column id and
// groups the decoded rows by it, keeping the query's order.
func byID[T any](ctx context.Context, s *Store, op, q string, ids []string, dec func(*driver.Record) (T, error)) (map[string][]T, error) {
	out := map[string][]T{}
	if len(ids) == 0 {
		return out, nil
	}
	// A repeated id would UNWIND twice and list its rows twice.
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	recs, err := readTx(ctx, s, func(tx driver.ManagedTransaction) ([]*driver.Record, error) {
		return collect(ctx, tx, q, map[string]any{"ids": ids})
	})
	if err != nil {
		return nil, s.fail(op, err)
	}
	for _, r := range recs {
		v, err := dec(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out[str(r, "id")] = append(out[str(r, "id")], v)
	}
	return out, nil
}

// Relatives implements store.Store; relatives come in person id order.
func (s *Store) Relatives(ctx context.Context, martyrIDs []string) (map[string][]store.Relative, error) {
	return byID(ctx, s, "relatives", `UNWIND $ids AS id
MATCH (p:Person)-[k:KIN_OF]->(:Martyr {id: id})
RETURN id, p.id AS pid, p.doc AS doc, k.doc AS kin
ORDER BY id, pid`, martyrIDs, func(r *driver.Record) (store.Relative, error) {
		p, err := decode[store.Person](str(r, "doc"))
		if err != nil {
			return store.Relative{}, err
		}
		k, err := decode[store.Kinship](str(r, "kin"))
		return store.Relative{Person: p, Kinship: k}, err
	})
}

// KinOf implements store.Store; martyrs come in id order.
func (s *Store) KinOf(ctx context.Context, personIDs []string) (map[string][]store.Kin, error) {
	return byID(ctx, s, "kin of", `UNWIND $ids AS id
MATCH (:Person {id: id})-[k:KIN_OF]->(m:Martyr)
RETURN id, m.id AS mid, m.doc AS doc, m.version AS version, m.updatedAt AS updatedAt, k.doc AS kin
ORDER BY id, mid`, personIDs, func(r *driver.Record) (store.Kin, error) {
		m, err := decodeMartyr(r)
		if err != nil {
			return store.Kin{}, err
		}
		k, err := decode[store.Kinship](str(r, "kin"))
		return store.Kin{Martyr: m, Kinship: k}, err
	})
}

// RecordsCiting implements store.Store.
func (s *Store) RecordsCiting(ctx context.Context, martyrIDs []string) (map[string][]store.ArchivalRecord, error) {
	return byID(ctx, s, "records citing", `UNWIND $ids AS id
MATCH (m:Martyr {id: id})
OPTIONAL MATCH (r1:ArchivalRecord)-[:MENTIONS]->(m)
WITH id, m, collect(DISTINCT r1) AS mentioning
OPTIONAL MATCH (m)<-[:ABOUT]-(:Assertion)-[:CITES]->(r2:ArchivalRecord)
WITH id, mentioning, collect(DISTINCT r2) AS cited
UNWIND mentioning + cited AS r
WITH DISTINCT id, r
RETURN id, r.id AS rid, r.doc AS doc
ORDER BY id, rid`, martyrIDs, decodeAny[store.ArchivalRecord])
}

// Assertions implements store.Store.
func (s *Store) Assertions(ctx context.Context, martyrIDs []string) (map[string][]store.Assertion, error) {
	return byID(ctx, s, "assertions", `UNWIND $ids AS id
MATCH (a:Assertion)-[:ABOUT]->(:Martyr {id: id})
RETURN id, a.id AS aid, a.doc AS doc
ORDER BY id, aid`, martyrIDs, decodeAny[store.Assertion])
}

// PortraitsOf implements store.Store.
func (s *Store) PortraitsOf(ctx context.Context, martyrIDs []string) (map[string][]store.Portrait, error) {
	return byID(ctx, s, "portraits of", `UNWIND $ids AS id
MATCH (p:Portrait)-[:DEPICTS]->(:Martyr {id: id})
RETURN id, p.id AS pid, p.doc AS doc
ORDER BY id, pid`, martyrIDs, decodeAny[store.Portrait])
}

// Lineage queries: the place, its ancestors, predecessors and successors,
// each row with the path length so the nearest comes first. The link of
// a predecessor is its own REPLACED_BY (the first on the path); that of a
// successor is the change that produced it (the last).
const (
	qLineagePlace = `UNWIND $ids AS id
MATCH (p:Place {id: id})
RETURN id, p.doc AS doc`
	qLineageAncestors = `UNWIND $ids AS id
MATCH path = (:Place {id: id})-[:PART_OF*1..]->(a:Place)
RETURN id, a.id AS pid, a.doc AS doc, length(path) AS d`
	qLineagePredecessors = `UNWIND $ids AS id
MATCH path = (x:Place)-[:REPLACED_BY*1..]->(:Place {id: id})
RETURN id, x.id AS pid, x.doc AS doc, length(path) AS d,
       head(relationships(path)).year AS year, head(relationships(path)).kind AS kind`
	qLineageSuccessors = `UNWIND $ids AS id
MATCH path = (:Place {id: id})-[:REPLACED_BY*1..]->(y:Place)
RETURN id, y.id AS pid, y.doc AS doc, length(path) AS d,
       last(relationships(path)).year AS year, last(relationships(path)).kind AS kind`
)

// Lineages implements store.Store.
func (s *Store) Lineages(ctx context.Context, placeIDs []string) (map[string]store.Lineage, error) {
	out := map[string]store.Lineage{}
	if len(placeIDs) == 0 {
		return out, nil
	}
	type result struct{ places, anc, pred, succ []*driver.Record }
	res, err := readTx(ctx, s, func(tx driver.ManagedTransaction) (result, error) {
		var r result
		var err error
		params := map[string]any{"ids": placeIDs}
		if r.places, err = collect(ctx, tx, qLineagePlace, params); err != nil {
			return r, err
		}
		if r.anc, err = collect(ctx, tx, qLineageAncestors, params); err != nil {
			return r, err
		}
		if r.pred, err = collect(ctx, tx, qLineagePredecessors, params); err != nil {
			return r, err
		}
		r.succ, err = collect(ctx, tx, qLineageSuccessors, params)
		return r, err
	})
	if err != nil {
		return nil, s.fail("lineages", err)
	}
	for _, r := range res.places {
		p, err := decodeAny[store.Place](r)
		if err != nil {
			return nil, fmt.Errorf("lineages: %w", err)
		}
		out[str(r, "id")] = store.Lineage{Place: p, Ancestors: []store.Place{}, Predecessors: []store.PlaceLink{}, Successors: []store.PlaceLink{}}
	}
	anc, err := nearest(res.anc)
	if err != nil {
		return nil, fmt.Errorf("lineages: %w", err)
	}
	pred, err := nearest(res.pred)
	if err != nil {
		return nil, fmt.Errorf("lineages: %w", err)
	}
	succ, err := nearest(res.succ)
	if err != nil {
		return nil, fmt.Errorf("lineages: %w", err)
	}
	for id, l := range out {
		for _, k := range anc[id] {
			l.Ancestors = append(l.Ancestors, k.Place)
		}
		l.Predecessors = append(l.Predecessors, pred[id]...)
		l.Successors = append(l.Successors, succ[id]...)
		out[id] = l
	}
	return out, nil
}

// nearest keeps, per key id, each reached place once at its shortest
// distance, nearest first (ties by id). The place itself, reached again
// through a cycle, is left out.
func nearest(recs []*driver.Record) (map[string][]store.PlaceLink, error) {
	type hit struct {
		d    int64
		link store.PlaceLink
	}
	best := map[string]map[string]hit{}
	for _, r := range recs {
		id, pid := str(r, "id"), str(r, "pid")
		if pid == id {
			continue
		}
		d := integer(r, "d")
		if h, ok := best[id][pid]; ok && h.d <= d {
			continue
		}
		p, err := decodeAny[store.Place](r)
		if err != nil {
			return nil, fmt.Errorf("place %q: %w", pid, err)
		}
		if best[id] == nil {
			best[id] = map[string]hit{}
		}
		best[id][pid] = hit{d: d, link: store.PlaceLink{Place: p, Year: int(integer(r, "year")), Kind: str(r, "kind")}}
	}
	out := map[string][]store.PlaceLink{}
	for id, hits := range best {
		list := make([]hit, 0, len(hits))
		for _, h := range hits {
			list = append(list, h)
		}
		slices.SortFunc(list, func(a, b hit) int {
			return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.link.Place.ID, b.link.Place.ID))
		})
		for _, h := range list {
			out[id] = append(out[id], h.link)
		}
	}
	return out, nil
}

// Changes implements store.Store.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]store.Change, error) {
	if limit <= 0 {
		return []store.Change{}, nil
	}
	recs, err := readTx(ctx, s, func(tx driver.ManagedTransaction) ([]*driver.Record, error) {
		return collect(ctx, tx, `MATCH (c:Change) WHERE c.seq > $after
RETURN c.seq AS seq, c.kind AS kind, c.id AS id, c.at AS at
ORDER BY seq LIMIT $limit`, map[string]any{"after": after, "limit": int64(limit)})
	})
	if err != nil {
		return nil, s.fail("changes", err)
	}
	out := make([]store.Change, 0, len(recs))
	for _, r := range recs {
		out = append(out, store.Change{Seq: integer(r, "seq"), Kind: store.Kind(str(r, "kind")), ID: str(r, "id"), At: timestamp(r, "at")})
	}
	return out, nil
}
