package main

import (
	"fmt"
	"math/rand/v2"

	"github.com/guigen/guigen/store"
)

// gen makes a synthetic register shaped like a province's: counties with
// former names, villages under old and new counties, units, cemeteries,
// one relative per martyr. Deterministic for a seed.
type gen struct {
	rng        *rand.Rand
	villages   []string
	counties   []string
	units      []string
	cemeteries []string
}

func newGen(seed uint64) *gen { return &gen{rng: rand.New(rand.NewPCG(seed, 7))} }

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = []rune("德明华福贵春生发义忠国玉文立志永山成祥长兴富胜学金宝喜善有海荣顺吉全和家庆树林保云清连友正芳秀英凤兰")
)

func (g *gen) gazetteer() *store.Batch {
	b := &store.Batch{}
	b.Places = append(b.Places, store.Place{ID: "bp-prov", Name: "山东省", Level: store.LevelProvince})
	for p := 0; p < 10; p++ {
		pid := fmt.Sprintf("bp-pref-%d", p)
		b.Places = append(b.Places, store.Place{ID: pid, Name: fmt.Sprintf("第%d市", p), Level: store.LevelPrefecture, ParentID: "bp-prov"})
		for c := 0; c < 10; c++ {
			cid := fmt.Sprintf("bp-county-%d-%d", p, c)
			b.Places = append(b.Places, store.Place{ID: cid, Name: fmt.Sprintf("新%d%d市", p, c), Level: store.LevelCounty, ParentID: pid, From: 1987})
			g.counties = append(g.counties, cid)
			parents := []string{cid}
			if c%3 == 0 { // a third of the counties carry a former county with its own villages
				old := cid + "-old"
				b.Places = append(b.Places, store.Place{ID: old, Name: fmt.Sprintf("旧%d%d县", p, c), Level: store.LevelCounty,
					ParentID: pid, To: 1987, ReplacedBy: []store.PlaceChange{{ToID: cid, Year: 1987, Kind: "rename"}}})
				parents = append(parents, old)
			}
			for v := 0; v < 10; v++ {
				vid := fmt.Sprintf("%s-v%d", cid, v)
				b.Places = append(b.Places, store.Place{ID: vid, Name: fmt.Sprintf("%d%d%d村", p, c, v),
					Level: store.LevelVillage, ParentID: parents[v%len(parents)]})
				g.villages = append(g.villages, vid)
			}
		}
	}
	for u := 0; u < 200; u++ {
		id := fmt.Sprintf("bu-%d", u)
		b.Units = append(b.Units, store.Unit{ID: id, Name: fmt.Sprintf("第%d团", u+1)})
		g.units = append(g.units, id)
	}
	for c := 0; c < 50; c++ {
		id := fmt.Sprintf("bc-%d", c)
		b.Cemeteries = append(b.Cemeteries, store.Cemetery{ID: id, Name: fmt.Sprintf("第%d烈士陵园", c+1)})
		g.cemeteries = append(g.cemeteries, id)
	}
	return b
}

func martyrID(i int) string { return fmt.Sprintf("bm-%07d", i) }

// martyrs returns martyrs [from, from+n) with a relative each. The same
// range always gives the same rows, so re-applying it is a no-op.
func (g *gen) martyrs(from, n int) *store.Batch {
	b := &store.Batch{}
	for i := from; i < from+n; i++ {
		r := rand.New(rand.NewPCG(uint64(i), 11))
		name := string(surnames[r.IntN(len(surnames))]) + string(given[r.IntN(len(given))])
		if r.IntN(3) > 0 {
			name += string(given[r.IntN(len(given))])
		}
		year := 1937 + r.IntN(17)
		m := store.Martyr{
			ID:         martyrID(i),
			RegistryNo: fmt.Sprintf("370%07d", i),
			Name:       name,
			Sex:        store.SexMale,
			Born:       store.Date{Year: year - 18 - r.IntN(10)},
			HometownID: g.villages[r.IntN(len(g.villages))],
			UnitID:     g.units[r.IntN(len(g.units))],
			CemeteryID: g.cemeteries[r.IntN(len(g.cemeteries))],
			Died:       store.Date{Year: year, Month: 1 + r.IntN(12)},
			Grave:      store.Grave{Row: fmt.Sprint(1 + r.IntN(30)), Number: fmt.Sprint(1 + r.IntN(60))},
		}
		m.HometownText = "山东省" + m.HometownID
		b.Martyrs = append(b.Martyrs, m)
		pid := fmt.Sprintf("bpe-%07d", i)
		b.People = append(b.People, store.Person{ID: pid, Name: string([]rune(name)[0]) + "某", Living: r.IntN(2) == 0,
			HometownID: m.HometownID})
		b.Kinships = append(b.Kinships, store.Kinship{PersonID: pid, MartyrID: m.ID, Relation: store.RelNephew,
			Line: store.LinePaternal, Status: store.KinClaimed})
	}
	return b
}
