package ingest

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/guigen/guigen/store"
	"golang.org/x/text/width"
)

// unknownWords are what registers write for "not known"; they give a
// zero Date or an empty value, never an error.
var unknownWords = map[string]bool{
	"不详": true, "不祥": true, "未详": true, "无": true, "无考": true, "待查": true,
	"—": true, "-": true, "--": true, "?": true, "？": true, "unknown": true, "n/a": true,
}

// hanDigits maps the characters registers use for numbers written out.
var hanDigits = map[rune]int{
	'〇': 0, '零': 0, 'О': 0, 'o': 0, 'O': 0, '○': 0,
	'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

// seasons are the month ranges "1951年秋" and the like stand for.
var seasons = map[string][2]int{
	"春": {1, 3}, "夏": {4, 6}, "秋": {7, 9}, "冬": {10, 12},
	"春季": {1, 3}, "夏季": {4, 6}, "秋季": {7, 9}, "冬季": {10, 12},
	"上半年": {1, 6}, "下半年": {7, 12}, "初": {1, 3}, "底": {10, 12}, "末": {10, 12},
}

// normText folds full-width ASCII to ASCII (keeping 、 and other CJK punctuation) and trims spaces of
// every width.
func normText(s string) string {
	return strings.TrimSpace(width.Fold.String(s))
}

// hanNumber reads 一九五一 (digit by digit) or 十二, 二十三 (as a
// number) and ordinary digits; ok is false for anything else.
func hanNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	if strings.ContainsRune(s, '十') {
		// 十, 十二, 二十, 二十三: at most two digits around one 十.
		before, after, _ := strings.Cut(s, "十")
		tens, ones := 1, 0
		if before != "" {
			d, ok := hanDigits[[]rune(before)[0]]
			if !ok || len([]rune(before)) != 1 {
				return 0, false
			}
			tens = d
		}
		if after != "" {
			d, ok := hanDigits[[]rune(after)[0]]
			if !ok || len([]rune(after)) != 1 {
				return 0, false
			}
			ones = d
		}
		return tens*10 + ones, true
	}
	n := 0
	for _, r := range s {
		d, ok := hanDigits[r]
		if !ok {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

var (
	// dateNumeric: 1951-10-03, 1951.10, 1951/10/3, 19511003 is handled apart.
	dateNumeric = regexp.MustCompile(`^(\d{4})(?:[-./](\d{1,2})(?:[-./](\d{1,2}))?)?$`)
	// dateHan: 1951年10月3日, 一九五一年十月, 1951年秋, 1951年10月上旬.
	dateHan = regexp.MustCompile(`^([0-9〇零○一二三四五六七八九]{4})年(?:([0-9一二三四五六七八九十]{1,3})月(?:([0-9一二三四五六七八九十]{1,3})[日号])?)?(.*)$`)
)

// ParseDate reads a date as registers write it. Unknown words give a
// Date with only Text set; text that is not a date gives ok false. The
// source text is always kept in Text.
func ParseDate(raw string) (d store.Date, ok bool) {
	s := normText(raw)
	if s == "" {
		return store.Date{}, true
	}
	d.Text = strings.TrimSpace(raw)
	if unknownWords[strings.ToLower(s)] {
		return d, true
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, "左右"), "前后")
	s = strings.TrimPrefix(s, "约")
	if len(s) == 8 && isDigits(s) { // 19511003 from Excel exports
		s = s[:4] + "-" + s[4:6] + "-" + s[6:]
	}
	if m := dateNumeric.FindStringSubmatch(s); m != nil {
		d.Year, _ = strconv.Atoi(m[1])
		d.Month, _ = strconv.Atoi(m[2])
		d.Day, _ = strconv.Atoi(m[3])
		return d, d.Validate() == nil
	}
	m := dateHan.FindStringSubmatch(s)
	if m == nil {
		return d, false
	}
	y, ok1 := hanNumber(m[1])
	if !ok1 {
		return d, false
	}
	d.Year = y
	if m[2] != "" {
		mo, ok := hanNumber(m[2])
		if !ok {
			return d, false
		}
		d.Month = mo
	}
	if m[3] != "" {
		day, ok := hanNumber(m[3])
		if !ok {
			return d, false
		}
		d.Day = day
	}
	rest := strings.TrimSpace(m[4])
	switch {
	case rest == "":
	case d.Month == 0:
		r, ok := seasons[rest]
		if !ok {
			return d, false
		}
		d.Month, d.ToYear, d.ToMonth = r[0], d.Year, r[1]
	case d.Day == 0 && (rest == "上旬" || rest == "中旬" || rest == "下旬"):
		from, to := 1, 10
		if rest == "中旬" {
			from, to = 11, 20
		} else if rest == "下旬" {
			from, to = 21, 31
		}
		d.Day, d.ToYear, d.ToMonth, d.ToDay = from, d.Year, d.Month, to
	default:
		return d, false
	}
	return d, d.Validate() == nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// ParseSex reads 男/女/M/F (any case, full or half width); unknown words
// and empty give SexUnknown.
func ParseSex(raw string) (store.Sex, bool) {
	s := strings.ToLower(normText(raw))
	switch {
	case s == "" || unknownWords[s]:
		return store.SexUnknown, true
	case s == "男" || s == "m" || s == "male" || s == "男性":
		return store.SexMale, true
	case s == "女" || s == "f" || s == "female" || s == "女性":
		return store.SexFemale, true
	}
	return store.SexUnknown, false
}

var graveRe = regexp.MustCompile(`^(?:([0-9一二三四五六七八九十A-Za-z]+)区)?(?:([0-9一二三四五六七八九十]+)排)?(?:([0-9一二三四五六七八九十]+)号)?(?:墓)?$`)

// ParseGrave reads 1排12号, 三区2排5号, 5号; Section/Row/Number keep the
// parts in Arabic digits where they were numbers. Text keeps the input.
func ParseGrave(raw string) (store.Grave, bool) {
	s := strings.ReplaceAll(normText(raw), " ", "")
	if s == "" || unknownWords[s] {
		return store.Grave{Text: strings.TrimSpace(raw)}, true
	}
	g := store.Grave{Text: strings.TrimSpace(raw)}
	m := graveRe.FindStringSubmatch(s)
	if m == nil || (m[1] == "" && m[2] == "" && m[3] == "") {
		return g, false
	}
	num := func(p string) string {
		if n, ok := hanNumber(p); ok {
			return strconv.Itoa(n)
		}
		return p
	}
	if m[1] != "" {
		g.Section = num(m[1])
	}
	if m[2] != "" {
		g.Row = num(m[2])
	}
	if m[3] != "" {
		g.Number = num(m[3])
	}
	return g, true
}

// ParseName cleans a recorded name: full-width folded, inner spaces
// (pad characters 张 三) removed between hanzi, and a variant in
// brackets split off: 马广宇(马广余) gives 马广宇 and the variant 马广余.
// ok is false when nothing usable is left or the brackets do not close.
func ParseName(raw string) (name string, variants []string, ok bool) {
	s := normText(raw)
	// Brackets of every kind after width folding.
	for _, pair := range [][2]string{{"(", ")"}, {"（", "）"}, {"[", "]"}, {"【", "】"}} {
		for {
			i := strings.Index(s, pair[0])
			if i < 0 {
				break
			}
			j := strings.Index(s[i:], pair[1])
			if j < 0 {
				return "", nil, false
			}
			inner := strings.TrimSpace(s[i+len(pair[0]) : i+j])
			inner = strings.TrimPrefix(strings.TrimPrefix(inner, "又名"), "曾用名")
			inner = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(inner, ":"), "："))
			for _, v := range strings.FieldsFunc(inner, func(r rune) bool { return r == ',' || r == '、' || r == '，' || r == '/' }) {
				if v = collapseHanSpaces(strings.TrimSpace(v)); v != "" {
					variants = append(variants, v)
				}
			}
			s = s[:i] + s[i+j+len(pair[1]):]
		}
	}
	if strings.ContainsAny(s, ")）]】") {
		return "", nil, false
	}
	name = collapseHanSpaces(strings.TrimSpace(s))
	if name == "" {
		return "", nil, false
	}
	return name, variants, true
}

// collapseHanSpaces drops spaces that have a hanzi on both sides (registers
// pad two-character names: 张　三) and squeezes other runs to one space,
// which Latin or minority names transliterated with spaces keep.
func collapseHanSpaces(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if unicode.IsSpace(r) {
			j := i
			for j < len(rs) && unicode.IsSpace(rs[j]) {
				j++
			}
			if i > 0 && j < len(rs) && !(unicode.Is(unicode.Han, rs[i-1]) && unicode.Is(unicode.Han, rs[j])) {
				b.WriteByte(' ')
			}
			i = j - 1
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// splitList splits an aliases cell: 、，,;； and spaces between names.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(normText(s), func(r rune) bool {
		return r == '、' || r == ',' || r == '，' || r == ';' || r == '；' || r == '/' || unicode.IsSpace(r)
	}) {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}
