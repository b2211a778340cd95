package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/guigen/guigen/store"
)

// gen makes a synthetic register shaped like a province's, extended from
// bench/storebench's generator (same gazetteer, same martyr rows) with
// what a martyr card shows: archival records and the assertions citing
// them, portraits, and a lead board. Deterministic for a seed: the same
// range of martyrs always gives the same rows.
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

// rollSize is how many martyrs one roll (英名录 volume) record mentions;
// batches are cut at multiples of it so each roll is written whole.
const rollSize = 50

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
func leadID(i int) string   { return fmt.Sprintf("bl-%06d", i) }

// martyrs returns martyrs [from, from+n) and everything around them, per
// martyr: one or two relatives with their kinships; a 证明书 record of his
// own; two assertions (born, died) citing his roll volume and his
// certificate; a published portrait for one martyr in five. Every
// rollSize martyrs share one roll record that mentions them all. from
// and n must be multiples of rollSize (except for the last batch).
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

		surname := string([]rune(name)[0])
		relatives := 1 + r.IntN(2)
		for k := 0; k < relatives; k++ {
			pid := fmt.Sprintf("bpe-%07d-%d", i, k)
			b.People = append(b.People, store.Person{ID: pid, Name: surname + []string{"某", "某某"}[k], Living: r.IntN(2) == 0,
				HometownID: m.HometownID})
			rel, line := store.RelNephew, store.LinePaternal
			if k == 1 {
				rel, line = store.RelNiece, store.LineMaternal
			}
			b.Kinships = append(b.Kinships, store.Kinship{PersonID: pid, MartyrID: m.ID, Relation: rel,
				Line: line, Status: store.KinClaimed})
		}

		roll := fmt.Sprintf("br-roll-%05d", i/rollSize)
		if i%rollSize == 0 || i == from {
			last := min((i/rollSize+1)*rollSize, from+n)
			ids := make([]string, 0, last-i)
			for j := i; j < last; j++ {
				ids = append(ids, martyrID(j))
			}
			b.Records = append(b.Records, store.ArchivalRecord{ID: roll, Kind: store.RecRoll,
				Title: fmt.Sprintf("山东省革命烈士英名录 第%d卷", i/rollSize+1), Institution: "山东省退役军人事务厅", MartyrIDs: ids})
		}
		cert := fmt.Sprintf("br-cert-%07d", i)
		b.Records = append(b.Records, store.ArchivalRecord{ID: cert, Kind: store.RecCertificate,
			Title: "革命烈士证明书 " + name, Institution: "县民政局", Date: store.Date{Year: 1983}})
		b.Assertions = append(b.Assertions,
			store.Assertion{ID: fmt.Sprintf("ba-%07d-born", i), MartyrID: m.ID, Field: "born", Value: fmt.Sprint(m.Born.Year),
				Citations: []store.Citation{{RecordID: roll, Locator: fmt.Sprintf("第%d页", 1+i%rollSize), Confidence: 2}}},
			store.Assertion{ID: fmt.Sprintf("ba-%07d-died", i), MartyrID: m.ID, Field: "died", Value: m.Died.String(),
				Citations: []store.Citation{
					{RecordID: roll, Locator: fmt.Sprintf("第%d页", 1+i%rollSize), Confidence: 2},
					{RecordID: cert, Quote: name + "同志于" + m.Died.String() + "光荣牺牲", Confidence: 3},
				}},
		)
		if i%5 == 0 {
			b.Portraits = append(b.Portraits, store.Portrait{ID: fmt.Sprintf("bpo-%07d", i), MartyrID: m.ID,
				SHA256: fmt.Sprintf("%064x", uint64(i)*2654435761), Mime: "image/jpeg", Width: 1200, Height: 1600,
				Artist: "归根画师", Reconstruction: true, FamilyConsent: true, Published: true})
		}
	}
	return b
}

// leadStates are the states the generated leads end in, one in four
// each; the lead-board query asks for one of them at random.
var leadStates = []store.LeadState{store.LeadNew, store.LeadTriaged, store.LeadInvestigating, store.LeadCandidateFamily}

// leadScript is how lead i is created and moved: it links martyr
// (i*stride) mod n and his first relative, and walks i%4 steps along
// NEW → TRIAGED → INVESTIGATING → CANDIDATE_FAMILY, with an assignment
// after triage. Each step is one store transaction, like the API's.
type leadScript struct {
	lead  store.Lead
	steps []store.LeadEvent
}

func leadFor(i, nMartyrs int) leadScript {
	mi := (i * 7919) % nMartyrs
	at := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	ls := leadScript{lead: store.Lead{ID: leadID(i), MartyrID: martyrID(mi), PersonIDs: []string{fmt.Sprintf("bpe-%07d-0", mi)},
		Source: "claim", Summary: "家属寻亲：" + martyrID(mi), CreatedBy: "volunteer-" + fmt.Sprint(i%20), CreatedAt: at}}
	end := i % len(leadStates)
	for s := 1; s <= end; s++ {
		at = at.Add(time.Hour)
		ls.steps = append(ls.steps, store.LeadEvent{Kind: "transition", Actor: "caseworker-" + fmt.Sprint(i%5), At: at,
			From: leadStates[s-1], To: leadStates[s], Note: "第" + fmt.Sprint(s) + "步"})
		if s == 1 {
			at = at.Add(time.Minute)
			ls.steps = append(ls.steps, store.LeadEvent{Kind: "assign", Actor: "caseworker-" + fmt.Sprint(i%5), At: at,
				Assignee: "volunteer-" + fmt.Sprint(i%20)})
		}
	}
	return ls
}
