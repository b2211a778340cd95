package search

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/guigen/guigen/search/chardata"
)

// Hometown is a record's 籍贯 as written and, when the importer resolved
// it, the place id.
type Hometown struct {
	Text    string
	PlaceID string
}

// HometownMatcher judges whether a hometown typed by a user agrees with a
// record's. The default compares text; a place resolver (which knows that
// 胶县 became 胶州市 in 1987) plugs in here through WithHometownMatcher.
type HometownMatcher interface {
	// PrepareHometown is called once per search with the hometown typed.
	PrepareHometown(ctx context.Context, typed string) (HometownScorer, error)
}

// HometownScorer scores records against one hometown typed.
type HometownScorer interface {
	// ScoreHometown rates the agreement from 0 to 1 with the reasons to
	// show; ok is false when it cannot tell (the record has no hometown).
	ScoreHometown(record Hometown) (score float64, reasons []Reason, ok bool)
	// Alternatives are other names of the place typed (its former and
	// later names) to look for in records' hometown text too.
	Alternatives() []string
}

// TextHometowns compares hometowns as text: containment or shared
// character pairs once the words for administrative levels (省, 县, 公社
// ...) are set aside.
type TextHometowns struct {
	tab *chardata.Table
}

// NewTextHometowns returns the text comparison over tab.
func NewTextHometowns(tab *chardata.Table) TextHometowns { return TextHometowns{tab: tab} }

// PrepareHometown implements HometownMatcher.
func (t TextHometowns) PrepareHometown(_ context.Context, typed string) (HometownScorer, error) {
	return textHometown{t: t, typed: t.fold(typed), shown: strings.TrimSpace(typed)}, nil
}

// adminWords name administrative levels; they say little about which
// place is meant and are ignored when comparing pairs of characters.
var adminWords = []string{
	"特别行政区", "自治区", "自治州", "自治县", "自治旗", "人民公社", "生产大队", "街道办事处",
	"地区", "街道", "公社", "大队", "小队", "生产队", "行政村", "自然村",
	"省", "市", "县", "区", "旗", "盟", "乡", "镇", "村",
}

func (t TextHometowns) fold(s string) string {
	var b strings.Builder
	for _, sg := range mustSegments(s) {
		if sg.kind == segHan {
			b.WriteRune(t.tab.Fold(sg.han))
		}
	}
	return b.String()
}

func mustSegments(s string) []segment {
	segs, _ := segmentName(s, false)
	return segs
}

func (t TextHometowns) core(s string) string {
	for _, w := range adminWords {
		s = strings.ReplaceAll(s, w, " ")
	}
	return s
}

type textHometown struct {
	t     TextHometowns
	typed string
	shown string
}

func (h textHometown) Alternatives() []string { return nil }

func (h textHometown) ScoreHometown(rec Hometown) (float64, []Reason, bool) {
	r := h.t.fold(rec.Text)
	if h.typed == "" || r == "" {
		return 0, nil, false
	}
	recShown := strings.TrimSpace(rec.Text)
	switch {
	case strings.Contains(r, h.typed):
		return 1, []Reason{{ReasonHometown, "籍贯相符 " + recShown}}, true
	case strings.Contains(h.typed, r):
		// The record names only a larger area (a province or county).
		return 0.8, []Reason{{ReasonHometown, fmt.Sprintf("籍贯只写到 %s", recShown)}}, true
	}
	s := dice(pairs(h.t.core(h.typed)), pairs(h.t.core(r)))
	if s == 0 {
		return 0, []Reason{{ReasonHometown, fmt.Sprintf("籍贯不同 %s/%s", h.shown, recShown)}}, true
	}
	return s, []Reason{{ReasonHometown, fmt.Sprintf("籍贯部分相符 %s/%s", h.shown, recShown)}}, true
}

// pairs returns the characters and adjacent pairs of each word of s.
func pairs(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(s, unicode.IsSpace) {
		rs := []rune(w)
		for i := range rs {
			if i+1 < len(rs) {
				out[string(rs[i:i+2])] = true
			} else if len(rs) == 1 {
				out[w] = true
			}
		}
	}
	return out
}

func dice(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := 0
	for k := range a {
		if b[k] {
			n++
		}
	}
	return 2 * float64(n) / float64(len(a)+len(b))
}
