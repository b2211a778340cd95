package search

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/neo4j"
)

// backends are the stores the sync contract runs against: SQLite always,
// Neo4j when NEO4J_URI is set (and in CI, where it must be).
func backends() []struct {
	name string
	open func(t *testing.T) store.Store
} {
	return []struct {
		name string
		open func(t *testing.T) store.Store
	}{
		{"sqlite", func(t *testing.T) store.Store { return openSQLite(t) }},
		{"neo4j", openNeo4j},
	}
}

func openNeo4j(t *testing.T) store.Store {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("NEO4J_URI is not set: CI must run the Neo4j tests")
		}
		t.Skip("NEO4J_URI is not set; start Neo4j with `bash scripts/neo4j-local.sh start`")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := neo4j.Open(ctx, neo4j.Config{URI: uri, User: os.Getenv("NEO4J_USER"),
		Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")})
	if err != nil {
		t.Fatalf("open neo4j: %v", err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	if err := neo4j.Wipe(ctx, s); err != nil {
		t.Fatalf("wipe: %v", err)
	}
	return s
}

func openStories(t *testing.T, dir string) *StoryIndex {
	t.Helper()
	x, err := OpenStories(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	return x
}

func storySearch(t *testing.T, x *StoryIndex, s store.Store, q StoryQuery) StoryResult {
	t.Helper()
	r, err := x.Search(context.Background(), s, q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	return r
}

func hitIDs(r StoryResult) []string {
	var ids []string
	for _, h := range r.Hits {
		ids = append(ids, h.Story.ID)
	}
	return ids
}

// TestStoriesSearchAndCrashSafeSync loads the demo, syncs, searches (folded
// traditional query, facets, filters, highlights, unpublished hidden),
// then writes to the store and "crashes" (closes the index without
// syncing) before the index applies it; reopened and synced, Verify is
// clean for both martyrs and stories.
func TestStoriesSearchAndCrashSafeSync(t *testing.T) {
	for _, be := range backends() {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			s := be.open(t)
			if _, err := demo.Load(ctx, s); err != nil {
				t.Fatalf("demo: %v", err)
			}
			dir := t.TempDir()
			sdir, mdir := filepath.Join(dir, "stories"), filepath.Join(dir, "names")
			x := openStories(t, sdir)
			if _, err := SyncStories(ctx, s, x, 7); err != nil { // small pages: several batches
				t.Fatal(err)
			}
			published := 0
			for _, st := range demo.Batch().Stories {
				if st.Published {
					published++
				}
			}
			if n, _ := x.Count(); n != uint64(published) || published < 2 {
				t.Fatalf("indexed %d stories, want the %d published demo stories", n, published)
			}

			// Traditional query finds the simplified story; title weighs more.
			r := storySearch(t, x, s, StoryQuery{Text: "膠縣"})
			if len(r.Hits) == 0 || r.Hits[0].Story.ID != "s-0003" {
				t.Fatalf("膠縣: hits %v, want s-0003 first", hitIDs(r))
			}
			var marked []string
			for _, f := range r.Hits[0].Fragments {
				marked = append(marked, f.Marked)
				for _, h := range f.Highlights {
					if got := string([]rune(f.Text)[h.Start:h.End]); got != "胶县" {
						t.Errorf("highlight %q in %q, want 胶县", got, f.Text)
					}
				}
			}
			if !strings.Contains(strings.Join(marked, "|"), "<mark>胶县</mark>") {
				t.Errorf("fragments %q lack <mark>胶县</mark>", marked)
			}
			// The draft s-0002 is not searchable.
			if r := storySearch(t, x, s, StoryQuery{Text: "刘德善"}); r.Total != 0 {
				t.Errorf("unpublished story found: %v", hitIDs(r))
			}
			// Facets over a query both stories match, and a filter.
			r = storySearch(t, x, s, StoryQuery{Text: "演示数据"})
			if r.Total != 2 {
				t.Fatalf("演示数据: total %d, want 2", r.Total)
			}
			years := map[string]int{}
			for _, v := range r.Years {
				years[v.Value] = v.Count
			}
			if years["2022"] != 1 || years["2023"] != 1 {
				t.Errorf("year facet %v", r.Years)
			}
			// 張玉山 (traditional) in the title of s-0004 is found by 张玉山,
			// and its two places are facet values of the hit.
			r = storySearch(t, x, s, StoryQuery{Text: "张玉山"})
			if len(r.Hits) == 0 || r.Hits[0].Story.ID != "s-0004" {
				t.Fatalf("张玉山: %v", hitIDs(r))
			}
			if r := storySearch(t, x, s, StoryQuery{Text: "张玉山", Place: demo.PlacePingdu}); len(r.Hits) == 0 || r.Hits[0].Story.ID != "s-0004" {
				t.Errorf("张玉山 in 平度: %v", hitIDs(r))
			}
			r = storySearch(t, x, s, StoryQuery{Text: "演示数据"})
			if len(r.Places) == 0 || len(r.Units) == 0 {
				t.Errorf("place facet %v, unit facet %v: want values", r.Places, r.Units)
			}
			if r := storySearch(t, x, s, StoryQuery{Text: "演示数据", Year: 2023}); !slices.Equal(hitIDs(r), []string{"s-0003"}) {
				t.Errorf("year filter: %v", hitIDs(r))
			}
			if r := storySearch(t, x, s, StoryQuery{Text: "演示数据", Unit: demo.Unit27thArmy79th}); !slices.Equal(hitIDs(r), []string{"s-0001"}) {
				t.Errorf("unit filter: %v", hitIDs(r))
			}
			// Paging.
			p1 := storySearch(t, x, s, StoryQuery{Text: "演示数据", First: 1})
			p2 := storySearch(t, x, s, StoryQuery{Text: "演示数据", First: 1, After: p1.EndCursor})
			if !p1.HasNext || p2.HasNext || len(p1.Hits) != 1 || len(p2.Hits) != 1 || p1.Hits[0].Story.ID == p2.Hits[0].Story.ID {
				t.Errorf("paging: %v (next %v) then %v (next %v)", hitIDs(p1), p1.HasNext, hitIDs(p2), p2.HasNext)
			}

			// Martyr index too, to check the same crash for martyrs.
			mx, err := Open(mdir)
			if err != nil {
				t.Fatal(err)
			}
			mustSync(t, s, mx)
			mustVerifyClean(t, s, mx)

			// Store writes, then a crash before either index applies them.
			evil := store.Story{ID: "s-crash", Title: "張德明的家書", Published: true, Date: store.Date{Year: 2024, Month: 5},
				Body: "<script>alert(1)</script> 信里写着：张德明在长津湖。"}
			unpublish, err := s.GetStories(ctx, []string{"s-0001"})
			if err != nil {
				t.Fatal(err)
			}
			u := unpublish["s-0001"]
			u.Published = false
			m := genMartyrs(900000, 1)
			if err := s.Apply(ctx, &store.Batch{Stories: []store.Story{evil, u}, Martyrs: m}); err != nil {
				t.Fatal(err)
			}
			if err := x.Close(); err != nil {
				t.Fatal(err)
			}
			if err := mx.Close(); err != nil {
				t.Fatal(err)
			}

			x = openStories(t, sdir)
			rep, err := VerifyStories(ctx, s, x)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rep.Missing, []string{"s-crash"}) || !slices.Equal(rep.Extra, []string{"s-0001"}) {
				t.Fatalf("before sync: %+v, want s-crash missing and s-0001 extra", rep)
			}
			if _, err := SyncStories(ctx, s, x, 0); err != nil {
				t.Fatal(err)
			}
			rep, err = VerifyStories(ctx, s, x)
			if err != nil || !rep.Clean() || rep.StoreCount != published {
				t.Fatalf("after sync: %+v, %v", rep, err)
			}
			mx, err = Open(mdir)
			if err != nil {
				t.Fatal(err)
			}
			defer mx.Close()
			if r, err := Verify(ctx, s, mx); err != nil || !slices.Equal(r.Missing, []string{m[0].ID}) {
				t.Fatalf("martyrs before sync: %+v, %v; want %s missing", r, err, m[0].ID)
			}
			mustSync(t, s, mx)
			mustVerifyClean(t, s, mx)

			// The new story: 张 in a traditional title found by simplified
			// query, user HTML escaped in Marked, kept raw in Text.
			r = storySearch(t, x, s, StoryQuery{Text: "张德明"})
			if len(r.Hits) != 1 || r.Hits[0].Story.ID != "s-crash" {
				t.Fatalf("张德明: %v", hitIDs(r))
			}
			for _, f := range r.Hits[0].Fragments {
				if strings.Contains(f.Marked, "<script>") {
					t.Errorf("unescaped user HTML in %q", f.Marked)
				}
				if f.Field == sfTitle && !strings.HasPrefix(f.Marked, "<mark>張德明</mark>") {
					t.Errorf("title fragment %q", f.Marked)
				}
			}
			if r := storySearch(t, x, s, StoryQuery{Text: "栓柱"}); r.Total != 0 {
				t.Errorf("unpublished s-0001 still found")
			}
		})
	}
}

func TestStoryQueryValidation(t *testing.T) {
	x := openStories(t, filepath.Join(t.TempDir(), "s"))
	s := openSQLite(t)
	for _, tc := range []struct {
		name string
		q    StoryQuery
		ok   bool
	}{
		{"empty", StoryQuery{Text: "  \t"}, false},
		{"long", StoryQuery{Text: strings.Repeat("长", 1000)}, false},
		{"bad cursor", StoryQuery{Text: "长津湖", After: "!!"}, false},
		{"too many", StoryQuery{Text: "长津湖", First: 1000}, false},
		{"emoji and controls", StoryQuery{Text: "🎖\x00长津湖\u0007"}, true},
		{"full-width", StoryQuery{Text: "ＡＢＣ長津湖"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := x.Search(context.Background(), s, tc.q)
			if tc.ok && err != nil {
				t.Fatalf("err %v", err)
			}
			if !tc.ok && !IsValidation(err) {
				t.Fatalf("err %v, want a validation error", err)
			}
		})
	}
}

func FuzzStoryQuery(f *testing.F) {
	for _, s := range []string{"膠縣", "", "<mark>", "\xff", "ＡＢＣ"} {
		f.Add(s)
	}
	x, err := OpenStories(filepath.Join(f.TempDir(), "s"))
	if err != nil {
		f.Fatal(err)
	}
	defer x.Close()
	f.Fuzz(func(t *testing.T, q string) {
		_, _ = x.Search(context.Background(), nil, StoryQuery{Text: q})
		_, _ = decodeStoryCursor(q)
	})
}

// storyMap serves GetStories from memory; the rest of the store is unused.
type storyMap struct {
	store.Store
	m map[string]store.Story
}

func (s storyMap) GetStories(_ context.Context, ids []string) (map[string]store.Story, error) {
	out := map[string]store.Story{}
	for _, id := range ids {
		if st, ok := s.m[id]; ok {
			out[id] = st
		}
	}
	return out, nil
}

// FuzzStoryFragments indexes an arbitrary story and searches it with an
// arbitrary query: highlights must lie inside their fragment and Marked
// must never carry a tag other than <mark>.
func FuzzStoryFragments(f *testing.F) {
	f.Add("張德明的家書", "<b>信</b>里写着張德明在长津湖", "张德明")
	f.Add("t", "a\xffb張", "張")
	x, err := OpenStories(filepath.Join(f.TempDir(), "s"))
	if err != nil {
		f.Fatal(err)
	}
	defer x.Close()
	f.Fuzz(func(t *testing.T, title, body, q string) {
		st := store.Story{ID: "s", Title: title, Body: body, Published: true}
		if err := x.idx.Index("s", x.document(st)); err != nil {
			t.Skip()
		}
		r, err := x.Search(context.Background(), storyMap{m: map[string]store.Story{"s": st}}, StoryQuery{Text: q})
		if err != nil {
			return
		}
		for _, h := range r.Hits {
			for _, fr := range h.Fragments {
				n := len([]rune(fr.Text))
				for _, sp := range fr.Highlights {
					if sp.Start < 0 || sp.End > n || sp.Start >= sp.End {
						t.Fatalf("span %+v outside %q", sp, fr.Text)
					}
				}
				rest := strings.ReplaceAll(strings.ReplaceAll(fr.Marked, "<mark>", ""), "</mark>", "")
				if strings.ContainsAny(rest, "<>") {
					t.Fatalf("unescaped markup in %q", fr.Marked)
				}
			}
		}
	})
}
