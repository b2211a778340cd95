package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode/utf8"

	"github.com/guigen/guigen/store"
)

// Unit, cemetery and event ids.
const (
	UnitJiaodong          = "u-jiaodong"
	UnitJiaoxianBattalion = "u-jiaoxian-dly"
	Unit9thColumn         = "u-hy-9z"
	Unit27thArmy          = "u-27j"
	Unit27thArmy79th      = "u-27j-79s"
	Unit15thArmy          = "u-15j"
	Unit15thArmy45th      = "u-15j-45s"

	CemeteryQingdao  = "cem-qingdao"
	CemeteryJiaozhou = "cem-jiaozhou"

	EventJiaodong1942 = "ev-jiaodong-1942"
	EventLaiwu        = "ev-laiwu"
	EventMenglianggu  = "ev-menglianggu"
	EventJinan        = "ev-jinan"
	EventHuaihai      = "ev-huaihai"
	EventQingdao      = "ev-qingdao"
	EventChangjinhu   = "ev-changjinhu"
	EventShangganling = "ev-shangganling"
)

func units() []store.Unit {
	return []store.Unit{
		{ID: UnitJiaodong, Name: "胶东军区", Aliases: []string{"八路军胶东军区"}, From: 1942},
		{ID: UnitJiaoxianBattalion, Name: "胶县独立营", Aliases: []string{"胶县县大队"}, ParentID: UnitJiaodong},
		{ID: Unit9thColumn, Name: "华东野战军第九纵队", Aliases: []string{"华野九纵", "九纵"}, From: 1947, To: 1949,
			SucceededBy: []store.UnitLink{{UnitID: Unit27thArmy, Year: 1949, Note: "1949年2月整编为第二十七军"}}},
		{ID: Unit27thArmy, Name: "第二十七军", Aliases: []string{"中国人民解放军第二十七军", "中国人民志愿军第二十七军"}, From: 1949},
		{ID: Unit27thArmy79th, Name: "第二十七军第七十九师", Aliases: []string{"志愿军七十九师"}, ParentID: Unit27thArmy, From: 1949},
		{ID: Unit15thArmy, Name: "第十五军", Aliases: []string{"中国人民志愿军第十五军"}},
		{ID: Unit15thArmy45th, Name: "第十五军第四十五师", Aliases: []string{"志愿军四十五师"}, ParentID: Unit15thArmy},
	}
}

func cemeteries() []store.Cemetery {
	return []store.Cemetery{
		{ID: CemeteryQingdao, Name: "青岛市革命烈士陵园", PlaceID: PlaceQingdao, Address: "青岛市（演示地址）"},
		{ID: CemeteryJiaozhou, Name: "胶州市烈士陵园", PlaceID: PlaceJiaozhou, Address: "胶州市（演示地址）"},
	}
}

func events() []store.Event {
	return []store.Event{
		{ID: EventJiaodong1942, Name: "胶东反“扫荡”作战", Kind: "campaign", Start: ym(1942, 11), End: ym(1942, 12)},
		{ID: EventLaiwu, Name: "莱芜战役", Kind: "battle", Start: ymd(1947, 2, 20), End: ymd(1947, 2, 23)},
		{ID: EventMenglianggu, Name: "孟良崮战役", Kind: "battle", Start: ymd(1947, 5, 13), End: ymd(1947, 5, 16)},
		{ID: EventJinan, Name: "济南战役", Kind: "battle", Start: ymd(1948, 9, 16), End: ymd(1948, 9, 24)},
		{ID: EventHuaihai, Name: "淮海战役", Kind: "campaign", Start: ymd(1948, 11, 6), End: ymd(1949, 1, 10)},
		{ID: EventQingdao, Name: "青岛战役", Kind: "campaign", Start: ymd(1949, 5, 3), End: ymd(1949, 6, 2), PlaceID: PlaceQingdao},
		{ID: EventChangjinhu, Name: "长津湖战役", Kind: "battle", Start: ymd(1950, 11, 27), End: ymd(1950, 12, 24)},
		{ID: EventShangganling, Name: "上甘岭战役", Kind: "battle", Start: ymd(1952, 10, 14), End: ymd(1952, 11, 25)},
	}
}

// Date helpers: Text is written the way registers write dates.
func year(y int) store.Date { return store.Date{Year: y, Text: fmt.Sprintf("%d年", y)} }
func ym(y, m int) store.Date {
	return store.Date{Year: y, Month: m, Text: fmt.Sprintf("%d年%d月", y, m)}
}
func ymd(y, m, d int) store.Date {
	return store.Date{Year: y, Month: m, Day: d, Text: fmt.Sprintf("%d年%d月%d日", y, m, d)}
}
func season(y int, name string, from, to int) store.Date {
	return store.Date{Year: y, Month: from, ToYear: y, ToMonth: to, Text: fmt.Sprintf("%d年%s", y, name)}
}

var unknownDate = store.Date{Text: "不详"}

// blur drops what a register often does not know: the day, the month,
// now and then everything.
func blur(r *rand.Rand, d store.Date, pDay, pMonth, pAll float64) store.Date {
	x := r.Float64()
	switch {
	case x < pAll:
		return unknownDate
	case x < pAll+pMonth:
		return year(d.Year)
	case x < pAll+pMonth+pDay && d.Day != 0:
		return ym(d.Year, d.Month)
	}
	return d
}

// style is how a record writes a hometown.
type style int

const (
	styleOld    style = iota // 山东省胶县九龙公社后屯村: names of the 1950s-80s
	styleModern              // 山东省青岛市胶州市九龙街道后屯村
	styleShort               // 胶州九龙后屯村: county without 县, township bare
)

// hometown renders a place as a record would write it in the given style
// and returns the place that text resolves to. A county-level text in the
// old style names the former county, and resolves to it.
func hometown(placeID string, st style) (text, resolved string) {
	oldCounty := func(c county) string {
		if strings.HasSuffix(c.oldName, "区") {
			return "青岛市" + c.oldName
		}
		return c.oldName
	}
	short := func(c county) string {
		if strings.HasSuffix(c.oldName, "区") {
			return oldCounty(c)
		}
		if utf8.RuneCountInString(c.oldName) <= 2 {
			return c.oldName // 胶县 stays 胶县: 胶 alone is no name
		}
		return strings.TrimSuffix(c.oldName, "县")
	}
	townText := func(t township) string {
		c := countyOfTownship(t)
		switch st {
		case styleModern:
			if t.old {
				t = townshipByID(t.replacedBy)
			}
			return "山东省青岛市" + c.name + t.name
		case styleShort:
			return short(c) + t.short
		}
		return "山东省" + oldCounty(c) + t.recordName
	}
	for _, v := range villages {
		if v.id == placeID {
			return townText(townshipByID(v.township)) + v.name, placeID
		}
	}
	for _, t := range townships {
		if t.id == placeID {
			return townText(t), placeID
		}
	}
	c := countyByID(placeID)
	switch st {
	case styleModern:
		return "山东省青岛市" + c.name, c.id
	case styleShort:
		return "山东" + short(c), c.oldID
	}
	return "山东省" + oldCounty(c), c.oldID
}

// currentCounty returns the county of today a resolved place lies in, or
// "" when the place is above county level.
func currentCounty(placeID string) string {
	for _, v := range villages {
		if v.id == placeID {
			return countyOfTownship(townshipByID(v.township)).id
		}
	}
	for _, t := range townships {
		if t.id == placeID {
			return countyOfTownship(t).id
		}
	}
	if placeID == PlaceJimoshi || placeID == PlaceJiaonanshi {
		placeID = map[string]string{PlaceJimoshi: PlaceJimoQu, PlaceJiaonanshi: PlaceHuangdao}[placeID]
	}
	for _, c := range counties {
		if c.id == placeID || c.oldID == placeID {
			return c.id
		}
	}
	return ""
}

type weighted struct {
	s string
	w int
}

func pick(r *rand.Rand, ws []weighted) string {
	total := 0
	for _, w := range ws {
		total += w.w
	}
	n := r.IntN(total)
	for _, w := range ws {
		if n < w.w {
			return w.s
		}
		n -= w.w
	}
	panic("unreachable")
}

func oneOf[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// Surnames common in Jiaodong, weighted roughly as one meets them in a
// county roll, including the local 逄, 隋, 栾, 衣 and 修.
var surnames = []weighted{
	{"王", 12}, {"张", 9}, {"李", 8}, {"刘", 8}, {"孙", 6}, {"于", 5}, {"姜", 5}, {"赵", 5},
	{"杨", 4}, {"徐", 4}, {"高", 4}, {"林", 3}, {"宋", 3}, {"董", 3}, {"郭", 3}, {"周", 3},
	{"吕", 3}, {"崔", 3}, {"曲", 3}, {"韩", 2}, {"马", 2}, {"薛", 2}, {"孟", 2}, {"纪", 2},
	{"臧", 2}, {"逄", 2}, {"隋", 2}, {"栾", 2}, {"修", 1}, {"衣", 1}, {"宫", 1}, {"匡", 1},
}

// Given names of the kind men born 1905-1933 were given.
var givenMale = []string{
	"德胜", "德山", "德明", "德顺", "洪福", "来福", "来顺", "学礼", "学文", "树森", "树林",
	"吉祥", "振华", "振东", "玉山", "玉堂", "宝山", "宝田", "长青", "长海", "文祥", "文举",
	"成山", "守义", "守仁", "明德", "殿臣", "传玉", "传福", "立本", "世杰", "春生", "秋生",
	"金山", "永福", "永胜", "克勤", "兆林", "庆和", "庆云", "继先", "同友", "志远", "连城",
	"广田", "广仁", "万福", "万年", "希贤", "方正", "景山", "作林", "云亭", "福田", "登科",
	"凤山", "俊杰", "春林", "国栋", "焕章", "锡九", "汝成", "子明", "山", "林", "栋", "勇",
}

var givenFemale = []string{"桂英", "秀兰", "玉兰", "淑贞", "凤英", "秀英", "玉珍"}

// Childhood names (小名) and where the demo says they come from.
var nicknames = []string{"栓柱", "铁蛋", "石头", "小三", "锁子", "二小", "大柱", "小满", "拴住", "狗剩", "来子", "宝子"}
var aliasSources = []string{"族谱", "亲属口述", "入伍登记表", "村志"}

// campaign is a war or battle martyrs of the demo fell in, with what
// their records then say of death, unit and burial.
type campaign struct {
	era     string
	count   int
	eventID string
	died    func(r *rand.Rand) store.Date
	places  []string
	unit    func(r *rand.Rand, c county) (id, text string)
	// ageMin/ageMax bound the age at death.
	ageMin, ageMax int
}

func betweenDays(r *rand.Rand, y, m, d0, d1 int) store.Date { return ymd(y, m, d0+r.IntN(d1-d0+1)) }

func column9(r *rand.Rand, _ county) (string, string) {
	if r.IntN(7) == 0 {
		return "", "华东野战军"
	}
	div := 25 + r.IntN(3)
	reg := 73 + (div-25)*3 + r.IntN(3)
	switch r.IntN(3) {
	case 0:
		return Unit9thColumn, fmt.Sprintf("华东野战军第九纵队%d师%d团", div, reg)
	case 1:
		return Unit9thColumn, fmt.Sprintf("华野九纵%d师", div)
	}
	return Unit9thColumn, "华东野战军九纵"
}

func army27(r *rand.Rand, _ county) (string, string) {
	if r.IntN(4) == 0 {
		return Unit27thArmy, "中国人民志愿军第二十七军"
	}
	return Unit27thArmy79th, fmt.Sprintf("志愿军二十七军七十九师%d团%d连", 235+r.IntN(3), 1+r.IntN(9))
}

func army15(r *rand.Rand, _ county) (string, string) {
	if r.IntN(4) == 0 {
		return Unit15thArmy, "中国人民志愿军第十五军"
	}
	return Unit15thArmy45th, fmt.Sprintf("志愿军十五军四十五师%d团", 133+r.IntN(3))
}

var campaigns = []campaign{
	{era: "抗日战争", count: 36, ageMin: 17, ageMax: 38,
		died: func(r *rand.Rand) store.Date {
			y := 1938 + r.IntN(8)
			return blur(r, ymd(y, 1+r.IntN(12), 1+r.IntN(28)), 0.3, 0.25, 0.08)
		},
		places: []string{"胶县大沽河畔", "即墨县马山", "平度县大泽山", "莱阳县", "崂山", "胶南县藏马山", "高密县", "掖县"},
		unit: func(r *rand.Rand, c county) (string, string) {
			switch {
			case c.id == PlaceJiaozhou && r.IntN(2) == 0:
				return UnitJiaoxianBattalion, "胶县独立营"
			case r.IntN(4) == 0:
				return "", strings.TrimSuffix(c.oldName, "县") + "县大队"
			}
			return UnitJiaodong, "八路军胶东军区" + oneOf(r, []string{"西海军分区", "南海军分区", "东海军分区", "北海军分区", ""})
		}},
	{era: "抗日战争", count: 9, eventID: EventJiaodong1942, ageMin: 17, ageMax: 40,
		died: func(r *rand.Rand) store.Date {
			if r.IntN(3) == 0 {
				return season(1942, "冬", 11, 12)
			}
			return blur(r, ymd(1942, 11+r.IntN(2), 1+r.IntN(30)), 0.4, 0.1, 0)
		},
		places: []string{"海阳县马石山", "牙山", "胶东"},
		unit: func(r *rand.Rand, c county) (string, string) {
			return UnitJiaodong, "八路军胶东军区"
		}},
	{era: "解放战争", count: 14, eventID: EventLaiwu, ageMin: 17, ageMax: 32, unit: column9,
		died:   func(r *rand.Rand) store.Date { return blur(r, betweenDays(r, 1947, 2, 20, 23), 0.3, 0.1, 0.03) },
		places: []string{"山东莱芜", "莱芜县吐丝口", "莱芜"}},
	{era: "解放战争", count: 18, eventID: EventMenglianggu, ageMin: 17, ageMax: 32, unit: column9,
		died:   func(r *rand.Rand) store.Date { return blur(r, betweenDays(r, 1947, 5, 13, 16), 0.3, 0.1, 0.03) },
		places: []string{"山东蒙阴孟良崮", "孟良崮", "蒙阴县"}},
	{era: "解放战争", count: 14, eventID: EventJinan, ageMin: 17, ageMax: 32, unit: column9,
		died:   func(r *rand.Rand) store.Date { return blur(r, betweenDays(r, 1948, 9, 16, 24), 0.3, 0.1, 0.03) },
		places: []string{"山东济南", "济南商埠", "济南"}},
	{era: "解放战争", count: 22, eventID: EventHuaihai, ageMin: 17, ageMax: 33, unit: column9,
		died: func(r *rand.Rand) store.Date {
			switch r.IntN(3) {
			case 0:
				return blur(r, betweenDays(r, 1948, 11, 6, 30), 0.3, 0.1, 0.03)
			case 1:
				return blur(r, betweenDays(r, 1948, 12, 1, 31), 0.3, 0.1, 0.03)
			}
			return blur(r, betweenDays(r, 1949, 1, 1, 10), 0.3, 0.1, 0.03)
		},
		places: []string{"江苏徐州碾庄", "安徽萧县", "河南永城陈官庄", "徐州"}},
	{era: "解放战争", count: 10, eventID: EventQingdao, ageMin: 17, ageMax: 35,
		died: func(r *rand.Rand) store.Date {
			if r.IntN(2) == 0 {
				return blur(r, betweenDays(r, 1949, 5, 3, 31), 0.3, 0.1, 0)
			}
			return blur(r, betweenDays(r, 1949, 6, 1, 2), 0.3, 0.1, 0)
		},
		places: []string{"即墨县", "崂山县", "青岛市郊"},
		unit: func(r *rand.Rand, c county) (string, string) {
			return UnitJiaodong, "胶东军区部队"
		}},
	{era: "抗美援朝战争", count: 30, eventID: EventChangjinhu, ageMin: 17, ageMax: 30, unit: army27,
		died: func(r *rand.Rand) store.Date {
			if r.IntN(5) == 0 {
				return season(1950, "冬", 11, 12)
			}
			if r.IntN(2) == 0 {
				return blur(r, betweenDays(r, 1950, 11, 27, 30), 0.3, 0.05, 0)
			}
			return blur(r, betweenDays(r, 1950, 12, 1, 24), 0.3, 0.05, 0)
		},
		places: []string{"朝鲜长津湖", "朝鲜柳潭里", "朝鲜新兴里", "朝鲜下碣隅里"}},
	{era: "抗美援朝战争", count: 18, eventID: EventShangganling, ageMin: 17, ageMax: 30, unit: army15,
		died: func(r *rand.Rand) store.Date {
			if r.IntN(2) == 0 {
				return blur(r, betweenDays(r, 1952, 10, 14, 31), 0.25, 0.05, 0)
			}
			return blur(r, betweenDays(r, 1952, 11, 1, 25), 0.25, 0.05, 0)
		},
		places: []string{"朝鲜五圣山上甘岭", "朝鲜上甘岭597.9高地", "朝鲜上甘岭537.7高地北山"}},
	{era: "抗美援朝战争", count: 14, ageMin: 17, ageMax: 30,
		unit: func(r *rand.Rand, c county) (string, string) {
			if r.IntN(2) == 0 {
				return army27(r, c)
			}
			return army15(r, c)
		},
		died: func(r *rand.Rand) store.Date {
			switch r.IntN(4) {
			case 0:
				return season(1951, "春", 3, 5)
			case 1:
				return year(1951 + r.IntN(3))
			}
			return blur(r, ymd(1951+r.IntN(3), 1+r.IntN(12), 1+r.IntN(28)), 0.3, 0, 0)
		}},
}

var positions = []weighted{
	{"战士", 40}, {"班长", 12}, {"副班长", 8}, {"排长", 6}, {"副排长", 3}, {"连长", 3},
	{"指导员", 2}, {"文书", 2}, {"卫生员", 3}, {"通讯员", 3}, {"炊事员", 2}, {"", 6},
}

// graves hands out grave positions in a cemetery, in register order.
type graves struct {
	sectioned bool
	n         int
}

func (g *graves) next() store.Grave {
	const perRow, rows = 12, 10
	i := g.n
	g.n++
	num, row, sec := i%perRow+1, (i/perRow)%rows+1, i/(perRow*rows)
	if !g.sectioned {
		return store.Grave{Row: fmt.Sprint(row), Number: fmt.Sprint(num), Text: fmt.Sprintf("%d排%d号", row, num)}
	}
	names := []string{"一区", "二区", "三区", "四区"}
	return store.Grave{Section: names[sec], Row: fmt.Sprint(row), Number: fmt.Sprint(num),
		Text: fmt.Sprintf("%s%d排%d号", names[sec], row, num)}
}

// generator draws martyrs from a seeded source, so the demo is the same
// on every run.
type generator struct {
	r      *rand.Rand
	graves map[string]*graves
	regSeq int
	cert   int
}

func newGenerator() *generator {
	return &generator{
		r: rand.New(rand.NewPCG(20210917, 1949)),
		graves: map[string]*graves{
			CemeteryQingdao:  {sectioned: true},
			CemeteryJiaozhou: {},
		},
		// Registers start numbering after the hand-written entries.
		regSeq: 100,
		cert:   4100,
	}
}

func (g *generator) grave(cemeteryID string) store.Grave { return g.graves[cemeteryID].next() }

func (g *generator) county() county {
	ws := make([]weighted, len(counties))
	for i, c := range counties {
		ws[i] = weighted{c.id, c.weight}
	}
	return countyByID(pick(g.r, ws))
}

// home draws a hometown in the county and renders it in a random style.
func (g *generator) home(c county) (text, id string) {
	var vs, ts []string
	for _, v := range villages {
		if countyOfTownship(townshipByID(v.township)).id == c.id {
			vs = append(vs, v.id)
		}
	}
	for _, t := range townships {
		if countyOfTownship(t).id == c.id {
			ts = append(ts, t.id)
		}
	}
	st := styleOld
	switch x := g.r.IntN(20); {
	case x < 5:
		st = styleModern
	case x < 9:
		st = styleShort
	}
	switch x := g.r.IntN(100); {
	case x < 74 && len(vs) > 0:
		return hometown(oneOf(g.r, vs), st)
	case x < 88 && len(ts) > 0:
		return hometown(oneOf(g.r, ts), st)
	}
	return hometown(c.id, st)
}

func (g *generator) name(female bool) string {
	s := pick(g.r, surnames)
	if female {
		return s + oneOf(g.r, givenFemale)
	}
	return s + oneOf(g.r, givenMale)
}

// martyr draws one martyr who fell in the campaign.
func (g *generator) martyr(id string, cp campaign) store.Martyr {
	r := g.r
	c := g.county()
	female := cp.era == "抗日战争" && r.IntN(12) == 0
	m := store.Martyr{ID: id, Name: g.name(female), Sex: store.SexMale}
	if female {
		m.Sex = store.SexFemale
	}
	m.HometownText, m.HometownID = g.home(c)

	m.Died = cp.died(r)
	diedYear := m.Died.Year
	born := diedYear - (cp.ageMin + r.IntN(cp.ageMax-cp.ageMin+1))
	switch x := r.IntN(20); {
	case diedYear == 0:
		// A register that lost the death date lost the rest too.
		m.Born = unknownDate
	case x < 9:
		m.Born = year(born)
	case x < 14:
		m.Born = ym(born, 1+r.IntN(12))
	case x < 17:
		m.Born = ymd(born, 1+r.IntN(12), 1+r.IntN(28))
	default:
		m.Born = unknownDate
	}
	if r.IntN(10) < 7 && diedYear != 0 {
		lo := max(born+15, diedYear-6)
		if lo > diedYear {
			lo = diedYear
		}
		y := lo + r.IntN(diedYear-lo+1)
		if r.IntN(2) == 0 {
			m.Enlisted = year(y)
		} else {
			m.Enlisted = ym(y, 1+r.IntN(12))
		}
	}

	if cp.unit != nil {
		m.UnitID, m.UnitText = cp.unit(r, c)
	}
	m.Position = pick(r, positions)
	if m.UnitID == "" && strings.HasSuffix(m.UnitText, "县大队") && r.IntN(2) == 0 {
		m.Position = "民兵"
	}
	if female {
		m.Position = oneOf(r, []string{"妇救会会长", "卫生员", "交通员"})
		m.UnitText, m.UnitID = strings.TrimSuffix(c.oldName, "县")+"县妇救会", ""
	}
	if len(cp.places) > 0 {
		m.DeathPlace = oneOf(r, cp.places)
	}
	if cp.eventID != "" {
		m.EventIDs = []string{cp.eventID}
	}
	g.burial(&m, cp, c)

	if r.IntN(4) > 0 {
		g.regSeq++
		y := m.Died.Year
		if y == 0 {
			y = 1900
		}
		m.RegistryNo = fmt.Sprintf("QD-%d-%04d", y, g.regSeq)
	}
	switch cp.era {
	case "抗日战争":
		m.ApprovedBy = "胶东行政公署"
	case "解放战争":
		m.ApprovedBy = oneOf(r, []string{"山东省人民政府", "华东军区政治部"})
	default:
		m.ApprovedBy = "中国人民志愿军政治部"
	}
	if r.IntN(5) == 0 {
		g.cert++
		m.CertificateNo = fmt.Sprintf("鲁烈字第%06d号", g.cert)
	}
	if r.IntN(9) == 0 {
		m.Aliases = append(m.Aliases, store.Alias{Name: oneOf(r, nicknames), Kind: "nickname", Source: oneOf(r, aliasSources)})
	}
	if r.IntN(25) == 0 {
		m.Aliases = append(m.Aliases, store.Alias{Name: g.name(female), Kind: "revolutionary", Source: "部队档案"})
	}
	return m
}

func (g *generator) burial(m *store.Martyr, cp campaign, c county) {
	r := g.r
	switch cp.era {
	case "抗日战争":
		switch {
		case c.id == PlaceJiaozhou && r.IntN(2) == 0:
			m.CemeteryID, m.BurialText = CemeteryJiaozhou, "胶州市烈士陵园"
			m.Grave = g.grave(CemeteryJiaozhou)
		case r.IntN(5) == 0:
			m.BurialText = "不详"
		default:
			m.BurialText = "葬于原籍"
		}
	case "解放战争":
		switch {
		case cp.eventID == EventQingdao || r.IntN(7) == 0:
			m.CemeteryID, m.BurialText = CemeteryQingdao, "青岛市革命烈士陵园"
			m.Grave = g.grave(CemeteryQingdao)
			if cp.eventID != EventQingdao {
				m.Notes = "负伤后转回后方医院，医治无效牺牲，后迁葬青岛。"
			}
		case cp.eventID == EventMenglianggu:
			m.BurialText = "孟良崮战役烈士陵园"
		case cp.eventID == EventHuaihai:
			m.BurialText = "淮海战役烈士陵园"
		case cp.eventID == EventJinan:
			m.BurialText = "济南革命烈士陵园"
		default:
			m.BurialText = "就地安葬"
		}
	default:
		m.BurialText = oneOf(r, []string{"安葬于朝鲜", "安葬于朝鲜", "朝鲜，墓地不详"})
	}
}
