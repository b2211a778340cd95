package search

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/registry"

	"github.com/guigen/guigen/store"
)

func TestAnalyze(t *testing.T) {
	tests := []struct {
		in       string
		hanzi    []string
		folded   []string
		pinyin   [][]string // each listed reading must be present, the first one first
		dialect  [][]string
		joined   string // must be among Joined
		initials string // must be among Initials
	}{
		{in: "张德明", hanzi: []string{"张", "德", "明"}, folded: []string{"张", "德", "明"},
			pinyin: [][]string{{"zhang"}, {"de"}, {"ming"}}, dialect: [][]string{{"zan"}, {"de"}, {"min"}},
			joined: "zhangdeming", initials: "zdm"},
		{in: "張德明", folded: []string{"张", "德", "明"}, joined: "zhangdeming"},
		{in: " 张　德 明 ", hanzi: []string{"张", "德", "明"}},
		// Surname readings come first for the family name only.
		{in: "单雄信", pinyin: [][]string{{"shan", "dan"}, {"xiong"}, {"xin"}}, joined: "shanxiongxin", initials: "sxx"},
		{in: "曾国藩", pinyin: [][]string{{"zeng", "ceng"}}, joined: "zengguofan"},
		{in: "解放", pinyin: [][]string{{"xie", "jie"}, {"fang"}}},
		{in: "朴正", pinyin: [][]string{{"piao", "pu"}}},
		{in: "尉迟恭", pinyin: [][]string{{"yu"}, {"chi"}, {"gong"}}, joined: "yuchigong"},
		{in: "欧阳海", pinyin: [][]string{{"ou"}, {"yang"}, {"hai"}}, joined: "ouyanghai", initials: "oyh"},
		{in: "歐陽海", folded: []string{"欧", "阳", "海"}, joined: "ouyanghai"},
		// A polyphonic character in the given name keeps all readings.
		{in: "王长乐", pinyin: [][]string{{"wang"}, {"zhang", "chang"}, {"le", "yue"}}, joined: "wangchangle"},
		{in: "吕布", pinyin: [][]string{{"lv"}, {"bu"}}, dialect: [][]string{{"lu"}, {"bu"}}},
		{in: "黄宣农", dialect: [][]string{{"fan"}, {"xian"}, {"lon"}}},
		{in: "任日荣", dialect: [][]string{{"len"}, {"li"}, {"lon"}}},
		// Latin input.
		{in: "wangdeming", hanzi: []string{"", "", ""}, pinyin: [][]string{{"wang"}, {"de"}, {"ming"}}, joined: "wangdeming", initials: "wdm"},
		{in: "Wang De Ming", joined: "wangdeming", initials: "wdm"},
		{in: "WANG Deming", joined: "wangdeming"},
		{in: "Wáng Démíng", joined: "wangdeming"},
		{in: "ｗａｎｇ　ｄｅｍｉｎｇ", joined: "wangdeming"},
		{in: "wdm", pinyin: [][]string{{}, {}, {}}, initials: "wdm"},
		{in: "wang dm", pinyin: [][]string{{"wang"}, {}, {}}, initials: "wdm"},
		{in: "zhang德ming", hanzi: []string{"", "德", ""}, joined: "zhangdeming"},
		{in: "Lǚ Bù", pinyin: [][]string{{"lv"}, {"bu"}}, joined: "lvbu"},
		{in: "lyu bu", pinyin: [][]string{{"lv"}, {"bu"}}},
		{in: "lu bu", pinyin: [][]string{{"lu", "lv"}, {"bu"}}},
		{in: "xi'an", pinyin: [][]string{{"xi"}, {"an"}}},
		{in: "xian", pinyin: [][]string{{"xian"}}},
		// Wildcards hold a position.
		{in: "王?明", hanzi: []string{"王", "?", "明"}, pinyin: [][]string{{"wang"}, {}, {"ming"}}},
		{in: "王□明", hanzi: []string{"王", "□", "明"}},
		// 々 repeats; compatibility ideographs and Kangxi radicals fold.
		{in: "李々", hanzi: []string{"李", "李"}},
		{in: "\u2F08明", hanzi: []string{"人", "明"}},
	}
	for _, tt := range tests {
		a, err := Analyze(tt.in)
		if err != nil {
			t.Errorf("Analyze(%q): %v", tt.in, err)
			continue
		}
		if tt.hanzi != nil && !slices.Equal(a.Hanzi, tt.hanzi) {
			t.Errorf("Analyze(%q).Hanzi = %q, want %q", tt.in, a.Hanzi, tt.hanzi)
		}
		if tt.folded != nil && !slices.Equal(a.Folded, tt.folded) {
			t.Errorf("Analyze(%q).Folded = %q, want %q", tt.in, a.Folded, tt.folded)
		}
		checkPos := func(field string, got, want [][]string) {
			for i, w := range want {
				if i >= len(got) {
					t.Errorf("Analyze(%q).%s has %d positions, want at least %d", tt.in, field, len(got), i+1)
					return
				}
				if len(w) == 0 && len(got[i]) != 0 {
					t.Errorf("Analyze(%q).%s[%d] = %q, want none", tt.in, field, i, got[i])
				}
				for k, x := range w {
					if !slices.Contains(got[i], x) {
						t.Errorf("Analyze(%q).%s[%d] = %q, lacks %q", tt.in, field, i, got[i], x)
					}
					if k == 0 && len(got[i]) > 0 && got[i][0] != x {
						t.Errorf("Analyze(%q).%s[%d] = %q, want %q first", tt.in, field, i, got[i], x)
					}
				}
			}
		}
		checkPos("Pinyin", a.Pinyin, tt.pinyin)
		checkPos("Dialect", a.Dialect, tt.dialect)
		if tt.joined != "" && !slices.Contains(a.Joined, tt.joined) {
			t.Errorf("Analyze(%q).Joined = %q, lacks %q", tt.in, a.Joined, tt.joined)
		}
		if tt.initials != "" && !slices.Contains(a.Initials, tt.initials) {
			t.Errorf("Analyze(%q).Initials = %q, lacks %q", tt.in, a.Initials, tt.initials)
		}
		if n := len(a.Hanzi); len(a.Folded) != n || len(a.Pinyin) != n || len(a.Dialect) != n || len(a.Shape) != n {
			t.Errorf("Analyze(%q): per-position fields not aligned: %+v", tt.in, a)
		}
	}
}

func TestAnalyzeShape(t *testing.T) {
	a, _ := Analyze("王土己")
	b, _ := Analyze("王士已")
	for i := range a.Shape {
		if !slices.Equal(a.Shape[i], b.Shape[i]) {
			t.Errorf("shape keys differ at %d: %v vs %v", i, a.Shape[i], b.Shape[i])
		}
	}
}

// Bad input: a clear validation error (wrapping store.ErrInvalid) or a
// sensible analysis, never a panic or a silent empty result.
func TestAnalyzeBadInput(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr error
		hanzi   []string
		joined  string
	}{
		{"empty", "", ErrEmptyName, nil, ""},
		{"spaces", " \t\u3000\n ", ErrEmptyName, nil, ""},
		{"punctuation", "·—…《》", ErrEmptyName, nil, ""},
		{"digits", "12345", ErrEmptyName, nil, ""},
		{"emoji only", "😀🙏🇨🇳", ErrEmptyName, nil, ""},
		{"control only", "\x00\x01\x1b\x7f\u200b", ErrEmptyName, nil, ""},
		{"1000 characters", strings.Repeat("王", 1000), ErrNameTooLong, nil, ""},
		{"100 letters", strings.Repeat("ab", 60), ErrNameTooLong, nil, ""},
		{"40 characters", strings.Repeat("王", 40), ErrNameTooLong, nil, ""},
		{"emoji around", "😀王德明🙏", nil, []string{"王", "德", "明"}, ""},
		{"control inside", "王\x00德\u200b明\x7f", nil, []string{"王", "德", "明"}, ""},
		{"bidi and zero width", "\u202e王\u200d德明", nil, []string{"王", "德", "明"}, ""},
		{"full-width Latin", "ＷＡＮＧ　ＤＥＭＩＮＧ", nil, nil, "wangdeming"},
		{"mixed scripts", "王Деминг德明", nil, []string{"王", "德", "明"}, ""},
		{"middle dot", "阿依古丽·买买提", nil, []string{"阿", "依", "古", "丽", "买", "买", "提"}, ""},
		{"invalid UTF-8", "王\xff\xfe明", nil, []string{"王", "明"}, ""},
		{"hangul", "김일성", ErrEmptyName, nil, ""},
	}
	for _, tt := range tests {
		a, err := Analyze(tt.in)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) || !errors.Is(err, store.ErrInvalid) || !IsValidation(err) {
				t.Errorf("%s: err = %v, want %v wrapping store.ErrInvalid", tt.name, err, tt.wantErr)
			}
			if err != nil && !strings.ContainsFunc(err.Error(), func(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF }) {
				t.Errorf("%s: error %q has no Chinese message", tt.name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: unexpected error %v", tt.name, err)
			continue
		}
		if tt.hanzi != nil && !slices.Equal(a.Hanzi, tt.hanzi) {
			t.Errorf("%s: Hanzi = %q, want %q", tt.name, a.Hanzi, tt.hanzi)
		}
		if tt.joined != "" && !slices.Contains(a.Joined, tt.joined) {
			t.Errorf("%s: Joined = %q, want %q", tt.name, a.Joined, tt.joined)
		}
	}
}

func TestSegmentLatin(t *testing.T) {
	sg := defaultAnalyzer().seg
	tests := []struct {
		in   string
		want []string // best segmentation; "+x" marks an initial
		alt  []string // another segmentation that must be offered
	}{
		{"wangdeming", []string{"wang", "de", "ming"}, nil},
		{"xian", []string{"xian"}, []string{"xi", "an"}},
		{"wdm", []string{"+w", "+d", "+m"}, nil},
		{"wangdm", []string{"wang", "+d", "+m"}, nil},
		{"zhangsan", []string{"zhang", "san"}, nil},
		{"zhsan", []string{"+zh", "san"}, nil},
		{"ouyanghai", []string{"ou", "yang", "hai"}, nil},
		{"lyu", []string{"lyu"}, nil},
		{"fangang", []string{"fan", "gang"}, []string{"fang", "ang"}},
	}
	show := func(s segmentation) []string {
		var out []string
		for _, u := range s.units {
			if u.isInitial() {
				out = append(out, "+"+u.text)
			} else {
				out = append(out, u.text)
			}
		}
		return out
	}
	for _, tt := range tests {
		segs := sg.segment(tt.in)
		if len(segs) == 0 {
			t.Errorf("segment(%q): nothing", tt.in)
			continue
		}
		if got := show(segs[0]); !slices.Equal(got, tt.want) && !(tt.alt != nil && slices.Equal(got, tt.alt)) {
			t.Errorf("segment(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if tt.alt != nil {
			found := false
			for _, s := range segs {
				found = found || slices.Equal(show(s), tt.alt)
			}
			if !found {
				t.Errorf("segment(%q) does not offer %q", tt.in, tt.alt)
			}
		}
	}
}

func TestDialectFold(t *testing.T) {
	same := [][2]string{
		{"chen", "cheng"}, {"zhang", "zang"}, {"shi", "si"}, {"nan", "lan"}, {"niu", "liu"},
		{"ren", "leng"}, {"hua", "fa"}, {"hui", "fei"}, {"huang", "fang"}, {"xuan", "xian"},
		{"yuan", "yan"}, {"juan", "jian"}, {"lv", "lu"}, {"nv", "lu"}, {"jin", "jing"}, {"hu", "fu"},
	}
	for _, p := range same {
		if dialectFold(p[0]) != dialectFold(p[1]) {
			t.Errorf("dialectFold(%s)=%s, dialectFold(%s)=%s; want equal", p[0], dialectFold(p[0]), p[1], dialectFold(p[1]))
		}
	}
	differ := [][2]string{{"zhang", "wang"}, {"chen", "chan"}, {"li", "na"}, {"xian", "xin"}, {"hua", "hei"}, {"de", "te"}}
	for _, p := range differ {
		if dialectFold(p[0]) == dialectFold(p[1]) {
			t.Errorf("dialectFold(%s) == dialectFold(%s) = %s; want different", p[0], p[1], dialectFold(p[0]))
		}
	}
}

// The analyzers as bleve builds them from the registry, as an index
// mapping would.
func TestBleveAnalyzers(t *testing.T) {
	cache := registry.NewCache()
	type tok struct {
		term string
		pos  int
	}
	tests := []struct {
		analyzer string
		in       string
		want     []tok // all must be present
		not      []string
	}{
		{AnalyzerHanzi, "高喜娃", []tok{{"高", 1}, {"喜", 2}, {"娃", 3}, {"高喜", 1}, {"喜娃", 2}}, nil},
		{AnalyzerHanzi, "王?明", []tok{{"王", 1}, {"□", 2}, {"明", 3}}, []string{"?", "王明"}},
		{AnalyzerFold, "張德明", []tok{{"张", 1}, {"德", 2}, {"明", 3}}, []string{"張"}},
		{AnalyzerFold, "乾坤", []tok{{"乾", 1}, {"干", 1}}, nil},
		{AnalyzerPinyin, "单田芳", []tok{{"shan", 1}, {"dan", 1}, {"tian", 2}, {"fang", 3}}, nil},
		{AnalyzerPinyin, "Wang De Ming", []tok{{"wang", 1}, {"de", 2}, {"ming", 3}}, nil},
		{AnalyzerDialect, "陈宣农", []tok{{"cen", 1}, {"xian", 2}, {"lon", 3}}, []string{"chen"}},
		{AnalyzerInitials, "张德明", []tok{{"zdm", 1}}, nil},
		{AnalyzerJoined, "尉迟恭", []tok{{"yuchigong", 1}}, nil},
		{AnalyzerShape, "王土", []tok{{"1010", 1}, {"4010", 2}}, nil},
		{AnalyzerKeyword, "張 德明", []tok{{"张德明", 1}}, nil},
		{AnalyzerText, "山東省膠縣大店村", []tok{{"山", 1}, {"东", 2}, {"胶", 4}, {"胶县", 4}, {"大店", 6}}, nil},
	}
	for _, tt := range tests {
		a, err := cache.AnalyzerNamed(tt.analyzer)
		if err != nil {
			t.Fatalf("analyzer %s: %v", tt.analyzer, err)
		}
		ts := a.Analyze([]byte(tt.in))
		var got []tok
		for _, x := range ts {
			got = append(got, tok{string(x.Term), x.Position})
			if x.Start < 0 || x.End > len(tt.in) || x.Start > x.End {
				t.Errorf("%s(%q): token %q has offsets %d-%d outside the input", tt.analyzer, tt.in, x.Term, x.Start, x.End)
			}
		}
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s(%q) = %v, lacks %v", tt.analyzer, tt.in, got, w)
			}
		}
		for _, n := range tt.not {
			for _, g := range got {
				if g.term == n {
					t.Errorf("%s(%q) = %v, should not have %q", tt.analyzer, tt.in, got, n)
				}
			}
		}
	}
	for _, name := range []string{FilterFold, FilterPinyin, FilterDialect, FilterInitials, FilterJoined, FilterShape, FilterBigram, FilterKeyword} {
		if _, err := cache.TokenFilterNamed(name); err != nil {
			t.Errorf("token filter %s: %v", name, err)
		}
	}
	if _, err := cache.TokenizerNamed(TokenizerName); err != nil {
		t.Errorf("tokenizer: %v", err)
	}
}
