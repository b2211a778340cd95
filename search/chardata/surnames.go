package chardata

import "slices"

// surnameReadings: how a character is read as a family name, where that
// differs from (or is only one of) its common readings. Kept by hand from
// the 百家姓 and the 通用规范汉字表's notes on surname readings; a name's
// first character gets these readings first, its other readings after.
var surnameReadings = map[rune][]string{
	'单': {"shan"}, '曾': {"zeng"}, '解': {"xie"}, '仇': {"qiu"}, '区': {"ou"},
	'朴': {"piao"}, '翟': {"zhai", "di"}, '缪': {"miao"}, '覃': {"qin", "tan"}, '查': {"zha"},
	'盖': {"ge", "gai"}, '华': {"hua"}, '任': {"ren"}, '纪': {"ji"}, '燕': {"yan"},
	'乐': {"yue", "le"}, '员': {"yun"}, '召': {"shao"}, '句': {"gou"}, '种': {"chong"},
	'秘': {"bi"}, '折': {"she"}, '粘': {"nian"}, '隗': {"wei"}, '佴': {"nai"},
	'宿': {"su"}, '能': {"nai"}, '过': {"guo"}, '叶': {"ye"}, '沈': {"shen"},
	'薄': {"bo"}, '角': {"jue"}, '石': {"shi"}, '阚': {"kan"}, '繁': {"po"},
	'长': {"chang"}, '重': {"chong"}, '卜': {"bu"}, '都': {"du"}, '藏': {"zang"},
	'乜': {"nie"}, '祭': {"zhai"}, '冼': {"xian"}, '洗': {"xian"}, '郇': {"xun", "huan"},
	'朝': {"chao"}, '尉': {"wei", "yu"}, '万': {"wan", "mo"}, '曲': {"qu"}, '车': {"che"},
	'行': {"xing", "hang"}, '那': {"na"}, '柏': {"bai", "bo"}, '谌': {"chen", "shen"},
	'相': {"xiang"}, '应': {"ying"}, '强': {"qiang"}, '逄': {"pang"}, '逢': {"feng", "pang"},
	'胥': {"xu"}, '厍': {"she"}, '占': {"zhan"}, '令': {"ling"}, '鲜': {"xian"},
	'贾': {"jia"}, '莫': {"mo"}, '盛': {"sheng"}, '殷': {"yin"}, '参': {"can"},
	'藉': {"ji"}, '和': {"he"}, '颉': {"xie", "jie"}, '蕃': {"pi", "fan"},
}

// compoundSurnames are the two-character family names with their readings,
// in simplified form; names are folded before they are looked up.
var compoundSurnames = map[string][2]string{
	"欧阳": {"ou", "yang"}, "司马": {"si", "ma"}, "上官": {"shang", "guan"}, "诸葛": {"zhu", "ge"},
	"东方": {"dong", "fang"}, "皇甫": {"huang", "fu"}, "尉迟": {"yu", "chi"}, "公孙": {"gong", "sun"},
	"慕容": {"mu", "rong"}, "长孙": {"zhang", "sun"}, "宇文": {"yu", "wen"}, "司徒": {"si", "tu"},
	"夏侯": {"xia", "hou"}, "轩辕": {"xuan", "yuan"}, "令狐": {"ling", "hu"}, "端木": {"duan", "mu"},
	"独孤": {"du", "gu"}, "南宫": {"nan", "gong"}, "西门": {"xi", "men"}, "申屠": {"shen", "tu"},
	"公冶": {"gong", "ye"}, "太史": {"tai", "shi"}, "澹台": {"tan", "tai"}, "闻人": {"wen", "ren"},
	"呼延": {"hu", "yan"}, "赫连": {"he", "lian"}, "钟离": {"zhong", "li"}, "万俟": {"mo", "qi"},
	"单于": {"chan", "yu"}, "司空": {"si", "kong"}, "百里": {"bai", "li"}, "东郭": {"dong", "guo"},
	"濮阳": {"pu", "yang"}, "淳于": {"chun", "yu"}, "宗政": {"zong", "zheng"}, "拓跋": {"tuo", "ba"},
	"第五": {"di", "wu"}, "鲜于": {"xian", "yu"}, "乐正": {"yue", "zheng"}, "亓官": {"qi", "guan"},
	"左丘": {"zuo", "qiu"}, "谷梁": {"gu", "liang"}, "羊舌": {"yang", "she"}, "巫马": {"wu", "ma"},
	"公西": {"gong", "xi"}, "漆雕": {"qi", "diao"}, "壤驷": {"rang", "si"}, "公良": {"gong", "liang"},
	"段干": {"duan", "gan"}, "梁丘": {"liang", "qiu"}, "东门": {"dong", "men"}, "公羊": {"gong", "yang"},
}

// informalVariants: substitutions seen in registers and on headstones that
// Unihan does not list as variants: characters of the withdrawn second
// simplification scheme (1977) that stayed in handwriting (萧 -> 肖,
// 阎 -> 闫, 傅 -> 付, 戴 -> 代, 蓝 -> 兰) and similar local habits.
var informalVariants = map[rune][]rune{
	'萧': {'肖'}, '阎': {'闫'}, '傅': {'付'}, '戴': {'代'}, '蓝': {'兰'},
	'酆': {'丰'}, '副': {'付'}, '停': {'仃'},
}

// SurnameReadings returns how the character is read as a family name,
// canonical first, or nil when it is read as usual.
func SurnameReadings(r rune) []string { return surnameReadings[r] }

// CompoundSurname reports whether the folded name starts with a two-
// character family name, and its readings. A two-character name is never
// taken as a bare compound surname: 司马 alone is a surname and a given name.
func CompoundSurname(folded []rune) ([2]string, bool) {
	if len(folded) < 3 {
		return [2]string{}, false
	}
	rs, ok := compoundSurnames[string(folded[:2])]
	return rs, ok
}

// CompoundSurnames lists the two-character family names, sorted.
func CompoundSurnames() []string {
	out := make([]string, 0, len(compoundSurnames))
	for s := range compoundSurnames {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}
