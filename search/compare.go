package search

import (
	"fmt"
	"strings"

	"github.com/guigen/guigen/search/chardata"
)

// ReasonKind classifies a difference (or an agreement) between what the
// user typed and a record.
type ReasonKind string

const (
	ReasonVariant   ReasonKind = "variant"   // 繁简, 异体, 俗写: 張/张
	ReasonHomophone ReasonKind = "homophone" // 同音: 德/得
	ReasonDialect   ReasonKind = "dialect"   // 方音近: 陈/程, n/l, f/h
	ReasonShape     ReasonKind = "shape"     // 形近: 己/已, 喜/善
	ReasonWildcard  ReasonKind = "wildcard"  // 字迹不清 or a character the user left open
	ReasonMissing   ReasonKind = "missing"   // 缺字: the record lacks a character typed
	ReasonExtra     ReasonKind = "extra"     // 多字: the record has a character not typed
	ReasonSwap      ReasonKind = "swap"      // 颠倒: two neighbouring characters in the other order
	ReasonOther     ReasonKind = "other"     // 不同字: no known relation
	ReasonPinyin    ReasonKind = "pinyin"    // matched through pinyin or initials typed
	ReasonSpelling  ReasonKind = "spelling"  // 拼写近: a typo in pinyin typed
	ReasonAlias     ReasonKind = "alias"     // matched another name of the martyr
	ReasonHometown  ReasonKind = "hometown"
	ReasonBirthYear ReasonKind = "birth_year"
	ReasonUnit      ReasonKind = "unit"
)

// Reason is one difference or agreement shown to the user, e.g.
// {homophone, "德/得 同音"}: the query's character first, the record's
// second.
type Reason struct {
	Kind   ReasonKind `json:"kind"`
	Detail string     `json:"detail"`
}

// Match is how well a record's name fits a name typed.
type Match struct {
	// Score is 1 for the same name, 0 for nothing in common. One
	// homophone in a three-character name gives 0.9, one unrelated
	// character 0.67.
	Score   float64
	Reasons []Reason
}

// Costs of aligning one position, calibrated on generated error sets
// (compare_test.go): each kind of error must leave the right name above
// names sharing all but one character, so every kind costs well under an
// unrelated character (1), and the kinds an archive produces most often
// cost least.
const (
	costVariant   = 0.1
	costHomophone = 0.3
	costDialect   = 0.45
	costWildcard  = 0.3
	costIndel     = 0.7
	// costSwap: two neighbours in the other order (德明/明德), a slip of
	// copying; dearer than a homophone, far cheaper than the two unrelated
	// characters a plain alignment would see.
	costSwap  = 0.5
	costOther = 1.0
	// Shape costs run from costShapeBest (identical codes, 己/已) to
	// costShapeWorst (just similar enough, shapeThreshold).
	costShapeBest  = 0.25
	costShapeWorst = 0.5
	shapeThreshold = 0.6
	// Weakly similar shapes still beat an unrelated character.
	shapeWeak     = 0.5
	costShapeWeak = 0.7
	// Latin input: a syllable typed matches any character read so; an
	// initial matches less surely.
	costLatinSyllable = 0.05
	costLatinInitial  = 0.15
	costLatinTypo     = 0.6
)

// Comparer compares names with a character table. The zero value is not
// usable; NewComparer or CompareNames.
type Comparer struct {
	a analyzer
}

// NewComparer returns a Comparer using tab.
func NewComparer(tab *chardata.Table) Comparer { return Comparer{a: newAnalyzer(tab)} }

// CompareNames aligns a name as typed (hanzi, traditional, pinyin,
// initials, or a mix) with a record's name and says how well it fits and
// why. Unusable input scores 0.
func CompareNames(query, candidate string) Match {
	return Comparer{a: defaultAnalyzer()}.Compare(query, candidate)
}

// Compare is CompareNames with c's table.
func (c Comparer) Compare(query, candidate string) Match {
	q, err := c.a.parse(query, true)
	if err != nil {
		return Match{}
	}
	cand, _ := c.a.parse(candidate, false)
	return c.compare(q, cand)
}

func (c Comparer) compare(q, cand name) Match {
	cu := cand.units()
	if len(cu) == 0 || len(q.alts) == 0 {
		return Match{}
	}
	best := Match{Score: -1}
	for _, qu := range q.alts {
		if m := c.align(qu, cu); m.Score > best.Score {
			best = m
		}
	}
	if m, ok := c.spelling(q, cu); ok && m.Score > best.Score {
		best = m
	}
	return best
}

// step is the price of one aligned pair. The reason's text is made only
// for the pairs on the final path, not for every cell of the table.
type step struct {
	cost      float64
	kind      ReasonKind // "" when the pair needs no reason
	label     string     // 同音, 形近 ...
	latinForm bool       // detail as "chen/程(cheng)"
	latin     bool       // a Latin unit matched a character by its reading
}

// reason renders a step's reason for query unit q and record unit r.
func (s step) reason(q, r unit) *Reason {
	if s.kind == "" {
		return nil
	}
	if s.latinForm {
		lq, hr := q, r
		if q.kind != segLatin {
			lq, hr = r, q
		}
		shown := unitText(hr)
		if hr.kind == segHan && len(hr.readings) > 0 {
			shown += "(" + hr.readings[0] + ")"
		}
		return &Reason{Kind: s.kind, Detail: lq.latin.text + "/" + shown + " " + s.label}
	}
	return &Reason{Kind: s.kind, Detail: unitText(q) + "/" + unitText(r) + " " + s.label}
}

// align is an edit-distance alignment in which a substitution costs by
// the kind of difference; the path is turned into reasons.
func (c Comparer) align(q, r []unit) Match {
	n, m := len(q), len(r)
	type cell struct {
		cost float64
		from uint8 // 1 substitute, 2 delete (record lacks), 3 insert (record has extra), 4 swap
		step step
		// swap: the crossed pairs of a swap, q[i-2]~r[j-1] and q[i-1]~r[j-2].
		swap [2]step
	}
	flat := make([]cell, (n+1)*(m+1))
	dp := make([][]cell, n+1)
	for i := range dp {
		dp[i] = flat[i*(m+1) : (i+1)*(m+1)]
	}
	for i := 1; i <= n; i++ {
		dp[i][0] = cell{cost: dp[i-1][0].cost + costIndel, from: 2}
	}
	for j := 1; j <= m; j++ {
		dp[0][j] = cell{cost: dp[0][j-1].cost + costIndel, from: 3}
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			st := c.substitute(q[i-1], r[j-1])
			best := cell{cost: dp[i-1][j-1].cost + st.cost, from: 1, step: st}
			if d := dp[i-1][j].cost + costIndel; d < best.cost {
				best = cell{cost: d, from: 2}
			}
			if d := dp[i][j-1].cost + costIndel; d < best.cost {
				best = cell{cost: d, from: 3}
			}
			// Swaps of characters only: Latin typed in another order is
			// left to the pinyin paths.
			if i > 1 && j > 1 && q[i-2].kind != segLatin && q[i-1].kind != segLatin {
				// Each crossed pair must be related (the same character, a
				// variant, a homophone, ...) for the swap to explain them.
				a, b := c.substitute(q[i-2], r[j-1]), c.substitute(q[i-1], r[j-2])
				if a.cost < costOther && b.cost < costOther && !(a.cost == 0 && b.cost == 0 && unitText(q[i-2]) == unitText(q[i-1])) {
					if d := dp[i-2][j-2].cost + costSwap + a.cost + b.cost; d < best.cost {
						best = cell{cost: d, from: 4, swap: [2]step{a, b}}
					}
				}
			}
			dp[i][j] = best
		}
	}
	var reasons []Reason
	latin := false
	var initials, syllables []string
	for i, j := n, m; i > 0 || j > 0; {
		cl := dp[i][j]
		switch cl.from {
		case 1:
			if rs := cl.step.reason(q[i-1], r[j-1]); rs != nil {
				reasons = append(reasons, *rs)
			}
			if cl.step.latin {
				latin = true
				if q[i-1].latin.isInitial() {
					initials = append(initials, q[i-1].latin.text)
				} else {
					syllables = append(syllables, q[i-1].latin.text)
				}
			}
			i, j = i-1, j-1
		case 4:
			// Collected from the end, reversed below.
			if rs := cl.swap[1].reason(q[i-1], r[j-2]); rs != nil {
				reasons = append(reasons, *rs)
			}
			if rs := cl.swap[0].reason(q[i-2], r[j-1]); rs != nil {
				reasons = append(reasons, *rs)
			}
			reasons = append(reasons, Reason{ReasonSwap, unitText(q[i-2]) + unitText(q[i-1]) + "/" + unitText(r[j-2]) + unitText(r[j-1]) + " 颠倒"})
			i, j = i-2, j-2
		case 2:
			reasons = append(reasons, Reason{ReasonMissing, "缺字 " + unitText(q[i-1])})
			i--
		default:
			reasons = append(reasons, Reason{ReasonExtra, "多字 " + unitText(r[j-1])})
			j--
		}
	}
	// Reasons were collected from the end.
	for a, b := 0, len(reasons)-1; a < b; a, b = a+1, b-1 {
		reasons[a], reasons[b] = reasons[b], reasons[a]
	}
	if latin {
		reverse(syllables)
		reverse(initials)
		detail := "拼音 " + strings.Join(syllables, " ")
		if len(syllables) == 0 {
			detail = "首字母 " + strings.Join(initials, "")
		} else if len(initials) > 0 {
			detail += " + 首字母 " + strings.Join(initials, "")
		}
		reasons = append([]Reason{{ReasonPinyin, detail}}, reasons...)
	}
	score := 1 - dp[n][m].cost/float64(max(n, m))
	return Match{Score: max(0, score), Reasons: reasons}
}

func reverse(s []string) {
	for a, b := 0, len(s)-1; a < b; a, b = a+1, b-1 {
		s[a], s[b] = s[b], s[a]
	}
}

func unitText(u unit) string {
	if u.kind == segLatin {
		return u.latin.text
	}
	return string(u.han)
}

// substitute prices aligning query unit q with record unit r.
func (c Comparer) substitute(q, r unit) step {
	switch {
	case q.kind == segWildcard && r.kind == segWildcard:
		return step{cost: costWildcard, kind: ReasonWildcard, label: "字迹不清"}
	case q.kind == segWildcard:
		return step{cost: costWildcard, kind: ReasonWildcard, label: "未知字"}
	case r.kind == segWildcard:
		return step{cost: costWildcard, kind: ReasonWildcard, label: "字迹不清"}
	case q.kind == segLatin && r.kind == segLatin && q.latin.text == r.latin.text:
		return step{}
	case q.kind == segLatin:
		return c.substituteLatin(q, r)
	case r.kind == segLatin:
		// A record written in pinyin: compare the character's readings.
		return c.substituteLatin(r, q)
	}
	if q.han == r.han {
		return step{}
	}
	tab := c.a.tab
	if k := tab.Relation(q.han, r.han); k != 0 {
		label := "异体"
		switch k {
		case chardata.Simplified, chardata.Traditional:
			label = "繁简"
		case chardata.Informal:
			label = "俗写"
		}
		return step{cost: costVariant, kind: ReasonVariant, label: label}
	}
	best := step{cost: costOther, kind: ReasonOther, label: "不同"}
	if shares(q.readings, r.readings) {
		best = step{cost: costHomophone, kind: ReasonHomophone, label: "同音"}
	}
	if s := tab.ShapeSimilarity(q.han, r.han); s >= shapeWeak {
		cost := costShapeWeak
		if s >= shapeThreshold {
			cost = costShapeWorst - (costShapeWorst-costShapeBest)*(s-shapeThreshold)/(1-shapeThreshold)
		}
		if cost < best.cost {
			best = step{cost: cost, kind: ReasonShape, label: "形近"}
		}
	}
	if best.cost > costDialect && shares(q.dialect, r.dialect) {
		best = step{cost: costDialect, kind: ReasonDialect, label: "方音近"}
	}
	return best
}

// substituteLatin prices a Latin syllable or initial q against unit r.
func (c Comparer) substituteLatin(q, r unit) step {
	var rs, rd []string
	switch r.kind {
	case segHan:
		rs, rd = r.readings, r.dialect
	case segLatin:
		rs, rd = r.latin.syllable, r.dialect
		if r.latin.isInitial() {
			if initial(r.latin.text) == initial(q.latin.text) {
				return step{cost: costLatinInitial}
			}
			return step{cost: costOther}
		}
	}
	if q.latin.isInitial() {
		for _, x := range rs {
			if strings.HasPrefix(x, q.latin.text) || initial(x) == q.latin.text {
				return step{cost: costLatinInitial, latin: true}
			}
		}
		return step{cost: costOther, kind: ReasonOther, label: "不同", latinForm: true}
	}
	if shares(q.latin.syllable, rs) {
		return step{cost: costLatinSyllable, latin: true}
	}
	if shares(q.dialect, rd) {
		return step{cost: costDialect, kind: ReasonDialect, label: "方音近", latinForm: true, latin: true}
	}
	for _, a := range q.latin.syllable {
		for _, b := range rs {
			if len(a) >= 2 && len(a)-len(b) <= 1 && len(b)-len(a) <= 1 && osa(a, b) == 1 {
				return step{cost: costLatinTypo, kind: ReasonSpelling, label: "拼写近", latinForm: true, latin: true}
			}
		}
	}
	return step{cost: costOther, kind: ReasonOther, label: "不同", latinForm: true}
}

// spelling compares an all-Latin query as one string with the record's
// whole-name pinyin, for typos that break the syllables ("wnagdeming").
func (c Comparer) spelling(q name, r []unit) (Match, bool) {
	t := typedLetters(q.units())
	if len(t) < 4 {
		return Match{}, false
	}
	bestD, bestJ := -1, ""
	for _, j := range joinedPinyin(r) {
		if d := osa(t, j); bestD < 0 || d < bestD {
			bestD, bestJ = d, j
		}
	}
	if bestD < 0 || bestD > max(1, len(t)/4) {
		return Match{}, false
	}
	score := 1 - costLatinSyllable - 1.5*float64(bestD)/float64(len(t))
	reasons := []Reason{{ReasonPinyin, "拼音 " + bestJ}}
	if bestD > 0 {
		reasons = append(reasons, Reason{ReasonSpelling, fmt.Sprintf("%s/%s 拼写近", t, bestJ)})
	}
	return Match{Score: max(0, score), Reasons: reasons}, true
}

// typedLetters: the letters of an all-Latin name run together, "" when
// the name has a character in it.
func typedLetters(us []unit) string {
	var b strings.Builder
	for _, u := range us {
		if u.kind != segLatin {
			return ""
		}
		b.WriteString(u.latin.text)
	}
	return b.String()
}

func shares(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func sharesDialect(a, b []string) bool {
	for _, x := range a {
		dx := dialectFold(x)
		for _, y := range b {
			if dx == dialectFold(y) {
				return true
			}
		}
	}
	return false
}

// osa is the optimal string alignment distance of two ASCII strings: a
// swap of neighbours ("wnag") is one edit.
func osa(a, b string) int {
	n, m := len(a), len(b)
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := 0; j <= m; j++ {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+c)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[n][m]
}
