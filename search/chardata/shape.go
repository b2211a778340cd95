package chardata

import "sort"

// ShapeSimilarity rates how alike two characters look, from 0 (nothing in
// common) to 1 (the same four-corner code, Cangjie code and stroke count:
// 己/已, 日/曰). It blends the four-corner code (which records the strokes
// at the corners, so look-alikes share most digits: 喜 4060 / 善 8060),
// the Cangjie code (the components in writing order; 晴 AQMB / 睛 BUQMB)
// and the stroke count. Weights were set so that about 1 in 500 random
// pairs of common characters reaches 0.6, while most look-alikes listed in
// handwriting guides do (see shape_test.go).
func (t *Table) ShapeSimilarity(a, b rune) float64 {
	if a == b {
		return 1
	}
	ca, cb := t.chars[a], t.chars[b]
	if ca == nil || cb == nil {
		return 0
	}
	s := 0.0
	if len(ca.FourCorner) >= 4 && len(cb.FourCorner) >= 4 {
		n := 0
		for i := 0; i < 4; i++ {
			if ca.FourCorner[i] == cb.FourCorner[i] {
				n++
			}
		}
		s += 0.5 * float64(n) / 4
	} else if ca.Radical != 0 && ca.Radical == cb.Radical {
		// Without four-corner codes a shared radical is the next best hint.
		s += 0.25
	}
	if l := max(len(ca.Cangjie), len(cb.Cangjie)); l > 0 {
		s += 0.35 * (1 - float64(levenshtein(ca.Cangjie, cb.Cangjie))/float64(l))
	}
	if ca.Strokes > 0 && cb.Strokes > 0 {
		d := ca.Strokes - cb.Strokes
		if d < 0 {
			d = -d
		}
		s += 0.15 * max(0, 1-float64(d)/3)
	}
	return s
}

// ShapeKey is a coarse key shared by many look-alikes: the four-corner
// code's four main digits, else "c" and the Cangjie code, else "". 土 and
// 士 share 4010; 己, 已 and 巳 share 1771.
func (t *Table) ShapeKey(r rune) string {
	c := t.chars[r]
	switch {
	case c == nil:
		return ""
	case len(c.FourCorner) >= 4:
		return c.FourCorner[:4]
	case c.Cangjie != "":
		return "c" + c.Cangjie
	}
	return ""
}

// levenshtein counts single-byte edits; Cangjie codes are ASCII.
func levenshtein(a, b string) int {
	d := make([]int, len(b)+1)
	for j := range d {
		d[j] = j
	}
	for i := 1; i <= len(a); i++ {
		prev := d[0]
		d[0] = i
		for j := 1; j <= len(b); j++ {
			cur := d[j]
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			d[j] = min(d[j]+1, d[j-1]+1, prev+c)
			prev = cur
		}
	}
	return d[len(b)]
}

// ShapeKeys returns ShapeKey and, for a four-corner code, the four keys
// with one corner masked ("_060", "4_60", "40_0", "406_"): look-alikes
// whose codes differ in one corner (喜 4060, 善 8060) share one of them,
// while two random characters rarely do. Empty for an unknown character.
func (t *Table) ShapeKeys(r rune) []string {
	k := t.ShapeKey(r)
	if k == "" {
		return nil
	}
	out := []string{k}
	if len(k) == 4 && k[0] != 'c' {
		for i := 0; i < 4; i++ {
			out = append(out, k[:i]+"_"+k[i+1:])
		}
	}
	return out
}

// LookAlikes returns the standard characters (通用规范汉字表) that look like
// r, rated at least min by ShapeSimilarity, most alike first, at most
// limit of them. Candidates are the characters sharing a four-corner key
// with r (whole or with one corner masked), so the cost is a few dozen
// comparisons rather than eight thousand.
func (t *Table) LookAlikes(r rune, min float64, limit int) []rune {
	t.shapeOnce.Do(t.buildShapeBuckets)
	type scored struct {
		r rune
		s float64
	}
	var cands []scored
	seen := map[rune]bool{r: true}
	for _, k := range t.ShapeKeys(r) {
		for _, b := range t.shapeBuckets[k] {
			if seen[b] {
				continue
			}
			seen[b] = true
			if s := t.ShapeSimilarity(r, b); s >= min {
				cands = append(cands, scored{b, s})
			}
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].s != cands[j].s {
			return cands[i].s > cands[j].s
		}
		return t.chars[cands[i].r].Standard < t.chars[cands[j].r].Standard
	})
	if len(cands) > limit {
		cands = cands[:limit]
	}
	out := make([]rune, len(cands))
	for i, c := range cands {
		out[i] = c.r
	}
	return out
}

func (t *Table) buildShapeBuckets() {
	t.shapeBuckets = map[string][]rune{}
	for r, c := range t.chars {
		if c.Standard == 0 {
			continue
		}
		for _, k := range t.ShapeKeys(r) {
			t.shapeBuckets[k] = append(t.shapeBuckets[k], r)
		}
	}
	for k := range t.shapeBuckets {
		b := t.shapeBuckets[k]
		sort.Slice(b, func(i, j int) bool { return b[i] < b[j] })
	}
}
