package search

import (
	"fmt"
	"sort"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names of the tokenizer, token filters and analyzers this package
// registers with bleve, for use in index mappings.
//
// Every filter expects the guigen_name tokenizer's output directly (each
// analyzer is the tokenizer and one filter, guigen_dialect excepted),
// because the surname readings depend on the whole name.
const (
	TokenizerName = "guigen_name"

	FilterFold     = "guigen_fold"
	FilterPinyin   = "guigen_pinyin"
	FilterDialect  = "guigen_dialect"
	FilterInitials = "guigen_initials"
	FilterJoined   = "guigen_joined"
	FilterShape    = "guigen_shape"
	FilterBigram   = "guigen_bigram"
	FilterKeyword  = "guigen_keyword"

	// AnalyzerHanzi: the characters as written, plus adjacent pairs.
	AnalyzerHanzi = "guigen_hanzi"
	// AnalyzerFold: every standard simplified form of each character.
	AnalyzerFold = "guigen_fold"
	// AnalyzerPinyin: every toneless reading, at the character's position.
	AnalyzerPinyin = "guigen_pinyin"
	// AnalyzerDialect: readings folded for dialect hearing.
	AnalyzerDialect = "guigen_dialect"
	// AnalyzerInitials: whole-name initials, "zdm".
	AnalyzerInitials = "guigen_initials"
	// AnalyzerJoined: whole-name pinyin, "zhangdeming".
	AnalyzerJoined = "guigen_joined"
	// AnalyzerShape: four-corner shape keys.
	AnalyzerShape = "guigen_shape"
	// AnalyzerKeyword: the whole name folded into one token, for fuzzy
	// matching of a name with one character wrong.
	AnalyzerKeyword = "guigen_keyword"
	// AnalyzerText: free text (hometown, unit): folded characters and
	// adjacent pairs, Latin words as they are.
	AnalyzerText = "guigen_text"
)

// Token types the tokenizer gives pieces other than characters and
// syllables; filters use them to rebuild the name and never emit them.
const (
	tokHan      = analysis.Ideographic
	tokSyllable = analysis.AlphaNumeric
	tokInitial  = analysis.Single
	tokWildcard = analysis.Double
)

func init() {
	// bleve's registry is process-wide; registering once at start is the
	// way bleve extensions are made.
	must := func(err error) {
		if err != nil {
			panic(fmt.Sprintf("search: registering bleve analysis: %v", err))
		}
	}
	must(registry.RegisterTokenizer(TokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return nameTokenizer{a: indexAnalyzer()}, nil
	}))
	filters := map[string]func(analyzer) analysis.TokenFilter{
		FilterFold:     func(a analyzer) analysis.TokenFilter { return foldFilter{a} },
		FilterPinyin:   func(a analyzer) analysis.TokenFilter { return pinyinFilter{a} },
		FilterDialect:  func(a analyzer) analysis.TokenFilter { return dialectFilter{a} },
		FilterInitials: func(a analyzer) analysis.TokenFilter { return joinFilter{a: a, initials: true} },
		FilterJoined:   func(a analyzer) analysis.TokenFilter { return joinFilter{a: a} },
		FilterShape:    func(a analyzer) analysis.TokenFilter { return shapeFilter{a} },
		FilterBigram:   func(a analyzer) analysis.TokenFilter { return bigramFilter{a: a} },
		FilterKeyword:  func(a analyzer) analysis.TokenFilter { return keywordFilter{a} },
	}
	for name, mk := range filters {
		must(registry.RegisterTokenFilter(name, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return mk(indexAnalyzer()), nil
		}))
	}
	analyzers := map[string][]analysis.TokenFilter{
		AnalyzerHanzi:    {bigramFilter{a: indexAnalyzer(), wildcards: true}},
		AnalyzerFold:     {foldFilter{indexAnalyzer()}},
		AnalyzerPinyin:   {pinyinFilter{indexAnalyzer()}},
		AnalyzerDialect:  {dialectFilter{indexAnalyzer()}},
		AnalyzerInitials: {joinFilter{a: indexAnalyzer(), initials: true}},
		AnalyzerJoined:   {joinFilter{a: indexAnalyzer()}},
		AnalyzerShape:    {shapeFilter{indexAnalyzer()}},
		AnalyzerKeyword:  {keywordFilter{indexAnalyzer()}},
		AnalyzerText:     {bigramFilter{a: indexAnalyzer(), fold: true, keepLatin: true}},
	}
	for name, fs := range analyzers {
		text := name == AnalyzerText
		must(registry.RegisterAnalyzer(name, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
			return &analysis.DefaultAnalyzer{Tokenizer: nameTokenizer{a: indexAnalyzer(), text: text}, TokenFilters: fs}, nil
		}))
	}
}

// nameTokenizer normalises a name and emits one token per character,
// wildcard, Latin syllable or initial, at consecutive positions. For free
// text (text set) nothing is dropped for length.
type nameTokenizer struct {
	a    analyzer
	text bool
}

func (t nameTokenizer) Tokenize(in []byte) analysis.TokenStream {
	if t.text {
		return t.tokenizeText(string(in))
	}
	return unitsToTokens(t.a.recordUnits(string(in)), 1)
}

// tokenizeText splits free text (a hometown, a unit) into characters,
// runs of digits and runs of Latin letters; a unit is known by its
// numbers (27军79师). Nothing is dropped for length.
func (t nameTokenizer) tokenizeText(s string) analysis.TokenStream {
	var out analysis.TokenStream
	pos := 1
	runStart, runEnd := -1, -1
	var run []rune
	var runType analysis.TokenType
	flush := func() {
		if len(run) > 0 {
			out = append(out, &analysis.Token{Term: []byte(string(run)), Start: runStart, End: runEnd, Position: pos, Type: runType})
			pos++
		}
		run, runStart = run[:0], -1
	}
	for i, r := range s {
		end := i + utf8.RuneLen(r)
		if r == utf8.RuneError {
			flush()
			continue
		}
		for _, n := range norm.NFKC.String(string(r)) {
			var typ analysis.TokenType
			switch {
			case unicode.Is(unicode.Han, n) && !isWildcard(n):
				flush()
				out = append(out, &analysis.Token{Term: []byte(string(n)), Start: i, End: end, Position: pos, Type: tokHan})
				pos++
				continue
			case n >= '0' && n <= '9':
				typ = analysis.Numeric
			case unicode.Is(unicode.Latin, n):
				typ = tokSyllable
			default:
				flush()
				continue
			}
			if len(run) > 0 && runType != typ {
				flush()
			}
			if runStart < 0 {
				runStart = i
			}
			runEnd, runType = end, typ
			if typ == tokSyllable {
				run = append(run, latinBase(n)...)
			} else {
				run = append(run, n)
			}
		}
	}
	flush()
	return out
}

func unitsToTokens(us []unit, firstPos int) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(us))
	for i, u := range us {
		tok := &analysis.Token{Start: u.start, End: u.end, Position: firstPos + i}
		switch u.kind {
		case segHan:
			tok.Term, tok.Type = []byte(string(u.han)), tokHan
		case segWildcard:
			tok.Term, tok.Type = []byte(string(u.han)), tokWildcard
		case segLatin:
			tok.Term, tok.Type = []byte(u.latin.text), tokSyllable
			if u.latin.isInitial() {
				tok.Type = tokInitial
			}
		}
		out = append(out, tok)
	}
	return out
}

// positioned is a unit with the token it came from.
type positioned struct {
	u   unit
	tok *analysis.Token
}

// rebuild turns the tokenizer's output back into annotated units, one per
// position (the first token at a position stands for it).
func (a analyzer) rebuild(ts analysis.TokenStream) []positioned {
	byPos := map[int]*analysis.Token{}
	for _, t := range ts {
		if _, ok := byPos[t.Position]; !ok {
			byPos[t.Position] = t
		}
	}
	positions := make([]int, 0, len(byPos))
	for p := range byPos {
		positions = append(positions, p)
	}
	sort.Ints(positions)
	out := make([]positioned, len(positions))
	for i, p := range positions {
		out[i].tok = byPos[p]
	}
	var key string
	if a.cache != nil {
		key = tokensKey(ts)
		if us, ok := a.cache.streams.get(key); ok {
			for i := range out {
				out[i].u = us[i]
			}
			return out
		}
	}
	us := make([]unit, len(out))
	for i, p := range out {
		t := p.tok
		switch t.Type {
		case tokHan:
			r := []rune(string(t.Term))
			us[i] = unit{kind: segHan, han: r[0]}
		case tokSyllable, tokInitial:
			text := string(t.Term)
			us[i] = unit{kind: segLatin, latin: latinUnit{text: text}}
			if t.Type == tokSyllable {
				us[i].latin.syllable = a.seg.syllable(text)
			}
		default:
			r := []rune(string(t.Term))
			us[i] = unit{kind: segWildcard, han: r[0]}
		}
	}
	a.annotate(us)
	for i := range out {
		out[i].u = us[i]
	}
	if a.cache != nil {
		a.cache.streams.put(key, us)
	}
	return out
}

func tokenAt(t *analysis.Token, term string, typ analysis.TokenType) *analysis.Token {
	return &analysis.Token{Term: []byte(term), Start: t.Start, End: t.End, Position: t.Position, Type: typ}
}

type foldFilter struct{ a analyzer }

func (f foldFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for _, p := range f.a.rebuild(ts) {
		if p.u.kind == segHan {
			for _, r := range p.u.fold {
				out = append(out, tokenAt(p.tok, string(r), tokHan))
			}
		}
	}
	return out
}

type pinyinFilter struct{ a analyzer }

func (f pinyinFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for _, p := range f.a.rebuild(ts) {
		rs := p.u.readings
		if p.u.kind == segLatin {
			rs = p.u.latin.syllable
		}
		for _, r := range rs {
			out = append(out, tokenAt(p.tok, r, tokSyllable))
		}
	}
	return out
}

type dialectFilter struct{ a analyzer }

func (f dialectFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	hasHan := false
	for _, t := range ts {
		hasHan = hasHan || t.Type == tokHan
	}
	if hasHan || len(ts) == 0 {
		ts = pinyinFilter(f).Filter(ts)
	}
	var out analysis.TokenStream
	seen := map[[2]any]bool{}
	for _, t := range ts {
		if t.Type != tokSyllable {
			continue
		}
		d := dialectFold(string(t.Term))
		if k := [2]any{t.Position, d}; !seen[k] {
			seen[k] = true
			out = append(out, tokenAt(t, d, tokSyllable))
		}
	}
	return out
}

type joinFilter struct {
	a        analyzer
	initials bool
}

func (f joinFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	ps := f.a.rebuild(ts)
	if len(ps) == 0 {
		return nil
	}
	us := make([]unit, len(ps))
	for i, p := range ps {
		us[i] = p.u
	}
	var terms []string
	if f.initials {
		terms = joinedInitials(us)
	} else {
		terms = joinedPinyin(us)
	}
	start, end := ps[0].tok.Start, ps[len(ps)-1].tok.End
	out := make(analysis.TokenStream, 0, len(terms))
	for _, t := range terms {
		out = append(out, &analysis.Token{Term: []byte(t), Start: start, End: end, Position: 1, Type: tokSyllable})
	}
	return out
}

type shapeFilter struct{ a analyzer }

func (f shapeFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for _, p := range f.a.rebuild(ts) {
		if p.u.kind != segHan {
			continue
		}
		for _, k := range uniq(nil, f.a.tab.ShapeKey(p.u.han), f.a.tab.ShapeKey(p.u.fold[0])) {
			out = append(out, tokenAt(p.tok, k, analysis.AlphaNumeric))
		}
	}
	return out
}

// bigramFilter keeps each character and adds each pair of adjacent
// characters (at the first one's position). Two-character names have a
// single pair, so the pairs only add weight to exact order; the
// characters carry the recall.
type bigramFilter struct {
	a         analyzer
	fold      bool
	keepLatin bool
	// wildcards: index an illegible character as wildcardTerm, so that a
	// record like 杨□ can be retrieved for its wildcard.
	wildcards bool
}

// wildcardTerm stands for every wildcard in the hanzi field.
const wildcardTerm = "□"

func (f bigramFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	var prev *analysis.Token
	var prevTerm string
	for _, t := range ts {
		switch {
		case t.Type == tokHan:
			term := string(t.Term)
			if f.fold {
				term = string(f.a.tab.Fold([]rune(term)[0]))
			}
			out = append(out, tokenAt(t, term, tokHan))
			if prev != nil && prev.Position == t.Position-1 {
				bi := &analysis.Token{Term: []byte(prevTerm + term), Start: prev.Start, End: t.End, Position: prev.Position, Type: analysis.Shingle}
				out = append(out, bi)
			}
			prev, prevTerm = t, term
		case t.Type == tokWildcard && f.wildcards:
			out = append(out, tokenAt(t, wildcardTerm, tokWildcard))
			prev = nil
		case (t.Type == tokSyllable || t.Type == tokInitial || t.Type == analysis.Numeric) && f.keepLatin:
			out = append(out, tokenAt(t, string(t.Term), tokSyllable))
			prev = nil
		default:
			prev = nil
		}
	}
	return out
}

type keywordFilter struct{ a analyzer }

func (f keywordFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	var term []rune
	for _, t := range ts {
		if t.Type == tokHan {
			term = append(term, f.a.tab.Fold([]rune(string(t.Term))[0]))
		}
	}
	if len(term) == 0 {
		return nil
	}
	return analysis.TokenStream{{Term: []byte(string(term)), Start: ts[0].Start, End: ts[len(ts)-1].End, Position: 1, Type: tokHan}}
}

// keyword is what keywordFilter makes of a parsed name.
func (a analyzer) keyword(us []unit) string {
	var term []rune
	for _, u := range us {
		if u.kind == segHan {
			term = append(term, u.fold[0])
		}
	}
	return string(term)
}
