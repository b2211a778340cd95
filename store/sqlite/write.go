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

// tableOf maps the kinds a reference can name to their table.
var tableOf = map[store.Kind]string{
	store.KindMartyr:   "martyr",
	store.KindPerson:   "person",
	store.KindPlace:    "place",
	store.KindRecord:   "record",
	store.KindAssert:   "assertion",
	store.KindCemetery: "cemetery",
	store.KindUnit:     "unit",
	store.KindEvent:    "event",
	store.KindLead:     "lead",
	store.KindPortrait: "portrait",
	store.KindExhibit:  "exhibit",
	store.KindStory:    "story",
}

// spec says how one kind is stored: its table, key columns, the indexed
// columns after doc, and the link tables it owns (rewritten with it).
type spec struct {
	kind        store.Kind
	table       string
	key         []string
	cols        []string
	martyr      bool // has version and updated_at
	links       []link
	upsert      string   // one row, replacing a stored one
	insert      string   // the prefix of a multi-row insert of new rows
	fetch       string   // stored rows of a JSON array of keys
	delLink     []string // per link: delete an owner's rows
	insLink     []string // per link: insert one row
	insLinkMany []string // per link: the prefix of a multi-row insert
}

// link is a table of edges owned by an entity: owner columns hold the
// entity's key, cols the rest.
type link struct {
	table string
	owner []string
	cols  []string
}

func newSpec(kind store.Kind, key, cols []string, martyr bool, links ...link) *spec {
	sp := &spec{kind: kind, table: tableOf[kind], key: key, cols: cols, martyr: martyr, links: links}
	if kind == store.KindKinship {
		sp.table = "kinship"
	}
	all := append(append(append([]string{}, key...), "doc"), cols...)
	if martyr {
		all = append(all, "version", "updated_at")
	}
	var set []string
	for _, c := range all[len(key):] {
		set = append(set, c+" = excluded."+c)
	}
	sp.insert = fmt.Sprintf("INSERT INTO %s (%s)", sp.table, strings.Join(all, ", "))
	sp.upsert = fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (%s) DO UPDATE SET %s",
		sp.table, strings.Join(all, ", "), placeholders(len(all)), strings.Join(key, ", "), strings.Join(set, ", "))
	// Existing rows of a chunk of keys, passed as one JSON array: of ids,
	// or of [person, martyr] pairs for kinships.
	version := ""
	if martyr {
		version = ", version"
	}
	if len(key) == 1 {
		sp.fetch = fmt.Sprintf("SELECT %s, doc%s FROM %s WHERE %s IN (SELECT value FROM json_each(?))",
			key[0], version, sp.table, key[0])
	} else {
		sp.fetch = fmt.Sprintf("SELECT %s, %s, doc FROM %s WHERE (%s, %s) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))",
			key[0], key[1], sp.table, key[0], key[1])
	}
	for _, l := range links {
		var where []string
		for _, o := range l.owner {
			where = append(where, o+" = ?")
		}
		sp.delLink = append(sp.delLink, fmt.Sprintf("DELETE FROM %s WHERE %s", l.table, strings.Join(where, " AND ")))
		cols := strings.Join(append(append([]string{}, l.owner...), l.cols...), ", ")
		n := len(l.owner) + len(l.cols)
		sp.insLink = append(sp.insLink, fmt.Sprintf("INSERT OR IGNORE INTO %s (%s) VALUES (%s)", l.table, cols, placeholders(n)))
		sp.insLinkMany = append(sp.insLinkMany, fmt.Sprintf("INSERT OR IGNORE INTO %s (%s)", l.table, cols))
	}
	return sp
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

var idKey = []string{"id"}

var (
	specPlace = newSpec(store.KindPlace, idKey, []string{"parent_id", "level"}, false,
		link{table: "place_change", owner: []string{"from_id"}, cols: []string{"ord", "to_id", "year", "kind"}})
	specUnit     = newSpec(store.KindUnit, idKey, nil, false)
	specCemetery = newSpec(store.KindCemetery, idKey, nil, false)
	specEvent    = newSpec(store.KindEvent, idKey, nil, false)
	specMartyr   = newSpec(store.KindMartyr, idKey,
		[]string{"surname", "hometown_id", "died_lo", "died_hi", "cemetery_id", "unit_id", "unnamed"}, true)
	specPerson  = newSpec(store.KindPerson, idKey, nil, false)
	specKinship = newSpec(store.KindKinship, []string{"person_id", "martyr_id"}, nil, false)
	specRecord  = newSpec(store.KindRecord, idKey, nil, false,
		link{table: "record_martyr", owner: []string{"record_id"}, cols: []string{"martyr_id"}})
	specAssertion = newSpec(store.KindAssert, idKey, []string{"martyr_id"}, false,
		link{table: "assertion_cite", owner: []string{"assertion_id"}, cols: []string{"record_id"}})
	specPortrait = newSpec(store.KindPortrait, idKey, []string{"martyr_id"}, false)
	specExhibit  = newSpec(store.KindExhibit, idKey, nil, false)
	specStory    = newSpec(store.KindStory, idKey, nil, false)
)

// row is one entity ready to write.
type row struct {
	key   []any
	id    string // the change-log id
	doc   string
	cols  []any
	links [][][]any // per spec link: the rows of its non-owner columns
}

// group is the rows of one kind.
type group struct {
	spec *spec
	rows []row
}

// canonical is the JSON a document is stored as and compared by.
func canonical(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode: %w: %w", store.ErrInvalid, err)
	}
	return string(b), nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func martyrRow(m store.Martyr) (row, error) {
	m.Version, m.UpdatedAt = 0, time.Time{}
	doc, err := canonical(m)
	if err != nil {
		return row{}, err
	}
	var lo, hi any
	if l, h := m.Died.YearBounds(); l != 0 {
		lo, hi = l, h
	}
	unnamed := 0
	if m.Unnamed {
		unnamed = 1
	}
	return row{key: []any{m.ID}, id: m.ID, doc: doc,
		cols: []any{store.Surname(m.Name), nullable(m.HometownID), lo, hi, nullable(m.CemeteryID), nullable(m.UnitID), unnamed}}, nil
}

// plainRows encodes entities stored as id and doc only.
func plainRows[T any](items []T, id func(T) string) ([]row, error) {
	rows := make([]row, 0, len(items))
	for _, it := range items {
		doc, err := canonical(it)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{key: []any{id(it)}, id: id(it), doc: doc})
	}
	return rows, nil
}

// encode turns a validated batch into groups of rows, in the batch's
// kind order.
func encode(b *store.Batch) ([]group, error) {
	var groups []group
	add := func(sp *spec, rows []row, err error) error {
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			groups = append(groups, group{spec: sp, rows: rows})
		}
		return nil
	}
	var rows []row
	for _, p := range b.Places {
		doc, err := canonical(p)
		if err != nil {
			return nil, err
		}
		var changes [][]any
		for i, c := range p.ReplacedBy {
			changes = append(changes, []any{i, c.ToID, c.Year, c.Kind})
		}
		rows = append(rows, row{key: []any{p.ID}, id: p.ID, doc: doc,
			cols: []any{nullable(p.ParentID), string(p.Level)}, links: [][][]any{changes}})
	}
	if err := add(specPlace, rows, nil); err != nil {
		return nil, err
	}
	ur, err := plainRows(b.Units, func(u store.Unit) string { return u.ID })
	if err := add(specUnit, ur, err); err != nil {
		return nil, err
	}
	cr, err := plainRows(b.Cemeteries, func(c store.Cemetery) string { return c.ID })
	if err := add(specCemetery, cr, err); err != nil {
		return nil, err
	}
	er, err := plainRows(b.Events, func(e store.Event) string { return e.ID })
	if err := add(specEvent, er, err); err != nil {
		return nil, err
	}
	rows = make([]row, 0, len(b.Martyrs))
	for _, m := range b.Martyrs {
		r, err := martyrRow(m)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	if err := add(specMartyr, rows, nil); err != nil {
		return nil, err
	}
	pr, err := plainRows(b.People, func(p store.Person) string { return p.ID })
	if err := add(specPerson, pr, err); err != nil {
		return nil, err
	}
	rows = make([]row, 0, len(b.Kinships))
	for _, k := range b.Kinships {
		doc, err := canonical(k)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{key: []any{k.PersonID, k.MartyrID}, id: store.KinshipKey(k.PersonID, k.MartyrID), doc: doc})
	}
	if err := add(specKinship, rows, nil); err != nil {
		return nil, err
	}
	rows = nil
	for _, r := range b.Records {
		doc, err := canonical(r)
		if err != nil {
			return nil, err
		}
		var mentions [][]any
		for _, m := range r.MartyrIDs {
			mentions = append(mentions, []any{m})
		}
		rows = append(rows, row{key: []any{r.ID}, id: r.ID, doc: doc, links: [][][]any{mentions}})
	}
	if err := add(specRecord, rows, nil); err != nil {
		return nil, err
	}
	rows = nil
	for _, a := range b.Assertions {
		doc, err := canonical(a)
		if err != nil {
			return nil, err
		}
		var cites [][]any
		for _, c := range a.Citations {
			cites = append(cites, []any{c.RecordID})
		}
		rows = append(rows, row{key: []any{a.ID}, id: a.ID, doc: doc, cols: []any{a.MartyrID}, links: [][][]any{cites}})
	}
	if err := add(specAssertion, rows, nil); err != nil {
		return nil, err
	}
	rows = nil
	for _, p := range b.Portraits {
		doc, err := canonical(p)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{key: []any{p.ID}, id: p.ID, doc: doc, cols: []any{p.MartyrID}})
	}
	if err := add(specPortrait, rows, nil); err != nil {
		return nil, err
	}
	xr, err := plainRows(b.Exhibits, func(e store.Exhibit) string { return e.ID })
	if err := add(specExhibit, xr, err); err != nil {
		return nil, err
	}
	sr, err := plainRows(b.Stories, func(s store.Story) string { return s.ID })
	if err := add(specStory, sr, err); err != nil {
		return nil, err
	}
	return groups, nil
}

// change is a change-log entry before it has a sequence number.
type change struct {
	kind store.Kind
	id   string
}

// writer holds one write transaction's prepared statements and what it
// changed.
type writer struct {
	ctx      context.Context
	tx       *sql.Tx
	at       time.Time
	stmts    map[string]*sql.Stmt
	changes  []change
	versions map[string]int64 // martyr id -> version after the write
}

func newWriter(ctx context.Context, tx *sql.Tx, at time.Time) *writer {
	return &writer{ctx: ctx, tx: tx, at: at, stmts: map[string]*sql.Stmt{}, versions: map[string]int64{}}
}

func (w *writer) stmt(q string) (*sql.Stmt, error) {
	if st, ok := w.stmts[q]; ok {
		return st, nil
	}
	st, err := w.tx.PrepareContext(w.ctx, q)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", q, err)
	}
	w.stmts[q] = st
	return st, nil
}

func (w *writer) exec(q string, args ...any) error {
	st, err := w.stmt(q)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(w.ctx, args...)
	return err
}

func (w *writer) close() {
	for _, st := range w.stmts {
		_ = st.Close()
	}
}

// chunk is how many keys one lookup passes in its JSON array.
const chunk = 5000

// idsJSON renders ids as a JSON array for json_each.
func idsJSON(ids []string) string {
	b, _ := json.Marshal(ids) // strings always encode
	return string(b)
}

// checkRefs fails with store.ErrInvalid, before anything is written,
// when a reference names an entity that does not exist.
func (w *writer) checkRefs(refs []store.Ref) error {
	if len(refs) == 0 {
		return nil
	}
	found := map[store.Ref]bool{}
	for kind, ids := range store.RefsByKind(refs) {
		table, ok := tableOf[kind]
		if !ok {
			return fmt.Errorf("reference to a %s: %w", kind, store.ErrInvalid)
		}
		for lo := 0; lo < len(ids); lo += chunk {
			part := ids[lo:min(lo+chunk, len(ids))]
			st, err := w.stmt("SELECT id FROM " + table + " WHERE id IN (SELECT value FROM json_each(?))")
			if err != nil {
				return err
			}
			rows, err := st.QueryContext(w.ctx, idsJSON(part))
			if err != nil {
				return fmt.Errorf("check references to %s: %w", kind, err)
			}
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				found[store.Ref{Kind: kind, ID: id}] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
	}
	return store.MissingRefs(refs, func(r store.Ref) bool { return found[store.Ref{Kind: r.Kind, ID: r.ID}] })
}

// stored is what a row's key holds now.
type stored struct {
	doc     string
	version int64
}

// existing fetches the stored documents of a group's keys.
func (w *writer) existing(g group) (map[string]stored, error) {
	out := make(map[string]stored, len(g.rows))
	st, err := w.stmt(g.spec.fetch)
	if err != nil {
		return nil, err
	}
	for lo := 0; lo < len(g.rows); lo += chunk {
		part := g.rows[lo:min(lo+chunk, len(g.rows))]
		keys := make([]any, len(part))
		for i, r := range part {
			if len(r.key) == 1 {
				keys[i] = r.key[0]
			} else {
				keys[i] = r.key
			}
		}
		arg, err := json.Marshal(keys)
		if err != nil {
			return nil, err
		}
		rows, err := st.QueryContext(w.ctx, string(arg))
		if err != nil {
			return nil, fmt.Errorf("read stored %s: %w", g.spec.kind, err)
		}
		for rows.Next() {
			var s stored
			var k string
			switch {
			case g.spec.martyr:
				err = rows.Scan(&k, &s.doc, &s.version)
			case len(g.spec.key) == 1:
				err = rows.Scan(&k, &s.doc)
			default:
				var p, m string
				err = rows.Scan(&p, &m, &s.doc)
				k = keyString([]any{p, m})
			}
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = s
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// keyString is a map key for a row key; the parts of a composite key are
// joined with NUL, which ids do not contain.
func keyString(key []any) string {
	if len(key) == 1 {
		return key[0].(string)
	}
	return key[0].(string) + "\x00" + key[1].(string)
}

// apply writes the groups: rows identical to what is stored are skipped;
// new rows are inserted several to a statement; changed rows are
// upserted and their links replaced. Every written row is logged.
func (w *writer) apply(groups []group) error {
	for _, g := range groups {
		old, err := w.existing(g)
		if err != nil {
			return err
		}
		sp := g.spec
		var fresh [][]any
		freshLinks := make([][][]any, len(sp.links))
		for _, r := range g.rows {
			prev, existed := old[keyString(r.key)]
			if existed && prev.doc == r.doc {
				if sp.martyr {
					w.versions[r.id] = prev.version
				}
				continue
			}
			args := make([]any, 0, len(r.key)+1+len(r.cols)+2)
			args = append(append(append(args, r.key...), r.doc), r.cols...)
			if sp.martyr {
				w.versions[r.id] = prev.version + 1
				args = append(args, prev.version+1, w.at.UnixNano())
			}
			w.changes = append(w.changes, change{kind: sp.kind, id: r.id})
			if !existed {
				fresh = append(fresh, args)
				for i := range sp.links {
					for _, l := range r.links[i] {
						freshLinks[i] = append(freshLinks[i], append(append([]any{}, r.key...), l...))
					}
				}
				continue
			}
			if err := w.exec(sp.upsert, args...); err != nil {
				return fmt.Errorf("write %s %q: %w", sp.kind, r.id, err)
			}
			for i := range sp.links {
				if err := w.exec(sp.delLink[i], r.key...); err != nil {
					return fmt.Errorf("replace links of %s %q: %w", sp.kind, r.id, err)
				}
				for _, l := range r.links[i] {
					if err := w.exec(sp.insLink[i], append(append([]any{}, r.key...), l...)...); err != nil {
						return fmt.Errorf("link %s %q: %w", sp.kind, r.id, err)
					}
				}
			}
		}
		if err := w.insertMany(sp.insert, fresh); err != nil {
			return fmt.Errorf("write %s: %w", sp.kind, err)
		}
		for i := range sp.links {
			if err := w.insertMany(sp.insLinkMany[i], freshLinks[i]); err != nil {
				return fmt.Errorf("link %s: %w", sp.kind, err)
			}
		}
	}
	return nil
}

// insertMany runs "prefix VALUES (...), (...)" over rows, as many rows a
// statement as stay under SQLite's historical limit of 999 parameters.
func (w *writer) insertMany(prefix string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	width := len(rows[0])
	per := max(1, 999/width)
	tuple := "(" + placeholders(width) + ")"
	for lo := 0; lo < len(rows); lo += per {
		part := rows[lo:min(lo+per, len(rows))]
		q := prefix + " VALUES " + strings.TrimSuffix(strings.Repeat(tuple+", ", len(part)), ", ")
		args := make([]any, 0, width*len(part))
		for _, r := range part {
			args = append(args, r...)
		}
		if err := w.exec(q, args...); err != nil {
			return err
		}
	}
	return nil
}

// logChanges appends the change-log entries.
func (w *writer) logChanges() error {
	at := w.at.UnixNano()
	rows := make([][]any, len(w.changes))
	for i, c := range w.changes {
		rows[i] = []any{string(c.kind), c.id, at}
	}
	if err := w.insertMany("INSERT INTO change_log (kind, id, at)", rows); err != nil {
		return fmt.Errorf("log changes: %w", err)
	}
	w.changes = w.changes[:0]
	return nil
}

// prepared is a validated, encoded batch.
type prepared struct {
	refs   []store.Ref
	groups []group
}

func prepare(b *store.Batch) (prepared, error) {
	if b == nil || b.Len() == 0 {
		return prepared{}, nil
	}
	refs, err := b.Validate()
	if err != nil {
		return prepared{}, err
	}
	groups, err := encode(b)
	if err != nil {
		return prepared{}, err
	}
	return prepared{refs: refs, groups: groups}, nil
}

// run checks references and writes the batch inside w's transaction.
func (w *writer) run(p prepared) error {
	if err := w.checkRefs(p.refs); err != nil {
		return err
	}
	return w.apply(p.groups)
}

// Apply implements store.Store.
func (s *Store) Apply(ctx context.Context, b *store.Batch) error {
	p, err := prepare(b)
	if err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	if len(p.groups) == 0 {
		return nil
	}
	return s.write(ctx, "apply", func(tx *sql.Tx, at time.Time) error {
		w := newWriter(ctx, tx, at)
		defer w.close()
		if err := w.run(p); err != nil {
			return err
		}
		return w.logChanges()
	})
}

// SaveMartyr implements store.Store.
func (s *Store) SaveMartyr(ctx context.Context, m store.Martyr) (store.Martyr, error) {
	p, err := prepare(&store.Batch{Martyrs: []store.Martyr{m}})
	if err != nil {
		return store.Martyr{}, fmt.Errorf("save martyr: %w", err)
	}
	var out store.Martyr
	err = s.write(ctx, fmt.Sprintf("save martyr %q", m.ID), func(tx *sql.Tx, at time.Time) error {
		var doc string
		var version, updated int64
		err := tx.QueryRowContext(ctx, "SELECT doc, version, updated_at FROM martyr WHERE id = ?", m.ID).
			Scan(&doc, &version, &updated)
		exists := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if version != m.Version {
			return fmt.Errorf("stored version is %d, not %d: %w", version, m.Version, store.ErrConflict)
		}
		if exists && doc == p.groups[0].rows[0].doc {
			out, err = decodeMartyr(doc, version, updated)
			return err // identical: nothing to write
		}
		w := newWriter(ctx, tx, at)
		defer w.close()
		if err := w.run(p); err != nil {
			return err
		}
		if err := w.logChanges(); err != nil {
			return err
		}
		out = m
		out.Version, out.UpdatedAt = w.versions[m.ID], at
		return nil
	})
	return out, err
}
