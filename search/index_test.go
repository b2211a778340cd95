package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/guigen/guigen/store"
)

func openTemp(t *testing.T) (*Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x, dir
}

func hasReason(h Hit, kind ReasonKind, detailPart string) bool {
	for _, r := range h.Reasons {
		if r.Kind == kind && strings.Contains(r.Detail, detailPart) {
			return true
		}
	}
	return false
}

func TestIndexLifecycle(t *testing.T) {
	ctx := context.Background()
	x, dir := openTemp(t)
	ms := []store.Martyr{
		{ID: "m1", Name: "高善娃", HometownText: "山东省胶县大店村", Born: store.Date{Year: 1925}},
		{ID: "m2", Name: "陈花", HometownText: "山东省掖县"},
		{ID: "m3", Name: "張德明", Aliases: []store.Alias{{Name: "二娃", Kind: "nickname"}}},
		{ID: "m4", Unnamed: true, HometownText: "山东省黄县"},
	}
	if err := x.Index(ctx, ms); err != nil {
		t.Fatal(err)
	}
	if n, _ := x.Count(); n != 4 {
		t.Errorf("Count = %d, want 4", n)
	}
	search := func(q Query) []Hit {
		t.Helper()
		hits, err := x.Search(ctx, q)
		if err != nil {
			t.Fatalf("Search(%+v): %v", q, err)
		}
		return hits
	}
	if h := search(Query{Name: "高喜娃"}); len(h) == 0 || h[0].MartyrID != "m1" || !hasReason(h[0], ReasonShape, "喜/善") {
		t.Errorf("高喜娃: %+v", h)
	}
	if h := search(Query{Name: "陈华"}); len(h) == 0 || h[0].MartyrID != "m2" || !hasReason(h[0], ReasonHomophone, "华/花") {
		t.Errorf("陈华: %+v", h)
	}
	if h := search(Query{Name: "张二娃"}); len(h) == 0 || h[0].MartyrID != "m3" || !hasReason(h[0], ReasonAlias, "小名 二娃") {
		t.Errorf("张二娃: %+v", h)
	}
	if h := search(Query{Name: "zhang deming"}); len(h) == 0 || h[0].MartyrID != "m3" {
		t.Errorf("zhang deming: %+v", h)
	}
	if h := search(Query{Hometown: "黄县"}); len(h) == 0 || h[0].MartyrID != "m4" || !hasReason(h[0], ReasonHometown, "籍贯相符") {
		t.Errorf("unnamed by hometown: %+v", h)
	}

	// Replacing a record replaces what it is found by.
	if err := x.Index(ctx, []store.Martyr{{ID: "m1", Name: "高喜娃"}}); err != nil {
		t.Fatal(err)
	}
	if h := search(Query{Name: "高喜娃"}); len(h) == 0 || h[0].MartyrID != "m1" || h[0].Score != 1 {
		t.Errorf("after update: %+v", h)
	}
	if err := x.Delete(ctx, []string{"m1", "no-such-id"}); err != nil {
		t.Fatal(err)
	}
	for _, h := range search(Query{Name: "高喜娃"}) {
		if h.MartyrID == "m1" {
			t.Errorf("found after delete: %+v", h)
		}
	}
	if err := x.SetWatermark(ctx, 42); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopen: data and watermark persist.
	y, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer y.Close()
	if w, err := y.Watermark(ctx); err != nil || w != 42 {
		t.Errorf("watermark after reopen = %d, %v", w, err)
	}
	if n, _ := y.Count(); n != 3 {
		t.Errorf("Count after reopen = %d, want 3", n)
	}
	if h, err := y.Search(ctx, Query{Name: "陈华"}); err != nil || len(h) == 0 || h[0].MartyrID != "m2" {
		t.Errorf("after reopen: %+v %v", h, err)
	}
}

func TestOpenRefusals(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "notindex")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err == nil {
		t.Error("Open on a non-empty directory without an index succeeded")
	}

	x, idxDir := openTemp(t)
	if err := x.idx.SetInternal(keyMapping, []byte("guigen-names-0")); err != nil {
		t.Fatal(err)
	}
	x.Close()
	if _, err := Open(idxDir); !errors.Is(err, ErrStale) {
		t.Errorf("Open on an index of another version: %v, want ErrStale", err)
	}
}

// A hometown, birth year and unit decide between namesakes, and say so.
func TestNamesakes(t *testing.T) {
	ctx := context.Background()
	x, _ := openTemp(t)
	var ms []store.Martyr
	for i, home := range []string{"山东省掖县", "山东省黄县", "山东省胶县大店村", "河北省沧县", "山东省即墨县"} {
		ms = append(ms, store.Martyr{ID: "zjj-" + string(rune('a'+i)), Name: "张俊江", HometownText: home,
			Born: store.Date{Year: 1920 + 2*i}, UnitText: "27军79师"})
	}
	ms[2].UnitText = "26军77师"
	if err := x.Index(ctx, ms); err != nil {
		t.Fatal(err)
	}
	hits, err := x.Search(ctx, Query{Name: "张俊江", Hometown: "胶县"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 5 || hits[0].MartyrID != "zjj-c" || !hasReason(hits[0], ReasonHometown, "籍贯相符") {
		t.Errorf("by hometown: %+v", hits)
	}
	if hits[0].Score <= hits[1].Score {
		t.Errorf("hometown did not raise the score: %+v", hits)
	}
	hits, _ = x.Search(ctx, Query{Name: "张俊江", BirthYear: 1926})
	if hits[0].MartyrID != "zjj-d" || !hasReason(hits[0], ReasonBirthYear, "1926") {
		t.Errorf("by birth year: %+v", hits)
	}
	hits, _ = x.Search(ctx, Query{Name: "张俊江", Unit: "26军"})
	if hits[0].MartyrID != "zjj-c" || !hasReason(hits[0], ReasonUnit, "部队相符") {
		t.Errorf("by unit: %+v", hits)
	}
	hits, _ = x.Search(ctx, Query{Name: "张俊江", Limit: 2})
	if len(hits) != 2 {
		t.Errorf("limit 2: %d hits", len(hits))
	}
}

func TestSearchValidation(t *testing.T) {
	ctx := context.Background()
	x, _ := openTemp(t)
	bad := []Query{
		{},
		{Name: "   "},
		{Name: "😀"},
		{Name: strings.Repeat("王", 1000)},
		{Name: "王德明", BirthYear: 19},
		{Name: "王德明", Limit: -1},
		{Name: "王德明", Limit: MaxLimit + 1},
		{Name: "王德明", Hometown: strings.Repeat("胶", 300)},
	}
	for _, q := range bad {
		_, err := x.Search(ctx, q)
		if !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Search(%.40v): err = %v, want store.ErrInvalid", q, err)
		}
	}
	if _, err := x.Search(ctx, Query{Name: "王德明"}); err != nil {
		t.Errorf("on an empty index: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := x.Search(cctx, Query{Name: "王德明"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	if err := x.Index(cctx, []store.Martyr{{ID: "a", Name: "王"}}); !errors.Is(err, context.Canceled) {
		t.Errorf("Index with a cancelled context: %v", err)
	}
	if err := x.Index(ctx, []store.Martyr{{Name: "王"}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Index without id: %v", err)
	}
}

// A place resolver plugs in: it decides hometown agreement and adds the
// other names of the place to the candidate query.
type renamedCounty struct{}

func (renamedCounty) PrepareHometown(_ context.Context, typed string) (HometownScorer, error) {
	return renamedScorer{typed: typed}, nil
}

type renamedScorer struct{ typed string }

func (s renamedScorer) Alternatives() []string {
	if s.typed == "胶州市" {
		return []string{"胶县"}
	}
	return nil
}

func (s renamedScorer) ScoreHometown(h Hometown) (float64, []Reason, bool) {
	if h.PlaceID == "" {
		return 0, nil, false
	}
	if h.PlaceID == "p-jiaoxian" && s.typed == "胶州市" {
		return 1, []Reason{{ReasonHometown, "胶县→胶州市 1987"}}, true
	}
	return 0, nil, true
}

func TestHometownMatcherHook(t *testing.T) {
	ctx := context.Background()
	x, err := Open(filepath.Join(t.TempDir(), "idx"), WithHometownMatcher(renamedCounty{}), WithCandidates(50))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if err := x.Index(ctx, []store.Martyr{
		{ID: "a", Name: "刘玉", HometownText: "胶县", HometownID: "p-jiaoxian"},
		{ID: "b", Name: "刘玉", HometownText: "掖县", HometownID: "p-yexian"},
	}); err != nil {
		t.Fatal(err)
	}
	hits, err := x.Search(ctx, Query{Name: "刘玉", Hometown: "胶州市"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 || hits[0].MartyrID != "a" || !hasReason(hits[0], ReasonHometown, "胶县→胶州市 1987") {
		t.Errorf("renamed county: %+v", hits)
	}
	hits, _ = x.Search(ctx, Query{Hometown: "胶州市"})
	if len(hits) == 0 || hits[0].MartyrID != "a" {
		t.Errorf("hometown alone through the alternatives: %+v", hits)
	}
}
