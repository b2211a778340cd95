package synth

import "strings"

// surnameFreq: family names with their share of the population in
// thousandths, about the 2020 census (王 7.1%, 李 7.0%, ...), trimmed to
// the first ~110 and a few rare ones whose readings are special (单 shan,
// 解 xie, 仇 qiu, 区 ou, 朴 piao, 翟 zhai, 缪 miao, 覃 qin) and compound
// names. The tail beyond the list is left out: its names are rare and
// every one of them would only make records easier to tell apart.
var surnameFreq = []struct {
	name string
	freq float64
}{
	{"王", 71}, {"李", 70}, {"张", 67}, {"刘", 54}, {"陈", 46}, {"杨", 31}, {"黄", 25}, {"赵", 23},
	{"吴", 20}, {"周", 19}, {"徐", 14}, {"孙", 14}, {"马", 13}, {"朱", 12}, {"胡", 12}, {"郭", 11},
	{"何", 11}, {"林", 10}, {"高", 10}, {"罗", 9}, {"郑", 9}, {"梁", 8}, {"谢", 7}, {"宋", 6},
	{"唐", 6}, {"许", 6}, {"韩", 6}, {"邓", 5}, {"冯", 5}, {"曹", 5}, {"彭", 5}, {"曾", 5},
	{"肖", 5}, {"田", 4}, {"董", 4}, {"潘", 4}, {"袁", 4}, {"蔡", 4}, {"蒋", 4}, {"余", 4},
	{"于", 4}, {"杜", 4}, {"叶", 4}, {"程", 3}, {"魏", 3}, {"苏", 3}, {"吕", 3}, {"丁", 3},
	{"任", 3}, {"卢", 3}, {"姚", 3}, {"沈", 3}, {"钟", 3}, {"姜", 3}, {"崔", 3}, {"谭", 3},
	{"陆", 3}, {"范", 2}, {"汪", 2}, {"廖", 2}, {"石", 2}, {"金", 2}, {"韦", 2}, {"贾", 2},
	{"夏", 2}, {"付", 2}, {"方", 2}, {"邹", 2}, {"熊", 2}, {"白", 2}, {"孟", 2}, {"秦", 2},
	{"邱", 2}, {"侯", 2}, {"江", 2}, {"尹", 2}, {"薛", 2}, {"闫", 2}, {"段", 2}, {"雷", 2},
	{"龙", 1}, {"黎", 1}, {"史", 1}, {"陶", 1}, {"贺", 1}, {"毛", 1}, {"郝", 1}, {"顾", 1},
	{"龚", 1}, {"邵", 1}, {"万", 1}, {"覃", 1}, {"武", 1}, {"钱", 1}, {"戴", 1}, {"严", 1},
	{"莫", 1}, {"孔", 1}, {"向", 1}, {"常", 1}, {"汤", 1}, {"康", 1}, {"易", 1}, {"乔", 1},
	{"赖", 1}, {"文", 1}, {"施", 1}, {"洪", 1}, {"辛", 0.5}, {"柴", 0.5}, {"单", 0.5}, {"葛", 0.5},
	{"牛", 0.5}, {"解", 0.3}, {"仇", 0.3}, {"翟", 0.3}, {"缪", 0.2}, {"区", 0.2}, {"朴", 0.2},
	{"欧阳", 0.5}, {"司马", 0.1}, {"诸葛", 0.1}, {"上官", 0.1}, {"东方", 0.1}, {"皇甫", 0.1},
}

// givenMale: characters of men's given names of the generation born
// 1915-1955, the commoner first (weights fall off with the position).
// Registers of the period are full of 德, 明, 福, 贵, 山 and of
// generational characters; the list is from name lists of the period,
// not from any particular register.
var givenMale = []rune(strings.Join(strings.Fields(`
德 明 国 福 贵 山 成 玉 文 金 宝 志 永 长 庆 广 春 海 忠 华 林 生 喜 荣 祥 友 有 全 发 胜
建 兴 树 清 才 万 富 学 传 立 家 连 维 振 世 洪 顺 保 昌 正 义 仁 和 平 安 启 俊 杰 江 新
民 良 善 继 承 先 孝 本 占 登 凤 桂 云 风 光 辉 瑞 会 法 进 恩 章 彦 茂 吉 道 禄 寿 双 来 旺
根 田 水 石 柱 锁 娃 子 元 亮 堂 书 仲 伯 秉 乃 尚 开 运 盛 景 耀 魁 奎 纯 怀 思 克 勤 俭 汉
銮 鸿 鹏 斌 武 军 强 刚 铁 钢 宏 培 庭 廷 朝 修 信 积 增 得 合 财 贤 恒 秋 冬 夏 久 常 守`), ""))

// givenFemale: women are a few in a hundred of the registers.
var givenFemale = []rune(strings.Join(strings.Fields(`秀 英 兰 珍 凤 桂 芳 淑 玉 花 梅 琴 云 霞 莲 菊 香 翠 芝 荣`), ""))

// nicknames (小名) as recorded beside a name, or used by the family.
var nicknames = strings.Fields(`二娃 狗剩 铁蛋 石头 栓柱 小五 三娃 大牛 二狗 来福 拴住 毛蛋 福娃 小三 大娃 根娃
黑子 小四 二小 三小 铁柱 锁柱 小六 二牛 三狗 狗娃 牛娃 留柱 满仓 小满 二喜 双喜 老三 小二 大柱 春娃`)

// villageWords make village names: 王家庄, 后营村, 柳树屯.
var (
	villageHeads = strings.Fields(`大 小 前 后 东 西 南 北 上 下 新 老 高 中 石 柳 杨 槐 马 河 沙 山 水 台 岔 桥 井 泉 坡 庙`)
	villageMids  = strings.Fields(`店 营 河 树 关 沟 湾 口 头 家 岭 洼 寨 堡 坊 集 林 园 崖 埠`)
	villageTails = strings.Fields(`村 庄 屯 村 村 庄 堡 铺 寨`)
)

// unitArmies: armies of the Volunteer Army and of the earlier wars, as
// registers write them.
var unitArmies = []int{12, 15, 16, 20, 23, 24, 26, 27, 38, 39, 40, 42, 46, 47, 50, 60, 63, 64, 65, 66, 67, 68}

var positions = strings.Fields(`战士 战士 战士 战士 副班长 班长 排长 副排长 副连长 连长 指导员 卫生员 通讯员 炊事员 文书`)

var deathPlaces = strings.Fields(`朝鲜上甘岭 朝鲜铁原 朝鲜长津湖 朝鲜汉江 朝鲜清川江 朝鲜金城 朝鲜马良山 朝鲜开城 辽宁丹东 山东孟良崮 山东莱芜 江苏淮海 安徽双堆集 河北石家庄`)

var cemeteries = strings.Fields(`沈阳抗美援朝烈士陵园 丹东抗美援朝烈士陵园 朝鲜桧仓志愿军烈士陵园 朝鲜开城志愿军烈士陵园 青岛市烈士陵园 济南英雄山烈士陵园 孟良崮烈士陵园 淮海战役烈士陵园`)
