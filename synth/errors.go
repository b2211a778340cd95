package synth

import (
	"slices"
	"strings"

	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/search/chardata"
	"github.com/guigen/guigen/store"
)

// Kind is a kind of error between a record and what a family knows, as
// ../shared/design/DOMAIN.md lists them, plus the ways a volunteer types
// a name (pinyin, initials).
type Kind string

const (
	Exact     Kind = "exact"
	LookAlike Kind = "lookalike" // 喜/善 carved or copied: 形近
	Homophone Kind = "homophone" // 华/花 written from hearing: 同音
	Variant   Kind = "variant"   // 張/张, 萧/肖: 繁简, 异体, 俗写
	Dialect   Kind = "dialect"   // 陈/程, n/l, f/h heard in a dialect: 方音
	TwoChars  Kind = "two_chars" // a slip of the pen changing two characters
	Missing   Kind = "missing"   // the record lacks a character
	Extra     Kind = "extra"     // the record has a character too many
	Swapped   Kind = "swapped"   // the given name's characters swapped
	Nickname  Kind = "nickname"  // the family knows the 小名 the record keeps as an alias
	Pinyin    Kind = "pinyin"    // typed in pinyin
	// PinyinDialect: pinyin with one syllable as a dialect speaker says it.
	PinyinDialect Kind = "pinyin_dialect"
	// Initials: initials typed (wdm) with the birth year, which alone
	// picks nothing out of a large register.
	Initials      Kind = "initials"
	MixedInitials Kind = "mixed_initials" // wang dm
	// OldCounty: the record names the county as it was (胶县), the family
	// as it is (胶州市).
	OldCounty Kind = "old_county"
	// PlaceSound: the county written down from sound, one character a
	// homophone.
	PlaceSound Kind = "place_sound"
)

// Kinds lists the single kinds in a stable order.
var Kinds = []Kind{Exact, LookAlike, Homophone, Variant, Dialect, TwoChars, Missing, Extra, Swapped, Nickname,
	Pinyin, PinyinDialect, Initials, MixedInitials, OldCounty, PlaceSound}

// Pairs are the two-error combinations the evaluation draws: an error in
// the name together with a renamed county, two different errors in the
// name, or one in how it is typed and one in the record.
var Pairs = [][2]Kind{
	{Homophone, OldCounty}, {LookAlike, OldCounty}, {Variant, Homophone}, {Dialect, Missing},
	{LookAlike, Swapped}, {PinyinDialect, OldCounty}, {Homophone, PlaceSound},
}

// NeedsHometown reports whether a kind is about the hometown, so that a
// query without one tests nothing of it.
func (k Kind) NeedsHometown() bool { return k == OldCounty || k == PlaceSound }

// Case is one evaluation case: the record as the archive has it and the
// query as the family would type it.
type Case struct {
	Kinds  []Kind
	Truth  string // the name as the family knows it
	Record Record
	// Query: name (and birth year for initials); the hometown the family
	// gives is in Hometown, for the caller to use or leave out.
	Query    search.Query
	Hometown string
	touched  []int // positions of the record's name already changed
}

// Label is the kinds joined with "+".
func (c Case) Label() string {
	parts := make([]string, len(c.Kinds))
	for i, k := range c.Kinds {
		parts[i] = string(k)
	}
	return strings.Join(parts, "+")
}

// Injector makes cases. It draws from its Generator's source.
type Injector struct {
	g   *Generator
	tab *chardata.Table
	// caches of the character relations, per character.
	dialectKeys map[string][]string
	alike       map[rune][]rune
}

// NewInjector returns an injector drawing records from g.
func NewInjector(g *Generator) *Injector {
	return &Injector{g: g, tab: g.tab, dialectKeys: map[string][]string{}, alike: map[rune][]rune{}}
}

// injectors: one function per kind; each changes the case in place and
// reports false when the case's name does not allow the kind (no
// look-alike for any of its characters, too short, ...).
var injectors = map[Kind]func(in *Injector, c *Case) bool{
	Exact:         func(*Injector, *Case) bool { return true },
	LookAlike:     func(in *Injector, c *Case) bool { return in.replaceOne(c, in.lookAlikeOf) },
	Homophone:     func(in *Injector, c *Case) bool { return in.replaceOne(c, in.homophoneOf) },
	Dialect:       func(in *Injector, c *Case) bool { return in.replaceOne(c, in.dialectOf) },
	Variant:       (*Injector).variant,
	TwoChars:      (*Injector).twoChars,
	Missing:       (*Injector).missing,
	Extra:         (*Injector).extra,
	Swapped:       (*Injector).swapped,
	Nickname:      (*Injector).nickname,
	Pinyin:        (*Injector).pinyin,
	PinyinDialect: (*Injector).pinyinDialect,
	Initials:      (*Injector).initials,
	MixedInitials: (*Injector).mixedInitials,
	OldCounty:     (*Injector).oldCounty,
	PlaceSound:    (*Injector).placeSound,
}

// Make draws a record and applies kinds to it in order; false when the
// drawn record does not allow them (the caller draws again).
func (in *Injector) Make(kinds ...Kind) (Case, bool) {
	r := in.g.Record()
	r.Martyr.Aliases = nil // a stray alias must not make a kind easier
	c := Case{Kinds: kinds, Truth: r.Martyr.Name, Record: r, Query: search.Query{Name: r.Martyr.Name}}
	c.Hometown = in.g.HometownQuery(r)
	for _, k := range kinds {
		f, ok := injectors[k]
		if !ok || !f(in, &c) {
			return Case{}, false
		}
	}
	if c.Record.Martyr.Name == "" || strings.TrimSpace(c.Query.Name) == "" {
		return Case{}, false
	}
	// The id derives from the registry number, which did not change.
	c.Record.Martyr.ID = idOf(c.Record.Martyr)
	return c, true
}

func idOf(m store.Martyr) string { return "m-" + m.RegistryNo }

// Namesake is another record of the truth's name from another county:
// the duplicates that only the hometown can tell apart.
func (in *Injector) Namesake(c Case) Record {
	for range 20 {
		r := in.g.Record()
		if r.County.ID == c.Record.County.ID || r.County.NowID == c.Record.County.NowID {
			continue
		}
		r.Martyr.Name = c.Truth
		r.Martyr.ID = idOf(r.Martyr)
		return r
	}
	r := in.g.Record()
	r.Martyr.Name = c.Truth
	r.Martyr.ID = idOf(r.Martyr)
	return r
}

// positions the record's name allows a change at, untouched so far.
func (c *Case) free() []int {
	var out []int
	for i := range []rune(c.Record.Martyr.Name) {
		if !slices.Contains(c.touched, i) {
			out = append(out, i)
		}
	}
	return out
}

// replaceOne replaces one character of the record's name at a random
// untouched position with what f gives, trying each position in turn.
func (in *Injector) replaceOne(c *Case, f func(rune) (rune, bool)) bool {
	free := c.free()
	in.g.rng.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
	rs := []rune(c.Record.Martyr.Name)
	for _, p := range free {
		if r, ok := f(rs[p]); ok {
			rs[p] = r
			c.Record.Martyr.Name = string(rs)
			c.touched = append(c.touched, p)
			return true
		}
	}
	return false
}

// pickCommon: a random common character satisfying ok.
func (in *Injector) pickCommon(ok func(rune) bool) (rune, bool) {
	var cands []rune
	for _, r := range in.g.common {
		if ok(r) {
			cands = append(cands, r)
		}
	}
	if len(cands) == 0 {
		return 0, false
	}
	return cands[in.g.rng.IntN(len(cands))], true
}

// Relations between characters, to keep each error pure: a look-alike
// that is also a homophone would test the wrong kind.
func (in *Injector) homophone(a, b rune) bool {
	ra, rb := in.tab.Readings(a), in.tab.Readings(b)
	return slices.ContainsFunc(ra, func(x string) bool { return slices.Contains(rb, x) })
}

func (in *Injector) dialectNear(a, b rune) bool {
	da, db := in.charDialect(a), in.charDialect(b)
	return slices.ContainsFunc(da, func(x string) bool { return slices.Contains(db, x) })
}

func (in *Injector) related(a, b rune) bool {
	return in.tab.Relation(a, b) != 0 || in.tab.Fold(a) == in.tab.Fold(b)
}

// charDialect: the dialect keys of every reading of a character.
func (in *Injector) charDialect(r rune) []string {
	var out []string
	for _, s := range in.tab.Readings(r) {
		out = append(out, in.syllableDialect(s)...)
	}
	return out
}

// syllableDialect is the search's dialect folding of one syllable, taken
// through its public analysis so that there is one definition of it.
func (in *Injector) syllableDialect(s string) []string {
	if d, ok := in.dialectKeys[s]; ok {
		return d
	}
	var d []string
	if an, err := search.Analyze(s); err == nil && len(an.Dialect) == 1 {
		d = an.Dialect[0]
	}
	in.dialectKeys[s] = d
	return d
}

// shapeAlike: the look-alike threshold the search documents (0.6 is
// reached by about 1 in 500 random pairs and nearly all look-alikes in
// handwriting-error lists).
const shapeAlike, shapeWeak = 0.6, 0.5

func (in *Injector) lookAlikeOf(a rune) (rune, bool) {
	cands, ok := in.alike[a]
	if !ok {
		for _, b := range in.g.common {
			if b != a && in.tab.ShapeSimilarity(a, b) >= shapeAlike && !in.homophone(a, b) && !in.dialectNear(a, b) && !in.related(a, b) {
				cands = append(cands, b)
			}
		}
		in.alike[a] = cands
	}
	if len(cands) == 0 {
		return 0, false
	}
	return cands[in.g.rng.IntN(len(cands))], true
}

// homophoneOf: a character whose usual reading is a's usual reading, as a
// clerk writing down a name he heard would choose.
func (in *Injector) homophoneOf(a rune) (rune, bool) {
	ra := in.tab.Readings(a)
	if len(ra) == 0 {
		return 0, false
	}
	return in.pickCommon(func(b rune) bool {
		rb := in.tab.Readings(b)
		return b != a && len(rb) > 0 && rb[0] == ra[0] && !in.related(a, b) && in.tab.ShapeSimilarity(a, b) < shapeWeak
	})
}

// dialectOf: a character whose usual reading a dialect speaker cannot
// tell from a's (chen/cheng, nan/lan) and that is no homophone of it.
func (in *Injector) dialectOf(a rune) (rune, bool) {
	ra := in.tab.Readings(a)
	if len(ra) == 0 {
		return 0, false
	}
	da := in.syllableDialect(ra[0])
	return in.pickCommon(func(b rune) bool {
		rb := in.tab.Readings(b)
		if b == a || len(rb) == 0 || rb[0] == ra[0] || in.homophone(a, b) || in.related(a, b) || in.tab.ShapeSimilarity(a, b) >= shapeWeak {
			return false
		}
		db := in.syllableDialect(rb[0])
		return slices.ContainsFunc(da, func(x string) bool { return slices.Contains(db, x) })
	})
}

// variant writes every character that has a traditional or informal form
// in it: on the record (an old register) or in the query (a family
// writing traditional characters), one or the other.
func (in *Injector) variant(c *Case) bool {
	conv := func(s string) (string, bool) {
		rs := []rune(s)
		changed := false
		for i, r := range rs {
			ch, ok := in.tab.Lookup(r)
			if !ok {
				continue
			}
			for _, v := range ch.Variants {
				if v.Kind == chardata.Traditional || v.Kind == chardata.Informal {
					rs[i] = v.Char
					changed = true
					break
				}
			}
		}
		return string(rs), changed
	}
	if in.g.rng.IntN(2) == 0 {
		s, ok := conv(c.Query.Name)
		c.Query.Name = s
		return ok
	}
	s, ok := conv(c.Record.Martyr.Name)
	c.Record.Martyr.Name = s
	return ok
}

// twoChars: a slip changing two characters at once, each a look-alike
// or a homophone.
func (in *Injector) twoChars(c *Case) bool {
	if len([]rune(c.Record.Martyr.Name)) < 3 {
		return false
	}
	change := func(r rune) (rune, bool) {
		if in.g.rng.IntN(2) == 0 {
			return in.lookAlikeOf(r)
		}
		return in.homophoneOf(r)
	}
	if !in.replaceOne(c, change) {
		return false
	}
	return in.replaceOne(c, change) // a second, other position
}

// missing drops a given-name character of a three-character name.
func (in *Injector) missing(c *Case) bool {
	rs := []rune(c.Record.Martyr.Name)
	if len(rs) < 3 {
		return false
	}
	free := slices.DeleteFunc(c.free(), func(i int) bool { return i == 0 })
	if len(free) == 0 {
		return false
	}
	k := free[in.g.rng.IntN(len(free))]
	c.Record.Martyr.Name = string(slices.Delete(rs, k, k+1))
	c.touched = append(c.touched, len(rs)) // the name is shorter: no further change
	return true
}

// extra adds a character to a two-character name, at the end or between
// the family name and the given one.
func (in *Injector) extra(c *Case) bool {
	rs := []rune(c.Record.Martyr.Name)
	if len(rs) != 2 {
		return false
	}
	at := 1 + in.g.rng.IntN(2)
	c.Record.Martyr.Name = string(slices.Insert(rs, at, in.g.givenChar(false)))
	return true
}

// swapped swaps the two given characters of a three-character name.
func (in *Injector) swapped(c *Case) bool {
	rs := []rune(c.Record.Martyr.Name)
	if len(rs) != 3 || rs[1] == rs[2] || slices.Contains(c.touched, 1) || slices.Contains(c.touched, 2) {
		return false
	}
	rs[1], rs[2] = rs[2], rs[1]
	c.Record.Martyr.Name = string(rs)
	c.touched = append(c.touched, 1, 2)
	return true
}

// nickname: the family knows the 小名, which the record keeps as an
// alias beside the registered name. (Without the alias recorded nothing
// could find it.)
func (in *Injector) nickname(c *Case) bool {
	nick := in.g.pick(nicknames)
	c.Record.Martyr.Aliases = []store.Alias{{Name: nick, Kind: "nickname"}}
	c.Query.Name = store.Surname(c.Truth) + nick
	return true
}

// syllables is the truth's pinyin, family name read as a family name.
func (in *Injector) syllables(s string) ([]string, bool) {
	an, err := search.Analyze(s)
	if err != nil {
		return nil, false
	}
	var out []string
	for _, p := range an.Pinyin {
		if len(p) == 0 {
			return nil, false
		}
		out = append(out, p[0])
	}
	return out, true
}

// styleLatin writes syllables the ways people type them.
func (in *Injector) styleLatin(syl []string) string {
	given := strings.Join(syl[1:], "")
	switch in.g.rng.IntN(4) {
	case 0:
		return strings.Join(syl, "")
	case 1:
		return strings.Join(syl, " ")
	case 2: // Wang Deming
		return strings.ToUpper(syl[0][:1]) + syl[0][1:] + " " + strings.ToUpper(given[:1]) + given[1:]
	default: // WANG DEMING
		return strings.ToUpper(syl[0] + " " + given)
	}
}

func (in *Injector) pinyin(c *Case) bool {
	syl, ok := in.syllables(c.Truth)
	if !ok || len(syl) < 2 {
		return false
	}
	c.Query.Name = in.styleLatin(syl)
	return true
}

// pinyinDialect: one syllable said as a dialect speaker says it (cheng
// for chen, lan for nan).
func (in *Injector) pinyinDialect(c *Case) bool {
	syl, ok := in.syllables(c.Truth)
	if !ok || len(syl) < 2 {
		return false
	}
	pos := in.g.rng.IntN(len(syl))
	want := in.syllableDialect(syl[pos])
	var cands []string
	for _, x := range in.tab.Syllables() {
		if x != syl[pos] && strings.ContainsAny(x, "aeiouv") &&
			slices.ContainsFunc(in.syllableDialect(x), func(d string) bool { return slices.Contains(want, d) }) {
			cands = append(cands, x)
		}
	}
	if len(cands) == 0 {
		return false
	}
	syl[pos] = cands[in.g.rng.IntN(len(cands))]
	c.Query.Name = in.styleLatin(syl)
	return true
}

func (in *Injector) initials(c *Case) bool {
	syl, ok := in.syllables(c.Truth)
	if !ok || len(syl) < 3 || c.Record.Martyr.Born.Year == 0 {
		return false
	}
	var b strings.Builder
	for _, s := range syl {
		b.WriteByte(s[0])
	}
	c.Query.Name = b.String()
	c.Query.BirthYear = c.Record.Martyr.Born.Year
	return true
}

func (in *Injector) mixedInitials(c *Case) bool {
	syl, ok := in.syllables(c.Truth)
	if !ok || len(syl) < 3 {
		return false
	}
	var b strings.Builder
	b.WriteString(syl[0] + " ")
	for _, s := range syl[1:] {
		b.WriteByte(s[0])
	}
	c.Query.Name = b.String()
	return true
}

// withCounty rewrites the record's hometown so that it names the county
// (as province + county + village), for the kinds about the county.
func (in *Injector) withCounty(c *Case, county string) {
	r := &c.Record
	if r.Village == "" {
		r.Village = in.g.villageName()
	}
	r.Martyr.HometownText = r.County.Province + county + r.Village
}

// oldCounty: the record has the county's name of the time, the family
// gives today's; only counties renamed since allow it.
func (in *Injector) oldCounty(c *Case) bool {
	for tries := 0; !c.Record.County.Renamed(); tries++ {
		if tries > 200 {
			return false
		}
		c.Record.County = in.g.county()
	}
	in.withCounty(c, c.Record.County.Name)
	c.Hometown = in.g.HometownQuery(c.Record)
	return true
}

// placeSound: the county written from sound, one character of its name
// (not the suffix) a homophone.
func (in *Injector) placeSound(c *Case) bool {
	name := c.Record.County.Name
	core := []rune(shortName(name))
	if len(core) == len([]rune(name)) && len(core) > 2 {
		core = core[:len(core)-1]
	}
	order := in.g.rng.Perm(len(core))
	rs := []rune(name)
	for _, p := range order {
		if r, ok := in.homophoneOf(rs[p]); ok {
			rs[p] = r
			in.withCounty(c, string(rs))
			return true
		}
	}
	return false
}
