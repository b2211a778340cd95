// Package storetest is the one contract suite every store.Store backend
// passes, and the fixtures other tests and benchmarks share.
//
// A backend's test calls Run with a factory that returns a fresh, empty
// store and registers its own cleanup:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return openEmpty(t) })
//	}
//
// The suite speaks only the store.Store interface: no SQL, no Cypher, no
// assumption on map order or on time precision finer than a millisecond.
// Cases run one after the other (never in parallel), so a backend whose
// database is shared between tests may empty it in the factory.
package storetest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/guigen/guigen/store"
)

// Capability names a part of the contract a backend declares it cannot
// meet. Run skips the cases that need it, saying which capability the
// backend gave up; by default a backend is held to every case. Ideally no
// backend passes any.
type Capability string

const (
	// WithoutLargeBatch skips the 10,000-martyr batch.
	WithoutLargeBatch Capability = "without-large-batch"
	// WithoutConcurrency skips the cases with concurrent writers.
	WithoutConcurrency Capability = "without-concurrency"
)

// Opener returns a fresh, empty store for one test and registers its
// cleanup with t.
type Opener func(t *testing.T) store.Store

// suite is what every case gets: the factory and the skipped capabilities.
type suite struct {
	open    Opener
	without map[Capability]bool
}

// fresh opens an empty store for t.
func (s suite) fresh(t *testing.T) store.Store {
	t.Helper()
	st := s.open(t)
	if st == nil {
		t.Fatal("the store factory returned nil")
	}
	return st
}

// needs skips t when the backend declared it lacks c.
func (s suite) needs(t *testing.T, c Capability) {
	t.Helper()
	if s.without[c] {
		t.Skipf("skipped: the backend declares %s", c)
	}
}

type testCase struct {
	name string
	run  func(t *testing.T, s suite)
}

// Run runs every behaviour of the store.Store contract as subtests, each
// on a fresh store from open. caps lists the capabilities the backend
// declares it lacks (see Capability).
func Run(t *testing.T, open Opener, caps ...Capability) {
	s := suite{open: open, without: map[Capability]bool{}}
	for _, c := range caps {
		s.without[c] = true
	}
	groups := []struct {
		name  string
		cases []testCase
	}{
		{"Basics", basicCases()},
		{"Apply", applyCases()},
		{"Read", readCases()},
		{"ListMartyrs", listCases()},
		{"SortedMartyrs", orderCases()},
		{"ListPlaces", placeCases()},
		{"ListKinds", kindListCases()},
		{"Neighbours", neighbourCases()},
		{"SaveMartyr", saveCases()},
		{"Leads", leadCases()},
		{"Changes", changeCases()},
		{"Auth", authCases()},
		{"Concurrency", concurrencyCases()},
		{"LargeBatch", largeCases()},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, c := range g.cases {
				t.Run(c.name, func(t *testing.T) { c.run(t, s) })
			}
		})
	}
}

func basicCases() []testCase {
	return []testCase{
		{"PingAndSchema", testPingAndSchema},
		{"EmptyStore", testEmptyStore},
	}
}

func testPingAndSchema(t *testing.T, s suite) {
	st := s.fresh(t)
	ctx := t.Context()
	if st.Backend() == "" {
		t.Error("Backend() is empty")
	}
	if err := st.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	v, err := st.SchemaVersion(ctx)
	if err != nil {
		t.Fatalf("SchemaVersion: %v", err)
	}
	if v < 1 {
		t.Errorf("SchemaVersion = %d after open, want >= 1", v)
	}
	// Migrating an up-to-date store changes nothing.
	if err := st.Migrate(ctx); err != nil {
		t.Fatalf("Migrate on an up-to-date store: %v", err)
	}
	if v2, err := st.SchemaVersion(ctx); err != nil || v2 != v {
		t.Errorf("SchemaVersion after Migrate = %d, %v; want %d", v2, err, v)
	}
}

func testEmptyStore(t *testing.T, s suite) {
	st := s.fresh(t)
	ctx := t.Context()
	p, err := st.ListMartyrs(ctx, store.MartyrFilter{}, store.PageReq{})
	if err != nil {
		t.Fatalf("ListMartyrs: %v", err)
	}
	if len(p.Items) != 0 || p.Total != 0 || p.HasNext || p.EndCursor != "" {
		t.Errorf("ListMartyrs on an empty store = %d items, total %d, hasNext %v, cursor %q; want nothing",
			len(p.Items), p.Total, p.HasNext, p.EndCursor)
	}
	ch, err := st.Changes(ctx, 0, 100)
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	if len(ch) != 0 {
		t.Errorf("Changes on an empty store = %v, want none", ch)
	}
	leads, err := st.ListLeads(ctx, store.LeadFilter{}, store.PageReq{})
	if err != nil {
		t.Fatalf("ListLeads: %v", err)
	}
	if len(leads.Items) != 0 || leads.Total != 0 {
		t.Errorf("ListLeads on an empty store = %d items, total %d", len(leads.Items), leads.Total)
	}
	// Nil and empty id lists are fine and give empty maps.
	for _, ids := range [][]string{nil, {}} {
		m, err := st.GetMartyrs(ctx, ids)
		if err != nil || len(m) != 0 {
			t.Errorf("GetMartyrs(%v) = %v, %v; want empty", ids, m, err)
		}
		r, err := st.Relatives(ctx, ids)
		if err != nil || len(r) != 0 {
			t.Errorf("Relatives(%v) = %v, %v; want empty", ids, r, err)
		}
	}
	// An empty batch is a no-op, not an error.
	if err := st.Apply(ctx, &store.Batch{}); err != nil {
		t.Errorf("Apply(empty batch): %v", err)
	}
	if ch, _ := st.Changes(ctx, 0, 100); len(ch) != 0 {
		t.Errorf("an empty batch logged changes: %v", ch)
	}
}

// ---- helpers shared by the cases ----

func mustApply(t *testing.T, st store.Store, b *store.Batch) {
	t.Helper()
	if err := st.Apply(t.Context(), b); err != nil {
		t.Fatalf("Apply: %v", err)
	}
}

// allChanges reads the whole change log after seq, page by page.
func allChanges(t *testing.T, st store.Store, after int64) []store.Change {
	t.Helper()
	var out []store.Change
	for {
		page, err := st.Changes(t.Context(), after, 1000)
		if err != nil {
			t.Fatalf("Changes(%d, 1000): %v", after, err)
		}
		out = append(out, page...)
		if len(page) < 1000 {
			return out
		}
		after = page[len(page)-1].Seq
	}
}

func lastSeq(t *testing.T, st store.Store) int64 {
	t.Helper()
	ch := allChanges(t, st, 0)
	if len(ch) == 0 {
		return 0
	}
	return ch[len(ch)-1].Seq
}

// listAll pages through a martyr list and returns every item.
func listAll(t *testing.T, st store.Store, f store.MartyrFilter) []store.Martyr {
	t.Helper()
	var out []store.Martyr
	req := store.PageReq{First: 500}
	for range 10_000 {
		p, err := st.ListMartyrs(t.Context(), f, req)
		if err != nil {
			t.Fatalf("ListMartyrs(%+v, %+v): %v", f, req, err)
		}
		out = append(out, p.Items...)
		if !p.HasNext {
			return out
		}
		req.After = p.EndCursor
	}
	t.Fatal("ListMartyrs never ended")
	return nil
}

func martyrIDs(ms []store.Martyr) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// wantErr fails unless err wraps target.
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: error = %v, want one wrapping %q", what, err, target)
	}
}

// msTime is a time as every backend keeps it: UTC, millisecond precision.
func msTime(tm time.Time) time.Time {
	if tm.IsZero() {
		return time.Time{}
	}
	return tm.UTC().Truncate(time.Millisecond)
}

// content is a martyr without what the store sets (Version, UpdatedAt),
// for comparing what was written with what is read.
func content(m store.Martyr) store.Martyr {
	m.Version, m.UpdatedAt = 0, time.Time{}
	return m
}

func normPortrait(p store.Portrait) store.Portrait {
	p.CreatedAt = msTime(p.CreatedAt)
	return p
}

func normLead(l store.Lead) store.Lead {
	l.CreatedAt, l.UpdatedAt = msTime(l.CreatedAt), msTime(l.UpdatedAt)
	return l
}

// jsonOf renders v as indented JSON. Comparing JSON rather than Go values
// makes nil and empty slices equal, sorts map keys and ignores time zone
// pointers, none of which the contract promises.
func jsonOf(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Sprintf("<unencodable: %v>", err)
	}
	return buf.String()
}

// diff shows the first lines where two JSON renderings part.
func diff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	lo := max(0, i-4)
	part := func(lines []string) string {
		hi := min(len(lines), i+4)
		if lo >= hi {
			return "(end)"
		}
		return strings.Join(lines[lo:hi], "\n")
	}
	return fmt.Sprintf("first difference at line %d\n--- got:\n%s\n--- want:\n%s", i+1, part(g), part(w))
}

// same fails t when got and want differ as JSON.
func same(t *testing.T, what string, got, want any) bool {
	t.Helper()
	g, w := jsonOf(got), jsonOf(want)
	if g != w {
		t.Errorf("%s differs: %s", what, diff(g, w))
		return false
	}
	return true
}

func sameIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// byKey sorts a copy by a string key; for results whose order the
// contract leaves open.
func byKey[T any](items []T, key func(T) string) []T {
	out := slices.Clone(items)
	slices.SortFunc(out, func(a, b T) int { return cmp.Compare(key(a), key(b)) })
	return out
}
