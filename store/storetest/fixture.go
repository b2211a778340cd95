package storetest

import (
	"fmt"
	"time"

	"github.com/guigen/guigen/store"
)

// Place ids of the small gazetteer. The hierarchy and the changes follow
// Qingdao's real history: 胶县 became 胶州市 in 1987; 即墨县 became 即墨市
// in 1989 and 即墨区 in 2017; 掖县 became 莱州市 in 1988.
const (
	PlaceShandong = "place-37"   // 山东省
	PlaceQingdao  = "place-3702" // 青岛市
	PlaceYantai   = "place-3706" // 烟台市
	PlaceHebei    = "place-13"   // 河北省, an unrelated province

	PlaceJiaoxian         = "place-jiaoxian"            // 胶县 (-1987)
	PlaceJiaoxianTown     = "place-jiaoxian-ligezhuang" // 李哥庄公社, under 胶县
	PlaceJiaoxianVillage  = "place-jiaoxian-dagu"       // 大沽河村, under 李哥庄公社
	PlaceJiaozhou         = "place-jiaozhou"            // 胶州市 (1987-)
	PlaceJiaozhouTown     = "place-jiaozhou-ligezhuang" // 李哥庄镇, under 胶州市
	PlaceJiaozhouVillage  = "place-jiaozhou-dongzhuang" // 东庄村, under 李哥庄镇
	PlaceJimoXian         = "place-jimo-xian"           // 即墨县 (-1989)
	PlaceJimoXianVillage  = "place-jimo-xian-nanquan"   // 南泉村, directly under 即墨县
	PlaceJimoShi          = "place-jimo-shi"            // 即墨市 (1989-2017)
	PlaceJimoQu           = "place-jimo-qu"             // 即墨区 (2017-)
	PlaceJimoQuVillage    = "place-jimo-qu-aoshan"      // 鳌山村, under 即墨区
	PlaceLaixi            = "place-laixi"               // 莱西市, an unrelated county in Qingdao
	PlaceLaixiVillage     = "place-laixi-shuiji"        // 水集村, under 莱西市
	PlaceYexian           = "place-yexian"              // 掖县 (-1988)
	PlaceLaizhou          = "place-laizhou"             // 莱州市 (1988-)
	PlaceYexianVillage    = "place-yexian-shahe"        // 沙河村, under 掖县
	PlaceHebeiCounty      = "place-hebei-fuping"        // 阜平县
	PlaceHebeiCountyVilla = "place-hebei-fuping-chengnanzhuang"
)

// Unit, cemetery and event ids of the gazetteer.
const (
	Unit27Army      = "unit-27a"  // 中国人民志愿军第27军
	Unit27GroupArmy = "unit-27ga" // 第27集团军, its successor
	Unit80Division  = "unit-80d"
	Unit81Division  = "unit-81d"
	Unit238Regiment = "unit-238r"

	CemeteryQingdao  = "cem-qingdao"
	CemeteryJiaozhou = "cem-jiaozhou"

	EventChangjin = "event-changjin" // 长津湖战役
)

// Ids of the entities Fixture adds to the gazetteer.
const (
	MartyrWangDeming    = "m-wang-deming"    // 王德明, the fully documented one
	MartyrWangDeliang   = "m-wang-deliang"   // 王德亮, his brother
	MartyrOuyangZhenhua = "m-ouyang-zhenhua" // 欧阳振华, compound surname
	MartyrUnnamed       = "m-unnamed-0001"   // 无名烈士
	MartyrLiChangshun   = "m-li-changshun"   // 李长顺, from 即墨县

	PersonWangJianguo = "p-wang-jianguo" // nephew of both brothers, living
	PersonWangXiuying = "p-wang-xiuying" // sister of 王德明, dead

	RecordRoll      = "rec-roll-qd-1"
	RecordGenealogy = "rec-genealogy-wang"
	RecordDNA       = "rec-dna-2021-17"
	RecordHeadstone = "rec-headstone-qd-3-2-5"
	RecordChronicle = "rec-chronicle-jiaoxian"

	AssertWangBorn1    = "a-wang-born-1"
	AssertWangBorn2    = "a-wang-born-2"
	AssertWangHometown = "a-wang-hometown"

	PortraitWang1  = "por-wang-1"
	PortraitWang2  = "por-wang-2"
	PortraitOuyang = "por-ouyang"

	Exhibit2022 = "exh-2022-100"
	StoryWang   = "story-wang-deming"
)

// Gazetteer returns a fresh batch with the places, units, cemeteries and
// the event the other fixtures refer to. Every call builds new values, so
// callers may modify what they get.
func Gazetteer() *store.Batch {
	return &store.Batch{
		Places: []store.Place{
			{ID: PlaceShandong, Code: "370000", Name: "山东省", Level: store.LevelProvince, Lat: 36.67, Lon: 117.0,
				OtherNames: []store.PlaceName{{Name: "鲁", Kind: "informal"}}},
			{ID: PlaceQingdao, Code: "370200", Name: "青岛市", Level: store.LevelPrefecture, ParentID: PlaceShandong, Lat: 36.07, Lon: 120.38},
			{ID: PlaceYantai, Code: "370600", Name: "烟台市", Level: store.LevelPrefecture, ParentID: PlaceShandong},
			{ID: PlaceHebei, Code: "130000", Name: "河北省", Level: store.LevelProvince},

			{ID: PlaceJiaoxian, Name: "胶县", Level: store.LevelCounty, ParentID: PlaceQingdao, From: 1913, To: 1987,
				ReplacedBy: []store.PlaceChange{{ToID: PlaceJiaozhou, Year: 1987, Kind: "upgrade"}},
				OtherNames: []store.PlaceName{{Name: "胶州", Kind: "historical", To: 1913, Source: "胶县志"}}},
			{ID: PlaceJiaoxianTown, Name: "李哥庄公社", Level: store.LevelTownship, ParentID: PlaceJiaoxian, From: 1958, To: 1984},
			{ID: PlaceJiaoxianVillage, Name: "大沽河村", Level: store.LevelVillage, ParentID: PlaceJiaoxianTown,
				OtherNames: []store.PlaceName{{Name: "大沽河大队", Kind: "historical", From: 1958, To: 1984}}},
			{ID: PlaceJiaozhou, Code: "370281", Name: "胶州市", Level: store.LevelCounty, ParentID: PlaceQingdao, From: 1987},
			{ID: PlaceJiaozhouTown, Name: "李哥庄镇", Level: store.LevelTownship, ParentID: PlaceJiaozhou},
			{ID: PlaceJiaozhouVillage, Name: "东庄村", Level: store.LevelVillage, ParentID: PlaceJiaozhouTown},

			{ID: PlaceJimoXian, Name: "即墨县", Level: store.LevelCounty, ParentID: PlaceQingdao, To: 1989,
				ReplacedBy: []store.PlaceChange{{ToID: PlaceJimoShi, Year: 1989, Kind: "upgrade"}}},
			{ID: PlaceJimoXianVillage, Name: "南泉村", Level: store.LevelVillage, ParentID: PlaceJimoXian},
			{ID: PlaceJimoShi, Code: "370282", Name: "即墨市", Level: store.LevelCounty, ParentID: PlaceQingdao, From: 1989, To: 2017,
				ReplacedBy: []store.PlaceChange{{ToID: PlaceJimoQu, Year: 2017, Kind: "upgrade"}}},
			{ID: PlaceJimoQu, Code: "370215", Name: "即墨区", Level: store.LevelCounty, ParentID: PlaceQingdao, From: 2017},
			{ID: PlaceJimoQuVillage, Name: "鳌山村", Level: store.LevelVillage, ParentID: PlaceJimoQu},

			{ID: PlaceLaixi, Code: "370285", Name: "莱西市", Level: store.LevelCounty, ParentID: PlaceQingdao},
			{ID: PlaceLaixiVillage, Name: "水集村", Level: store.LevelVillage, ParentID: PlaceLaixi},

			{ID: PlaceYexian, Name: "掖县", Level: store.LevelCounty, ParentID: PlaceYantai, To: 1988,
				ReplacedBy: []store.PlaceChange{{ToID: PlaceLaizhou, Year: 1988, Kind: "upgrade"}}},
			{ID: PlaceLaizhou, Code: "370683", Name: "莱州市", Level: store.LevelCounty, ParentID: PlaceYantai, From: 1988},
			{ID: PlaceYexianVillage, Name: "沙河村", Level: store.LevelVillage, ParentID: PlaceYexian},

			{ID: PlaceHebeiCounty, Code: "130631", Name: "阜平县", Level: store.LevelCounty, ParentID: PlaceHebei},
			{ID: PlaceHebeiCountyVilla, Name: "城南庄村", Level: store.LevelVillage, ParentID: PlaceHebeiCounty},
		},
		Units: []store.Unit{
			{ID: Unit27Army, Name: "中国人民志愿军第27军", Aliases: []string{"27军", "第二十七军"}, From: 1949, To: 1985,
				SucceededBy: []store.UnitLink{{UnitID: Unit27GroupArmy, Year: 1985, Note: "整编为集团军"}}},
			{ID: Unit27GroupArmy, Name: "第27集团军", From: 1985},
			{ID: Unit80Division, Name: "第80师", ParentID: Unit27Army},
			{ID: Unit81Division, Name: "第81师", ParentID: Unit27Army},
			{ID: Unit238Regiment, Name: "第238团", Aliases: []string{"238团"}, ParentID: Unit80Division},
		},
		Cemeteries: []store.Cemetery{
			{ID: CemeteryQingdao, Name: "青岛市烈士陵园", PlaceID: PlaceQingdao, Address: "青岛市市北区"},
			{ID: CemeteryJiaozhou, Name: "胶州市烈士陵园", PlaceID: PlaceJiaozhou},
		},
		Events: []store.Event{
			{ID: EventChangjin, Name: "长津湖战役", Kind: "battle",
				Start:       store.Date{Year: 1950, Month: 11, Day: 27, Text: "1950年11月27日"},
				End:         store.Date{Year: 1950, Month: 12, Day: 24},
				Description: "第二次战役东线"},
		},
	}
}

// Fixture returns the gazetteer plus a small, fully documented graph:
// every entity kind with every field set somewhere. Every call builds
// new values.
func Fixture() *store.Batch {
	b := Gazetteer()
	created := time.Date(2022, 8, 1, 9, 30, 15, 123_000_000, time.UTC)
	b.Martyrs = []store.Martyr{
		{
			ID: MartyrWangDeming, RegistryNo: "370281-1950-0042", Name: "王德明",
			Aliases: []store.Alias{
				{Name: "王小二", Kind: "nickname", Source: "王氏族谱"},
				{Name: "王得明", Kind: "variant", Source: "墓碑"},
			},
			Sex:           store.SexMale,
			Born:          store.Date{Year: 1928, Month: 3, Text: "1928年3月"},
			HometownText:  "山东省胶县李哥庄公社大沽河村",
			HometownID:    PlaceJiaoxianVillage,
			Enlisted:      store.Date{Year: 1947, Text: "1947年"},
			UnitText:      "志愿军27军80师238团3营7连",
			UnitID:        Unit238Regiment,
			Position:      "班长",
			Died:          store.Date{Year: 1950, Month: 11, Day: 28, Text: "1950年11月28日"},
			DeathPlace:    "朝鲜长津湖新兴里",
			EventIDs:      []string{EventChangjin},
			BurialText:    "青岛市烈士陵园",
			CemeteryID:    CemeteryQingdao,
			Grave:         store.Grave{Section: "三区", Row: "2排", Number: "5号", Text: "三区2排5号"},
			ApprovedBy:    "山东省人民政府",
			CertificateNo: "鲁烈字第1234号",
			Notes:         "墓碑刻作王得明",
			Extra:         map[string]string{"原始编号": "0042", "备注": "1951年追认"},
		},
		{
			ID: MartyrWangDeliang, Name: "王德亮", Sex: store.SexMale,
			Born:         store.Date{Year: 1925, Text: "1925年"},
			HometownText: "胶县李哥庄", HometownID: PlaceJiaoxianTown,
			UnitID: Unit80Division,
			Died:   store.Date{Year: 1948, Month: 9, Text: "1948年9月"}, DeathPlace: "济南",
		},
		{
			ID: MartyrOuyangZhenhua, Name: "欧阳振华", Sex: store.SexMale,
			HometownText: "胶州市李哥庄镇东庄村", HometownID: PlaceJiaozhouVillage,
			UnitID: Unit81Division,
			// "1951年秋": a range date.
			Died:       store.Date{Year: 1951, Month: 7, ToYear: 1951, ToMonth: 9, Text: "1951年秋"},
			CemeteryID: CemeteryJiaozhou,
			Grave:      store.Grave{Text: "西区12号"},
		},
		{
			ID: MartyrUnnamed, Unnamed: true, BurialText: "青岛市烈士陵园无名烈士墓",
			CemeteryID: CemeteryQingdao,
			Died:       store.Date{Text: "不详"},
			Notes:      "随志愿军遗骸归国",
		},
		{
			ID: MartyrLiChangshun, Name: "李长顺", Sex: store.SexMale,
			HometownText: "即墨县南泉村", HometownID: PlaceJimoXianVillage,
			Enlisted: store.Date{Year: 1945, Month: 8, Day: 1},
			Died:     store.Date{Year: 1950, ToYear: 1953, Text: "抗美援朝期间"},
		},
	}
	b.People = []store.Person{
		{
			ID: PersonWangJianguo, Name: "王建国", Sex: store.SexMale,
			Born: store.Date{Year: 1962, Month: 5, Day: 4}, Living: true,
			HometownText: "胶州市李哥庄镇", HometownID: PlaceJiaozhouTown,
			Personal: store.PersonalData{
				Phone: "13800000000", Address: "胶州市李哥庄镇东庄村12号", IDNumber: "370281196205040000",
				DNAResults: []store.DNAResult{{
					MartyrID: MartyrWangDeming, Lab: "青岛市公安局物证鉴定所",
					Date:    store.Date{Year: 2021, Month: 11},
					Outcome: "match", RecordID: RecordDNA,
				}},
			},
			Notes: "两位烈士的侄子",
		},
		{
			ID: PersonWangXiuying, Name: "王秀英", Sex: store.SexFemale,
			Born: store.Date{Year: 1931}, Died: store.Date{Year: 1999, Text: "1999年"},
			Living: false, HometownText: "胶县",
		},
	}
	b.Kinships = []store.Kinship{
		{PersonID: PersonWangJianguo, MartyrID: MartyrWangDeming, Relation: store.RelNephew, Line: store.LinePaternal,
			Status: store.KinClaimed, Note: "族谱记载",
			Citations: []store.Citation{
				{RecordID: RecordGenealogy, Locator: "第3卷第12页", Quote: "德明，字光远，从军未归", Confidence: 2},
				{RecordID: RecordDNA, Confidence: 3},
			}},
		{PersonID: PersonWangJianguo, MartyrID: MartyrWangDeliang, Relation: store.RelNephew, Line: store.LinePaternal,
			Status: store.KinClaimed},
		{PersonID: PersonWangXiuying, MartyrID: MartyrWangDeming, Relation: store.RelSister, Line: store.LineUnknown,
			Status:    store.KinConfirmed,
			Citations: []store.Citation{{RecordID: RecordGenealogy, Locator: "第3卷第13页", Confidence: 0}}},
	}
	b.Records = []store.ArchivalRecord{
		{ID: RecordRoll, Kind: store.RecRoll, Title: "青岛市革命烈士英名录", Institution: "青岛市退役军人事务局",
			Volume: "第二卷", Page: "87", Date: store.Date{Year: 1985},
			MartyrIDs: []string{MartyrWangDeming, MartyrOuyangZhenhua}},
		{ID: RecordGenealogy, Kind: store.RecGenealogy, Title: "王氏族谱", Institution: "胶州市李哥庄镇王氏家族",
			Volume: "第3卷", Date: store.Date{Year: 1936, ToYear: 1938},
			Transcription: "德明，字光远，从军未归。德亮，济南战役阵亡。",
			MartyrIDs:     []string{MartyrWangDeming, MartyrWangDeliang},
			PersonIDs:     []string{PersonWangXiuying},
			PlaceIDs:      []string{PlaceJiaoxianVillage}},
		{ID: RecordDNA, Kind: store.RecDNA, Title: "DNA 比对结果通知", Institution: "青岛市公安局物证鉴定所",
			Date:      store.Date{Year: 2021, Month: 11, Day: 20},
			MartyrIDs: []string{MartyrWangDeming}, PersonIDs: []string{PersonWangJianguo}},
		{ID: RecordHeadstone, Kind: store.RecHeadstone, Title: "墓碑照片 三区2排5号", Institution: "青岛市烈士陵园",
			Transcription: "王得明烈士之墓", MartyrIDs: []string{MartyrWangDeming}},
		{ID: RecordChronicle, Kind: store.RecChronicle, Title: "胶县志", Page: "612",
			Date: store.Date{Year: 1991}, PlaceIDs: []string{PlaceJiaoxian}},
	}
	b.Assertions = []store.Assertion{
		{ID: AssertWangBorn1, MartyrID: MartyrWangDeming, Field: "born", Value: "1928-03",
			Citations: []store.Citation{{RecordID: RecordRoll, Locator: "第87页", Quote: "王德明 1928年3月生", Confidence: 2}}},
		{ID: AssertWangBorn2, MartyrID: MartyrWangDeming, Field: "born", Value: "1929",
			Citations: []store.Citation{{RecordID: RecordGenealogy, Locator: "第3卷第12页", Quote: "己巳年生", Confidence: 1}},
			Note:      "族谱按虚岁推算，与英名录相差一年"},
		{ID: AssertWangHometown, MartyrID: MartyrWangDeming, Field: "hometown", Value: "胶县李哥庄公社大沽河村",
			Citations: []store.Citation{{RecordID: RecordChronicle, Locator: "第612页", Confidence: 3}}},
	}
	b.Portraits = []store.Portrait{
		{ID: PortraitWang1, MartyrID: MartyrWangDeming,
			SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Mime: "image/jpeg",
			Width: 3000, Height: 4000, Bytes: 2_345_678, Placeholder: "LEHV6nWB2yk8pyo0adR*.7kCMdnj",
			Artist: "青岛画院", Painted: store.Date{Year: 2022, Month: 6}, BasedOn: "侄子王建国的描述",
			Revision: 2, RevisionHistory: []string{"初稿 2022-05", "依家属意见修改眉眼 2022-06"},
			Reconstruction: true, AccessionNo: "QDA-2022-0042", Archive: "青岛市档案馆",
			Rights: "CC BY-NC 4.0", CaptionZH: "王德明烈士画像", CaptionEN: "Portrait of martyr Wang Deming",
			FamilyConsent: true, Published: true, CreatedAt: created},
		{ID: PortraitWang2, MartyrID: MartyrWangDeming,
			SHA256: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752", Mime: "image/png",
			Width: 800, Height: 1000, Bytes: 512_000, Reconstruction: false, CreatedAt: created.Add(time.Hour)},
		{ID: PortraitOuyang, MartyrID: MartyrOuyangZhenhua,
			SHA256: "fd61a03af4f77d870fc21e05e7e80678095c92d808cfb3b5c279ee04c74aca13", Mime: "image/jpeg",
			Reconstruction: true, FamilyConsent: false, Published: false},
	}
	b.Exhibits = []store.Exhibit{
		{ID: Exhibit2022, Title: "归根——百名烈士画像展", TitleEN: "Home at Last: 100 Portraits of Martyrs",
			Venue: "青岛市档案馆", Start: store.Date{Year: 2022, Month: 9, Day: 28}, End: store.Date{Year: 2022, Month: 10, Day: 31},
			Description: "依据家属描述复原的烈士画像",
			// Curated order, deliberately not id order.
			PortraitIDs: []string{PortraitWang2, PortraitOuyang, PortraitWang1},
			DonatedTo:   "青岛市档案馆", Published: true},
	}
	b.Stories = []store.Story{
		{ID: StoryWang, Title: "七十年后，王德明回家了", Body: "1950年冬，长津湖……",
			Author: "青岛日报", Date: store.Date{Year: 2022, Month: 9, Day: 30},
			MartyrIDs: []string{MartyrWangDeming, MartyrWangDeliang},
			PlaceIDs:  []string{PlaceJiaoxianVillage, PlaceJiaozhou},
			UnitIDs:   []string{Unit238Regiment},
			Sources:   []store.Citation{{RecordID: RecordDNA, Confidence: 3}, {RecordID: RecordRoll, Locator: "第87页", Confidence: 2}},
			Published: true},
	}
	return b
}

// Merge returns one batch holding the entities of all the given batches,
// in order. It copies the slices, not the entities.
func Merge(batches ...*store.Batch) *store.Batch {
	out := &store.Batch{}
	for _, b := range batches {
		if b == nil {
			continue
		}
		out.Places = append(out.Places, b.Places...)
		out.Units = append(out.Units, b.Units...)
		out.Cemeteries = append(out.Cemeteries, b.Cemeteries...)
		out.Events = append(out.Events, b.Events...)
		out.Martyrs = append(out.Martyrs, b.Martyrs...)
		out.People = append(out.People, b.People...)
		out.Kinships = append(out.Kinships, b.Kinships...)
		out.Records = append(out.Records, b.Records...)
		out.Assertions = append(out.Assertions, b.Assertions...)
		out.Portraits = append(out.Portraits, b.Portraits...)
		out.Exhibits = append(out.Exhibits, b.Exhibits...)
		out.Stories = append(out.Stories, b.Stories...)
	}
	return out
}

// BulkHometowns are the places Bulk spreads its martyrs over, in turn.
var BulkHometowns = []string{
	PlaceJiaoxianVillage, PlaceJiaozhouVillage, PlaceJimoXianVillage, PlaceJimoQuVillage,
	PlaceLaixiVillage, PlaceYexianVillage, PlaceHebeiCountyVilla, PlaceJiaoxian, PlaceJimoShi, PlaceJiaozhouTown, "",
}

var (
	bulkSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "孙", "欧阳", "徐", "马", "诸葛", "朱"}
	bulkGiven    = []string{"德明", "长顺", "振华", "建国", "秀英", "俊江", "明", "华", "德胜", "喜娃", "光远", "玉山", "福", "宝林"}
	bulkUnits    = []string{Unit238Regiment, Unit80Division, Unit81Division, ""}
	bulkCems     = []string{CemeteryQingdao, CemeteryJiaozhou, "", ""}
	bulkRelation = []store.Relation{store.RelSon, store.RelNephew, store.RelBrother, store.RelDaughter, store.RelNiece}
)

// BulkMartyrID is the id of the i-th martyr Bulk(prefix, n) makes.
func BulkMartyrID(prefix string, i int) string { return fmt.Sprintf("%s-m%07d", prefix, i) }

// BulkPersonID is the id of the relative of the i-th martyr of Bulk.
func BulkPersonID(prefix string, i int) string { return fmt.Sprintf("%s-p%07d", prefix, i) }

// Bulk returns n synthetic martyrs, each with a relative and a kinship,
// spread over the gazetteer's places (BulkHometowns in turn), units,
// cemeteries and the years 1946-1953. It refers to the gazetteer without
// including it: apply Gazetteer first or Merge the two. Ids start with
// prefix, so several bulks can share a store.
func Bulk(prefix string, n int) *store.Batch {
	b := &store.Batch{
		Martyrs:  make([]store.Martyr, 0, n),
		People:   make([]store.Person, 0, n),
		Kinships: make([]store.Kinship, 0, n),
	}
	for i := range n {
		name := bulkSurnames[i%len(bulkSurnames)] + bulkGiven[(i/len(bulkSurnames))%len(bulkGiven)]
		year := 1946 + i%8
		m := store.Martyr{
			ID:           BulkMartyrID(prefix, i),
			RegistryNo:   fmt.Sprintf("B%07d", i),
			Name:         name,
			Sex:          store.SexMale,
			Born:         store.Date{Year: year - 20 - i%5},
			HometownID:   BulkHometowns[i%len(BulkHometowns)],
			HometownText: fmt.Sprintf("籍贯%d", i%len(BulkHometowns)),
			UnitID:       bulkUnits[i%len(bulkUnits)],
			Died:         store.Date{Year: year, Month: 1 + i%12},
			CemeteryID:   bulkCems[i%len(bulkCems)],
			Grave:        store.Grave{Text: fmt.Sprintf("%d排%d号", i/100, i%100)},
		}
		if i%97 == 0 {
			m.Name, m.Unnamed = "", true
		}
		b.Martyrs = append(b.Martyrs, m)
		p := store.Person{
			ID: BulkPersonID(prefix, i), Name: bulkSurnames[i%len(bulkSurnames)] + "家属",
			Living: i%3 != 0, HometownID: m.HometownID,
		}
		b.People = append(b.People, p)
		b.Kinships = append(b.Kinships, store.Kinship{
			PersonID: p.ID, MartyrID: m.ID, Relation: bulkRelation[i%len(bulkRelation)], Status: store.KinClaimed,
		})
	}
	return b
}
