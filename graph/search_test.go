package graph_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/guigen/guigen/graph"
	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
)

// indexSearcher is the simplest graph.Searcher over a real index and
// gazetteer; serve's own (cmd/guigen) adds syncing.
type indexSearcher struct {
	ix  *search.Index
	gaz *search.Gazetteer
}

func (s indexSearcher) SearchMartyrs(ctx context.Context, q search.Query) ([]search.Hit, error) {
	return s.ix.Search(ctx, q)
}

func (s indexSearcher) SearchPlaces(_ context.Context, text string, n int) ([]search.Resolution, error) {
	rs := s.gaz.Resolve(text)
	return rs[:min(n, len(rs))], nil
}

var demoIndex struct {
	once sync.Once
	s    indexSearcher
	err  error
}

// openSearch returns a searcher over the demo store, its index synced
// from the change log into a temporary directory.
func openSearch(t *testing.T) (store.Store, indexSearcher) {
	t.Helper()
	s := openDemo(t)
	demoIndex.once.Do(func() {
		ctx := context.Background()
		var places []store.Place
		req := store.PageReq{First: store.MaxPageSize}
		for {
			page, err := s.ListPlaces(ctx, req)
			if err != nil {
				demoIndex.err = err
				return
			}
			places = append(places, page.Items...)
			if !page.HasNext {
				break
			}
			req.After = page.EndCursor
		}
		gaz := search.NewGazetteer(places)
		ix, err := search.Open(filepath.Join(shared.dir, "index"), search.WithHometownMatcher(search.NewHometowns(gaz)))
		if err != nil {
			demoIndex.err = err
			return
		}
		if _, err := search.Sync(ctx, s, ix, 0); err != nil {
			demoIndex.err = err
			return
		}
		demoIndex.s = indexSearcher{ix: ix, gaz: gaz}
	})
	if demoIndex.err != nil {
		t.Fatalf("demo index: %v", demoIndex.err)
	}
	return s, demoIndex.s
}

func newSearchClient(t *testing.T) (*client.Client, store.Store) {
	t.Helper()
	s, ix := openSearch(t)
	log := slog.New(slog.NewTextHandler(&logSink{}, nil))
	return client.New(graph.NewHandler(s, log, graph.WithSearch(ix))), s
}

type martyrHit struct {
	Score  float64
	Martyr struct {
		ID, Name     string
		HometownText *string
	}
	Reasons []struct{ Kind, Detail string }
}

type martyrSearch struct {
	SearchMartyrs struct {
		Total int
		Hits  []martyrHit
	}
}

const searchMartyrsQuery = `query($name: String!, $hometown: String, $first: Int) {
  searchMartyrs(name: $name, hometown: $hometown, first: $first) {
    total
    hits { score martyr { id name hometownText } reasons { kind detail } }
  }
}`

func findHit(hits []martyrHit, id string) (martyrHit, bool) {
	for _, h := range hits {
		if h.Martyr.ID == id {
			return h, true
		}
	}
	return martyrHit{}, false
}

func allMartyrs(t *testing.T, s store.Store) []store.Martyr {
	t.Helper()
	page, err := s.ListMartyrs(context.Background(), store.MartyrFilter{}, store.PageReq{First: store.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// homophones replace one character of a name with another read the same.
var homophones = map[rune]rune{'德': '得', '山': '善', '华': '花', '玉': '育', '生': '升', '明': '名', '成': '城', '富': '付'}

func TestSearchMartyrsHomophone(t *testing.T) {
	c, s := newSearchClient(t)
	tried := 0
	for _, m := range allMartyrs(t, s) {
		rs := []rune(m.Name)
		i := -1
		for j := 1; j < len(rs); j++ { // keep the surname
			if _, ok := homophones[rs[j]]; ok {
				i = j
				break
			}
		}
		if i < 0 || len(rs) < 2 {
			continue
		}
		rs[i] = homophones[rs[i]]
		typed := string(rs)
		tried++
		var out martyrSearch
		post(t, c, searchMartyrsQuery, &out, client.Var("name", typed))
		h, ok := findHit(out.SearchMartyrs.Hits, m.ID)
		if !ok {
			t.Errorf("%s (for %s %s): not among %d hits", typed, m.ID, m.Name, len(out.SearchMartyrs.Hits))
			continue
		}
		if out.SearchMartyrs.Total != len(out.SearchMartyrs.Hits) {
			t.Errorf("%s: total %d, %d hits", typed, out.SearchMartyrs.Total, len(out.SearchMartyrs.Hits))
		}
		if h.Martyr.Name != m.Name || h.Score <= 0 || h.Score > 1 {
			t.Errorf("%s: hit %+v", typed, h)
		}
		var why []string
		for _, r := range h.Reasons {
			why = append(why, r.Kind+":"+r.Detail)
		}
		if !strings.Contains(strings.Join(why, " "), "homophone:") {
			t.Errorf("%s → %s: reasons %v, want a homophone", typed, m.Name, why)
		}
		t.Logf("%s → %s %s score %.2f %v", typed, m.ID, m.Name, h.Score, why)
		if tried == 10 {
			break
		}
	}
	if tried < 3 {
		t.Fatalf("only %d demo names had a replaceable character", tried)
	}
}

func TestSearchMartyrsHometownTodaysName(t *testing.T) {
	c, s := newSearchClient(t)
	tried := 0
	for _, m := range allMartyrs(t, s) {
		if m.Name == "" || !strings.Contains(m.HometownText, "胶县") {
			continue
		}
		tried++
		var out martyrSearch
		post(t, c, searchMartyrsQuery, &out, client.Var("name", m.Name), client.Var("hometown", "胶州市"))
		h, ok := findHit(out.SearchMartyrs.Hits, m.ID)
		if !ok {
			t.Errorf("%s %s (%s): not found with hometown 胶州市", m.ID, m.Name, m.HometownText)
			continue
		}
		agrees := false
		for _, r := range h.Reasons {
			if r.Kind == "hometown" && strings.HasPrefix(r.Detail, "籍贯相符") {
				agrees = true
			}
		}
		if !agrees {
			t.Errorf("%s %s (%s): reasons %+v, want the hometown to agree", m.ID, m.Name, m.HometownText, h.Reasons)
		}
		// Namesakes from elsewhere must not outrank him.
		if top := out.SearchMartyrs.Hits[0]; top.Score > h.Score {
			t.Errorf("%s %s: outranked by %s %s (%v > %v)", m.ID, m.Name, top.Martyr.ID, str(top.Martyr.HometownText), top.Score, h.Score)
		}
		t.Logf("%s 胶州市 → %s (%s) score %.2f %+v", m.Name, m.ID, m.HometownText, h.Score, h.Reasons)
		if tried == 5 {
			break
		}
	}
	if tried == 0 {
		t.Fatal("no demo martyr with a hometown in 胶县")
	}
}

func TestSearchMartyrsBadInput(t *testing.T) {
	c, _ := newSearchClient(t)
	for _, tc := range []struct {
		name string
		vars []client.Option
	}{
		{"empty name", []client.Option{client.Var("name", "")}},
		{"blank name", []client.Option{client.Var("name", " \t　")}},
		{"first 1000", []client.Option{client.Var("name", "刘德善"), client.Var("first", 1000)}},
		{"first 0", []client.Option{client.Var("name", "刘德善"), client.Var("first", 0)}},
		{"long name", []client.Option{client.Var("name", strings.Repeat("刘", 1000))}},
		{"long hometown", []client.Option{client.Var("name", "刘德善"), client.Var("hometown", strings.Repeat("胶", 1000))}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := postErr(t, c, searchMartyrsQuery, tc.vars...)
			if code := errs[0].Extensions["code"]; code != graph.CodeBadUserInput {
				t.Errorf("code %v, want %s: %s", code, graph.CodeBadUserInput, errs[0].Message)
			}
		})
	}
}

// Odd names never panic: each gives hits or BAD_USER_INPUT.
func TestSearchMartyrsOddNames(t *testing.T) {
	c, _ := newSearchClient(t)
	for _, name := range []string{"😀", "刘😀德善", "\x00\x07刘德善", "\u202e刘德善", "??", "□□□", "a", strings.Repeat("刘", 100), "ＬＩＵ　ＤＥ"} {
		resp, err := c.RawPost(searchMartyrsQuery, client.Var("name", name))
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if len(resp.Errors) > 0 {
			t.Logf("%q: errors %.200s", name, resp.Errors)
			if !strings.Contains(string(resp.Errors), graph.CodeBadUserInput) {
				t.Errorf("%q: %s", name, resp.Errors)
			}
			continue
		}
		if resp.Data == nil {
			t.Errorf("%q: neither data nor errors", name)
		}
		t.Logf("%q: %.100s", name, resp.Data)
	}
	// An emoji among the characters is dropped, not fatal.
	var out martyrSearch
	post(t, c, searchMartyrsQuery, &out, client.Var("name", "刘😀德善"))
	if len(out.SearchMartyrs.Hits) == 0 || out.SearchMartyrs.Hits[0].Martyr.Name != "刘德善" {
		t.Errorf("刘😀德善: hits %+v", out.SearchMartyrs.Hits)
	}
}

func TestSearchPlaces(t *testing.T) {
	c, _ := newSearchClient(t)
	var out struct {
		SearchPlaces []struct {
			Score   float64
			Reasons []string
			Place   struct{ ID, Name string }
			Current []struct {
				ID, Name string
				Current  bool
			}
		}
	}
	post(t, c, `query { searchPlaces(query: "即墨县") { score reasons place { id name } current { id name current } } }`, &out)
	if len(out.SearchPlaces) == 0 {
		t.Fatal("即墨县: no places")
	}
	top := out.SearchPlaces[0]
	if top.Place.Name != "即墨县" {
		t.Errorf("top place %+v, want 即墨县", top.Place)
	}
	var names []string
	for _, p := range top.Current {
		names = append(names, p.Name)
		if !p.Current {
			t.Errorf("current %s is not in use", p.Name)
		}
	}
	if !strings.Contains(strings.Join(names, " "), "即墨区") {
		t.Errorf("即墨县 became %v, want 即墨区", names)
	}

	errs := postErr(t, c, `query { searchPlaces(query: "即墨", first: 101) { score } }`)
	if code := errs[0].Extensions["code"]; code != graph.CodeBadUserInput {
		t.Errorf("first 101: code %v", code)
	}
	errs = postErr(t, c, `query { searchPlaces(query: "  ") { score } }`)
	if code := errs[0].Extensions["code"]; code != graph.CodeBadUserInput {
		t.Errorf("blank query: code %v", code)
	}
}

func TestSearchNotConfigured(t *testing.T) {
	c, _ := newClient(t, openDemo(t))
	for _, q := range []string{
		`query { searchMartyrs(name: "刘德善") { total } }`,
		`query { searchPlaces(query: "即墨县") { score } }`,
	} {
		errs := postErr(t, c, q)
		if code := errs[0].Extensions["code"]; code != graph.CodeUnavailable {
			t.Errorf("%s: code %v, want %s", q, code, graph.CodeUnavailable)
		}
		if !strings.Contains(errs[0].Message, "搜索") {
			t.Errorf("%s: message %q does not say search is what is unavailable", q, errs[0].Message)
		}
	}
}

// The death-year and cemetery arguments filter the hits: every hit kept
// satisfies them, and every candidate that satisfies them is kept.
func TestSearchMartyrsFilters(t *testing.T) {
	c, s := newSearchClient(t)
	const q = `query($name: String!, $from: Int, $to: Int, $cem: ID, $first: Int) {
  searchMartyrs(name: $name, diedFrom: $from, diedTo: $to, cemeteryId: $cem, first: $first) {
    total hits { martyr { id } } } }`
	byID := map[string]store.Martyr{}
	for _, m := range allMartyrs(t, s) {
		byID[m.ID] = m
	}
	// A common surname gives many namesakes to filter.
	var all martyrSearch
	post(t, c, q, &all, client.Var("name", "王"), client.Var("first", 100))
	if len(all.SearchMartyrs.Hits) < 10 {
		t.Fatalf("王: %d hits; the test needs namesakes", len(all.SearchMartyrs.Hits))
	}
	var cem string
	for _, h := range all.SearchMartyrs.Hits {
		if c := byID[h.Martyr.ID].CemeteryID; c != "" {
			cem = c
			break
		}
	}
	for _, tc := range []struct {
		name     string
		from, to any
		cem      any
	}{
		{"died 1950–1951", 1950, 1951, nil},
		{"died from 1952", 1952, nil, nil},
		{"cemetery", nil, nil, cem},
		{"cemetery and year", nil, 1951, cem},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keep := func(m store.Martyr) bool {
				lo, hi := m.Died.YearBounds()
				if f, ok := tc.from.(int); ok && (lo == 0 || hi < f) {
					return false
				}
				if to, ok := tc.to.(int); ok && (lo == 0 || lo > to) {
					return false
				}
				if c, ok := tc.cem.(string); ok && m.CemeteryID != c {
					return false
				}
				return true
			}
			var want []string
			for _, h := range all.SearchMartyrs.Hits {
				if keep(byID[h.Martyr.ID]) {
					want = append(want, h.Martyr.ID)
				}
			}
			var got martyrSearch
			post(t, c, q, &got, client.Var("name", "王"), client.Var("from", tc.from), client.Var("to", tc.to),
				client.Var("cem", tc.cem), client.Var("first", 100))
			var ids []string
			for _, h := range got.SearchMartyrs.Hits {
				ids = append(ids, h.Martyr.ID)
			}
			// The unfiltered 100 are a prefix of the candidates, so every
			// id wanted from them must be found, in the same order.
			if len(want) == 0 || len(ids) < len(want) || !slices.Equal(ids[:len(want)], want) {
				t.Errorf("kept %v, want %v first", ids, want)
			}
			for _, id := range ids {
				if !keep(byID[id]) {
					t.Errorf("%s kept but does not satisfy the filter", id)
				}
			}
			if got.SearchMartyrs.Total != len(ids) {
				t.Errorf("total %d, hits %d", got.SearchMartyrs.Total, len(ids))
			}
		})
	}
	errs := postErr(t, c, q, client.Var("name", "王"), client.Var("from", 1953), client.Var("to", 1950))
	if errs[0].Extensions["code"] != graph.CodeBadUserInput {
		t.Errorf("from after to: %+v", errs)
	}
}
