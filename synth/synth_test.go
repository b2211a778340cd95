package synth

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
)

func demoGenerator(t *testing.T, seed uint64) *Generator {
	t.Helper()
	ps, err := LoadPlaces("")
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(seed, ps, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestDeterministic(t *testing.T) {
	a, b, c := demoGenerator(t, 42), demoGenerator(t, 42), demoGenerator(t, 43)
	same, differ := true, false
	for range 2000 {
		ra, rb, rc := a.Record(), b.Record(), c.Record()
		same = same && reflect.DeepEqual(ra, rb)
		differ = differ || !reflect.DeepEqual(ra, rc)
	}
	if !same {
		t.Error("the same seed gave different records")
	}
	if !differ {
		t.Error("another seed gave the same records")
	}
	ia, ib := NewInjector(demoGenerator(t, 9)), NewInjector(demoGenerator(t, 9))
	for _, k := range Kinds {
		ca, oka := ia.Make(k)
		cb, okb := ib.Make(k)
		if oka != okb || !reflect.DeepEqual(ca, cb) {
			t.Errorf("%s: the same seed gave different cases", k)
		}
	}
}

// The register looks like one: family names by frequency, namesakes,
// partial and unknown dates, hometowns at several levels, aliases.
func TestDistributions(t *testing.T) {
	g := demoGenerator(t, 1)
	const n = 20000
	names := map[string]int{}
	var wang, monthless, unknownBorn, village, countyOnly, aliases, female int
	for range n {
		m := g.Record().Martyr
		names[m.Name]++
		if store.Surname(m.Name) == "王" {
			wang++
		}
		switch {
		case m.Born.Text == "不详":
			unknownBorn++
		case m.Born.Year != 0 && m.Born.Month == 0:
			monthless++
		}
		if m.Born.Year != 0 && (m.Born.Year < 1900 || m.Born.Year > 1936) {
			t.Fatalf("born %v", m.Born)
		}
		if strings.HasSuffix(m.HometownText, "县") || strings.HasSuffix(m.HometownText, "市") {
			countyOnly++
		} else if !strings.HasSuffix(m.HometownText, "省") {
			village++
		}
		if len(m.Aliases) > 0 {
			aliases++
		}
		if m.Sex == store.SexFemale {
			female++
		}
		if m.ID != "m-"+m.RegistryNo {
			t.Fatalf("id %s for registry number %s", m.ID, m.RegistryNo)
		}
	}
	shared := 0
	for _, c := range names {
		if c > 1 {
			shared += c
		}
	}
	share := func(k int) float64 { return float64(k) / n }
	checks := []struct {
		what     string
		got      float64
		min, max float64
	}{
		{"王 (7.1% nationally; 7-9% of the names listed)", share(wang), 0.06, 0.10},
		// Korean War martyrs: 23,246 of 197,653 (12%) share a name; a
		// smaller register shares fewer, a larger more.
		{"records sharing a name", share(shared), 0.10, 0.7},
		{"birth dates without a month", share(monthless), 0.2, 0.6},
		{"birth dates 不详", share(unknownBorn), 0.1, 0.2},
		{"hometowns below the county", share(village), 0.5, 0.8},
		{"hometowns to the county", share(countyOnly), 0.15, 0.4},
		{"aliases", share(aliases), 0.08, 0.16},
		{"women", share(female), 0.005, 0.05},
	}
	for _, c := range checks {
		if c.got < c.min || c.got > c.max {
			t.Errorf("%s: %.3f, want %.3f-%.3f", c.what, c.got, c.min, c.max)
		}
	}
}

func hasReason(m search.Match, k search.ReasonKind) bool {
	return slices.ContainsFunc(m.Reasons, func(r search.Reason) bool { return r.Kind == k })
}

// Each kind makes the error it says, judged by the search's own
// comparison (which names the kind of each difference).
func TestInjectors(t *testing.T) {
	ps := []string{""}
	if _, err := os.Stat(DefaultPlacesFile); err == nil {
		ps = append(ps, DefaultPlacesFile)
	}
	for _, path := range ps {
		places, err := LoadPlaces(path)
		if err != nil {
			t.Fatal(err)
		}
		g, err := New(5, places, Options{})
		if err != nil {
			t.Fatal(err)
		}
		in := NewInjector(g)
		for _, k := range Kinds {
			made := 0
			for tries := 0; made < 30 && tries < 600; tries++ {
				c, ok := in.Make(k)
				if !ok {
					continue
				}
				made++
				rec, q := c.Record.Martyr, c.Query
				cmp := search.CompareNames(q.Name, rec.Name)
				bad := ""
				switch k {
				case Exact, OldCounty, PlaceSound:
					if rec.Name != c.Truth || q.Name != c.Truth {
						bad = "name changed"
					}
				case LookAlike:
					if !hasReason(cmp, search.ReasonShape) {
						bad = "no 形近"
					}
				case Homophone:
					if !hasReason(cmp, search.ReasonHomophone) {
						bad = "no 同音"
					}
				case Dialect:
					if !hasReason(cmp, search.ReasonDialect) {
						bad = "no 方音"
					}
				case Variant:
					if !hasReason(cmp, search.ReasonVariant) {
						bad = "no 繁简/异体"
					}
				case TwoChars:
					if len(cmp.Reasons) != 2 {
						bad = "not two differences"
					}
				case Missing:
					if !hasReason(cmp, search.ReasonMissing) || len([]rune(rec.Name)) != len([]rune(c.Truth))-1 {
						bad = "no 缺字"
					}
				case Extra:
					if !hasReason(cmp, search.ReasonExtra) {
						bad = "no 多字"
					}
				case Swapped:
					if !hasReason(cmp, search.ReasonSwap) {
						bad = "no 颠倒"
					}
				case Nickname:
					if len(rec.Aliases) != 1 || !strings.HasSuffix(q.Name, rec.Aliases[0].Name) {
						bad = "no alias recorded"
					}
				case Pinyin, PinyinDialect, Initials, MixedInitials:
					if strings.ContainsFunc(q.Name, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
						bad = "characters in a Latin query"
					}
					if k == Initials && (q.BirthYear == 0 || len(q.Name) != len([]rune(c.Truth))) {
						bad = "initials without birth year"
					}
				}
				switch k {
				case OldCounty:
					cn := c.Record.County
					if !cn.Renamed() || !strings.Contains(rec.HometownText, cn.Name) || !strings.Contains(c.Hometown, shortName(cn.Now)) {
						bad = "not an old county name against a new one"
					}
				case PlaceSound:
					if strings.Contains(rec.HometownText, c.Record.County.Name) {
						bad = "county written right"
					}
				}
				if bad != "" {
					t.Errorf("%s (%s): %s: truth %s, record %s %s, query %q %s; %v", k, path, bad, c.Truth, rec.Name, rec.HometownText, q.Name, c.Hometown, cmp.Reasons)
				}
			}
			if made < 30 {
				t.Errorf("%s (%s): only %d cases", k, path, made)
			}
		}
		for _, p := range Pairs {
			made := 0
			for range 100 {
				if _, ok := in.Make(p[0], p[1]); ok {
					made++
				}
			}
			if made < 10 {
				t.Errorf("pair %v: %d cases of 100 draws", p, made)
			}
		}
	}
}

func TestCSV(t *testing.T) {
	g := demoGenerator(t, 3)
	var b strings.Builder
	w := NewCSVWriter(&b)
	for range 3 {
		if err := w.Write(g.Record().Martyr); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 4 || lines[0] != strings.Join(CSVHeader, ",") {
		t.Errorf("csv:\n%s", b.String())
	}
}
