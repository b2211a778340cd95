package search

import (
	"fmt"
	"strings"
	"testing"
)

// Reasons as users see them, on the errors the archives produce.
func TestCompareNamesReasons(t *testing.T) {
	tests := []struct {
		query, record string
		kind          ReasonKind
		detail        string
	}{
		{"高喜娃", "高善娃", ReasonShape, "喜/善 形近"},
		{"王己", "王已", ReasonShape, "己/已 形近"},
		{"陈华", "陈花", ReasonHomophone, "华/花 同音"},
		{"王德明", "王得明", ReasonHomophone, "德/得 同音"},
		{"张德明", "張德明", ReasonVariant, "张/張 繁简"},
		{"萧明", "肖明", ReasonVariant, "萧/肖 俗写"},
		{"陈明", "程明", ReasonDialect, "陈/程 方音近"},
		{"刘乃", "刘来", ReasonDialect, "乃/来 方音近"},
		{"王德明", "王明", ReasonMissing, "缺字 德"},
		{"王明", "王德明", ReasonExtra, "多字 德"},
		{"王德明", "王□明", ReasonWildcard, "德/□ 字迹不清"},
		{"王?明", "王德明", ReasonWildcard, "?/德 未知字"},
		{"wangdeming", "王德明", ReasonPinyin, "拼音 wang de ming"},
		{"wdm", "王德明", ReasonPinyin, "首字母 wdm"},
		{"chen hua", "程华", ReasonDialect, "chen/程(cheng) 方音近"},
		{"wnagdeming", "王德明", ReasonSpelling, "wnagdeming/wangdeming 拼写近"},
		{"张德明", "张建国", ReasonOther, "德/建 不同"},
		{"王德明", "王明德", ReasonSwap, "德明/明德 颠倒"},
		{"王德明", "王明得", ReasonHomophone, "德/得 同音"},
		{"王德明", "王明得", ReasonSwap, "德明/明得 颠倒"},
	}
	for _, tt := range tests {
		m := CompareNames(tt.query, tt.record)
		found := false
		for _, r := range m.Reasons {
			found = found || (r.Kind == tt.kind && r.Detail == tt.detail)
		}
		if !found {
			t.Errorf("CompareNames(%s, %s) = %.2f %v, want reason {%s %s}", tt.query, tt.record, m.Score, m.Reasons, tt.kind, tt.detail)
		}
	}
	if m := CompareNames("张德明", "张德明"); m.Score != 1 || len(m.Reasons) != 0 {
		t.Errorf("identical names: %v", m)
	}
	if m := CompareNames("", "张德明"); m.Score != 0 {
		t.Errorf("empty query: %v", m)
	}
	if m := CompareNames("张德明", ""); m.Score != 0 {
		t.Errorf("empty record: %v", m)
	}
}

// The costs must rank each kind of error in the order of how likely it is
// to be the same man: a variant form above a homophone above a dialect
// near-homophone or look-alike above a missing character above an
// unrelated character.
func TestCompareNamesOrder(t *testing.T) {
	q := "张德明"
	order := []string{"张德明", "張德明", "张得明", "张德民", "张明德", "张明", "张建明", "张建国"}
	prev := 2.0
	for _, r := range order {
		s := CompareNames(q, r).Score
		if s >= prev {
			t.Errorf("%s scores %.3f, not below the one before (%.3f)", r, s, prev)
		}
		prev = s
	}
}

// For every kind of error, generated over many names: the right name
// scores above the same name with an unrelated character in the same
// place, the reason names the kind, and scores stay in [0, 1].
func TestCompareNamesByKind(t *testing.T) {
	c := newCorpus(7)
	kinds := []struct {
		kind   string
		reason ReasonKind
		change func(rune) (rune, bool)
	}{
		{"lookalike", ReasonShape, c.lookAlike},
		{"homophone", ReasonHomophone, c.homophoneOf},
		{"dialect", ReasonDialect, c.dialectOf},
	}
	unrelated := func(a rune) (rune, bool) {
		return c.pick(func(b rune) bool {
			return b != a && !c.homophone(a, b) && !c.dialectNear(a, b) && !c.variant(a, b) && c.tab.ShapeSimilarity(a, b) < shapeWeak
		})
	}
	for _, k := range kinds {
		var n, wrongReason, notAbove int
		var examples []string
		for tries := 0; n < 300 && tries < 3000; tries++ {
			truth := c.name()
			pos := c.rng.IntN(len([]rune(truth)))
			bad, ok := replaceAt(truth, pos, k.change)
			if !ok {
				continue
			}
			ctrl, ok := replaceAt(truth, pos, unrelated)
			if !ok {
				continue
			}
			n++
			m, mc := CompareNames(truth, bad), CompareNames(truth, ctrl)
			if m.Score < 0 || m.Score > 1 || mc.Score < 0 || mc.Score > 1 {
				t.Fatalf("score out of range: %v %v", m, mc)
			}
			if len(m.Reasons) != 1 || m.Reasons[0].Kind != k.reason {
				wrongReason++
				if len(examples) < 5 {
					examples = append(examples, fmt.Sprintf("%s/%s %v", truth, bad, m.Reasons))
				}
			}
			if m.Score <= mc.Score {
				notAbove++
			}
		}
		if n < 100 {
			t.Errorf("%s: only %d cases generated", k.kind, n)
		}
		if wrongReason > 0 || notAbove > 0 {
			t.Errorf("%s: %d/%d with another reason, %d/%d not above an unrelated character; e.g. %s",
				k.kind, wrongReason, n, notAbove, n, strings.Join(examples, "; "))
		}
	}
	// Traditional forms: the whole name written traditionally still
	// scores above one unrelated character.
	var n int
	for tries := 0; n < 200 && tries < 2000; tries++ {
		truth := c.name()
		trad, ok := c.traditional(truth)
		if !ok {
			continue
		}
		n++
		m := CompareNames(truth, trad)
		for _, r := range m.Reasons {
			if r.Kind != ReasonVariant {
				t.Errorf("%s/%s: reason %v", truth, trad, r)
			}
		}
		if m.Score <= CompareNames("王德明", "王建明").Score {
			t.Errorf("%s/%s scores only %.2f", truth, trad, m.Score)
		}
	}
}

// Two slips in a three-character name still beat two unrelated
// characters, and a missing character beats an unrelated one.
func TestCompareNamesTwoSlips(t *testing.T) {
	c := newCorpus(11)
	var n, bad int
	for tries := 0; n < 200 && tries < 5000; tries++ {
		truth := c.surname() + c.given(2)
		if len([]rune(truth)) != 3 {
			continue
		}
		s1, ok1 := replaceAt(truth, 1, c.homophoneOf)
		s2, ok2 := replaceAt(s1, 2, c.lookAlike)
		if !ok1 || !ok2 {
			continue
		}
		n++
		ctrl := string([]rune(truth)[:1]) + c.given(2)
		if CompareNames(truth, s2).Score <= CompareNames(truth, ctrl).Score && CompareNames(truth, ctrl).Score < 0.9 {
			bad++
		}
	}
	if bad > n/50 {
		t.Errorf("two slips ranked at or below two unrelated characters in %d of %d", bad, n)
	}
}
