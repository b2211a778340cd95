package search

import (
	"slices"
	"sort"
	"strings"

	"github.com/guigen/guigen/search/chardata"
)

// dialectFold maps a toneless syllable to a coarse key under which the
// sounds that speakers of many dialects do not tell apart coincide:
// zh/ch/sh vs z/c/s, n vs l, r vs l, hu- vs f-, -ng vs -n, üan vs ian,
// and ü written v or u after l/n. "cheng" and "chen" both become "cen",
// "nan" and "lang" both "lan", "hua" and "fa" both "fa", "xuan" "xian".
func dialectFold(s string) string {
	switch {
	case strings.HasPrefix(s, "zh"):
		s = "z" + s[2:]
	case strings.HasPrefix(s, "ch"):
		s = "c" + s[2:]
	case strings.HasPrefix(s, "sh"):
		s = "s" + s[2:]
	case strings.HasPrefix(s, "n") && len(s) > 1 && s != "ng":
		s = "l" + s[1:]
	case strings.HasPrefix(s, "r"):
		s = "l" + s[1:]
	case strings.HasPrefix(s, "hu"):
		switch s {
		case "hu":
			s = "fu"
		case "hui":
			s = "fei"
		case "hun":
			s = "fen"
		default:
			s = "f" + s[2:] // hua fa, huan fan, huang fang, huo fo, huai fai
		}
	}
	if strings.HasSuffix(s, "ng") && len(s) > 2 {
		s = s[:len(s)-1]
	}
	switch {
	case strings.HasSuffix(s, "uan") && len(s) > 3 && strings.ContainsRune("jqxy", rune(s[0])):
		s = s[:len(s)-3] + "ian" // xuan xian, juan jian, quan qian
		if s == "yian" {
			s = "yan"
		}
	case s == "lv" || s == "lve":
		s = "lu" + s[2:]
	}
	return s
}

// initial is the first letter of a syllable, as people abbreviate names:
// 张德明 is "zdm", not "zhdm".
func initial(s string) string {
	if s == "" {
		return ""
	}
	return s[:1]
}

// latinUnit is one piece of a Latin word: a full syllable (with the
// spellings it may stand for: "lu" is 路 lu or 吕 lv) or a bare initial.
type latinUnit struct {
	text     string   // as typed, after normalisation
	syllable []string // readings it may be; empty for an initial
}

func (u latinUnit) isInitial() bool { return len(u.syllable) == 0 }

// spellingAliases: ways people type syllables that pinyin writes
// otherwise (passports write 吕 LYU; keyboards have no ü).
var spellingAliases = map[string][]string{
	"lyu": {"lv"}, "nyu": {"nv"}, "lue": {"lve", "lue"}, "nue": {"nve", "nue"},
	"lu": {"lu", "lv"}, "nu": {"nu", "nv"}, "lvan": {"luan"}, "jv": {"ju"}, "qv": {"qu"}, "xv": {"xu"}, "yv": {"yu"},
}

// segmenter splits Latin words into syllables and initials.
type segmenter struct {
	tab *chardata.Table
}

func (sg segmenter) syllable(s string) []string {
	if a, ok := spellingAliases[s]; ok {
		return a
	}
	// Interjection syllables with no vowel (m, n, ng, hm) never occur in
	// names and would swallow the initials of "wdm".
	if !strings.ContainsAny(s, "aeiouv") || !sg.tab.IsSyllable(s) {
		return nil
	}
	return []string{s}
}

type segmentation struct {
	units []latinUnit
	cost  float64
}

// Costs of the pieces of a segmentation: a syllable is the most likely
// reading of letters, an initial less so, letters that start no syllable
// least. Fewer, longer syllables win: "xian" before "xi an".
const (
	costSyllable = 1.0
	costInitial  = 1.6
	costJunk     = 3.0
	maxSegs      = 4
)

// segment returns up to maxSegs segmentations of a Latin word, the most
// likely first.
func (sg segmenter) segment(w string) []segmentation {
	n := len(w)
	if n == 0 {
		return nil
	}
	best := make([][]segmentation, n+1)
	best[n] = []segmentation{{}}
	for i := n - 1; i >= 0; i-- {
		var cands []segmentation
		add := func(u latinUnit, c float64, j int) {
			for _, rest := range best[j] {
				units := make([]latinUnit, 0, len(rest.units)+1)
				units = append(units, u)
				units = append(units, rest.units...)
				cands = append(cands, segmentation{units: units, cost: c + rest.cost})
			}
		}
		for j := i + 1; j <= n && j-i <= 6; j++ {
			if syl := sg.syllable(w[i:j]); syl != nil {
				add(latinUnit{text: w[i:j], syllable: syl}, costSyllable, j)
			}
		}
		if j := i + 2; j <= n && (w[i:j] == "zh" || w[i:j] == "ch" || w[i:j] == "sh") {
			add(latinUnit{text: w[i:j]}, costInitial, j)
		}
		c := costInitial
		if strings.ContainsRune("iuv", rune(w[i])) {
			c = costJunk
		}
		add(latinUnit{text: w[i : i+1]}, c, i+1)
		sort.SliceStable(cands, func(a, b int) bool { return cands[a].cost < cands[b].cost })
		if len(cands) > maxSegs {
			cands = cands[:maxSegs]
		}
		best[i] = cands
	}
	return best[0]
}

// combos returns the strings made by taking one option per position, in
// order, the first options first, at most limit of them.
func combos(options [][]string, limit int) []string {
	out := []string{""}
	for _, opts := range options {
		if len(opts) == 0 {
			continue
		}
		next := make([]string, 0, min(limit, len(out)*len(opts)))
		for _, prefix := range out {
			for _, o := range opts {
				if len(next) >= limit {
					break
				}
				next = append(next, prefix+o)
			}
		}
		out = next
	}
	if len(out) == 1 && out[0] == "" {
		return nil
	}
	return out
}

// uniq appends the strings of add not yet in list.
func uniq(list []string, add ...string) []string {
	for _, s := range add {
		if s != "" && !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}
