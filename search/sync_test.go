package search

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/sqlite"
)

func openSQLite(t *testing.T) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "guigen.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(ctx) })
	return s
}

var (
	syncSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
	syncGiven    = []rune("德明华国建文志永春海金玉秀英福善喜娃根宝山")
)

// genMartyrs makes n martyrs with ids m-000000… and distinct-ish names.
func genMartyrs(from, n int) []store.Martyr {
	ms := make([]store.Martyr, 0, n)
	for i := from; i < from+n; i++ {
		name := string(syncSurnames[i%len(syncSurnames)]) +
			string(syncGiven[(i/len(syncSurnames))%len(syncGiven)]) +
			string(syncGiven[(i/(len(syncSurnames)*len(syncGiven)))%len(syncGiven)])
		ms = append(ms, store.Martyr{
			ID: fmt.Sprintf("m-%06d", i), Name: name,
			HometownText: "山东省胶县" + strconv.Itoa(i%50) + "村",
			Born:         store.Date{Year: 1900 + i%40},
		})
	}
	return ms
}

func apply(t *testing.T, s store.Store, ms []store.Martyr) {
	t.Helper()
	for start := 0; start < len(ms); start += 5000 {
		if err := s.Apply(context.Background(), &store.Batch{Martyrs: ms[start:min(start+5000, len(ms))]}); err != nil {
			t.Fatal(err)
		}
	}
}

func mustSync(t *testing.T, s store.Store, ix *Index) int {
	t.Helper()
	n, err := Sync(context.Background(), s, ix, 7) // small pages: many steps
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	return n
}

func mustVerifyClean(t *testing.T, s store.Store, ix *Index) Report {
	t.Helper()
	r, err := Verify(context.Background(), s, ix)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if !r.Clean() {
		t.Errorf("Verify: missing %v, extra %v, stale %v", r.Missing, r.Extra, r.Stale)
	}
	return r
}

func latest(t *testing.T, s store.Store) int64 {
	t.Helper()
	seq, err := latestSeq(context.Background(), s, 0)
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

func topHit(t *testing.T, ix *Index, name string) string {
	t.Helper()
	hits, err := ix.Search(context.Background(), Query{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 {
		return ""
	}
	return hits[0].MartyrID
}

func TestSyncIndexesNewAndRenamedMartyrs(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t)
	ix, _ := openTemp(t)

	apply(t, s, genMartyrs(0, 30))
	if n := mustSync(t, s, ix); n != 30 {
		t.Errorf("first Sync applied %d, want 30", n)
	}
	if c, _ := ix.Count(); c != 30 {
		t.Errorf("Count = %d, want 30", c)
	}
	if w, _ := ix.Watermark(ctx); w != latest(t, s) {
		t.Errorf("watermark %d, want %d", w, latest(t, s))
	}
	if n := mustSync(t, s, ix); n != 0 {
		t.Errorf("Sync with nothing new applied %d", n)
	}

	m, err := store.GetMartyr(ctx, s, "m-000003")
	if err != nil {
		t.Fatal(err)
	}
	m.Name = "欧阳翠屏"
	if _, err := s.SaveMartyr(ctx, m); err != nil {
		t.Fatal(err)
	}
	if n := mustSync(t, s, ix); n != 1 {
		t.Errorf("Sync after a rename applied %d, want 1", n)
	}
	if id := topHit(t, ix, "欧阳翠屏"); id != "m-000003" {
		t.Errorf("new name finds %q, want m-000003", id)
	}
	mustVerifyClean(t, s, ix)
}

// goneStore adds to the log a change for a martyr the store does not
// hold: the contract has no delete yet, but the log may name one.
type goneStore struct {
	store.Store
	gone string
}

func (g goneStore) Changes(ctx context.Context, after int64, limit int) ([]store.Change, error) {
	cs, err := g.Store.Changes(ctx, after, limit)
	if err != nil || len(cs) == 0 {
		return cs, err
	}
	last := cs[len(cs)-1]
	if len(cs) < limit {
		cs = append(cs, store.Change{Seq: last.Seq + 1, Kind: store.KindMartyr, ID: g.gone})
	}
	return cs, nil
}

func TestSyncDeletesMartyrsNoLongerInStore(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t)
	ix, _ := openTemp(t)
	apply(t, s, genMartyrs(0, 5))
	ghost := genMartyrs(100, 1)
	if err := ix.Index(ctx, ghost); err != nil {
		t.Fatal(err)
	}
	if _, err := Sync(ctx, goneStore{s, ghost[0].ID}, ix, 100); err != nil {
		t.Fatal(err)
	}
	if c, _ := ix.Count(); c != 5 {
		t.Errorf("Count = %d, want 5 (ghost deleted)", c)
	}
	mustVerifyClean(t, s, ix)
}

func TestSyncCatchesUpAfterCrash(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t)
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	apply(t, s, genMartyrs(0, 20))
	mustSync(t, s, ix)
	wm, _ := ix.Watermark(ctx)

	tests := []struct {
		name  string
		crash func(t *testing.T, ix *Index, written []store.Martyr)
	}{
		{"store written, index not updated", func(*testing.T, *Index, []store.Martyr) {}},
		{"documents indexed, watermark not set", func(t *testing.T, ix *Index, written []store.Martyr) {
			if err := ix.Index(ctx, written); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms := genMartyrs(1000*(i+1), 15)
			apply(t, s, ms)
			// A rename too, so a stale document is among what is redone.
			m, err := store.GetMartyr(ctx, s, "m-000001")
			if err != nil {
				t.Fatal(err)
			}
			m.Name = fmt.Sprintf("司马光%d", i)
			if _, err := s.SaveMartyr(ctx, m); err != nil {
				t.Fatal(err)
			}
			tc.crash(t, ix, ms)
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}

			ix, err = Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := ix.Watermark(ctx); got != wm {
				t.Fatalf("watermark after reopen %d, want %d (unchanged)", got, wm)
			}
			before, err := Verify(ctx, s, ix)
			if err != nil {
				t.Fatal(err)
			}
			if before.Clean() {
				t.Fatal("Verify before Sync sees no difference; the crash simulated nothing")
			}
			if n := mustSync(t, s, ix); n != 16 {
				t.Errorf("Sync redid %d martyrs, want 16", n)
			}
			r := mustVerifyClean(t, s, ix)
			if r.StoreCount != 20+15*(i+1) || r.IndexCount != r.StoreCount {
				t.Errorf("counts store %d index %d", r.StoreCount, r.IndexCount)
			}
			wm, _ = ix.Watermark(ctx)
			if wm != latest(t, s) {
				t.Errorf("watermark %d, want %d", wm, latest(t, s))
			}
		})
	}
	ix.Close()
}

func TestRebuildEqualsIncrementalSync(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t)
	apply(t, s, genMartyrs(0, 120))
	m, err := store.GetMartyr(ctx, s, "m-000007")
	if err != nil {
		t.Fatal(err)
	}
	m.Aliases = []store.Alias{{Name: "二娃", Kind: "nickname"}}
	if _, err := s.SaveMartyr(ctx, m); err != nil {
		t.Fatal(err)
	}

	inc, _ := openTemp(t)
	mustSync(t, s, inc)
	incHashes, err := inc.payloadHashes(ctx)
	if err != nil {
		t.Fatal(err)
	}

	root := t.TempDir()
	dir := filepath.Join(root, "index")
	// An old index at dir, out of date, to be replaced.
	old, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Index(ctx, genMartyrs(5000, 3)); err != nil {
		t.Fatal(err)
	}
	old.Close()

	st, err := Rebuild(ctx, s, dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Martyrs != 120 || st.Watermark != latest(t, s) {
		t.Errorf("Rebuild %+v, want 120 martyrs up to seq %d", st, latest(t, s))
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 || entries[0].Name() != "index" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("left beside the index: %v", names)
	}
	rb, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	mustVerifyClean(t, s, rb)
	rbHashes, err := rb.payloadHashes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rbHashes) != len(incHashes) {
		t.Fatalf("rebuilt %d docs, incremental %d", len(rbHashes), len(incHashes))
	}
	for id, h := range incHashes {
		if rbHashes[id] != h {
			t.Errorf("%s differs between rebuild and sync", id)
		}
	}
	if n := mustSync(t, s, rb); n != 0 {
		t.Errorf("Sync right after Rebuild applied %d", n)
	}
	if id := topHit(t, rb, "二娃"); id != "m-000007" {
		t.Errorf("alias finds %q after rebuild", id)
	}
}

func TestVerifyDetectsMissingExtraStale(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t)
	ix, _ := openTemp(t)
	ms := genMartyrs(0, 10)
	apply(t, s, ms)
	mustSync(t, s, ix)

	if err := ix.Delete(ctx, []string{"m-000004"}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Index(ctx, genMartyrs(900, 1)); err != nil {
		t.Fatal(err)
	}
	changed := ms[6]
	changed.HometownText = "河北省"
	if err := ix.Index(ctx, []store.Martyr{changed}); err != nil {
		t.Fatal(err)
	}
	r, err := Verify(ctx, s, ix)
	if err != nil {
		t.Fatal(err)
	}
	want := Report{StoreCount: 10, IndexCount: 10,
		Missing: []string{"m-000004"}, Extra: []string{"m-000900"}, Stale: []string{"m-000006"}}
	if r.StoreCount != want.StoreCount || r.IndexCount != want.IndexCount ||
		!slices.Equal(r.Missing, want.Missing) || !slices.Equal(r.Extra, want.Extra) || !slices.Equal(r.Stale, want.Stale) {
		t.Errorf("Verify = %+v, want %+v", r, want)
	}
	if r.Clean() {
		t.Error("Clean() on a report with differences")
	}
}

// GUIGEN_SYNC_N=20000 go test -run TestSyncRate -v ./search/
func TestSyncRate(t *testing.T) {
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("GUIGEN_SYNC_N")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	s := openSQLite(t)
	apply(t, s, genMartyrs(0, n))
	ix, _ := openTemp(t)
	start := time.Now()
	got, err := Sync(ctx, s, ix, 0)
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	if got != n {
		t.Errorf("Sync applied %d, want %d", got, n)
	}
	t.Logf("Sync: %d martyrs in %v (%.0f/s)", n, el.Round(time.Millisecond), float64(n)/el.Seconds())

	start = time.Now()
	r, err := Verify(ctx, s, ix)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Verify: %d martyrs in %v", r.IndexCount, time.Since(start).Round(time.Millisecond))
	if !r.Clean() {
		t.Errorf("Verify: %d missing, %d extra, %d stale", len(r.Missing), len(r.Extra), len(r.Stale))
	}

	start = time.Now()
	st, err := Rebuild(ctx, s, filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Rebuild: %d martyrs in %v", st.Martyrs, time.Since(start).Round(time.Millisecond))
}

// TestSyncSurvivesKill kills a process in the middle of Sync (SIGKILL, no
// cleanup) several times, and checks after each kill that the index on
// disk holds exactly the martyrs whose change Seq is at most its
// watermark: documents and watermark were persisted together. Then Sync
// finishes the job and Verify finds no difference.
func TestSyncSurvivesKill(t *testing.T) {
	if env := os.Getenv("GUIGEN_SYNC_CHILD"); env != "" {
		syncChild(t, env)
		return
	}
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	ctx := context.Background()
	root := t.TempDir()
	dbPath, dir := filepath.Join(root, "guigen.db"), filepath.Join(root, "index")
	s, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	const n = 8000
	apply(t, s, genMartyrs(0, n))
	seqOf := map[string]int64{}
	for after := int64(0); ; {
		cs, err := s.Changes(ctx, after, 10000)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Kind == store.KindMartyr {
				seqOf[c.ID] = c.Seq
			}
		}
		if len(cs) < 10000 {
			break
		}
		after = cs[len(cs)-1].Seq
	}
	s.Close(ctx)

	for round, delay := range []time.Duration{150 * time.Millisecond, 300 * time.Millisecond, 450 * time.Millisecond} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSyncSurvivesKill$")
		cmd.Env = append(os.Environ(), "GUIGEN_SYNC_CHILD="+dbPath+string(os.PathListSeparator)+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill only once the child has the index open: a kill while
		// bleve creates the directory is another story (see Open).
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil || line != "syncing\n" {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("round %d: child said %q, %v", round, line, err)
		}
		time.Sleep(delay)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()

		ix, err := Open(dir)
		if err != nil {
			t.Fatalf("round %d: open after kill: %v", round, err)
		}
		wm, err := ix.Watermark(ctx)
		if err != nil {
			t.Fatal(err)
		}
		hashes, err := ix.payloadHashes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for id, seq := range seqOf {
			_, in := hashes[id]
			if seq <= wm {
				want++
			}
			if in != (seq <= wm) {
				t.Errorf("round %d: %s (seq %d) indexed=%v with watermark %d", round, id, seq, in, wm)
				break
			}
		}
		t.Logf("round %d: killed after %v: watermark %d, %d documents on disk (want %d)", round, delay, wm, len(hashes), want)
		ix.Close()
	}

	s, err = sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := Sync(ctx, s, ix, 200); err != nil {
		t.Fatal(err)
	}
	if r := mustVerifyClean(t, s, ix); r.IndexCount != n {
		t.Errorf("index holds %d, want %d", r.IndexCount, n)
	}
}

// syncChild is the process TestSyncSurvivesKill kills.
func syncChild(t *testing.T, env string) {
	dbPath, dir, _ := strings.Cut(env, string(os.PathListSeparator))
	ctx := context.Background()
	s, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("syncing")
	_, err = Sync(ctx, s, ix, 200)
	if err != nil {
		t.Fatal(err)
	}
	// Not closed: a clean close is not what is tested.
	time.Sleep(time.Minute)
}
