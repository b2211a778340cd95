package synth

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/ingest"
	"github.com/guigen/guigen/store"
)

// County is a county-level place a record can name as the hometown, with
// the names it had then and has today.
type County struct {
	ID       string // the place in use when the register was written
	Province string // 山东省
	Name     string // the name then: 胶县
	// NowID and Now: the place in use today that ID became, following
	// ReplacedBy (胶州市); the same as ID and Name when never renamed.
	NowID, Now string
	NowYear    int // year of the last change, 0 when never renamed
	// Townships and Villages the gazetteer knows beneath it; empty for the
	// Ministry's table, which stops at the county level.
	Townships []string
	Villages  []string
}

// Renamed reports whether the county is known today by another name (a
// new code under the same name is no renaming to a family).
func (c County) Renamed() bool { return c.Now != c.Name }

// counties picks the county-level places in use in the register's time
// (the early 1950s; places from before a table's first year have From 0)
// and works out their province and their name today.
func counties(places []store.Place) ([]County, error) {
	byID := make(map[string]*store.Place, len(places))
	children := map[string][]*store.Place{}
	for i := range places {
		p := &places[i]
		byID[p.ID] = p
		if p.ParentID != "" {
			children[p.ParentID] = append(children[p.ParentID], p)
		}
	}
	province := func(p *store.Place) string {
		for seen := 0; p != nil && seen < 8; seen++ {
			if p.Level == store.LevelProvince {
				return p.Name
			}
			p = byID[p.ParentID]
		}
		return ""
	}
	var out []County
	for i := range places {
		p := &places[i]
		if p.Level != store.LevelCounty || p.From > 1955 || (p.To != 0 && p.To < 1950) {
			continue
		}
		// Districts of the big cities were few in the 1950s registers'
		// countryside; they stay (a recruit from 市区 is real) but the
		// generator draws counties far more often, see Generator.county.
		c := County{ID: p.ID, Province: province(p), Name: p.Name, NowID: p.ID, Now: p.Name}
		cur := p
		for hops := 0; cur.To != 0 && len(cur.ReplacedBy) > 0 && hops < 10; hops++ {
			next := byID[cur.ReplacedBy[0].ToID]
			if next == nil {
				break
			}
			c.NowYear = cur.ReplacedBy[0].Year
			cur = next
		}
		if cur.To == 0 {
			c.NowID, c.Now = cur.ID, cur.Name
		}
		if c.NowID == c.ID {
			c.NowYear = 0
		}
		for _, ch := range children[p.ID] {
			switch ch.Level {
			case store.LevelTownship:
				c.Townships = append(c.Townships, ch.Name)
				for _, v := range children[ch.ID] {
					if v.Level == store.LevelVillage {
						c.Villages = append(c.Villages, v.Name)
					}
				}
			case store.LevelVillage:
				c.Villages = append(c.Villages, ch.Name)
			}
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("synth: the gazetteer has no county-level place in use around 1950")
	}
	slices.SortFunc(out, func(a, b County) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// isDistrict: a city district (区) rather than a county (县, 旗) or a
// county-level city.
func isDistrict(name string) bool { return strings.HasSuffix(name, "区") }

// countySuffixes are what people leave off a county's name.
var countySuffixes = []string{"自治县", "县", "市", "区", "旗"}

// shortName is a county name without its suffix when at least two
// characters remain (胶县 stays, 胶州市 gives 胶州).
func shortName(name string) string {
	for _, s := range countySuffixes {
		if t, ok := strings.CutSuffix(name, s); ok && len([]rune(t)) >= 2 {
			return t
		}
	}
	return name
}

// shortProvince: 山东省 → 山东, 广西壮族自治区 → 广西.
func shortProvince(name string) string {
	for _, s := range []string{"壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市"} {
		if t, ok := strings.CutSuffix(name, s); ok && t != "" {
			return t
		}
	}
	return name
}

// DefaultPlacesFile is where the Ministry's code table lives on the
// project's machines; it is read, never copied into the repository.
const DefaultPlacesFile = "/work/shared/data/areacodes/result.csv"

// LoadPlaces reads a gazetteer file in either format `guigen ingest
// places` reads; an empty path gives the demo gazetteer (a few Shandong
// counties with their renamings).
func LoadPlaces(path string) ([]store.Place, error) {
	if path == "" {
		return demo.Batch().Places, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("synth: places: %w", err)
	}
	defer f.Close()
	pf, err := ingest.ReadPlaces(f, filepath.Base(path))
	if err != nil {
		return nil, fmt.Errorf("synth: places %s: %w", path, err)
	}
	if len(pf.Places) == 0 {
		return nil, fmt.Errorf("synth: places %s: no places (an other-names file needs the code table first)", path)
	}
	return pf.Places, nil
}
