package demo

import "github.com/guigen/guigen/store"

// moreStories are further published stories, so that full-text search has
// several places, years and units to facet over. All fictional.
func moreStories() []store.Story {
	return []store.Story{
		{ID: "s-0004", Title: "两个張玉山", Author: "演示作者", Date: ym(2024, 6), Published: true,
			Body: "同名同姓的两位烈士，一位是即墨人，一位是平度人。线索一度把他们弄混，" +
				"直到志愿者比对了入伍时间和所在部队，才把两家人的寻亲线索分开。" +
				"（本文人物情节皆为虚构。）",
			MartyrIDs: []string{MartyrZhangYushan1, MartyrZhangYushan2},
			PlaceIDs:  []string{PlaceJimoQu, PlacePingdu}, UnitIDs: []string{Unit15thArmy45th}},
		{ID: "s-0005", Title: "英名录里的无名者", Author: "演示作者", Date: ym(2024, 4), Published: true,
			Body: "四方区烈士陵园里有两座墓碑只刻着「无名烈士」。档案馆的一页花名册，" +
				"让其中一位有了可能的名字，但还需要亲属的旁证。（本文人物情节皆为虚构。）",
			MartyrIDs: []string{MartyrUnnamedQingdao1, MartyrUnnamedQingdao2},
			PlaceIDs:  []string{PlaceSifang}},
		{ID: "s-0006", Title: "姜秀兰的家信", Author: "演示作者", Date: ym(2023, 11), Published: true,
			Body: "一封没有寄出的家信，落款是胶东军区的一个卫生队。信里写着：" +
				"「娘，等打完仗我就回来。」（本文人物情节皆为虚构。）",
			MartyrIDs: []string{MartyrJiangXiulan}, UnitIDs: []string{UnitJiaodong}},
	}
}
