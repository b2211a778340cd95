package search

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/guigen/guigen/search/chardata"
	"github.com/guigen/guigen/store"
)

// Gazetteer resolves free-text hometowns (山东省胶县九龙公社孙家艾泊村,
// 山东胶州, 即墨县) to places, knowing former and later names. It is
// read-only after NewGazetteer and safe for concurrent use.
type Gazetteer struct {
	tab      *chardata.Table
	places   map[string]*store.Place
	children map[string][]string
	// class groups the places that are one place under successive names
	// (ReplacedBy, both ways); PartTo never joins classes.
	class   map[string]int
	members map[int][]string
	names   map[string][]nameRef
	maxName int
	ids     []string // sorted
	// forms are each place's official name, whole and without its
	// suffix, folded, for the search for one wrong character.
	forms map[string][]placeForm
}

type placeForm struct {
	runes []rune
	ref   nameRef
}

// Resolution is one reading of a hometown text.
type Resolution struct {
	PlaceID string
	Name    string
	Score   float64
	// Path lists the places matched, from the top level down.
	Path []string
	// Current lists the places in use today that PlaceID became (empty
	// when PlaceID is itself in use).
	Current []string
	// Reasons a person can read: 胶县→胶州市 (1987), 缺「县」, 旧称 ...
	Reasons []string
	// Rest is the text left unresolved after the deepest place matched.
	Rest string
}

type nameKind int

const (
	nameFull  nameKind = iota // the whole official name
	nameCore                  // the name without its level suffix
	nameOther                 // an OtherName, whole
	nameOtherCore
)

type nameRef struct {
	id     string
	kind   nameKind
	suffix string // the suffix cut off for a core form
	other  *store.PlaceName
}

// placeSuffixes are the level words that end official names, longest
// first so 自治县 is cut before 县.
var placeSuffixes = []string{
	"特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
	"街道办事处", "人民公社", "地区", "专区", "街道", "公社", "省", "市", "县", "区", "旗", "盟", "镇", "乡", "村",
}

// textLevelWords may follow a name in a hometown as written: the official
// suffixes and the commune-era words for townships and villages.
var textLevelWords = append([]string{"人民公社", "生产大队", "生产队", "公社", "大队", "小队", "行政村", "自然村", "管理区"}, placeSuffixes...)

// NewGazetteer indexes places. Parents and ReplacedBy targets missing
// from places are ignored.
func NewGazetteer(places []store.Place) *Gazetteer {
	g := &Gazetteer{
		tab:      chardata.Default(),
		places:   make(map[string]*store.Place, len(places)),
		children: map[string][]string{},
		class:    map[string]int{},
		members:  map[int][]string{},
		names:    map[string][]nameRef{},
		forms:    map[string][]placeForm{},
	}
	for i := range places {
		p := places[i]
		if p.ID == "" {
			continue
		}
		g.places[p.ID] = &p
	}
	ids := make([]string, 0, len(g.places))
	for id := range g.places {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	g.ids = ids
	parent := map[string]string{}
	find := func(x string) string {
		for parent[x] != "" {
			x = parent[x]
		}
		return x
	}
	for _, id := range ids {
		p := g.places[id]
		if p.ParentID != "" && g.places[p.ParentID] != nil {
			g.children[p.ParentID] = append(g.children[p.ParentID], id)
		}
		for _, c := range p.ReplacedBy {
			if g.places[c.ToID] == nil {
				continue
			}
			a, b := find(id), find(c.ToID)
			if a != b {
				parent[a] = b
			}
		}
		g.addName(p.Name, nameRef{id: id, kind: nameFull}, nameRef{id: id, kind: nameCore})
		f := g.fold(p.Name)
		g.forms[id] = append(g.forms[id], placeForm{[]rune(f), nameRef{id: id, kind: nameFull}})
		for _, s := range placeSuffixes {
			if c, ok := strings.CutSuffix(f, s); ok && len([]rune(c)) >= 2 {
				g.forms[id] = append(g.forms[id], placeForm{[]rune(c), nameRef{id: id, kind: nameCore, suffix: s}})
				break
			}
		}
		for j := range p.OtherNames {
			on := &p.OtherNames[j]
			g.addName(on.Name, nameRef{id: id, kind: nameOther, other: on}, nameRef{id: id, kind: nameOtherCore, other: on})
		}
	}
	roots := map[string]int{}
	for _, id := range ids {
		r := find(id)
		n, ok := roots[r]
		if !ok {
			n = len(roots)
			roots[r] = n
		}
		g.class[id] = n
		g.members[n] = append(g.members[n], id)
	}
	return g
}

func (g *Gazetteer) addName(name string, full, core nameRef) {
	f := g.fold(name)
	if f == "" {
		return
	}
	g.names[f] = append(g.names[f], full)
	g.maxName = max(g.maxName, len([]rune(f)))
	for _, s := range placeSuffixes {
		if c, ok := strings.CutSuffix(f, s); ok && len([]rune(c)) >= 2 {
			core.suffix = s
			g.names[c] = append(g.names[c], core)
			break
		}
	}
}

// fold keeps the Han characters of s in their standard simplified form.
func (g *Gazetteer) fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			b.WriteRune(g.tab.Fold(r))
		}
	}
	return b.String()
}

// Place returns the place with id.
func (g *Gazetteer) Place(id string) (store.Place, bool) {
	p, ok := g.places[id]
	if !ok {
		return store.Place{}, false
	}
	return *p, true
}

// Lineage returns id and its ancestors' ids, from the place up; nil for
// an unknown id.
func (g *Gazetteer) Lineage(id string) []string {
	var out []string
	for p := g.places[id]; p != nil; p = g.places[p.ParentID] {
		if slices.Contains(out, p.ID) { // a cycle in bad data
			break
		}
		out = append(out, p.ID)
	}
	return out
}

// Successors follows ReplacedBy from id to the places in use today.
func (g *Gazetteer) Successors(id string) []string {
	var out []string
	seen := map[string]bool{id: true}
	queue := []string{id}
	for len(queue) > 0 {
		p := g.places[queue[0]]
		queue = queue[1:]
		for _, c := range p.ReplacedBy {
			q := g.places[c.ToID]
			if q == nil || seen[q.ID] {
				continue
			}
			seen[q.ID] = true
			if len(q.ReplacedBy) == 0 {
				out = append(out, q.ID)
			} else {
				queue = append(queue, q.ID)
			}
		}
	}
	return out
}

// changePath describes how from became to along ReplacedBy links, e.g.
// 即墨县→即墨市 (1989)→即墨区 (2017); "" when to is not a successor.
func (g *Gazetteer) changePath(from, to string) string {
	type node struct {
		id, name, text string
	}
	seen := map[string]bool{from: true}
	queue := []node{{from, g.places[from].Name, g.places[from].Name}}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, c := range g.places[n.id].ReplacedBy {
			q := g.places[c.ToID]
			if q == nil || seen[q.ID] {
				continue
			}
			seen[q.ID] = true
			// A new code under the same name (胶州市 1987 → 胶州市 1990)
			// is not worth showing.
			t := n.text
			if q.Name != n.name {
				t += "→" + q.Name
				if c.Year != 0 {
					t += fmt.Sprintf(" (%d)", c.Year)
				}
			}
			if q.ID == to {
				return t
			}
			queue = append(queue, node{q.ID, q.Name, t})
		}
	}
	return ""
}

// renaming says how a and b of one class are related: a's change path to
// b or b's to a.
func (g *Gazetteer) renaming(a, b string) string {
	if a == b {
		return ""
	}
	// A path without an arrow is a new code under the same name.
	for _, s := range []string{g.changePath(a, b), g.changePath(b, a)} {
		if strings.Contains(s, "→") {
			return s
		}
		if s != "" {
			return ""
		}
	}
	return g.places[a].Name + "/" + g.places[b].Name + " 同地异名"
}

// areaClasses returns the classes of id, its ancestors, and the ancestors
// of its former and later selves.
func (g *Gazetteer) areaClasses(id string) map[int]string {
	out := map[int]string{}
	queue := []string{id}
	for len(queue) > 0 && len(out) < 64 {
		x := queue[0]
		queue = queue[1:]
		c, ok := g.class[x]
		if !ok {
			continue
		}
		if _, done := out[c]; done {
			continue
		}
		out[c] = x
		for _, m := range g.members[c] {
			if p := g.places[m]; p.ParentID != "" {
				queue = append(queue, p.ParentID)
			}
		}
	}
	return out
}

// within reports whether inner lies in outer (or is it), counting former
// and later names, with the reason when names changed.
func (g *Gazetteer) within(inner, outer string) (bool, string) {
	oc, ok := g.class[outer]
	if !ok {
		return false, ""
	}
	via, ok := g.areaClasses(inner)[oc]
	if !ok {
		return false, ""
	}
	return true, g.renaming(via, outer)
}

// SameArea reports whether places a and b are the same place or one
// contains the other, counting former and later names; the reason says
// which names changed (胶县→胶州市 (1987)) or how they nest.
func (g *Gazetteer) SameArea(a, b string) (bool, string) {
	pa, pb := g.places[a], g.places[b]
	if pa == nil || pb == nil {
		return false, ""
	}
	if g.class[a] == g.class[b] {
		if r := g.renaming(a, b); r != "" {
			return true, r
		}
		return true, "同一地点 " + pa.Name
	}
	if ok, r := g.within(a, b); ok {
		if r == "" {
			r = pa.Name + " 属 " + pb.Name
		}
		return true, r
	}
	if ok, r := g.within(b, a); ok {
		if r == "" {
			r = pb.Name + " 属 " + pa.Name
		}
		return true, r
	}
	return false, ""
}

// Penalties: each is a factor on the score of a reading.
const (
	factorOther      = 0.95 // an other name (旧称, 俗称)
	factorMisspelled = 0.9
	factorSuffix     = 0.98 // 胶州 for 胶州市
	factorWrongLevel = 0.85 // 即墨县 read as 即墨区
	factorFuzzy      = 0.7  // one character wrong
	maxStates        = 24
	maxSkip          = 4
)

type parseState struct {
	path    []string
	pos     int
	score   float64
	reasons []string
}

type candidate struct {
	id      string
	end     int
	factor  float64
	reasons []string
}

// Resolve reads a hometown text from the top level down and returns the
// places it may name, best first. Each level is looked for among the
// places within the one matched before it (counting former and later
// names), so 崂山 after 青岛 is Qingdao's. Unknown text gives nil.
func (g *Gazetteer) Resolve(text string) []Resolution {
	rs := []rune(g.fold(text))
	if len(rs) == 0 || len(rs) > 200 {
		return nil
	}
	var start []parseState
	// A few leading characters may be words like 原籍 or 籍贯; further in,
	// text that names no place is not worth searching.
	for s := 0; s < min(len(rs), maxSkip+1) && len(start) == 0; s++ {
		for _, c := range g.candidates(rs, s, "") {
			st := parseState{path: []string{c.id}, pos: c.end, score: c.factor, reasons: c.reasons}
			if s > 0 {
				st.score *= 0.9
				st.reasons = append([]string{fmt.Sprintf("略去「%s」", string(rs[:s]))}, st.reasons...)
			}
			start = append(start, st)
		}
	}
	states := prune(start)
	var final []parseState
	for len(states) > 0 {
		var next []parseState
		for _, st := range states {
			cs := g.candidates(rs, st.pos, st.path[len(st.path)-1])
			if len(cs) == 0 {
				final = append(final, st)
				continue
			}
			for _, c := range cs {
				next = append(next, parseState{
					path:    append(slices.Clip(st.path), c.id),
					pos:     c.end,
					score:   st.score * c.factor,
					reasons: append(slices.Clip(st.reasons), c.reasons...),
				})
			}
		}
		states = prune(next)
	}
	best := map[string]Resolution{}
	for _, st := range final {
		id := st.path[len(st.path)-1]
		p := g.places[id]
		r := Resolution{PlaceID: id, Name: p.Name, Path: st.path, Score: st.score, Reasons: st.reasons}
		if st.pos < len(rs) {
			r.Rest = string(rs[st.pos:])
			r.Score *= 0.8 + 0.2*float64(st.pos)/float64(len(rs))
			r.Reasons = append(r.Reasons, fmt.Sprintf("未识别「%s」", r.Rest))
		}
		if len(p.ReplacedBy) > 0 {
			r.Current = g.Successors(id)
			for _, c := range r.Current {
				if s := g.changePath(id, c); strings.Contains(s, "→") {
					r.Reasons = append(r.Reasons, s)
				}
			}
		}
		// Between the same place under its old and new names, equally
		// well read, the one in use comes first.
		if p.To == 0 && len(p.ReplacedBy) == 0 {
			r.Score += 1e-6
		}
		if old, ok := best[id]; !ok || r.Score > old.Score {
			best[id] = r
		}
	}
	out := make([]Resolution, 0, len(best))
	for _, r := range best {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if len(out[i].Path) != len(out[j].Path) {
			return len(out[i].Path) > len(out[j].Path)
		}
		return out[i].PlaceID < out[j].PlaceID
	})
	return out
}

func prune(states []parseState) []parseState {
	sort.SliceStable(states, func(i, j int) bool {
		if states[i].score != states[j].score {
			return states[i].score > states[j].score
		}
		return states[i].pos > states[j].pos
	})
	if len(states) > maxStates {
		states = states[:maxStates]
	}
	return states
}

// candidates returns the places named at rs[pos:] within ctx (any place
// when ctx is ""), exact names first; one wrong character only when no
// name fits exactly.
func (g *Gazetteer) candidates(rs []rune, pos int, ctx string) []candidate {
	if pos >= len(rs) {
		return nil
	}
	var out []candidate
	seen := map[string]int{}
	add := func(c candidate) {
		if i, ok := seen[c.id]; ok {
			if c.end > out[i].end || (c.end == out[i].end && c.factor > out[i].factor) {
				out[i] = c
			}
			return
		}
		seen[c.id] = len(out)
		out = append(out, c)
	}
	for l := min(g.maxName, len(rs)-pos); l >= 1; l-- {
		key := string(rs[pos : pos+l])
		for _, ref := range g.names[key] {
			if ctx != "" && !g.inside(ref.id, ctx) {
				continue
			}
			add(g.candidateFrom(rs, pos+l, ref))
		}
	}
	// Without a containing place, a wrong character is looked for only at
	// the start: every place is a candidate there.
	if len(out) == 0 && (ctx != "" || pos == 0) {
		out = g.fuzzy(rs, pos, ctx)
	}
	// Keep the readings that consume the most text: 胶州市 over 胶州 + 市.
	sort.SliceStable(out, func(i, j int) bool { return out[i].end > out[j].end })
	return out
}

// inside reports whether id lies strictly within ctx, counting former and
// later names of both.
func (g *Gazetteer) inside(id, ctx string) bool {
	cc := g.class[ctx]
	if g.class[id] == cc {
		return false
	}
	_, ok := g.areaClasses(id)[cc]
	return ok
}

// candidateFrom builds the candidate for a name matched up to end, taking
// a level word that follows it.
func (g *Gazetteer) candidateFrom(rs []rune, end int, ref nameRef) candidate {
	p := g.places[ref.id]
	c := candidate{id: ref.id, end: end, factor: 1}
	if ref.other != nil {
		label := "别名"
		switch ref.other.Kind {
		case "historical":
			label, c.factor = "旧称", factorOther
		case "informal":
			label, c.factor = "俗称", factorOther
		case "misspelled":
			label, c.factor = "误写", factorMisspelled
		default:
			c.factor = factorOther
		}
		c.reasons = append(c.reasons, fmt.Sprintf("%s %s→%s", label, ref.other.Name, p.Name))
	}
	if ref.kind == nameCore || ref.kind == nameOtherCore {
		w := levelWordAt(rs, end)
		switch {
		case w == "":
			c.factor *= factorSuffix
			c.reasons = append(c.reasons, fmt.Sprintf("缺「%s」", ref.suffix))
		case w == ref.suffix:
			c.end += len([]rune(w))
		case isCommuneWord(w) && (p.Level == store.LevelTownship || p.Level == store.LevelVillage):
			c.end += len([]rune(w))
			if strings.HasSuffix(ref.suffix, "公社") {
				c.reasons = append(c.reasons, fmt.Sprintf("「%s」即当时「%s」", w, ref.suffix))
			} else {
				c.reasons = append(c.reasons, fmt.Sprintf("「%s」即今「%s」", w, ref.suffix))
			}
		case p.Level == store.LevelPrefecture && isPrefectureWord(w) && isPrefectureWord(ref.suffix):
			// 苏州专区 for 苏州市: prefectures were 专区, then 地区, then 市.
			c.end += len([]rune(w))
			c.factor *= factorSuffix
			c.reasons = append(c.reasons, fmt.Sprintf("「%s」今作「%s」", w, ref.suffix))
		default:
			c.end += len([]rune(w))
			c.factor *= factorWrongLevel
			c.reasons = append(c.reasons, fmt.Sprintf("写作「%s」，此地为「%s」", w, ref.suffix))
		}
	} else if w := levelWordAt(rs, c.end); w != "" && isCommuneWord(w) {
		// 九龙公社 where the name has no suffix of its own.
		c.end += len([]rune(w))
	}
	return c
}

func isCommuneWord(w string) bool {
	switch w {
	case "人民公社", "生产大队", "生产队", "公社", "大队", "小队", "行政村", "自然村", "管理区", "区", "乡", "镇", "村":
		return true
	}
	return false
}

func isPrefectureWord(w string) bool {
	return w == "专区" || w == "地区" || w == "市" || w == "盟"
}

func levelWordAt(rs []rune, pos int) string {
	rest := string(rs[pos:])
	for _, w := range textLevelWords {
		if strings.HasPrefix(rest, w) {
			return w
		}
	}
	return ""
}

// fuzzy finds names of three or more characters within ctx that differ
// from the text at pos in one character.
func (g *Gazetteer) fuzzy(rs []rune, pos int, ctx string) []candidate {
	var pool []string
	if ctx == "" {
		pool = g.ids
	} else {
		pool = g.descendants(ctx, 3)
	}
	var out []candidate
	for _, id := range pool {
		best := candidate{}
		for _, f := range g.forms[id] {
			nm := f.runes
			if len(nm) < 3 || pos+len(nm) > len(rs) {
				continue
			}
			diff, at := 0, -1
			for k, r := range nm {
				if rs[pos+k] != r {
					if diff++; diff > 1 {
						break
					}
					at = k
				}
			}
			if diff != 1 {
				continue
			}
			c := g.candidateFrom(rs, pos+len(nm), f.ref)
			c.factor *= factorFuzzy
			typed, real := rs[pos+at], nm[at]
			why := "一字之差"
			if g.tab.ShapeSimilarity(typed, real) >= shapeThreshold {
				why = "形近"
			} else if shares(g.tab.Readings(typed), g.tab.Readings(real)) {
				why = "同音"
			}
			c.reasons = append([]string{fmt.Sprintf("%c/%c %s (%s)", typed, real, why, g.places[id].Name)}, c.reasons...)
			if c.end > best.end {
				best = c
			}
		}
		if best.id != "" {
			out = append(out, best)
		}
	}
	return out
}

// descendants lists the places within id and its former and later
// selves, depth levels down.
func (g *Gazetteer) descendants(id string, depth int) []string {
	var out []string
	level := slices.Clone(g.members[g.class[id]])
	for d := 0; d < depth && len(level) > 0; d++ {
		var next []string
		for _, x := range level {
			for _, c := range g.children[x] {
				out = append(out, c)
				next = append(next, c)
			}
		}
		level = next
	}
	return out
}

// Hometowns adapts a Gazetteer to the index's HometownMatcher: records
// whose hometown is the place typed, within it or containing it, under
// any of its names, agree. Texts the gazetteer cannot read are compared
// as text.
type Hometowns struct {
	g    *Gazetteer
	text TextHometowns
}

// NewHometowns returns the matcher over g.
func NewHometowns(g *Gazetteer) Hometowns {
	return Hometowns{g: g, text: NewTextHometowns(g.tab)}
}

// PrepareHometown implements HometownMatcher.
func (h Hometowns) PrepareHometown(ctx context.Context, typed string) (HometownScorer, error) {
	fallback, err := h.text.PrepareHometown(ctx, typed)
	if err != nil {
		return nil, err
	}
	s := placeHometown{g: h.g, fallback: fallback, shown: strings.TrimSpace(typed), cache: &resolveCache{m: map[string][]string{}}}
	rs := h.g.Resolve(typed)
	for _, r := range rs {
		// Equally good readings all count: 崂山 alone may be either.
		if r.Score >= rs[0].Score-0.05 {
			s.typed = append(s.typed, r.PlaceID)
		}
	}
	return s, nil
}

type placeHometown struct {
	g        *Gazetteer
	fallback HometownScorer
	typed    []string
	shown    string
	cache    *resolveCache
}

// resolveCache keeps, for one search, the places read from each record
// text: many records share a hometown.
type resolveCache struct {
	mu sync.Mutex
	m  map[string][]string
}

func (c *resolveCache) places(g *Gazetteer, text string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ids, ok := c.m[text]; ok {
		return ids
	}
	var ids []string
	if rs := g.Resolve(text); len(rs) > 0 {
		for _, r := range rs {
			if r.Score >= rs[0].Score-0.05 {
				ids = append(ids, r.PlaceID)
			}
		}
	}
	c.m[text] = ids
	return ids
}

// Alternatives implements HometownScorer: the other names of the places
// typed, so records written with an old name are candidates too.
func (s placeHometown) Alternatives() []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range s.typed {
		for _, m := range s.g.members[s.g.class[id]] {
			n := s.g.places[m].Name
			if !seen[n] && n != s.shown {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// ScoreHometown implements HometownScorer.
func (s placeHometown) ScoreHometown(rec Hometown) (float64, []Reason, bool) {
	if len(s.typed) == 0 {
		return s.fallback.ScoreHometown(rec)
	}
	var recIDs []string
	if _, ok := s.g.places[rec.PlaceID]; ok {
		recIDs = []string{rec.PlaceID}
	} else {
		recIDs = s.cache.places(s.g, rec.Text)
	}
	if len(recIDs) == 0 {
		return s.fallback.ScoreHometown(rec)
	}
	shown := strings.TrimSpace(rec.Text)
	if shown == "" {
		shown = s.g.places[recIDs[0]].Name
	}
	for _, r := range recIDs {
		for _, t := range s.typed {
			if ok, why := s.g.within(r, t); ok {
				d := "籍贯相符 " + shown
				if why != "" {
					d += "（" + why + "）"
				}
				return 1, []Reason{{ReasonHometown, d}}, true
			}
		}
	}
	for _, r := range recIDs {
		for _, t := range s.typed {
			if ok, why := s.g.within(t, r); ok {
				d := "籍贯只写到 " + shown
				if why != "" {
					d += "（" + why + "）"
				}
				return 0.8, []Reason{{ReasonHometown, d}}, true
			}
		}
	}
	return 0, []Reason{{ReasonHometown, fmt.Sprintf("籍贯不同 %s/%s", s.shown, shown)}}, true
}
