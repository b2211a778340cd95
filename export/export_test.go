package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/export"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/neo4j"
	"github.com/guigen/guigen/store/sqlite"
)

func openSQLite(t *testing.T) store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "guigen.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// openNeo4j opens the configured server and empties it; the test is
// skipped without NEO4J_URI, and fails in CI without it.
func openNeo4j(t *testing.T) store.Store {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("NEO4J_URI is not set: CI must run the Neo4j tests")
		}
		t.Skip("NEO4J_URI is not set")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := neo4j.Open(ctx, neo4j.Config{URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")})
	if err != nil {
		t.Fatalf("open %s: %v", uri, err)
	}
	if err := neo4j.Wipe(ctx, s); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// extras are what the demo lacks: portraits and an exhibit, a place and a
// unit whose parents sort after them, a DNA outcome citing a record, and
// audit entries.
func loadExtras(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	b := demo.Batch()
	m, p, r := b.Martyrs[0].ID, b.People[0], b.Records[0].ID
	p.Personal.DNAResults = []store.DNAResult{{MartyrID: m, Lab: "演示实验室", Outcome: "inconclusive", RecordID: r}}
	extra := &store.Batch{
		Places: []store.Place{
			{ID: "zz-parent", Name: "测试省", Level: store.LevelProvince},
			{ID: "aa-child", Name: "测试县", Level: store.LevelCounty, ParentID: "zz-parent",
				ReplacedBy: []store.PlaceChange{{ToID: "zz-parent", Year: 1987, Kind: "merge"}}},
		},
		Units: []store.Unit{
			{ID: "zz-army", Name: "测试军"},
			{ID: "aa-regiment", Name: "测试团", ParentID: "zz-army", SucceededBy: []store.UnitLink{{UnitID: "zz-army", Year: 1952}}},
		},
		People: []store.Person{p},
		Portraits: []store.Portrait{
			{ID: "pt-1", MartyrID: m, SHA256: strings.Repeat("ab", 32), Mime: "image/jpeg", Width: 600, Height: 800, Artist: "青岛画家",
				Painted: store.Date{Year: 2022, Month: 6}, Reconstruction: true, CaptionZH: "烈士像", FamilyConsent: true, Published: true,
				CreatedAt: time.Date(2022, 7, 1, 9, 0, 0, 0, time.UTC)},
		},
		Exhibits: []store.Exhibit{{ID: "ex-1", Title: "百名烈士画像展", Venue: "青岛市档案馆", PortraitIDs: []string{"pt-1"}, Published: true}},
	}
	if err := s.Apply(ctx, extra); err != nil {
		t.Fatal(err)
	}
	_, err := s.AppendAudit(ctx,
		store.AuditEntry{Actor: "reviewer-1", Role: "reviewer", At: time.Date(2023, 1, 2, 3, 4, 5, 6e6, time.UTC), Action: "read_personal", Subject: []string{p.ID}, Detail: "核对"},
		store.AuditEntry{Actor: "admin", Role: "admin", At: time.Date(2023, 1, 3, 0, 0, 0, 0, time.UTC), Action: "token_create"},
	)
	if err != nil {
		t.Fatal(err)
	}
}

func dump(t *testing.T, s store.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := export.JSONL(context.Background(), s, &buf, export.Options{PageSize: 37}); err != nil {
		t.Fatalf("export from %s: %v", s.Backend(), err)
	}
	return buf.Bytes()
}

func load(t *testing.T, s store.Store, data []byte) export.ImportSummary {
	t.Helper()
	open := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	sum, err := export.Import(context.Background(), s, open, export.ImportOptions{Name: "dump.jsonl", Batch: 50})
	if err != nil {
		t.Fatalf("import into %s: %v", s.Backend(), err)
	}
	if sum.Rejected != 0 || sum.ErrCount != 0 || !sum.Complete {
		t.Fatalf("import into %s: %d rejected, complete %v, errors %v", s.Backend(), sum.Rejected, sum.Complete, sum.Errors)
	}
	return sum
}

func lastSeq(t *testing.T, s store.Store) int64 {
	t.Helper()
	var after int64
	for {
		cs, err := s.Changes(context.Background(), after, 5000)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 {
			return after
		}
		after = cs[len(cs)-1].Seq
	}
}

func seed(t *testing.T, s store.Store) {
	t.Helper()
	if _, err := demo.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	loadExtras(t, s)
}

// roundTrip exports src, imports into dst (empty), exports dst and wants
// the same bytes; then imports again and wants no change at all.
func roundTrip(t *testing.T, src, dst store.Store) {
	first := dump(t, src)
	if again := dump(t, src); !bytes.Equal(first, again) {
		t.Fatal("two exports of the same store differ")
	}
	sum := load(t, dst, first)
	if sum.Deferred < 2 {
		t.Errorf("deferred %d entities, want the forward-referring place and unit at least", sum.Deferred)
	}
	if sum.LeadsCreated != len(demo.Leads()) || sum.AuditAppended != 2 {
		t.Errorf("leads created %d, audit appended %d", sum.LeadsCreated, sum.AuditAppended)
	}
	second := dump(t, dst)
	if !bytes.Equal(first, second) {
		diffLines(t, first, second)
	}
	mark := lastSeq(t, dst)
	sum = load(t, dst, first)
	if got := lastSeq(t, dst); got != mark {
		t.Errorf("re-import wrote %d change-log entries, want none", got-mark)
	}
	if sum.LeadsCreated != 0 || sum.LeadEvents != 0 || sum.AuditAppended != 0 || sum.AuditPresent != 2 {
		t.Errorf("re-import: leads %d, events %d, audit appended %d present %d", sum.LeadsCreated, sum.LeadEvents, sum.AuditAppended, sum.AuditPresent)
	}
	if third := dump(t, dst); !bytes.Equal(first, third) {
		diffLines(t, first, third)
	}
	counts := map[string]bool{}
	for _, l := range strings.Split(string(first), "\n") {
		for _, typ := range export.Types {
			if strings.HasPrefix(l, `{"type":"`+typ+`"`) {
				counts[typ] = true
			}
		}
	}
	for _, typ := range export.Types {
		if !counts[typ] {
			t.Errorf("export has no %s line", typ)
		}
	}
}

func diffLines(t *testing.T, a, b []byte) {
	t.Helper()
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < max(len(la), len(lb)); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			t.Fatalf("exports differ at line %d (%d vs %d lines):\n-%s\n+%s", i+1, len(la), len(lb), x, y)
		}
	}
}

func TestRoundTripSQLite(t *testing.T) {
	src := openSQLite(t)
	seed(t, src)
	roundTrip(t, src, openSQLite(t))
}

func TestRoundTripNeo4j(t *testing.T) {
	src := openNeo4j(t)
	seed(t, src)
	first := dump(t, src)
	// Neo4j Community has one database: move it through SQLite and back.
	mid := openSQLite(t)
	load(t, mid, first)
	if got := dump(t, mid); !bytes.Equal(first, got) {
		diffLines(t, first, got)
	}
	if err := neo4j.Wipe(context.Background(), src.(*neo4j.Store)); err != nil {
		t.Fatal(err)
	}
	roundTrip(t, mid, src)
}

func TestCrossBackendSQLiteToNeo4j(t *testing.T) {
	src := openSQLite(t)
	seed(t, src)
	roundTrip(t, src, openNeo4j(t))
}

// TestInterruptedImportResumes stands for a run killed part-way: a store
// holding any prefix of the file (each Apply is one transaction, so a
// kill leaves whole batches), a lead whose trail was replayed only in
// part, an audit log appended only in part. Importing the whole file
// then ends in exactly the state of one uninterrupted run.
func TestInterruptedImportResumes(t *testing.T) {
	src := openSQLite(t)
	seed(t, src)
	full := dump(t, src)
	lines := strings.SplitAfter(string(full), "\n")
	ctx := context.Background()
	partial := func(dst store.Store, text string) {
		open := func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(text)), nil }
		if _, err := export.Import(ctx, dst, open, export.ImportOptions{Name: "cut.jsonl", Batch: 7}); err != nil {
			t.Fatal(err)
		}
	}
	for _, cut := range []int{1, len(lines) / 5, len(lines) / 3, len(lines) / 2, 2 * len(lines) / 3, len(lines) - 4, len(lines) - 2} {
		dst := openSQLite(t)
		partial(dst, strings.Join(lines[:cut], ""))
		load(t, dst, full)
		if got := dump(t, dst); !bytes.Equal(full, got) {
			t.Errorf("cut after line %d:", cut)
			diffLines(t, full, got)
		}
	}

	// Half a lead's trail and half the audit log already there.
	dst := openSQLite(t)
	var leadLine string
	var before []string
	for _, l := range lines {
		if strings.HasPrefix(l, `{"type":"lead","id":"lead-0002"`) {
			leadLine = l
			break
		}
		before = append(before, l)
	}
	partial(dst, strings.Join(before, ""))
	var l struct {
		store.Lead
		Events []store.LeadEvent `json:"events"`
	}
	if err := json.Unmarshal([]byte(leadLine), &l); err != nil {
		t.Fatal(err)
	}
	lead := l.Lead
	lead.CreatedAt, lead.CreatedBy = l.Events[0].At, l.Events[0].Actor
	cur, err := dst.CreateLead(ctx, lead)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range l.Events[1:3] {
		e.LeadID, e.Seq = "", 0
		if cur, err = dst.AdvanceLead(ctx, store.LeadUpdate{LeadID: lead.ID, ExpectVersion: cur.Version, Event: e}); err != nil {
			t.Fatal(err)
		}
	}
	es, err := src.Audit(ctx, store.AuditFilter{Limit: 1})
	if err != nil || len(es) != 1 {
		t.Fatal(err)
	}
	if _, err := dst.AppendAudit(ctx, es[0]); err != nil {
		t.Fatal(err)
	}
	sum := load(t, dst, full)
	if sum.LeadEvents == 0 || sum.AuditPresent != 1 || sum.AuditAppended != 1 {
		t.Errorf("resume: %d events appended, audit present %d appended %d", sum.LeadEvents, sum.AuditPresent, sum.AuditAppended)
	}
	if got := dump(t, dst); !bytes.Equal(full, got) {
		diffLines(t, full, got)
	}
}

// TestImportRefusesADifferentHistory: a lead or audit log that differs
// from the file is reported, never rewritten.
func TestImportRefusesADifferentHistory(t *testing.T) {
	src := openSQLite(t)
	seed(t, src)
	full := dump(t, src)
	ctx := context.Background()
	dst := openSQLite(t)
	if _, err := dst.AppendAudit(ctx, store.AuditEntry{Actor: "someone", Role: "admin", Action: "read_personal"}); err != nil {
		t.Fatal(err)
	}
	open := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(full)), nil }
	sum, err := export.Import(ctx, dst, open, export.ImportOptions{Name: "dump.jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 2 || !strings.Contains(strings.Join(sum.Errors, "\n"), "审计日志只追加，未导入") {
		t.Errorf("rejected %d: %v", sum.Rejected, sum.Errors)
	}
	es, _ := dst.Audit(ctx, store.AuditFilter{})
	if len(es) != 1 {
		t.Errorf("audit log has %d entries, want the store's own one only", len(es))
	}
}

func TestRedactPersonal(t *testing.T) {
	src := openSQLite(t)
	seed(t, src)
	var full, red bytes.Buffer
	if _, err := export.JSONL(context.Background(), src, &full, export.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := export.JSONL(context.Background(), src, &red, export.Options{RedactPersonal: true, NoAudit: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(full.String(), `"phone":"138****0001"`) {
		t.Fatal("the full export lacks personal data")
	}
	for _, leak := range []string{`"personal"`, `"phone"`, `"dnaResults"`, `{"type":"audit"`} {
		if strings.Contains(red.String(), leak) {
			t.Errorf("redacted export contains %s", leak)
		}
	}
}
