package neo4j

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/guigen/guigen/store"
)

// change is a change-log entry before its sequence number is known.
type change struct {
	kind store.Kind
	id   string
}

// applied is what a write transaction did.
type applied struct {
	changes  []change
	versions map[string]int64 // martyr id -> version after the write
}

// now is the timestamp of a write, in UTC without a monotonic reading.
func now() time.Time { return time.Now().UTC() }

// Apply implements store.Store.
func (s *Store) Apply(ctx context.Context, b *store.Batch) error {
	if b == nil || b.Len() == 0 {
		return nil
	}
	refs, err := b.Validate()
	if err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	groups, err := encodeBatch(b)
	if err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	_, err = writeTx(ctx, s, func(tx driver.ManagedTransaction) (struct{}, error) {
		at := now()
		res, err := applyTx(ctx, tx, groups, refs, at)
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, logChanges(ctx, tx, res.changes, at)
	})
	return s.fail("apply", err)
}

// checkRefs fails with store.ErrInvalid, before anything is written, when
// a reference names an entity that does not exist.
func checkRefs(ctx context.Context, tx driver.ManagedTransaction, refs []store.Ref) error {
	if len(refs) == 0 {
		return nil
	}
	found := map[store.Ref]bool{}
	for kind, ids := range store.RefsByKind(refs) {
		label, ok := labelOf[kind]
		if !ok {
			return fmt.Errorf("reference to a %s: %w", kind, store.ErrInvalid)
		}
		recs, err := collect(ctx, tx, qExists[label], map[string]any{"ids": ids})
		if err != nil {
			return fmt.Errorf("check references to %s: %w", kind, err)
		}
		for _, r := range recs {
			found[store.Ref{Kind: kind, ID: str(r, "id")}] = true
		}
	}
	return store.MissingRefs(refs, func(r store.Ref) bool { return found[store.Ref{Kind: r.Kind, ID: r.ID}] })
}

// applyTx writes encoded rows inside tx: references checked first, then
// one statement per kind that writes the nodes which differ from what is
// stored and replaces their relationships, then the relationships between
// nodes of one kind. Rows identical to what is stored are skipped.
func applyTx(ctx context.Context, tx driver.ManagedTransaction, groups []group, refs []store.Ref, at time.Time) (applied, error) {
	res := applied{versions: map[string]int64{}}
	if err := checkRefs(ctx, tx, refs); err != nil {
		return res, err
	}
	later := map[relSpec][]map[string]any{}
	var order []relSpec
	for _, g := range groups {
		var (
			changed []entityRow
			err     error
		)
		if g.kind == store.KindKinship {
			changed, err = writeKinships(ctx, tx, g.rows, at)
		} else {
			changed, err = writeNodes(ctx, tx, g, at, res.versions)
		}
		if err != nil {
			return res, fmt.Errorf("write %s: %w", g.kind, err)
		}
		for _, r := range changed {
			res.changes = append(res.changes, change{kind: g.kind, id: r.id})
			for _, rel := range r.rels {
				if relKey(rel.spec) != "" {
					continue // written with the node
				}
				if _, ok := later[rel.spec]; !ok {
					order = append(order, rel.spec)
				}
				later[rel.spec] = append(later[rel.spec], map[string]any{"from": r.id, "to": rel.to, "props": rel.props})
			}
		}
	}
	for _, spec := range order {
		if err := exec(ctx, tx, qCreateRels[spec], map[string]any{"rows": later[spec]}); err != nil {
			return res, fmt.Errorf("create %s relationships: %w", spec.typ, err)
		}
	}
	return res, nil
}

// writeNodes upserts one kind of node and returns the rows that changed,
// in batch order. versions receives the new version of each martyr.
func writeNodes(ctx context.Context, tx driver.ManagedTransaction, g group, at time.Time, versions map[string]int64) ([]entityRow, error) {
	label := labelOf[g.kind]
	params := make([]map[string]any, 0, len(g.rows))
	for _, r := range g.rows {
		rels := map[string]any{}
		for _, rel := range r.rels {
			if k := relKey(rel.spec); k != "" {
				list, _ := rels[k].([]map[string]any)
				rels[k] = append(list, map[string]any{"to": rel.to, "props": rel.props})
			}
		}
		params = append(params, map[string]any{"id": r.id, "doc": r.doc, "props": r.props, "rels": rels})
	}
	// Lock in id order so that two batches sharing ids wait for each
	// other instead of deadlocking.
	slices.SortFunc(params, func(a, b map[string]any) int { return cmp.Compare(a["id"].(string), b["id"].(string)) })
	recs, err := collect(ctx, tx, qUpsert[label], map[string]any{"rows": params, "now": at})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	differ := make(map[string]bool, len(recs))
	for _, rec := range recs {
		id := str(rec, "id")
		differ[id] = true
		if g.kind == store.KindMartyr {
			versions[id] = integer(rec, "version")
		}
	}
	var changed []entityRow
	for _, r := range g.rows {
		if differ[r.id] {
			changed = append(changed, r)
		}
	}
	return changed, nil
}

// Both ends are bound through their id indexes first, so the kinship is
// found by expanding between two known nodes. The person node's lock
// serialises writers of that person's kinships.
var qKinUpsert = `UNWIND $rows AS row
MATCH (p:Person {id: row.personId})
MATCH (m:Martyr {id: row.martyrId})
SET p._lock = true REMOVE p._lock
MERGE (p)-[k:KIN_OF]->(m)
WITH row, k WHERE k.doc IS NULL OR k.doc <> row.doc
SET ` + setProps("k", "row.props", propKeys(zeroRows[store.KindKinship])) + `, k.doc = row.doc, k.updatedAt = $now
RETURN row.id AS id`

func writeKinships(ctx context.Context, tx driver.ManagedTransaction, rows []entityRow, at time.Time) ([]entityRow, error) {
	params := make([]map[string]any, 0, len(rows))
	for _, r := range rows {
		params = append(params, map[string]any{"id": r.id, "doc": r.doc, "props": r.props,
			"personId": r.props["personId"], "martyrId": r.props["martyrId"]})
	}
	slices.SortFunc(params, func(a, b map[string]any) int { return cmp.Compare(a["id"].(string), b["id"].(string)) })
	recs, err := collect(ctx, tx, qKinUpsert, map[string]any{"rows": params, "now": at})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	differ := make(map[string]bool, len(recs))
	for _, rec := range recs {
		differ[str(rec, "id")] = true
	}
	var changed []entityRow
	for _, r := range rows {
		if differ[r.id] {
			changed = append(changed, r)
		}
	}
	return changed, nil
}

// logChanges appends the entries to the change log in the same
// transaction. The counter node is bumped once by the number of entries;
// its write lock, held until commit, makes sequence order commit order,
// so a reader following the log never sees a gap filled in later.
func logChanges(ctx context.Context, tx driver.ManagedTransaction, changes []change, at time.Time) error {
	if len(changes) == 0 {
		return nil
	}
	rows := make([]map[string]any, len(changes))
	for i, c := range changes {
		rows[i] = map[string]any{"i": int64(i + 1), "kind": string(c.kind), "id": c.id}
	}
	err := exec(ctx, tx, `MERGE (c:GuigenCounter {name: 'change'})
SET c._lock = true REMOVE c._lock
WITH c, coalesce(c.value, 0) AS base
SET c.value = base + size($rows)
WITH base
UNWIND $rows AS r
CREATE (:Change {seq: base + r.i, kind: r.kind, id: r.id, at: $now})`,
		map[string]any{"rows": rows, "now": at})
	if err != nil {
		return fmt.Errorf("change log: %w", err)
	}
	return nil
}

// SaveMartyr implements store.Store.
func (s *Store) SaveMartyr(ctx context.Context, m store.Martyr) (store.Martyr, error) {
	b := &store.Batch{Martyrs: []store.Martyr{m}}
	refs, err := b.Validate()
	if err != nil {
		return store.Martyr{}, fmt.Errorf("save martyr: %w", err)
	}
	groups, err := encodeBatch(b)
	if err != nil {
		return store.Martyr{}, fmt.Errorf("save martyr: %w", err)
	}
	saved, err := writeTx(ctx, s, func(tx driver.ManagedTransaction) (store.Martyr, error) {
		recs, err := collect(ctx, tx, `MATCH (n:Martyr {id: $id})
SET n._lock = true REMOVE n._lock
RETURN n.doc AS doc, n.version AS version, n.updatedAt AS updatedAt`, map[string]any{"id": m.ID})
		if err != nil {
			return store.Martyr{}, err
		}
		var stored int64
		if len(recs) > 0 {
			stored = integer(recs[0], "version")
		}
		if stored != m.Version {
			return store.Martyr{}, fmt.Errorf("martyr %q has version %d, not %d: %w", m.ID, stored, m.Version, store.ErrConflict)
		}
		if len(recs) > 0 && str(recs[0], "doc") == groups[0].rows[0].doc {
			return decodeMartyr(recs[0]) // identical: nothing to write
		}
		at := now()
		res, err := applyTx(ctx, tx, groups, refs, at)
		if err != nil {
			return store.Martyr{}, err
		}
		// A martyr created concurrently under the same id makes MERGE
		// match it (after waiting for its commit); the version shows it.
		if v := res.versions[m.ID]; v != m.Version+1 {
			return store.Martyr{}, fmt.Errorf("martyr %q was written concurrently (version %d): %w", m.ID, v, store.ErrConflict)
		}
		if err := logChanges(ctx, tx, res.changes, at); err != nil {
			return store.Martyr{}, err
		}
		out, err := decode[store.Martyr](groups[0].rows[0].doc)
		if err != nil {
			return store.Martyr{}, err
		}
		out.Version, out.UpdatedAt = res.versions[m.ID], at
		return out, nil
	})
	if err != nil {
		return store.Martyr{}, s.fail("save martyr", err)
	}
	return saved, nil
}
