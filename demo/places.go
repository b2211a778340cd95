package demo

import "github.com/guigen/guigen/store"

// Place ids a reader of the demo (or a test) may want to name.
const (
	PlaceShandong = "pl-370000"
	PlaceQingdao  = "pl-370200"

	PlaceShinan    = "pl-370202"
	PlaceShibei    = "pl-370203"
	PlaceHuangdao  = "pl-370211"
	PlaceLaoshan   = "pl-370212"
	PlaceLicang    = "pl-370213"
	PlaceChengyang = "pl-370214"
	PlaceJimoQu    = "pl-370215"
	PlaceJiaozhou  = "pl-370281"
	PlacePingdu    = "pl-370283"
	PlaceLaixi     = "pl-370285"

	// Former county-level places, as old records name them.
	PlaceSifang         = "pl-sifangqu"
	PlaceJiaoxian       = "pl-jiaoxian"
	PlaceJimoxian       = "pl-jimoxian"
	PlaceJimoshi        = "pl-jimoshi"
	PlaceLaoshanxian    = "pl-laoshanxian"
	PlaceJiaonanxian    = "pl-jiaonanxian"
	PlaceJiaonanshi     = "pl-jiaonanshi"
	PlacePingduxian     = "pl-pingduxian"
	PlaceLaixixian      = "pl-laixixian"
	PlaceJiulongCommune = "pl-jx-jiulong"
)

// county is a county-level place of today with the name records of the
// 1950s-80s give it, which is how most 英名录 entries spell a hometown.
type county struct {
	id, name       string
	oldID, oldName string
	weight         int // how many martyrs the generator draws from it
}

var counties = []county{
	{PlaceJiaozhou, "胶州市", PlaceJiaoxian, "胶县", 30},
	{PlaceJimoQu, "即墨区", PlaceJimoxian, "即墨县", 34},
	{PlacePingdu, "平度市", PlacePingduxian, "平度县", 34},
	{PlaceLaixi, "莱西市", PlaceLaixixian, "莱西县", 24},
	{PlaceHuangdao, "黄岛区", PlaceJiaonanxian, "胶南县", 24},
	{PlaceLaoshan, "崂山区", PlaceLaoshanxian, "崂山县", 14},
	// 城阳 and 李沧 were carved out of 崂山 in 1994: their men are
	// recorded as 崂山县 natives.
	{PlaceChengyang, "城阳区", PlaceLaoshanxian, "崂山县", 10},
	{PlaceLicang, "李沧区", PlaceLaoshanxian, "崂山县", 5},
	{PlaceShibei, "市北区", PlaceSifang, "四方区", 5},
	{PlaceShinan, "市南区", PlaceShinan, "市南区", 3},
}

func countyByID(id string) county {
	for _, c := range counties {
		if c.id == id {
			return c
		}
	}
	panic("demo: unknown county " + id)
}

// township is a township-level place. recordName is how records of the
// commune era write it; short is the bare name people say.
type township struct {
	id, name, county  string
	recordName, short string
	// old marks a commune that exists only in old records: it sits under
	// the former county and was replaced by a township of today.
	old        bool
	replacedBy string
}

var townships = []township{
	{id: PlaceJiulongCommune, name: "九龙公社", county: PlaceJiaoxian, recordName: "九龙公社", short: "九龙", old: true, replacedBy: "pl-jz-jiulong"},
	{id: "pl-jz-jiulong", name: "九龙街道", county: PlaceJiaozhou, recordName: "九龙公社", short: "九龙"},
	{id: "pl-jz-ligezhuang", name: "李哥庄镇", county: PlaceJiaozhou, recordName: "李哥庄公社", short: "李哥庄"},
	{id: "pl-jz-puji", name: "铺集镇", county: PlaceJiaozhou, recordName: "铺集公社", short: "铺集"},

	{id: "pl-jmx-yifengdian", name: "移风店公社", county: PlaceJimoxian, recordName: "移风店公社", short: "移风店", old: true, replacedBy: "pl-jm-yifengdian"},
	{id: "pl-jm-yifengdian", name: "移风店镇", county: PlaceJimoQu, recordName: "移风店公社", short: "移风店"},
	{id: "pl-jm-lingshan", name: "灵山街道", county: PlaceJimoQu, recordName: "灵山公社", short: "灵山"},
	{id: "pl-jm-tianheng", name: "田横镇", county: PlaceJimoQu, recordName: "田横公社", short: "田横"},

	{id: "pl-pd-nancun", name: "南村镇", county: PlacePingdu, recordName: "南村公社", short: "南村"},
	{id: "pl-pd-liaolan", name: "蓼兰镇", county: PlacePingdu, recordName: "蓼兰公社", short: "蓼兰"},
	{id: "pl-pd-dazeshan", name: "大泽山镇", county: PlacePingdu, recordName: "大泽山公社", short: "大泽山"},

	{id: "pl-lx-yuanshang", name: "院上镇", county: PlaceLaixi, recordName: "院上公社", short: "院上"},
	{id: "pl-lx-nanshu", name: "南墅镇", county: PlaceLaixi, recordName: "南墅公社", short: "南墅"},
	{id: "pl-lx-jiangshan", name: "姜山镇", county: PlaceLaixi, recordName: "姜山公社", short: "姜山"},

	{id: "pl-jnx-wangtai", name: "王台公社", county: PlaceJiaonanxian, recordName: "王台公社", short: "王台", old: true, replacedBy: "pl-hd-wangtai"},
	{id: "pl-hd-wangtai", name: "王台街道", county: PlaceHuangdao, recordName: "王台公社", short: "王台"},
	{id: "pl-hd-boli", name: "泊里镇", county: PlaceHuangdao, recordName: "泊里公社", short: "泊里"},
	{id: "pl-hd-zhangjialou", name: "张家楼街道", county: PlaceHuangdao, recordName: "张家楼公社", short: "张家楼"},

	{id: "pl-lsx-wanggezhuang", name: "王哥庄公社", county: PlaceLaoshanxian, recordName: "王哥庄公社", short: "王哥庄", old: true, replacedBy: "pl-ls-wanggezhuang"},
	{id: "pl-ls-wanggezhuang", name: "王哥庄街道", county: PlaceLaoshan, recordName: "王哥庄公社", short: "王哥庄"},
	{id: "pl-ls-beizhai", name: "北宅街道", county: PlaceLaoshan, recordName: "北宅公社", short: "北宅"},

	{id: "pl-cy-xiazhuang", name: "夏庄街道", county: PlaceChengyang, recordName: "夏庄公社", short: "夏庄"},
	{id: "pl-cy-jihongtan", name: "棘洪滩街道", county: PlaceChengyang, recordName: "棘洪滩公社", short: "棘洪滩"},

	{id: "pl-lc-licun", name: "李村街道", county: PlaceLicang, recordName: "李村公社", short: "李村"},
}

func townshipByID(id string) township {
	for _, t := range townships {
		if t.id == id {
			return t
		}
	}
	panic("demo: unknown township " + id)
}

// village is a village under a township. The names are ordinary rural
// names of the region, not a survey: any likeness to a particular
// village is chance.
type village struct {
	id, name, township string
}

var villages = []village{
	{"pl-v-houtun", "后屯村", PlaceJiulongCommune},
	{"pl-v-qiandiankou", "前店口村", PlaceJiulongCommune},
	{"pl-v-xizhuang", "西庄村", PlaceJiulongCommune},
	{"pl-v-datun", "大屯村", "pl-jz-ligezhuang"},
	{"pl-v-guhe", "沽河村", "pl-jz-ligezhuang"},
	{"pl-v-nanling", "南岭村", "pl-jz-puji"},

	{"pl-v-donghetou", "东河头村", "pl-jmx-yifengdian"},
	{"pl-v-dabo", "大泊村", "pl-jmx-yifengdian"},
	{"pl-v-beilan", "北岚村", "pl-jm-lingshan"},
	{"pl-v-shimen", "石门村", "pl-jm-lingshan"},
	{"pl-v-haiya", "海崖村", "pl-jm-tianheng"},

	{"pl-v-xiaozhuangzi", "小庄子村", "pl-pd-nancun"},
	{"pl-v-heya", "河崖村", "pl-pd-nancun"},
	{"pl-v-liujiatuan", "刘家疃村", "pl-pd-liaolan"},
	{"pl-v-houwa", "后洼村", "pl-pd-liaolan"},
	{"pl-v-shanhou", "山后村", "pl-pd-dazeshan"},

	{"pl-v-jiangjiazhuang", "姜家庄村", "pl-lx-yuanshang"},
	{"pl-v-qilihe", "七里河村", "pl-lx-yuanshang"},
	{"pl-v-beiling", "北岭村", "pl-lx-nanshu"},
	{"pl-v-qianwa", "前洼村", "pl-lx-jiangshan"},

	{"pl-v-yujiatun", "于家屯村", "pl-jnx-wangtai"},
	{"pl-v-dongzhuangtou", "东庄头村", "pl-jnx-wangtai"},
	{"pl-v-sunjiabu", "孙家埠村", "pl-hd-wangtai"},
	{"pl-v-xinanzhuang", "西南庄村", "pl-hd-boli"},
	{"pl-v-hexi", "河西村", "pl-hd-zhangjialou"},

	{"pl-v-dongtai", "东台村", "pl-lsx-wanggezhuang"},
	{"pl-v-nanyao", "南窑村", "pl-lsx-wanggezhuang"},
	{"pl-v-shiwu", "石屋村", "pl-ls-beizhai"},

	{"pl-v-yuantou", "源头村", "pl-cy-xiazhuang"},
	{"pl-v-houtaolin", "后桃林村", "pl-cy-jihongtan"},

	{"pl-v-yanggezhuang", "杨哥庄村", "pl-lc-licun"},
}

// countyOfTownship returns the county of today a township belongs to,
// following an old commune to the township that replaced it.
func countyOfTownship(t township) county {
	if t.old {
		return countyOfTownship(townshipByID(t.replacedBy))
	}
	return countyByID(t.county)
}

// places builds the gazetteer. Former counties keep 青岛市 as their
// parent even where they belonged to another prefecture at the time
// (胶县 and 即墨 came to 青岛 in 1978, 平度 and 莱西 in 1983): the demo
// cares about county renames, which are what trip volunteers up.
func places() []store.Place {
	const demoSource = "演示数据"
	commune := func(name string) []store.PlaceName {
		return []store.PlaceName{{Name: name, Kind: "historical", From: 1958, To: 1984, Source: demoSource}}
	}
	ps := []store.Place{
		{ID: PlaceShandong, Code: "370000", Name: "山东省", Level: store.LevelProvince, Lat: 36.67, Lon: 117.02},
		{ID: PlaceQingdao, Code: "370200", Name: "青岛市", Level: store.LevelPrefecture, ParentID: PlaceShandong, Lat: 36.07, Lon: 120.38},

		{ID: PlaceShinan, Code: "370202", Name: "市南区", Level: store.LevelCounty, ParentID: PlaceQingdao},
		{ID: PlaceShibei, Code: "370203", Name: "市北区", Level: store.LevelCounty, ParentID: PlaceQingdao},
		{ID: PlaceHuangdao, Code: "370211", Name: "黄岛区", Level: store.LevelCounty, ParentID: PlaceQingdao, From: 1984},
		{ID: PlaceLaoshan, Code: "370212", Name: "崂山区", Level: store.LevelCounty, ParentID: PlaceQingdao, From: 1988},
		{ID: PlaceLicang, Code: "370213", Name: "李沧区", Level: store.LevelCounty, ParentID: PlaceQingdao, From: 1994},
		{ID: PlaceChengyang, Code: "370214", Name: "城阳区", Level: store.LevelCounty, ParentID: PlaceQingdao, From: 1994},
		{ID: PlaceJimoQu, Code: "370215", Name: "即墨区", Level: store.LevelCounty, ParentID: PlaceQingdao, From: 2017},
		{ID: PlaceJiaozhou, Code: "370281", Name: "胶州市", Level: store.LevelCounty, ParentID: PlaceQingdao, From: 1987},
		{ID: PlacePingdu, Code: "370283", Name: "平度市", Level: store.LevelCounty, ParentID: PlaceQingdao, From: 1989},
		{ID: PlaceLaixi, Code: "370285", Name: "莱西市", Level: store.LevelCounty, ParentID: PlaceQingdao, From: 1990},

		{ID: PlaceSifang, Name: "四方区", Level: store.LevelCounty, ParentID: PlaceQingdao, To: 2012,
			ReplacedBy: []store.PlaceChange{{ToID: PlaceShibei, Year: 2012, Kind: "merge"}}},
		{ID: PlaceJiaoxian, Name: "胶县", Level: store.LevelCounty, ParentID: PlaceQingdao, To: 1987,
			ReplacedBy: []store.PlaceChange{{ToID: PlaceJiaozhou, Year: 1987, Kind: "upgrade"}},
			OtherNames: []store.PlaceName{{Name: "胶州", Kind: "historical", To: 1913, Source: demoSource}}},
		{ID: PlaceJimoxian, Name: "即墨县", Level: store.LevelCounty, ParentID: PlaceQingdao, To: 1989,
			ReplacedBy: []store.PlaceChange{{ToID: PlaceJimoshi, Year: 1989, Kind: "upgrade"}}},
		{ID: PlaceJimoshi, Name: "即墨市", Level: store.LevelCounty, ParentID: PlaceQingdao, From: 1989, To: 2017,
			ReplacedBy: []store.PlaceChange{{ToID: PlaceJimoQu, Year: 2017, Kind: "other"}}},
		{ID: PlaceLaoshanxian, Name: "崂山县", Level: store.LevelCounty, ParentID: PlaceQingdao, To: 1988,
			ReplacedBy: []store.PlaceChange{{ToID: PlaceLaoshan, Year: 1988, Kind: "other"}}},
		{ID: PlaceJiaonanxian, Name: "胶南县", Level: store.LevelCounty, ParentID: PlaceQingdao, To: 1990,
			ReplacedBy: []store.PlaceChange{{ToID: PlaceJiaonanshi, Year: 1990, Kind: "upgrade"}}},
		{ID: PlaceJiaonanshi, Name: "胶南市", Level: store.LevelCounty, ParentID: PlaceQingdao, From: 1990, To: 2012,
			ReplacedBy: []store.PlaceChange{{ToID: PlaceHuangdao, Year: 2012, Kind: "merge"}}},
		{ID: PlacePingduxian, Name: "平度县", Level: store.LevelCounty, ParentID: PlaceQingdao, To: 1989,
			ReplacedBy: []store.PlaceChange{{ToID: PlacePingdu, Year: 1989, Kind: "upgrade"}},
			OtherNames: []store.PlaceName{{Name: "平度州", Kind: "historical", To: 1913, Source: demoSource}}},
		{ID: PlaceLaixixian, Name: "莱西县", Level: store.LevelCounty, ParentID: PlaceQingdao, To: 1990,
			ReplacedBy: []store.PlaceChange{{ToID: PlaceLaixi, Year: 1990, Kind: "upgrade"}}},
	}
	hasCommune := map[string]bool{}
	for _, t := range townships {
		if t.old {
			hasCommune[t.replacedBy] = true
		}
	}
	for _, t := range townships {
		p := store.Place{ID: t.id, Name: t.name, Level: store.LevelTownship, ParentID: t.county}
		switch {
		case t.old:
			p.From, p.To = 1958, 1984
			p.ReplacedBy = []store.PlaceChange{{ToID: t.replacedBy, Year: 1984, Kind: "other"}}
		case !hasCommune[t.id] && t.recordName != t.name:
			// The commune has no place of its own: its name lives on
			// as a former name of the township.
			p.OtherNames = commune(t.recordName)
		}
		ps = append(ps, p)
	}
	for _, v := range villages {
		ps = append(ps, store.Place{ID: v.id, Name: v.name, Level: store.LevelVillage, ParentID: v.township})
	}
	return ps
}
