package ingest

import (
	"bytes"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/guigen/guigen/store"
)

// realAreaCodes is the areacodes compilation, shared read-only; it is
// never copied into the repository.
const realAreaCodes = "/work/shared/data/areacodes/result.csv"

// readRealAreaCodes returns the real file's bytes. Without it the test
// skips, except under CI, where a missing file is a failure.
func readRealAreaCodes(tb testing.TB) []byte {
	tb.Helper()
	b, err := os.ReadFile(realAreaCodes)
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("CI is set but the areacodes file is unreadable: %v", err)
		}
		tb.Skipf("areacodes file not available: %v", err)
	}
	return b
}

// realGazetteer indexes the places read from the real file.
type realGazetteer struct {
	places []store.Place
	byID   map[string]store.Place
	byCode map[string][]store.Place
}

func newRealGazetteer(places []store.Place) realGazetteer {
	g := realGazetteer{places: places, byID: map[string]store.Place{}, byCode: map[string][]store.Place{}}
	for _, p := range places {
		g.byID[p.ID] = p
		g.byCode[p.Code] = append(g.byCode[p.Code], p)
	}
	return g
}

// only returns the one place with the code.
func (g realGazetteer) only(t *testing.T, code string) store.Place {
	t.Helper()
	ps := g.byCode[code]
	if len(ps) != 1 {
		t.Fatalf("code %s: %d places, want 1", code, len(ps))
	}
	return ps[0]
}

type realStep struct {
	code, name, kind string
	year             int
}

// chain follows a place through the places that replaced all of it, in
// the year it ended, and returns each step. Partial transfers of land
// before that year are not part of the chain.
func (g realGazetteer) chain(t *testing.T, from store.Place) []realStep {
	t.Helper()
	var steps []realStep
	for p := from; p.To != 0; {
		var ends []store.PlaceChange
		for _, c := range p.ReplacedBy {
			if c.Year == p.To {
				ends = append(ends, c)
			}
		}
		if len(ends) != 1 {
			t.Fatalf("%s %s ends with %d successors; the chain expects one", p.ID, p.Name, len(ends))
		}
		c := ends[0]
		p = g.byID[c.ToID]
		steps = append(steps, realStep{code: p.Code, name: p.Name, kind: c.Kind, year: c.Year})
		if len(steps) > 20 {
			t.Fatalf("chain from %s does not end", from.ID)
		}
	}
	return steps
}

func TestReadPlacesRealFile(t *testing.T) {
	raw := readRealAreaCodes(t)
	start := time.Now()
	f, err := ReadPlaces(bytes.NewReader(raw), realAreaCodes)
	took := time.Since(start)
	if err != nil {
		t.Fatalf("ReadPlaces: %v", err)
	}
	if err := f.Err(); err != nil {
		t.Fatalf("row errors in the real file: %v", err)
	}
	// Counted independently of the CSV reader: one row a line, no quoted
	// newlines in this file.
	lines := bytes.Count(bytes.TrimRight(raw, "\n"), []byte("\n")) + 1
	if f.Format != PlacesAreaCodes || f.Encoding != EncodingUTF8BOM {
		t.Errorf("format %v, encoding %q; want areacodes, UTF-8 BOM", f.Format, f.Encoding)
	}
	if f.Rows != lines-1 || len(f.Places) != f.Rows || f.Rows < 6800 {
		t.Errorf("%d lines, %d rows, %d places; want every line after the header to be a place, and at least 6800", lines, f.Rows, len(f.Places))
	}
	if took > time.Second {
		t.Errorf("parsing took %v; want well under a second", took)
	}

	g := newRealGazetteer(f.Places)
	kinds := map[string]int{}
	partial := 0
	for _, p := range f.Places {
		if p.ParentID != "" {
			if _, ok := g.byID[p.ParentID]; !ok {
				t.Errorf("%s %s: parent %s does not exist", p.ID, p.Name, p.ParentID)
			}
		} else if p.Level != store.LevelProvince {
			t.Errorf("%s %s (%s) has no parent", p.ID, p.Name, p.Level)
		}
		for _, c := range p.ReplacedBy {
			kinds[c.Kind]++
			if p.To == 0 || c.Year < p.To {
				partial++
			}
			if _, ok := g.byID[c.ToID]; !ok {
				t.Errorf("%s %s: successor %s does not exist", p.ID, p.Name, c.ToID)
			}
		}
	}
	reused := 0
	for code, ps := range g.byCode {
		if len(ps) < 2 {
			continue
		}
		reused++
		// Rows of one code never overlap in time.
		slices.SortFunc(ps, func(a, b store.Place) int { return a.From - b.From })
		for i := 1; i < len(ps); i++ {
			if ps[i-1].To == 0 || ps[i-1].To > ps[i].From {
				t.Errorf("code %s: %s (%d-%d) overlaps %s (from %d)", code, ps[i-1].Name, ps[i-1].From, ps[i-1].To, ps[i].Name, ps[i].From)
			}
		}
	}
	changes := 0
	for _, n := range kinds {
		changes += n
	}
	t.Logf("%d rows -> %d places in %v (%s); %d codes used by more than one row; %d changes %v, %d of them partial transfers, %d inferred",
		f.Rows, len(f.Places), took, f.Encoding, reused, changes, kinds, partial, f.InferredChanges)

	b := &store.Batch{Places: f.Places}
	refs, err := b.Validate()
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if len(refs) != 0 {
		t.Errorf("Validate: %d references outside the batch, first %+v; want none", len(refs), refs[0])
	}

	t.Run("胶县", func(t *testing.T) {
		p := g.only(t, "370224")
		if p.Name != "胶县" || p.Level != store.LevelCounty || p.To != 1987 || p.From != 0 {
			t.Errorf("370224 = %s %s %d-%d; want 胶县, county, in use until 1987 since before the table", p.Name, p.Level, p.From, p.To)
		}
		if parent := g.byID[p.ParentID]; parent.Name != "青岛市" {
			t.Errorf("胶县 parent %s %s; want 青岛市", parent.ID, parent.Name)
		}
		// The table has an interim province-level code, 379006, for the
		// new city from 1987 until it got 370281 in 1990.
		want := []realStep{
			{code: "379006", name: "胶州市", kind: "upgrade", year: 1987},
			{code: "370281", name: "胶州市", kind: "rename", year: 1990},
		}
		if got := g.chain(t, p); !slices.Equal(got, want) {
			t.Errorf("胶县 chain %+v, want %+v", got, want)
		}
		if interim := g.only(t, "379006"); g.byID[interim.ParentID].Name != "山东省" {
			t.Errorf("379006 parent %s; want 山东省 (直辖)", interim.ParentID)
		}
	})

	chains := []struct {
		name, code string
		want       []realStep
	}{
		{"即墨县", "370222", []realStep{
			{code: "379013", name: "即墨市", kind: "upgrade", year: 1989},
			{code: "370282", name: "即墨市", kind: "rename", year: 1990},
			{code: "370215", name: "即墨区", kind: "rename", year: 2017},
		}},
		{"崂山县", "370221", []realStep{{code: "370212", name: "崂山区", kind: "upgrade", year: 1988}}},
		{"掖县", "370625", []realStep{
			{code: "379009", name: "莱州市", kind: "rename", year: 1988},
			{code: "370683", name: "莱州市", kind: "rename", year: 1990},
		}},
		{"黄县", "370623", []realStep{
			{code: "379002", name: "龙口市", kind: "rename", year: 1986},
			{code: "370681", name: "龙口市", kind: "rename", year: 1990},
		}},
	}
	for _, c := range chains {
		t.Run(c.name, func(t *testing.T) {
			p := g.only(t, c.code)
			if p.Name != c.name {
				t.Fatalf("%s is %s, want %s", c.code, p.Name, c.name)
			}
			if got := g.chain(t, p); !slices.Equal(got, c.want) {
				t.Errorf("chain %+v, want %+v", got, c.want)
			}
		})
	}

	t.Run("parent renamed", func(t *testing.T) {
		// 南坪县 kept its code while its prefecture was renamed in 1987; each
		// row's parent is the prefecture as it was in the row's first year.
		want := map[int]string{0: "阿坝藏族自治州", 1987: "阿坝藏族羌族自治州"}
		seen := 0
		for _, p := range g.byCode["513225"] {
			if name, ok := want[p.From]; ok {
				seen++
				if got := g.byID[p.ParentID].Name; got != name {
					t.Errorf("%s %s (from %d) parent %s, want %s", p.ID, p.Name, p.From, got, name)
				}
			}
		}
		if seen != len(want) {
			t.Errorf("found %d of the %d rows of 513225", seen, len(want))
		}
		// The prefecture's own 变更 row lists no successor; it is inferred.
		for _, p := range g.byCode["513200"] {
			if p.Name == "阿坝藏族自治州" {
				want := []realStep{{code: "513200", name: "阿坝藏族羌族自治州", kind: "rename", year: 1987}}
				if got := g.chain(t, p); !slices.Equal(got, want) {
					t.Errorf("阿坝藏族自治州 chain %+v, want %+v", got, want)
				}
			}
		}
	})

	t.Run("merge", func(t *testing.T) {
		// 崇文区 went into the existing 东城区 in 2010.
		p := g.only(t, "110103")
		want := []store.PlaceChange{{ToID: g.byCode["110101"][0].ID, Year: 2010, Kind: "merge"}}
		if !slices.Equal(p.ReplacedBy, want) {
			t.Errorf("崇文区 %+v, want %+v", p.ReplacedBy, want)
		}
	})

	t.Run("other names", func(t *testing.T) {
		names, err := ReadPlaces(bytes.NewReader(readTestdata(t, "places_othernames_real.csv")), "places_othernames_real.csv")
		if err != nil || names.Err() != nil {
			t.Fatalf("read: %v %v", err, names.Err())
		}
		places := slices.Clone(f.Places)
		if errs := MergeOtherNames(places, names.OtherNames); len(errs) != 0 {
			t.Fatalf("merge: %v", errs)
		}
		g := newRealGazetteer(places)
		// 142224 has two rows (1981, 1983); a name that ended in 1958 goes
		// to the earliest.
		var yuanping store.Place
		for _, p := range g.byCode["142224"] {
			if len(p.OtherNames) > 0 {
				if yuanping.ID != "" {
					t.Fatalf("崞县 attached to two places")
				}
				yuanping = p
			}
		}
		want := []store.PlaceName{{Name: "崞县", Kind: "historical", To: 1958, Source: "旧称：1958 年崞县改名原平县"}}
		if yuanping.Name != "原平县" || yuanping.From != 0 || !slices.Equal(yuanping.OtherNames, want) {
			t.Errorf("崞县 went to %s %s (from %d) as %+v; want the first 原平县 row", yuanping.ID, yuanping.Name, yuanping.From, yuanping.OtherNames)
		}
		if got := g.only(t, "370281").OtherNames; len(got) != 1 || got[0].Kind != "misspelled" {
			t.Errorf("胶州市 other names %+v; want one misspelling", got)
		}
		if _, err := (&store.Batch{Places: places}).Validate(); err != nil {
			t.Errorf("Validate after merging: %v", err)
		}
	})
}

func BenchmarkReadPlacesRealFile(b *testing.B) {
	raw := readRealAreaCodes(b)
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := ReadPlaces(bytes.NewReader(raw), "result.csv"); err != nil {
			b.Fatal(err)
		}
	}
}
