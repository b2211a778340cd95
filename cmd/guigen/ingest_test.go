package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/guigen/guigen/ingest"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/sqlite"
)

// An invented province: 古松县 became 古松市 in 1990, 石门县 was merged
// into 东区 in 1995.
const testCodeTable = `代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码
910000,甲省,,甲省,省级,在用,1981,,
910100,甲省,,松城市,地级,在用,1981,,
910101,甲省,松城市,东区,县级,在用,1981,,
910121,甲省,松城市,古松县,县级,变更,1981,1990,910182
910182,甲省,松城市,古松市,县级,在用,1990,,
910122,甲省,松城市,石门县,县级,弃用,1981,1995,910101
`

const testOtherNames = `名称,代码,启用时间,弃用时间,备注
松城,910100,,,当地俗称
古松,910121,,1990,旧称
石們县,910122-1981,,,误写（們）
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// openData opens the SQLite store run wrote to under dir.
func openData(t *testing.T, dir string) store.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(dir, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// changeCount counts the whole change log.
func changeCount(t *testing.T, dir string) int {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, dbFile)); errors.Is(err, os.ErrNotExist) {
		return 0
	}
	s := openData(t, dir)
	defer s.Close(context.Background())
	n, after := 0, int64(0)
	for {
		cs, err := s.Changes(context.Background(), after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 {
			return n
		}
		n += len(cs)
		after = cs[len(cs)-1].Seq
	}
}

func ingestRun(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	return runCmd(t, append([]string{"ingest", "places", "--data", dir}, args...)...)
}

func TestIngestPlacesCodeTable(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	table := writeFile(t, "codes.csv", testCodeTable)

	code, out, errs := ingestRun(t, dir, table)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	for _, want := range []string{"读取行数 / rows read:    6", "写入地名 / places written: 6", "places changed: 6", "行错误 / row errors:     0"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	first := changeCount(t, dir)
	if first != 6 {
		t.Errorf("first import logged %d changes, want 6", first)
	}

	s := openData(t, dir)
	ctx := context.Background()
	lin, err := s.Lineages(ctx, []string{"910121-1981", "910182-1990", "910101-1981"})
	if err != nil {
		t.Fatal(err)
	}
	old, city := lin["910121-1981"], lin["910182-1990"]
	if old.Place.Name != "古松县" || old.Place.To != 1990 {
		t.Errorf("910121-1981 = %+v", old.Place)
	}
	if len(old.Successors) != 1 || old.Successors[0].Place.ID != "910182-1990" || old.Successors[0].Kind != "upgrade" || old.Successors[0].Year != 1990 {
		t.Errorf("古松县 successors = %+v, want 古松市 by upgrade in 1990", old.Successors)
	}
	if len(city.Predecessors) != 1 || city.Predecessors[0].Place.ID != "910121-1981" {
		t.Errorf("古松市 predecessors = %+v, want 古松县", city.Predecessors)
	}
	ancestors := func(l store.Lineage) []string {
		var ids []string
		for _, a := range l.Ancestors {
			ids = append(ids, a.ID)
		}
		return ids
	}
	if got := ancestors(city); !slices.Equal(got, []string{"910100-1981", "910000-1981"}) {
		t.Errorf("古松市 ancestors = %v", got)
	}
	if preds := lin["910101-1981"].Predecessors; !slices.ContainsFunc(preds, func(l store.PlaceLink) bool { return l.Place.ID == "910122-1981" }) {
		t.Errorf("东区 predecessors = %+v, want 石门县 among them", preds)
	}
	s.Close(ctx)

	// The same import again changes nothing.
	code, out, errs = ingestRun(t, dir, table)
	if code != exitOK {
		t.Fatalf("second run: exit %d\n%s\n%s", code, out, errs)
	}
	if n := changeCount(t, dir); n != first {
		t.Errorf("second import added %d change entries", n-first)
	}
	if !strings.Contains(out, "places changed: 0") {
		t.Errorf("second run summary:\n%s", out)
	}
}

// Batches smaller than the file must still only refer to places written
// before or alongside.
func TestIngestPlacesSmallBatches(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	table := writeFile(t, "codes.csv", testCodeTable)
	code, out, errs := ingestRun(t, dir, "--batch", "1", table)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "（6 批 / batches）") {
		t.Errorf("want 6 batches of one place:\n%s", out)
	}
	s := openData(t, dir)
	got, err := s.GetPlaces(context.Background(), []string{"910000-1981", "910100-1981", "910101-1981", "910121-1981", "910182-1990", "910122-1981"})
	if err != nil || len(got) != 6 {
		t.Fatalf("got %d places, %v", len(got), err)
	}
}

func TestPlaceBatchesOrder(t *testing.T) {
	// A cycle (a and b hand territory to each other) must share a batch;
	// everything else comes after what it refers to.
	places := []store.Place{
		{ID: "c", ParentID: "p"},
		{ID: "a", ParentID: "p", PartTo: []store.PlaceChange{{ToID: "b"}}},
		{ID: "b", ParentID: "p", PartTo: []store.PlaceChange{{ToID: "a"}}, ReplacedBy: []store.PlaceChange{{ToID: "c"}}},
		{ID: "p"},
		{ID: "x", ParentID: "stored"},
	}
	pending := map[string]store.Place{}
	var order []string
	for _, p := range places {
		pending[p.ID] = p
		order = append(order, p.ID)
	}
	for _, size := range []int{1, 2, 3, 100} {
		batches := placeBatches(pending, order, size)
		batchOf := map[string]int{}
		n := 0
		for i, b := range batches {
			if len(b) > max(size, 2) {
				t.Errorf("size %d: batch %d has %d places", size, i, len(b))
			}
			for _, p := range b {
				batchOf[p.ID] = i
				n++
			}
		}
		if n != len(places) {
			t.Fatalf("size %d: %d places in batches, want %d", size, n, len(places))
		}
		for _, p := range places {
			for _, ref := range placeRefs(p) {
				if j, ok := batchOf[ref]; ok && j > batchOf[p.ID] {
					t.Errorf("size %d: %s in batch %d refers to %s in later batch %d", size, p.ID, batchOf[p.ID], ref, j)
				}
			}
		}
		if batchOf["a"] != batchOf["b"] {
			t.Errorf("size %d: the cycle a<->b is split", size)
		}
	}
}

func TestIngestPlacesDryRun(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	table := writeFile(t, "codes.csv", testCodeTable)
	code, out, errs := ingestRun(t, dir, "--dry-run", table)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "would write 6 places") {
		t.Errorf("dry run summary:\n%s", out)
	}
	if n := changeCount(t, dir); n != 0 {
		t.Errorf("dry run logged %d changes", n)
	}
}

func TestIngestPlacesStrict(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	bad := writeFile(t, "codes.csv", testCodeTable+"910123,甲省,松城市,坏县,县级,在用,19x1,,\n")

	code, out, errs := ingestRun(t, dir, "--strict", bad)
	if code != exitFail {
		t.Fatalf("--strict with a bad row: exit %d, want %d\n%s\n%s", code, exitFail, out, errs)
	}
	if !strings.Contains(out, "codes.csv:8: 列「启用时间」: 年份「19x1」无效 / invalid year") {
		t.Errorf("summary does not name the bad cell:\n%s", out)
	}
	if !strings.Contains(errs, "nothing written") {
		t.Errorf("stderr %q", errs)
	}
	if n := changeCount(t, dir); n != 0 {
		t.Errorf("--strict wrote %d changes", n)
	}

	// Without --strict the good rows go in and the bad one is reported.
	code, out, _ = ingestRun(t, dir, bad)
	if code != exitOK || !strings.Contains(out, "行错误 / row errors:     1") || !strings.Contains(out, "places written: 6") {
		t.Errorf("lenient run: exit %d\n%s", code, out)
	}
}

func TestIngestPlacesFatal(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	table := writeFile(t, "codes.csv", testCodeTable)
	for _, tc := range []struct {
		name, content, want string
	}{
		{"header.csv", "a,b,c\n1,2,3\n", "header is neither format"},
		{"utf16.csv", "\xff\xfe1\x002\x00", "UTF-16"},
		{"enc.csv", "代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码\n910000,\x80\x80,,x,省级,在用,1981,,\n", "neither UTF-8 nor GB18030/GBK"},
	} {
		path := writeFile(t, tc.name, tc.content)
		// The good file first: a fatal error in a later file writes nothing.
		code, out, errs := ingestRun(t, dir, table, path)
		if code != exitFail || !strings.Contains(errs, tc.want) {
			t.Errorf("%s: exit %d, stderr %q, want exit 1 and %q\n%s", tc.name, code, errs, tc.want, out)
		}
		if n := changeCount(t, dir); n != 0 {
			t.Errorf("%s: %d changes written", tc.name, n)
		}
	}
	for _, args := range [][]string{{"ingest"}, {"ingest", "people", "x.csv"}, {"ingest", "places"}} {
		if code, _, errs := runCmd(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, exitUsage, errs)
		}
	}
	if code, _, errs := ingestRun(t, dir, filepath.Join(dir, "missing.csv")); code != exitFail || !strings.Contains(errs, "cannot open") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
}

func TestIngestPlacesOtherNames(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	table := writeFile(t, "codes.csv", testCodeTable)
	names := writeFile(t, "names.csv", testOtherNames+"无名,919999,,,\n")

	if code, out, errs := ingestRun(t, dir, table); code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	// Flags after the files work too.
	code, out, errs := ingestRun(t, dir, names, "--strict")
	if code != exitFail || !strings.Contains(out, "names.csv:5: 列「代码」: 代码「919999」不在地名表中") {
		t.Fatalf("--strict with an unknown code: exit %d\n%s\n%s", code, out, errs)
	}
	before := changeCount(t, dir)
	if code, out, errs = ingestRun(t, dir, names); code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if n := changeCount(t, dir) - before; n != 3 {
		t.Errorf("merging names changed %d places, want 3", n)
	}
	check := func(when string) {
		t.Helper()
		s := openData(t, dir)
		defer s.Close(context.Background())
		got, err := s.GetPlaces(context.Background(), []string{"910100-1981", "910121-1981", "910122-1981"})
		if err != nil {
			t.Fatal(err)
		}
		for id, want := range map[string]store.PlaceName{
			"910100-1981": {Name: "松城", Kind: "informal", Source: "当地俗称"},
			"910121-1981": {Name: "古松", Kind: "historical", To: 1990, Source: "旧称"},
			"910122-1981": {Name: "石們县", Kind: "misspelled", Source: "误写（們）"},
		} {
			if !slices.Equal(got[id].OtherNames, []store.PlaceName{want}) {
				t.Errorf("%s: %s other names = %+v, want %+v", when, id, got[id].OtherNames, want)
			}
		}
	}
	check("after merge")

	// Both again, table first: nothing changes, the names stay.
	before = changeCount(t, dir)
	if code, out, errs = ingestRun(t, dir, table, names); code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if n := changeCount(t, dir) - before; n != 0 {
		t.Errorf("re-import changed %d entries", n)
	}
	check("after re-import")
}

// Both kinds of file in one run into an empty store: the names attach
// to places of the table being imported.
func TestIngestPlacesTableAndNamesTogether(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	names := writeFile(t, "names.csv", testOtherNames)
	table := writeFile(t, "codes.csv", testCodeTable)
	if code, out, errs := ingestRun(t, dir, names, table); code != exitOK || !strings.Contains(out, "row errors:     0") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if n := changeCount(t, dir); n != 6 {
		t.Errorf("%d changes, want 6 (one per place)", n)
	}
	s := openData(t, dir)
	got, err := s.GetPlaces(context.Background(), []string{"910100-1981"})
	if err != nil || len(got["910100-1981"].OtherNames) != 1 {
		t.Errorf("松城市 = %+v, %v", got["910100-1981"], err)
	}
}

const realAreaCodes = "/work/shared/data/areacodes/result.csv"

func TestIngestPlacesRealFile(t *testing.T) {
	if _, err := os.Stat(realAreaCodes); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but %s is unreadable: %v", realAreaCodes, err)
		}
		t.Skipf("%s: %v", realAreaCodes, err)
	}
	if testing.Short() {
		t.Skip("-short")
	}
	embedded(t)
	f, err := os.Open(realAreaCodes)
	if err != nil {
		t.Fatal(err)
	}
	pf, err := ingest.ReadPlaces(f, realAreaCodes)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}

	for _, batch := range []string{"2000", "100000"} {
		dir := t.TempDir()
		start := time.Now()
		code, out, errs := ingestRun(t, dir, "--batch", batch, realAreaCodes)
		took := time.Since(start)
		if code != exitOK {
			t.Fatalf("exit %d\n%s\n%s", code, out, errs)
		}
		t.Logf("batch %s: %d places imported into sqlite in %s", batch, len(pf.Places), took)
		if n := changeCount(t, dir); n != len(pf.Places) {
			t.Errorf("%d changes, want one per place (%d)", n, len(pf.Places))
		}
		s := openData(t, dir)
		ids := make([]string, len(pf.Places))
		for i, p := range pf.Places {
			ids[i] = p.ID
		}
		got, err := getPlaces(context.Background(), s, ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(pf.Places) {
			t.Errorf("store holds %d of %d places", len(got), len(pf.Places))
		}
		for _, p := range pf.Places {
			if g := got[p.ID]; g.Name != p.Name || g.ParentID != p.ParentID || len(g.ReplacedBy) != len(p.ReplacedBy) {
				t.Errorf("%s stored as %+v, read as %+v", p.ID, g, p)
				break
			}
		}
		s.Close(context.Background())

		start = time.Now()
		before := changeCount(t, dir)
		if code, out, errs := ingestRun(t, dir, "--batch", batch, realAreaCodes); code != exitOK {
			t.Fatalf("second run: exit %d\n%s\n%s", code, out, errs)
		}
		t.Logf("batch %s: second (no-op) run took %s", batch, time.Since(start))
		if n := changeCount(t, dir) - before; n != 0 {
			t.Errorf("second import added %d changes", n)
		}
	}
}
