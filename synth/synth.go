// Package synth generates synthetic martyr registers for benchmarks and
// the search evaluation: names drawn by the frequencies of the period
// (family names by census share, given-name characters of men born
// 1915-1955), hometowns from a gazetteer at every level with the names
// they had then and have now, partial dates as registers write them,
// namesakes in other places, aliases, and an error injector (errors.go)
// with one function per kind of error archives make.
//
// Everything is drawn from one seeded generator: the same seed and
// gazetteer give the same register, record for record.
package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/guigen/guigen/ingest"
	"github.com/guigen/guigen/search/chardata"
	"github.com/guigen/guigen/store"
)

// Options tune a Generator; the zero value gives the defaults.
type Options struct {
	// NamesakeRate is the share of records given the name of an earlier
	// record (a namesake from another place) on top of the namesakes the
	// name distribution makes by itself; default 0.05.
	NamesakeRate float64
	// AliasRate is the share of records with a nickname or former name
	// recorded; default 0.12.
	AliasRate float64
}

// Generator draws records. It is not safe for concurrent use.
type Generator struct {
	rng      *rand.Rand
	tab      *chardata.Table
	opt      Options
	counties []County
	// countyW: cumulative draw weights of counties (districts seldom).
	countyW  []float64
	surnameW []float64
	common   []rune // the 3,500 characters of the common level
	// recent: names drawn, for namesakes; a bounded ring.
	recent []string
	nrec   int
	seq    int
}

// Record is a generated register entry and what the generator knows of
// it beyond the register: the true county and its name today.
type Record struct {
	Martyr store.Martyr
	County County
	// Village and Township as written in the hometown ("" when the text
	// stops above them).
	Township, Village string
}

const recentNames = 50000

// New returns a generator over places (a gazetteer with county-level
// places; ingest.ReadPlaces of the Ministry's table, or a fixture).
func New(seed uint64, places []store.Place, opt Options) (*Generator, error) {
	cs, err := counties(places)
	if err != nil {
		return nil, err
	}
	if opt.NamesakeRate == 0 {
		opt.NamesakeRate = 0.05
	}
	if opt.AliasRate == 0 {
		opt.AliasRate = 0.12
	}
	g := &Generator{
		rng:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		tab:      chardata.Default(),
		opt:      opt,
		counties: cs,
	}
	var sum float64
	for _, c := range cs {
		w := 1.0
		if isDistrict(c.Name) {
			w = 0.15
		}
		sum += w
		g.countyW = append(g.countyW, sum)
	}
	sum = 0
	for _, s := range surnameFreq {
		sum += s.freq
		g.surnameW = append(g.surnameW, sum)
	}
	for r := rune(0x4E00); r <= 0x9FFF; r++ {
		if ch, ok := g.tab.Lookup(r); ok && ch.Standard > 0 && ch.Standard <= 3500 {
			g.common = append(g.common, r)
		}
	}
	return g, nil
}

// Counties are the hometown counties the generator draws from.
func (g *Generator) Counties() []County { return g.counties }

// Rand is the generator's source, for callers drawing alongside it (the
// sequence stays deterministic).
func (g *Generator) Rand() *rand.Rand { return g.rng }

func weighted(rng *rand.Rand, cum []float64) int {
	x := rng.Float64() * cum[len(cum)-1]
	i, _ := slices.BinarySearch(cum, x)
	return min(i, len(cum)-1)
}

// Surname draws a family name by its share of the population.
func (g *Generator) Surname() string { return surnameFreq[weighted(g.rng, g.surnameW)].name }

// givenChar: a character of a given name. Name characters follow a
// steep curve (德 and 明 everywhere); one in eight comes from the common
// level at large, as the registers' given names spread over far more
// characters than any list.
func (g *Generator) givenChar(female bool) rune {
	list := givenMale
	if female {
		list = givenFemale
	}
	if g.rng.IntN(8) == 0 {
		return g.common[g.rng.IntN(len(g.common))]
	}
	// Zipf-like over the list: index ~ n * u^2.
	u := g.rng.Float64()
	return list[int(float64(len(list))*u*u)]
}

// Name draws a name: family name and two given characters, or one (one
// name in four).
func (g *Generator) Name(female bool) string {
	n := 2
	if g.rng.IntN(4) == 0 {
		n = 1
	}
	var b strings.Builder
	b.WriteString(g.Surname())
	for range n {
		b.WriteRune(g.givenChar(female))
	}
	return b.String()
}

func (g *Generator) county() County { return g.counties[weighted(g.rng, g.countyW)] }

func (g *Generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *Generator) villageName() string {
	switch g.rng.IntN(3) {
	case 0:
		return g.Surname() + "家" + g.pick([]string{"庄", "村", "屯", "洼", "沟"})
	case 1:
		return g.pick(villageHeads) + g.pick(villageMids) + g.pick(villageTails)
	default:
		return g.pick(villageHeads) + string(g.common[g.rng.IntN(len(g.common))]) + g.pick(villageTails)
	}
}

// hometown writes where a man came from as a register of the 1950s did:
// down to the village three times in four, with the commune-era or
// district word for the township, the province sometimes shortened and
// sometimes left off, sometimes only the county or only the province.
func (g *Generator) hometown(c County) (text, township, village string) {
	prov := c.Province
	if g.rng.IntN(5) == 0 {
		prov = shortProvince(prov)
	}
	if len(c.Townships) > 0 && g.rng.IntN(2) == 0 {
		township = g.pick(c.Townships)
	} else {
		township = g.villageName()
		township = strings.TrimRight(township, "村庄屯堡铺寨") + g.pick([]string{"公社", "区", "乡", "公社", "镇"})
	}
	if len(c.Villages) > 0 && g.rng.IntN(2) == 0 {
		village = g.pick(c.Villages)
	} else {
		village = g.villageName()
	}
	switch x := g.rng.IntN(20); {
	case x < 8: // 省 县 公社 村
		return prov + c.Name + township + village, township, village
	case x < 13: // 省 县 村
		return prov + c.Name + village, "", village
	case x < 17: // 省 县
		return prov + c.Name, "", ""
	case x < 19: // 县 alone
		return c.Name, "", ""
	default: // province only
		return c.Province, "", ""
	}
}

func (g *Generator) registryNo() string {
	// Random, so that id order says nothing of what a record is: the
	// search breaks ties by id, which must favour neither the right record
	// nor its rivals.
	return fmt.Sprintf("YM%012x", g.rng.Uint64()>>16)
}

// date writes a partial date the ways registers do, and parses it as
// the importer will.
func (g *Generator) date(year int, unknownRate int) store.Date {
	if g.rng.IntN(100) < unknownRate {
		return mustDate("不详")
	}
	m, d := 1+g.rng.IntN(12), 1+g.rng.IntN(28)
	var s string
	switch x := g.rng.IntN(20); {
	case x < 6:
		s = fmt.Sprintf("%d年", year)
	case x < 12:
		s = fmt.Sprintf("%d年%d月", year, m)
	case x < 15:
		s = fmt.Sprintf("%d.%d", year, m)
	case x < 18:
		s = fmt.Sprintf("%d-%02d-%02d", year, m, d)
	case x < 19:
		s = fmt.Sprintf("%d年%s", year, g.pick([]string{"春", "夏", "秋", "冬"}))
	default:
		s = hanYear(year) + "年"
	}
	return mustDate(s)
}

func mustDate(s string) store.Date {
	d, ok := ingest.ParseDate(s)
	if !ok {
		panic("synth: date the importer cannot read: " + s)
	}
	return d
}

func hanYear(y int) string {
	digits := []rune("〇一二三四五六七八九")
	var b strings.Builder
	for _, c := range fmt.Sprint(y) {
		b.WriteRune(digits[c-'0'])
	}
	return b.String()
}

// Record draws one register entry.
func (g *Generator) Record() Record {
	g.seq++
	female := g.rng.IntN(50) == 0
	name := g.Name(female)
	if g.nrec > 100 && g.rng.Float64() < g.opt.NamesakeRate {
		name = g.recent[g.rng.IntN(min(g.nrec, recentNames))]
	}
	if len(g.recent) < recentNames {
		g.recent = append(g.recent, name)
	} else {
		g.recent[g.nrec%recentNames] = name
	}
	g.nrec++
	c := g.county()
	text, township, village := g.hometown(c)
	// Most fell in Korea (1950-53), some in the civil war before it.
	diedYear := 1950 + g.rng.IntN(4)
	if g.rng.IntN(4) == 0 {
		diedYear = 1945 + g.rng.IntN(5)
	}
	age := 17 + int(g.rng.ExpFloat64()*5)
	if age > 45 {
		age = 45
	}
	born := diedYear - age
	m := store.Martyr{
		RegistryNo:   g.registryNo(),
		Name:         name,
		Sex:          store.SexMale,
		Born:         g.date(born, 15),
		HometownText: text,
		Enlisted:     g.date(max(born+15, diedYear-g.rng.IntN(5)), 25),
		UnitText:     g.unit(),
		Position:     g.pick(positions),
		Died:         g.date(diedYear, 5),
		DeathPlace:   g.pick(deathPlaces),
	}
	if female {
		m.Sex = store.SexFemale
	}
	if g.rng.IntN(3) == 0 {
		m.BurialText = g.pick(cemeteries)
		m.Grave = store.Grave{Text: fmt.Sprintf("%d排%d号", 1+g.rng.IntN(40), 1+g.rng.IntN(60))}
		if gr, ok := ingest.ParseGrave(m.Grave.Text); ok {
			m.Grave = gr
		}
	}
	if g.rng.Float64() < g.opt.AliasRate {
		if g.rng.IntN(4) == 0 {
			// A former or revolutionary name: another given name.
			m.Aliases = []store.Alias{{Name: store.Surname(name) + string(g.givenChar(female)), Kind: "other"}}
		} else {
			m.Aliases = []store.Alias{{Name: g.pick(nicknames), Kind: "other"}}
		}
	}
	m.ID = ingest.MartyrID(m)
	return Record{Martyr: m, County: c, Township: township, Village: village}
}

func (g *Generator) unit() string {
	a := unitArmies[g.rng.IntN(len(unitArmies))]
	div := a*3 - 2 + g.rng.IntN(3) + 40
	switch g.rng.IntN(4) {
	case 0:
		return fmt.Sprintf("%d军", a)
	case 1:
		return fmt.Sprintf("%d军%d师", a, div)
	default:
		return fmt.Sprintf("志愿军%d军%d师%d团%d连", a, div, div*3-2+g.rng.IntN(3), 1+g.rng.IntN(9))
	}
}

// HometownQuery is the hometown as a family gives it today: the county
// by its current name, with or without the province or the suffix.
func (g *Generator) HometownQuery(r Record) string {
	now, prov := r.County.Now, r.County.Province
	switch g.rng.IntN(4) {
	case 0:
		return prov + now
	case 1:
		return shortProvince(prov) + now
	case 2:
		return shortName(now)
	default:
		return now
	}
}
