package search

import (
	"fmt"

	"github.com/guigen/guigen/search/chardata"
)

// unit is one position of a name: a character, a wildcard, or a Latin
// syllable or initial.
type unit struct {
	kind       segKind
	han        rune      // segHan, segWildcard: the character as written
	fold       []rune    // segHan: standard forms, canonical first
	readings   []string  // segHan: toneless readings, surname readings first
	dialect    []string  // the readings (or Latin syllables) under dialectFold
	latin      latinUnit // segLatin
	start, end int       // byte offsets in the input
}

// name is an analysed name. Latin input may segment several ways
// ("xian" is 先 or 西安); alts holds them, the most likely first, each a
// complete list of units. Hanzi-only names have one.
type name struct {
	alts [][]unit
}

func (n name) units() []unit {
	if len(n.alts) == 0 {
		return nil
	}
	return n.alts[0]
}

// analyzer turns names into units with the character table.
type analyzer struct {
	tab *chardata.Table
	seg segmenter
	// cache, when set, remembers the units of names analysed for the
	// index (see unitCache); nil for queries and comparisons.
	cache *analysisCache
}

func newAnalyzer(tab *chardata.Table) analyzer {
	return analyzer{tab: tab, seg: segmenter{tab: tab}}
}

func defaultAnalyzer() analyzer { return newAnalyzer(chardata.Default()) }

// maxAlts bounds the segmentations of a name with several Latin words.
const maxAlts = 4

// parse analyses a name; strict for queries (errors on empty or overlong
// input), lenient for records.
func (a analyzer) parse(s string, strict bool) (name, error) {
	segs, err := segmentName(s, strict)
	if err != nil {
		return name{}, err
	}
	alts := [][]unit{nil}
	for _, sg := range segs {
		switch sg.kind {
		case segHan, segWildcard:
			u := unit{kind: sg.kind, han: sg.han, start: sg.start, end: sg.end}
			for i := range alts {
				alts[i] = append(alts[i], u)
			}
		case segLatin:
			segmentations := a.seg.segment(sg.latin)
			var next [][]unit
			for _, prefix := range alts {
				for _, seg := range segmentations {
					if len(next) >= maxAlts {
						break
					}
					alt := append(append([]unit(nil), prefix...), latinUnits(seg, sg)...)
					next = append(next, alt)
				}
			}
			alts = next
		}
	}
	if strict {
		if n := len(alts[0]); n > MaxNameUnits {
			return name{}, fmt.Errorf("%d 个字或音节，最多 %d (%d characters or syllables, at most %d): %w", n, MaxNameUnits, n, MaxNameUnits, ErrNameTooLong)
		}
	} else {
		for i := range alts {
			if len(alts[i]) > MaxNameUnits {
				alts[i] = alts[i][:MaxNameUnits]
			}
		}
	}
	for _, alt := range alts {
		a.annotate(alt)
	}
	return name{alts: alts}, nil
}

func latinUnits(seg segmentation, sg segment) []unit {
	out := make([]unit, len(seg.units))
	for i, lu := range seg.units {
		out[i] = unit{kind: segLatin, latin: lu, start: sg.start, end: sg.end}
	}
	return out
}

// annotate fills in folds and readings, with the surname readings for
// the first character (or the first two of a compound surname).
func (a analyzer) annotate(us []unit) {
	var folded []rune
	for i := range us {
		if us[i].kind == segHan {
			us[i].fold = a.tab.FoldAll(us[i].han)
			folded = append(folded, us[i].fold[0])
		} else {
			folded = append(folded, 0)
		}
	}
	compound, isCompound := chardata.CompoundSurname(folded)
	for i := range us {
		u := &us[i]
		if u.kind == segLatin {
			u.dialect = nil
			for _, s := range u.latin.syllable {
				u.dialect = uniq(u.dialect, dialectFold(s))
			}
		}
		if u.kind != segHan {
			continue
		}
		var rs []string
		switch {
		case isCompound && i < 2:
			rs = uniq(rs, compound[i])
		case i == 0 && len(us) >= 2:
			rs = uniq(rs, chardata.SurnameReadings(u.fold[0])...)
		}
		rs = uniq(rs, a.tab.Readings(u.han)...)
		for _, f := range u.fold {
			rs = uniq(rs, a.tab.Readings(f)...)
		}
		u.readings = rs
		u.dialect = nil
		for _, x := range rs {
			u.dialect = uniq(u.dialect, dialectFold(x))
		}
	}
}

// Analysis is what the index makes of a name: the token streams it keeps.
// The per-position slices are aligned: index i is the name's i-th
// character, wildcard or Latin syllable/initial.
type Analysis struct {
	// Hanzi: the characters as written; "" for a Latin syllable or initial.
	Hanzi []string
	// Folded: each character's canonical standard simplified form.
	Folded []string
	// Pinyin: every toneless reading (the surname reading first for a
	// family name); for Latin input the syllable typed (with the spellings
	// it may stand for: lu is lu or lv); empty for a bare initial or an
	// unknown character.
	Pinyin [][]string
	// Dialect: Pinyin folded by dialectFold.
	Dialect [][]string
	// Shape: the shape keys (four-corner codes) of the character and of
	// its folded form.
	Shape [][]string
	// Joined: whole-name pinyin, one per combination of readings
	// ("zhangdeming"); none when an initial or wildcard is in the name.
	Joined []string
	// Initials: whole-name initials ("zdm"), one per combination.
	Initials []string
}

// Analyze analyses a name as typed into a search; it returns ErrEmptyName
// or ErrNameTooLong (both store.ErrInvalid) for unusable input.
func Analyze(s string) (Analysis, error) {
	n, err := defaultAnalyzer().parse(s, true)
	if err != nil {
		return Analysis{}, err
	}
	return defaultAnalyzer().analysis(n.units()), nil
}

// Limits on whole-name combinations of polyphonic readings.
const (
	maxJoined   = 16
	maxInitials = 8
)

func (a analyzer) analysis(us []unit) Analysis {
	var an Analysis
	for _, u := range us {
		var ps, shapes []string
		var h, f string
		switch u.kind {
		case segHan:
			h, f = string(u.han), string(u.fold[0])
			ps = u.readings
			shapes = uniq(shapes, a.tab.ShapeKey(u.han), a.tab.ShapeKey(u.fold[0]))
		case segWildcard:
			h, f = string(u.han), string(u.han)
		case segLatin:
			ps = u.latin.syllable
		}
		an.Hanzi = append(an.Hanzi, h)
		an.Folded = append(an.Folded, f)
		an.Pinyin = append(an.Pinyin, ps)
		an.Shape = append(an.Shape, shapes)
		var ds []string
		for _, p := range ps {
			ds = uniq(ds, dialectFold(p))
		}
		an.Dialect = append(an.Dialect, ds)
	}
	an.Joined = joinedPinyin(us)
	an.Initials = joinedInitials(us)
	return an
}

func joinedPinyin(us []unit) []string {
	opts := make([][]string, 0, len(us))
	for _, u := range us {
		var o []string
		switch u.kind {
		case segHan:
			o = u.readings
		case segLatin:
			o = u.latin.syllable
		}
		if len(o) == 0 {
			return nil
		}
		opts = append(opts, o)
	}
	return combos(opts, maxJoined)
}

func joinedInitials(us []unit) []string {
	opts := make([][]string, 0, len(us))
	for _, u := range us {
		var o []string
		switch u.kind {
		case segHan:
			for _, r := range u.readings {
				o = uniq(o, initial(r))
			}
		case segLatin:
			o = []string{initial(u.latin.text)}
		}
		if len(o) == 0 {
			return nil
		}
		opts = append(opts, o)
	}
	if len(opts) < 2 {
		return nil
	}
	return combos(opts, maxInitials)
}
