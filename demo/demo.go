// Package demo is Guigen's demonstration data set: a small gazetteer of
// Qingdao with its former counties, about two hundred martyrs, relatives,
// archival records, assertions, stories and tracing leads.
//
// The places are real administrative divisions of Qingdao and their
// renames (simplified: former counties hang under 青岛市 whatever
// prefecture they then belonged to; commune years are nominal); the
// villages are ordinary village names of the region, not a survey. The
// units, battles and cemeteries are real names used as a setting. Every
// person, every record, every story, phone number and address is
// fictional, written or generated for this project; personal data is
// visibly fake (138****0001). The data is deterministic: Batch returns
// the same entities on every call.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/guigen/guigen/store"
)

// Martyr ids of the hand-written cases, for tests and docs.
const (
	MartyrLiuDeshan       = "m-0001" // 刘德善 on the headstone, 刘德喜 in the family tree
	MartyrWangDesheng1    = "m-0002" // three men called 王德胜
	MartyrWangDesheng2    = "m-0003"
	MartyrWangDesheng3    = "m-0004"
	MartyrSunYushan       = "m-0005" // 小名 栓柱; found his family
	MartyrUnnamedQingdao1 = "m-0006"
	MartyrUnnamedQingdao2 = "m-0007"
	MartyrJiangXiulan     = "m-0008"
	MartyrPangHuanzhang   = "m-0009"
	MartyrOuyangZhenhua   = "m-0010"
	MartyrZhangYushan1    = "m-0011" // two men called 张玉山, one lead mixed them up
	MartyrZhangYushan2    = "m-0012"
	MartyrLiChengshan     = "m-0013" // hometown only 「山东」
	MartyrWangLaifu       = "m-0014" // hometown 「交县」, a slip for 胶县
	MartyrUnnamedJiaozhou = "m-0015"
)

// Size is how many martyrs the demo holds.
const Size = 200

// Batch returns the demo data set, everything but the leads, as one batch
// that references nothing outside itself.
func Batch() *store.Batch {
	ms := martyrs()
	return &store.Batch{
		Places:     places(),
		Units:      units(),
		Cemeteries: cemeteries(),
		Events:     events(),
		Martyrs:    ms,
		People:     people(),
		Kinships:   kinships(),
		Records:    records(ms),
		Assertions: assertions(),
		Stories:    append(stories(), moreStories()...),
	}
}

func martyrs() []store.Martyr {
	g := newGenerator()
	ms := anchors(g)
	i := len(ms)
	for _, cp := range campaigns {
		for range cp.count {
			i++
			ms = append(ms, g.martyr(fmt.Sprintf("m-%04d", i), cp))
		}
	}
	if len(ms) != Size {
		panic(fmt.Sprintf("demo: %d martyrs, want %d", len(ms), Size))
	}
	return ms
}

// anchors are the hand-written martyrs the cases below are about.
func anchors(g *generator) []store.Martyr {
	m := []store.Martyr{
		{ID: MartyrLiuDeshan, RegistryNo: "QD-1948-0001", Name: "刘德善", Sex: store.SexMale,
			Aliases: []store.Alias{
				{Name: "刘德喜", Kind: "variant", Source: "《刘氏族谱》"},
				{Name: "喜子", Kind: "nickname", Source: "刘国强口述"},
			},
			Born: year(1926), Enlisted: ym(1947, 2),
			UnitText: "华东野战军第九纵队25师74团", UnitID: Unit9thColumn, Position: "战士",
			Died: ym(1948, 12), DeathPlace: "江苏徐州碾庄", EventIDs: []string{EventHuaihai},
			BurialText: "淮海战役烈士陵园", ApprovedBy: "山东省人民政府",
			Notes: "墓碑刻「刘德善」，族谱作「刘德喜」，待考。"},
		{ID: MartyrWangDesheng1, RegistryNo: "QD-1947-0002", Name: "王德胜", Sex: store.SexMale,
			Born: ym(1921, 8), Enlisted: year(1945),
			UnitText: "华野九纵27师", UnitID: Unit9thColumn, Position: "班长",
			Died: ymd(1947, 5, 15), DeathPlace: "山东蒙阴孟良崮", EventIDs: []string{EventMenglianggu},
			BurialText: "孟良崮战役烈士陵园", ApprovedBy: "华东军区政治部", CertificateNo: "鲁烈字第000312号"},
		{ID: MartyrWangDesheng2, Name: "王德胜", Sex: store.SexMale,
			Born: year(1930), Enlisted: ym(1948, 3),
			UnitText: "志愿军二十七军七十九师236团", UnitID: Unit27thArmy79th, Position: "战士",
			Died: ym(1950, 12), DeathPlace: "朝鲜长津湖", EventIDs: []string{EventChangjinhu},
			BurialText: "安葬于朝鲜", ApprovedBy: "中国人民志愿军政治部"},
		{ID: MartyrWangDesheng3, RegistryNo: "QD-1943-0004", Name: "王德胜", Sex: store.SexMale,
			Born: unknownDate, UnitText: "即墨县大队", Position: "民兵",
			Died: year(1943), DeathPlace: "即墨县马山", BurialText: "葬于原籍", ApprovedBy: "胶东行政公署"},
		{ID: MartyrSunYushan, RegistryNo: "QD-1950-0005", Name: "孙玉山", Sex: store.SexMale,
			Aliases: []store.Alias{{Name: "栓柱", Kind: "nickname", Source: "孙立华口述"}},
			Born:    ym(1929, 3), Enlisted: ym(1947, 2),
			UnitText: "志愿军二十七军七十九师235团3营7连", UnitID: Unit27thArmy79th, Position: "战士",
			Died: ymd(1950, 11, 28), DeathPlace: "朝鲜柳潭里", EventIDs: []string{EventChangjinhu},
			BurialText: "朝鲜，墓地不详", ApprovedBy: "中国人民志愿军政治部", CertificateNo: "鲁烈字第004005号"},
		{ID: MartyrUnnamedQingdao1, Sex: store.SexMale, Unnamed: true,
			Died: ym(1949, 6), DeathPlace: "崂山县", EventIDs: []string{EventQingdao},
			BurialText: "青岛市革命烈士陵园", CemeteryID: CemeteryQingdao,
			Grave: store.Grave{Section: "三区", Row: "2", Number: "5", Text: "三区2排5号"},
			Notes: "无名烈士。1949年青岛战役中牺牲于崂山县境内，五十年代迁葬，墓碑无名。"},
		{ID: MartyrUnnamedQingdao2, Sex: store.SexMale, Unnamed: true,
			Died: year(1949), BurialText: "青岛市革命烈士陵园", CemeteryID: CemeteryQingdao,
			Grave: store.Grave{Section: "三区", Row: "2", Number: "6", Text: "三区2排6号"},
			Notes: "无名烈士，与三区2排5号同批迁葬。"},
		{ID: MartyrJiangXiulan, RegistryNo: "QD-1942-0008", Name: "姜秀兰", Sex: store.SexFemale,
			Born: ym(1921, 3), Enlisted: year(1939), UnitText: "莱西县妇救会", Position: "妇救会会长",
			Died: ym(1942, 11), DeathPlace: "胶东", EventIDs: []string{EventJiaodong1942},
			BurialText: "葬于原籍", ApprovedBy: "胶东行政公署"},
		{ID: MartyrPangHuanzhang, RegistryNo: "QD-1948-0009", Name: "逄焕章", Sex: store.SexMale,
			Born: year(1927), Enlisted: year(1946),
			UnitText: "华东野战军第九纵队26师77团", UnitID: Unit9thColumn, Position: "排长",
			Died: ymd(1948, 9, 20), DeathPlace: "山东济南", EventIDs: []string{EventJinan},
			BurialText: "济南革命烈士陵园", ApprovedBy: "山东省人民政府"},
		{ID: MartyrOuyangZhenhua, RegistryNo: "QD-1952-0010", Name: "欧阳振华", Sex: store.SexMale,
			Born: ym(1928, 6), Enlisted: ym(1947, 10),
			UnitText: "志愿军十五军四十五师134团", UnitID: Unit15thArmy45th, Position: "副连长",
			Died: ymd(1952, 10, 20), DeathPlace: "朝鲜五圣山上甘岭", EventIDs: []string{EventShangganling},
			BurialText: "安葬于朝鲜", ApprovedBy: "中国人民志愿军政治部"},
		{ID: MartyrZhangYushan1, RegistryNo: "QD-1951-0011", Name: "张玉山", Sex: store.SexMale,
			Born: year(1931), UnitText: "中国人民志愿军第二十七军", UnitID: Unit27thArmy, Position: "战士",
			Died: year(1951), DeathPlace: "朝鲜", BurialText: "安葬于朝鲜", ApprovedBy: "中国人民志愿军政治部"},
		{ID: MartyrZhangYushan2, RegistryNo: "QD-1951-0012", Name: "张玉山", Sex: store.SexMale,
			Born: year(1929), Enlisted: year(1948),
			UnitText: "志愿军二十七军七十九师237团", UnitID: Unit27thArmy79th, Position: "副班长",
			Died: season(1951, "春", 3, 5), DeathPlace: "朝鲜", BurialText: "朝鲜，墓地不详", ApprovedBy: "中国人民志愿军政治部"},
		{ID: MartyrLiChengshan, Name: "李成山", Sex: store.SexMale, HometownText: "山东", HometownID: PlaceShandong,
			Born: unknownDate, UnitText: "志愿军十五军", UnitID: Unit15thArmy,
			Died: ym(1953, 7), DeathPlace: "朝鲜", BurialText: "安葬于朝鲜", ApprovedBy: "中国人民志愿军政治部"},
		{ID: MartyrWangLaifu, RegistryNo: "QD-1948-0014", Name: "王来福", Sex: store.SexMale, HometownText: "山东交县",
			Born: year(1925), UnitText: "华野九纵", UnitID: Unit9thColumn, Position: "战士",
			Died: ym(1948, 11), DeathPlace: "徐州", EventIDs: []string{EventHuaihai},
			BurialText: "淮海战役烈士陵园", ApprovedBy: "山东省人民政府",
			Notes: "籍贯「交县」疑为「胶县」之误，未能对应到地名。"},
		{ID: MartyrUnnamedJiaozhou, Unnamed: true, Died: unknownDate,
			BurialText: "胶州市烈士陵园", CemeteryID: CemeteryJiaozhou,
			Notes: "五十年代修建陵园时自原葬地迁入，姓名无考。"},
	}
	set := func(i int, placeID string, st style) {
		m[i].HometownText, m[i].HometownID = hometown(placeID, st)
	}
	set(0, "pl-v-houtun", styleOld)           // 山东省胶县九龙公社后屯村
	set(1, "pl-v-datun", styleOld)            // 山东省胶县李哥庄公社大屯村
	set(2, "pl-v-heya", styleOld)             // 山东省平度县南村公社河崖村
	set(3, PlaceJimoQu, styleOld)             // 山东省即墨县
	set(4, "pl-v-donghetou", styleOld)        // 山东省即墨县移风店公社东河头村
	set(7, "pl-v-jiangjiazhuang", styleShort) // 莱西院上姜家庄村
	set(8, "pl-v-dongtai", styleOld)          // 山东省崂山县王哥庄公社东台村
	set(9, "pl-v-shanhou", styleModern)       // 山东省青岛市平度市大泽山镇山后村
	set(10, "pl-v-yuantou", styleOld)         // 山东省崂山县夏庄公社源头村
	set(11, "pl-v-yujiatun", styleOld)        // 山东省胶南县王台公社于家屯村
	m[14].Grave = g.grave(CemeteryJiaozhou)   // 1排1号
	return m
}

// Person ids of the hand-written relatives.
const (
	PersonLiuDefu     = "p-0001"
	PersonLiuGuoqiang = "p-0002"
	PersonLiuXiuzhi   = "p-0003"
	PersonSunYuhe     = "p-0004"
	PersonSunLihua    = "p-0005"
	PersonWangGuizhi  = "p-0006"
	PersonPangMingyu  = "p-0007"
	PersonYuShuqin    = "p-0008"
	PersonQuJianguo   = "p-0009"
	PersonZhangFulai  = "p-0010"
	PersonJiangHongm  = "p-0011"
	PersonWangXiuying = "p-0012"
	PersonWangJianjun = "p-0013"
	PersonOuyangMing  = "p-0014"
	PersonPangShoulin = "p-0015"
)

// fake marks personal data as invented, so nobody mistakes it for real.
const fake = "（演示虚构）"

func people() []store.Person {
	return []store.Person{
		{ID: PersonLiuDefu, Name: "刘德福", Sex: store.SexMale, Born: year(1923), Died: year(1990),
			HometownText: "胶县九龙公社后屯村", HometownID: "pl-v-houtun"},
		{ID: PersonLiuGuoqiang, Name: "刘国强", Sex: store.SexMale, Born: year(1952), Living: true,
			HometownText: "胶州市九龙街道后屯村", HometownID: "pl-v-houtun",
			Personal: store.PersonalData{Phone: "138****0001", Address: "胶州市九龙街道后屯村" + fake}},
		{ID: PersonLiuXiuzhi, Name: "刘秀芝", Sex: store.SexFemale, Born: year(1956), Living: true,
			HometownText: "胶州市李哥庄镇", HometownID: "pl-jz-ligezhuang",
			Notes: "烈士胞妹之女。"},
		{ID: PersonSunYuhe, Name: "孙玉河", Sex: store.SexMale, Born: year(1925), Died: year(2003),
			HometownText: "即墨县移风店公社东河头村", HometownID: "pl-v-donghetou"},
		{ID: PersonSunLihua, Name: "孙立华", Sex: store.SexMale, Born: year(1958), Living: true,
			HometownText: "即墨区移风店镇东河头村", HometownID: "pl-v-donghetou",
			Personal: store.PersonalData{Phone: "139****0002", Address: "即墨区移风店镇东河头村" + fake}},
		{ID: PersonWangGuizhi, Name: "王桂芝", Sex: store.SexFemale, Born: year(1903), Died: year(1968),
			HometownText: "即墨县移风店公社东河头村", HometownID: "pl-v-donghetou"},
		{ID: PersonPangMingyu, Name: "逄明远", Sex: store.SexMale, Born: year(1960), Living: true,
			HometownText: "崂山区王哥庄街道", HometownID: "pl-ls-wanggezhuang",
			Personal: store.PersonalData{Phone: "137****0003"},
			Notes:    "家中口述：伯父逄守田1949年春参军，青岛解放前后再无音讯。"},
		{ID: PersonYuShuqin, Name: "于淑琴", Sex: store.SexFemale, Born: year(1963), Living: true,
			HometownText: "城阳区夏庄街道", HometownID: "pl-cy-xiazhuang",
			Notes: "逄守田胞姐之孙女，母系亲属。"},
		{ID: PersonQuJianguo, Name: "曲建国", Sex: store.SexMale, Born: year(1955), Living: true,
			HometownText: "崂山区北宅街道", HometownID: "pl-ls-beizhai",
			Personal: store.PersonalData{DNAResults: []store.DNAResult{{
				MartyrID: MartyrUnnamedQingdao2, Lab: "演示实验室" + fake, Date: ym(2022, 8),
				Outcome: "excluded", RecordID: "r-dna-0001"}}}},
		{ID: PersonZhangFulai, Name: "张福来", Sex: store.SexMale, Born: year(1950), Living: true,
			HometownText: "黄岛区王台街道于家屯村", HometownID: "pl-v-yujiatun"},
		{ID: PersonJiangHongm, Name: "姜红梅", Sex: store.SexFemale, Born: year(1966), Living: true,
			HometownText: "莱西市院上镇姜家庄村", HometownID: "pl-v-jiangjiazhuang"},
		{ID: PersonWangXiuying, Name: "王秀英", Sex: store.SexFemale, Born: year(1923), Died: year(2005),
			HometownText: "胶县李哥庄公社大屯村", HometownID: "pl-v-datun"},
		{ID: PersonWangJianjun, Name: "王建军", Sex: store.SexMale, Born: year(1946), Living: true,
			HometownText: "胶州市李哥庄镇大屯村", HometownID: "pl-v-datun"},
		{ID: PersonOuyangMing, Name: "欧阳明", Sex: store.SexMale, Born: year(1962), Living: true,
			HometownText: "平度市大泽山镇", HometownID: "pl-pd-dazeshan"},
		{ID: PersonPangShoulin, Name: "逄守林", Sex: store.SexMale, Born: year(1898), Died: year(1960),
			HometownText: "崂山县王哥庄公社东台村", HometownID: "pl-v-dongtai"},
	}
}

func kinships() []store.Kinship {
	cite := func(recordID, locator string, conf int) store.Citation {
		return store.Citation{RecordID: recordID, Locator: locator, Confidence: conf}
	}
	return []store.Kinship{
		{PersonID: PersonLiuDefu, MartyrID: MartyrLiuDeshan, Relation: store.RelBrother, Line: store.LinePaternal,
			Status: store.KinClaimed, Citations: []store.Citation{cite("r-genealogy-liu", "卷二第17页", 2)}},
		{PersonID: PersonLiuGuoqiang, MartyrID: MartyrLiuDeshan, Relation: store.RelNephew, Line: store.LinePaternal,
			Status: store.KinClaimed, Citations: []store.Citation{cite("r-genealogy-liu", "卷二第18页", 2), cite("r-oral-0001", "", 1)}},
		{PersonID: PersonLiuXiuzhi, MartyrID: MartyrLiuDeshan, Relation: store.RelNiece, Line: store.LineMaternal,
			Status: store.KinClaimed, Citations: []store.Citation{cite("r-oral-0001", "", 1)},
			Note: "母亲为烈士胞妹，可作线粒体比对。"},
		{PersonID: PersonSunYuhe, MartyrID: MartyrSunYushan, Relation: store.RelBrother, Line: store.LinePaternal,
			Status: store.KinConfirmed, Citations: []store.Citation{cite("r-cert-0005", "", 3)}},
		// Confirmed by lead-0002, whose confirming move carries this
		// kinship as its effect; the batch holds the outcome, so loading
		// the demo twice never turns it back into a claim.
		{PersonID: PersonSunLihua, MartyrID: MartyrSunYushan, Relation: store.RelNephew, Line: store.LinePaternal,
			Status: store.KinConfirmed, Citations: []store.Citation{cite("r-cert-0005", "", 2), cite("r-notice-0005", "", 3)}},
		{PersonID: PersonWangGuizhi, MartyrID: MartyrSunYushan, Relation: store.RelMother, Line: store.LineMaternal,
			Status: store.KinConfirmed, Citations: []store.Citation{cite("r-cert-0005", "领证人", 3)}},
		{PersonID: PersonPangMingyu, MartyrID: MartyrUnnamedQingdao1, Relation: store.RelNephew, Line: store.LinePaternal,
			Status: store.KinClaimed, Citations: []store.Citation{cite("r-oral-0006", "", 1)},
			Note: "家属认为无名烈士可能是其伯父逄守田，待 DNA 比对。"},
		{PersonID: PersonYuShuqin, MartyrID: MartyrUnnamedQingdao1, Relation: store.RelOther, Line: store.LineMaternal,
			Status: store.KinClaimed, Citations: []store.Citation{cite("r-oral-0006", "", 1)},
			Note: "逄守田胞姐之孙女，母系。"},
		{PersonID: PersonQuJianguo, MartyrID: MartyrUnnamedQingdao2, Relation: store.RelNephew, Line: store.LinePaternal,
			Status: store.KinClaimed, Citations: []store.Citation{cite("r-dna-0001", "", 3)},
			Note: "DNA 比对已排除，保留记录以免重复比对。"},
		{PersonID: PersonZhangFulai, MartyrID: MartyrZhangYushan2, Relation: store.RelNephew, Line: store.LinePaternal,
			Status: store.KinClaimed, Citations: []store.Citation{cite("r-genealogy-zhang", "第9页", 2)},
			Note: "原以为是城阳张玉山之侄，族谱显示为胶南于家屯张玉山之侄。"},
		{PersonID: PersonJiangHongm, MartyrID: MartyrJiangXiulan, Relation: store.RelNiece, Line: store.LinePaternal,
			Status: store.KinConfirmed, Citations: []store.Citation{cite("r-roll-"+PlaceLaixi, "", 2)}},
		{PersonID: PersonWangXiuying, MartyrID: MartyrWangDesheng1, Relation: store.RelSpouse,
			Status: store.KinConfirmed, Citations: []store.Citation{cite("r-cert-0002", "领证人", 3)}},
		{PersonID: PersonWangJianjun, MartyrID: MartyrWangDesheng1, Relation: store.RelSon, Line: store.LinePaternal,
			Status: store.KinConfirmed, Citations: []store.Citation{cite("r-cert-0002", "", 2)}},
		{PersonID: PersonOuyangMing, MartyrID: MartyrOuyangZhenhua, Relation: store.RelNephew, Line: store.LinePaternal,
			Status: store.KinClaimed},
		{PersonID: PersonPangShoulin, MartyrID: MartyrPangHuanzhang, Relation: store.RelFather, Line: store.LinePaternal,
			Status: store.KinConfirmed, Citations: []store.Citation{cite("r-reg1950-laoshan", "第3页", 3)}},
	}
}

// records are the sources: a roll per county, cemetery registers, 1950
// registers, and the papers of the hand-written cases.
func records(ms []store.Martyr) []store.ArchivalRecord {
	byCounty := map[string][]string{}
	var unplaced, qingdaoGraves, jiaozhouGraves, army79 []string
	var jimo1950, pingdu []string
	for _, m := range ms {
		c := currentCounty(m.HometownID)
		if c == "" {
			unplaced = append(unplaced, m.ID)
		} else {
			byCounty[c] = append(byCounty[c], m.ID)
		}
		switch m.CemeteryID {
		case CemeteryQingdao:
			qingdaoGraves = append(qingdaoGraves, m.ID)
		case CemeteryJiaozhou:
			jiaozhouGraves = append(jiaozhouGraves, m.ID)
		}
		if m.UnitID == Unit27thArmy79th {
			army79 = append(army79, m.ID)
		}
		if c == PlaceJimoQu && m.Died.Year != 0 && m.Died.Year <= 1949 {
			jimo1950 = append(jimo1950, m.ID)
		}
		if c == PlacePingdu && len(pingdu) < 8 && m.Died.Year != 0 && m.Died.Year <= 1949 {
			pingdu = append(pingdu, m.ID)
		}
	}
	var rs []store.ArchivalRecord
	for i, c := range counties {
		if len(byCounty[c.id]) == 0 {
			continue
		}
		rs = append(rs, store.ArchivalRecord{
			ID: "r-roll-" + c.id, Kind: store.RecRoll,
			Title:       fmt.Sprintf("《青岛市革命烈士英名录》%s卷（演示）", c.name),
			Institution: "青岛市退役军人事务局（演示）", Volume: fmt.Sprintf("第%d卷", i+1),
			Date: year(2015), MartyrIDs: byCounty[c.id], PlaceIDs: []string{c.id},
		})
	}
	rs = append(rs,
		store.ArchivalRecord{ID: "r-roll-unplaced", Kind: store.RecRoll,
			Title: "《青岛市革命烈士英名录》籍贯待考卷（演示）", Institution: "青岛市退役军人事务局（演示）",
			Volume: "第11卷", Date: year(2015), MartyrIDs: unplaced},
		store.ArchivalRecord{ID: "r-grave-qingdao", Kind: store.RecGrave,
			Title: "青岛市革命烈士陵园墓葬登记簿（演示）", Institution: "青岛市革命烈士陵园（演示）",
			Date: year(1957), MartyrIDs: qingdaoGraves, PlaceIDs: []string{PlaceQingdao}},
		store.ArchivalRecord{ID: "r-grave-jiaozhou", Kind: store.RecGrave,
			Title: "胶州市烈士陵园墓位册（演示）", Institution: "胶州市烈士陵园（演示）",
			Date: year(1986), MartyrIDs: jiaozhouGraves, PlaceIDs: []string{PlaceJiaozhou}},
		store.ArchivalRecord{ID: "r-reg1950-jimo", Kind: store.RecRegister,
			Title: "即墨县革命烈士清册（1950年，演示）", Institution: "即墨区档案馆（演示）",
			Date: year(1950), MartyrIDs: jimo1950, PlaceIDs: []string{PlaceJimoxian}},
		store.ArchivalRecord{ID: "r-reg1950-laoshan", Kind: store.RecRegister,
			Title: "崂山县革命烈士清册（1950年，演示）", Institution: "崂山区档案馆（演示）", Page: "第3页",
			Date: year(1950), MartyrIDs: []string{MartyrPangHuanzhang}, PersonIDs: []string{PersonPangShoulin},
			PlaceIDs:      []string{PlaceLaoshanxian},
			Transcription: "逄焕章，男，王哥庄区东台村人，一九四八年九月济南战役牺牲。烈属：父逄守林。"},
		store.ArchivalRecord{ID: "r-chronicle-pingdu", Kind: store.RecChronicle,
			Title: "《平度县志》革命烈士英名表（演示摘录）", Page: "第612-618页",
			Date: year(1987), MartyrIDs: pingdu, PlaceIDs: []string{PlacePingduxian}},
		store.ArchivalRecord{ID: "r-unit-27j-79s", Kind: store.RecUnitArchive,
			Title: "第二十七军第七十九师烈士名册（演示摘录）", Institution: "部队档案（演示）",
			Date: year(1953), MartyrIDs: army79},
		store.ArchivalRecord{ID: "r-headstone-0001", Kind: store.RecHeadstone,
			Title: "刘德善烈士墓碑照片", Institution: "志愿者拍摄（演示）", Date: ym(2021, 10),
			Transcription: "刘德善烈士之墓　山东胶县人　一九四八年十二月牺牲",
			MartyrIDs:     []string{MartyrLiuDeshan}},
		store.ArchivalRecord{ID: "r-genealogy-liu", Kind: store.RecGenealogy,
			Title: "《刘氏族谱》后屯支（演示）", Institution: "刘氏家藏（演示）", Volume: "卷二", Page: "第17-18页",
			Date:          year(1994),
			Transcription: "德喜，行二，民国十五年生。从军，殁于徐州。兄德福。",
			MartyrIDs:     []string{MartyrLiuDeshan}, PersonIDs: []string{PersonLiuDefu, PersonLiuGuoqiang},
			PlaceIDs: []string{"pl-v-houtun"}},
		store.ArchivalRecord{ID: "r-oral-0001", Kind: store.RecOral,
			Title: "刘国强口述记录（演示）", Date: ymd(2021, 11, 5),
			Transcription: "我二叔小名喜子，四八年冬天在徐州那边牺牲的，家里一直说叫刘德喜。",
			MartyrIDs:     []string{MartyrLiuDeshan}, PersonIDs: []string{PersonLiuGuoqiang, PersonLiuXiuzhi}},
		store.ArchivalRecord{ID: "r-cert-0005", Kind: store.RecCertificate,
			Title: "革命烈士证明书（孙玉山）", Institution: "孙氏家藏（演示）", Date: year(1953),
			Transcription: "孙玉山同志于一九五〇年十一月在朝鲜长津湖战斗中光荣牺牲，特发此证。领证人：母王桂芝。",
			MartyrIDs:     []string{MartyrSunYushan}, PersonIDs: []string{PersonWangGuizhi, PersonSunYuhe}},
		store.ArchivalRecord{ID: "r-notice-0005", Kind: store.RecDeathNotice,
			Title: "牺牲通知书（孙玉山）", Institution: "即墨区档案馆（演示）", Date: ym(1951, 3),
			Transcription: "孙玉山同志于一九五〇年十一月二十八日在柳潭里战斗中牺牲。",
			MartyrIDs:     []string{MartyrSunYushan}},
		store.ArchivalRecord{ID: "r-cert-0002", Kind: store.RecCertificate,
			Title: "革命烈士证明书（王德胜）", Institution: "王氏家藏（演示）", Date: year(1952),
			MartyrIDs: []string{MartyrWangDesheng1}, PersonIDs: []string{PersonWangXiuying}},
		store.ArchivalRecord{ID: "r-oral-0006", Kind: store.RecOral,
			Title: "逄明远、于淑琴口述记录（演示）", Date: ym(2022, 3),
			Transcription: "伯父逄守田一九四九年春参军，家里只收到过一封信，说在即墨一带打仗。",
			MartyrIDs:     []string{MartyrUnnamedQingdao1}, PersonIDs: []string{PersonPangMingyu, PersonYuShuqin}},
		store.ArchivalRecord{ID: "r-dna-0001", Kind: store.RecDNA,
			Title: "DNA 比对结果通知（演示）", Institution: "演示实验室" + fake, Date: ym(2022, 8),
			Transcription: "比对结论：排除亲缘关系。",
			MartyrIDs:     []string{MartyrUnnamedQingdao2}, PersonIDs: []string{PersonQuJianguo}},
		store.ArchivalRecord{ID: "r-genealogy-zhang", Kind: store.RecGenealogy,
			Title: "《张氏族谱》于家屯支（演示）", Institution: "张氏家藏（演示）", Page: "第9页", Date: year(2008),
			Transcription: "玉山，字子明，从军赴朝，殁于辛卯年春。侄福来。",
			MartyrIDs:     []string{MartyrZhangYushan2}, PersonIDs: []string{PersonZhangFulai},
			PlaceIDs: []string{"pl-v-yujiatun"}},
	)
	return rs
}

func assertions() []store.Assertion {
	c := func(recordID, locator, quote string, conf int) store.Citation {
		return store.Citation{RecordID: recordID, Locator: locator, Quote: quote, Confidence: conf}
	}
	return []store.Assertion{
		// The conflicting pair: 善 and 喜 look alike in a worn carving.
		{ID: "a-0001", MartyrID: MartyrLiuDeshan, Field: "name", Value: "刘德善",
			Citations: []store.Citation{c("r-headstone-0001", "碑文", "刘德善烈士之墓", 2), c("r-roll-"+PlaceJiaozhou, "", "", 2)},
			Note:      "墓碑与英名录均作「善」。"},
		{ID: "a-0002", MartyrID: MartyrLiuDeshan, Field: "name", Value: "刘德喜",
			Citations: []store.Citation{c("r-genealogy-liu", "卷二第17页", "德喜，行二", 2), c("r-oral-0001", "", "家里一直说叫刘德喜", 1)},
			Note:      "族谱与家人作「喜」；喜、善形近，疑刻碑时误认。"},
		{ID: "a-0003", MartyrID: MartyrLiuDeshan, Field: "born", Value: "1926",
			Citations: []store.Citation{c("r-genealogy-liu", "卷二第17页", "民国十五年生", 2)}},
		{ID: "a-0004", MartyrID: MartyrSunYushan, Field: "died", Value: "1950-11-28",
			Citations: []store.Citation{c("r-notice-0005", "", "一九五〇年十一月二十八日", 3)}},
		{ID: "a-0005", MartyrID: MartyrSunYushan, Field: "hometown", Value: "山东省即墨县移风店公社东河头村",
			Citations: []store.Citation{c("r-cert-0005", "", "", 3)}},
		{ID: "a-0006", MartyrID: MartyrUnnamedQingdao1, Field: "died", Value: "1949-06",
			Citations: []store.Citation{c("r-grave-qingdao", "三区", "", 2)}},
		{ID: "a-0007", MartyrID: MartyrZhangYushan2, Field: "hometown", Value: "胶南县王台公社于家屯村",
			Citations: []store.Citation{c("r-genealogy-zhang", "第9页", "", 2)}},
		{ID: "a-0008", MartyrID: MartyrWangLaifu, Field: "hometown", Value: "交县",
			Citations: []store.Citation{c("r-roll-unplaced", "", "山东交县", 1)},
			Note:      "疑为「胶县」之误。"},
	}
}

func stories() []store.Story {
	return []store.Story{
		{ID: "s-0001", Title: "栓柱回家了", Author: "演示作者", Date: ym(2022, 9), Published: true,
			Body: "一九五〇年冬，十九岁的孙玉山倒在柳潭里的雪地里。家里人只记得他的小名叫栓柱。" +
				"七十年后，志愿者凭一张革命烈士证明书和一份牺牲通知书，在即墨找到了他的侄子孙立华。" +
				"（本文为演示数据，人物与情节均为虚构。）",
			MartyrIDs: []string{MartyrSunYushan}, PlaceIDs: []string{"pl-v-donghetou"}, UnitIDs: []string{Unit27thArmy79th},
			Sources: []store.Citation{{RecordID: "r-cert-0005", Confidence: 3}, {RecordID: "r-notice-0005", Confidence: 3}}},
		{ID: "s-0002", Title: "碑上的一个字", Author: "演示作者", Date: ym(2022, 4), Published: false,
			Body: "墓碑上刻着「刘德善」，族谱里写的是「刘德喜」。风化的碑面上，喜与善只差几笔。" +
				"（草稿，演示数据。）",
			MartyrIDs: []string{MartyrLiuDeshan},
			Sources:   []store.Citation{{RecordID: "r-headstone-0001", Confidence: 2}, {RecordID: "r-genealogy-liu", Confidence: 2}}},
		{ID: "s-0003", Title: "胶县就是胶州", Author: "演示作者", Date: ym(2023, 3), Published: true,
			Body: "英名录上写着「山东省胶县」，今天的地图上却找不到胶县：1987年胶县撤县设市，成了胶州市。" +
				"寻亲时，旧县名要和今天的地名对上。（演示数据。）",
			MartyrIDs: []string{MartyrWangDesheng1}, PlaceIDs: []string{PlaceJiaoxian, PlaceJiaozhou}},
	}
}

// LeadScript is a lead as created, then the moves it went through.
type LeadScript struct {
	Lead  store.Lead
	Steps []LeadStep
}

// LeadStep is one move of a lead: the event and what it changes.
type LeadStep struct {
	Event   store.LeadEvent
	Effects *store.Batch
}

// Leads returns the demo's tracing leads, each created in state NEW and
// then moved step by step, so each ends in a different state.
func Leads() []LeadScript {
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }
	const vol, cw, rev = "demo-volunteer-1", "demo-caseworker-1", "demo-reviewer-1"
	move := func(from, to store.LeadState, who string, t time.Time, note string, evidence ...string) LeadStep {
		return LeadStep{Event: store.LeadEvent{Kind: "transition", From: from, To: to, Actor: who, At: t, Note: note, Evidence: evidence}}
	}
	assign := func(to, who string, t time.Time) LeadStep {
		return LeadStep{Event: store.LeadEvent{Kind: "assign", Assignee: to, Actor: who, At: t}}
	}
	confirmed := func() *store.Batch {
		for _, k := range kinships() {
			if k.PersonID == PersonSunLihua && k.MartyrID == MartyrSunYushan {
				return &store.Batch{Kinships: []store.Kinship{k}}
			}
		}
		panic("demo: kinship of 孙立华 missing")
	}
	return []LeadScript{
		{Lead: store.Lead{ID: "lead-0001", MartyrID: MartyrLiuDeshan, PersonIDs: []string{PersonLiuGuoqiang, PersonLiuXiuzhi},
			Source: "claim", Summary: "后屯村刘家称烈士为族谱中的刘德喜；碑文作刘德善。", CreatedBy: vol, CreatedAt: at(2021, 10, 20)},
			Steps: []LeadStep{
				move(store.LeadNew, store.LeadTriaged, cw, at(2021, 10, 22), "族谱与碑文仅一字之差，值得查。"),
				assign(vol, cw, at(2021, 10, 22)),
				move(store.LeadTriaged, store.LeadInvestigating, vol, at(2021, 11, 5), "已做口述记录。", "r-oral-0001", "r-genealogy-liu"),
			}},
		{Lead: store.Lead{ID: "lead-0002", MartyrID: MartyrSunYushan, PersonIDs: []string{PersonSunLihua},
			Source: "search", Summary: "英名录籍贯即墨县移风店公社东河头村，村中孙姓家庭。", CreatedBy: vol, CreatedAt: at(2021, 9, 20)},
			Steps: []LeadStep{
				move(store.LeadNew, store.LeadTriaged, cw, at(2021, 9, 21), ""),
				assign(vol, cw, at(2021, 9, 21)),
				move(store.LeadTriaged, store.LeadInvestigating, vol, at(2021, 10, 2), ""),
				move(store.LeadInvestigating, store.LeadCandidateFamily, vol, at(2021, 10, 30), "孙立华家藏革命烈士证明书。", "r-cert-0005"),
				move(store.LeadCandidateFamily, store.LeadDocVerified, cw, at(2021, 12, 3), "证明书与牺牲通知书一致。", "r-cert-0005", "r-notice-0005"),
				{Event: store.LeadEvent{Kind: "transition", From: store.LeadDocVerified, To: store.LeadConfirmed, Actor: rev,
					At: at(2021, 12, 10), Note: "复核通过。", Evidence: []string{"r-notice-0005"}}, Effects: confirmed()},
				move(store.LeadConfirmed, store.LeadAnnounced, cw, at(2022, 4, 4), "家属同意公开。"),
			}},
		{Lead: store.Lead{ID: "lead-0003", MartyrID: MartyrUnnamedQingdao1, PersonIDs: []string{PersonPangMingyu, PersonYuShuqin},
			Source: "claim", Summary: "逄家认为三区2排5号无名烈士可能是伯父逄守田。", CreatedBy: vol, CreatedAt: at(2022, 3, 1)},
			Steps: []LeadStep{
				move(store.LeadNew, store.LeadTriaged, cw, at(2022, 3, 2), ""),
				move(store.LeadTriaged, store.LeadInvestigating, cw, at(2022, 3, 10), "", "r-oral-0006"),
				move(store.LeadInvestigating, store.LeadCandidateFamily, cw, at(2022, 5, 6), "父系、母系各有一名亲属可采样。"),
				move(store.LeadCandidateFamily, store.LeadDNARequested, cw, at(2022, 6, 1), "已申请 DNA 比对（演示）。"),
			}},
		{Lead: store.Lead{ID: "lead-0004", MartyrID: MartyrPangHuanzhang,
			Source: "search", Summary: "王哥庄东台村逄姓，待联系。", CreatedBy: vol, CreatedAt: at(2023, 5, 8)}},
		{Lead: store.Lead{ID: "lead-0005", MartyrID: MartyrZhangYushan1, PersonIDs: []string{PersonZhangFulai},
			Source: "claim", Summary: "张福来称城阳张玉山为其伯父。", CreatedBy: vol, CreatedAt: at(2022, 7, 12)},
			Steps: []LeadStep{
				move(store.LeadNew, store.LeadTriaged, cw, at(2022, 7, 13), ""),
				move(store.LeadTriaged, store.LeadInvestigating, vol, at(2022, 7, 20), ""),
				move(store.LeadInvestigating, store.LeadRejected, cw, at(2022, 8, 30),
					"族谱显示其伯父为胶南于家屯的张玉山（m-0012），并非城阳张玉山。", "r-genealogy-zhang"),
			}},
	}
}

// Summary counts what Load wrote.
type Summary struct {
	Martyrs, People, Places, Records, Leads int
}

func (s Summary) String() string {
	return fmt.Sprintf("烈士 %d，亲属 %d，地点 %d，档案 %d，线索 %d", s.Martyrs, s.People, s.Places, s.Records, s.Leads)
}

// Load writes the demo into a store: the batch, then each lead and its
// moves. A lead that already exists is left as it is, so Load can run
// again on a store that holds the demo.
func Load(ctx context.Context, s store.Store) (Summary, error) {
	b := Batch()
	if err := s.Apply(ctx, b); err != nil {
		return Summary{}, fmt.Errorf("load demo: %w", err)
	}
	sum := Summary{Martyrs: len(b.Martyrs), People: len(b.People), Places: len(b.Places), Records: len(b.Records)}
	for _, ls := range Leads() {
		l, err := s.CreateLead(ctx, ls.Lead)
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return sum, fmt.Errorf("load demo lead %s: %w", ls.Lead.ID, err)
		}
		for _, st := range ls.Steps {
			l, err = s.AdvanceLead(ctx, store.LeadUpdate{LeadID: l.ID, ExpectVersion: l.Version, Event: st.Event, Effects: st.Effects})
			if err != nil {
				return sum, fmt.Errorf("load demo lead %s %s->%s: %w", l.ID, st.Event.From, st.Event.To, err)
			}
		}
		sum.Leads++
	}
	return sum, nil
}

// FinalState is the state a lead script ends in.
func (ls LeadScript) FinalState() store.LeadState {
	state := store.LeadNew
	for _, st := range ls.Steps {
		if st.Event.Kind == "transition" {
			state = st.Event.To
		}
	}
	return state
}
