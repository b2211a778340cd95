// Package chardata holds what Guigen knows of individual Chinese
// characters: toneless Mandarin readings, traditional and variant forms,
// and shape codes for look-alike characters. The bulk comes from the
// Unicode Han Database (see gen/ and unihan.tsv.gz, generated, with
// Unicode's licence in UNICODE-LICENSE.txt); the surname readings and the
// informal variants people write in names are kept by hand in surnames.go.
package chardata

//go:generate go run ./gen -unihan /usr/share/unicode -out unihan.tsv.gz

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed unihan.tsv.gz
var unihanGz []byte

// VariantKind says how two characters relate in Unihan.
type VariantKind byte

const (
	// Simplified: the other character is a simplified form of this one.
	Simplified VariantKind = 's'
	// Traditional: the other character is a traditional form of this one.
	Traditional VariantKind = 't'
	// ZVariant: the same character drawn differently (kZVariant).
	ZVariant VariantKind = 'z'
	// Semantic: interchangeable in meaning (kSemanticVariant).
	Semantic VariantKind = 'm'
	// Specialized: interchangeable in some senses (kSpecializedSemanticVariant).
	Specialized VariantKind = 'p'
	// Informal: a substitution common in handwriting and registers though
	// not a standard form (萧/肖, 阎/闫); from the hand table.
	Informal VariantKind = 'i'
)

// Variant is another character related to a character.
type Variant struct {
	Kind VariantKind
	Char rune
}

// Char is what the table knows of one character.
type Char struct {
	// Readings in toneless pinyin, ü written v; the most common first.
	Readings []string
	// Folds: the standard simplified form first, then other simplified
	// forms a traditional character may stand for (乾 -> 乾, 干). Empty
	// when the character is its own standard form and has no other.
	Folds []rune
	// FourCorner is the four-corner code without its dot: four digits and
	// usually a fifth, supplementary one. Empty when Unihan has none.
	FourCorner string
	// Cangjie input code, a description of the character's shape.
	Cangjie string
	// Radical (Kangxi radical number) and Strokes (total strokes).
	Radical int
	Strokes int
	// Standard is the character's number in the 通用规范汉字表 (2013):
	// 1-3500 the common level, up to 8105; 0 when not in it.
	Standard int
	Variants []Variant
}

// Table is the character table. It is read-only once built and safe for
// concurrent use.
type Table struct {
	chars     map[rune]*Char
	syllables map[string]bool
	version   string
	// shapeBuckets: standard characters by ShapeKeys, built on first use
	// by LookAlikes.
	shapeOnce    sync.Once
	shapeBuckets map[string][]rune
}

var defaultTable = sync.OnceValue(func() *Table {
	t, err := parse(unihanGz)
	if err != nil {
		// The file is embedded at build time and covered by tests; a
		// broken one is a build defect, not a runtime condition.
		panic(fmt.Sprintf("chardata: embedded table: %v", err))
	}
	return t
})

// Default returns the table built from the embedded Unihan data, parsed
// on first use (about 30 ms) and shared afterwards.
func Default() *Table { return defaultTable() }

func parse(gz []byte) (*Table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	t := &Table{chars: make(map[rune]*Char, 28000), syllables: map[string]bool{}}
	sc := bufio.NewScanner(zr)
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if strings.HasPrefix(s, "#") {
			if _, after, ok := strings.Cut(s, "Unihan "); ok && t.version == "" {
				t.version, _, _ = strings.Cut(after, ")")
			}
			continue
		}
		f := strings.Split(s, "\t")
		if len(f) != 9 {
			return nil, fmt.Errorf("line %d: %d columns, want 9", line, len(f))
		}
		r, size := utf8.DecodeRuneInString(f[0])
		if size != len(f[0]) || r == utf8.RuneError {
			return nil, fmt.Errorf("line %d: bad character %q", line, f[0])
		}
		c := &Char{FourCorner: f[3], Cangjie: f[4]}
		if f[1] != "" {
			c.Readings = strings.Split(f[1], ",")
			for _, x := range c.Readings {
				t.syllables[x] = true
			}
		}
		c.Folds = []rune(f[2])
		if c.Radical, err = strconv.Atoi(f[5]); err != nil {
			return nil, fmt.Errorf("line %d: radical: %w", line, err)
		}
		if c.Strokes, err = strconv.Atoi(f[6]); err != nil {
			return nil, fmt.Errorf("line %d: strokes: %w", line, err)
		}
		if c.Standard, err = strconv.Atoi(f[7]); err != nil {
			return nil, fmt.Errorf("line %d: standard: %w", line, err)
		}
		vs := []rune(f[8])
		if len(vs)%2 != 0 {
			return nil, fmt.Errorf("line %d: odd variant list %q", line, f[8])
		}
		for i := 0; i < len(vs); i += 2 {
			c.Variants = append(c.Variants, Variant{Kind: VariantKind(vs[i]), Char: vs[i+1]})
		}
		t.chars[r] = c
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(t.chars) == 0 {
		return nil, fmt.Errorf("empty table")
	}
	for a, bs := range informalVariants {
		for _, b := range bs {
			t.addInformal(a, b)
			t.addInformal(b, a)
		}
	}
	for _, rs := range surnameReadings {
		for _, x := range rs {
			t.syllables[x] = true
		}
	}
	return t, nil
}

func (t *Table) addInformal(a, b rune) {
	c := t.chars[a]
	if c == nil {
		c = &Char{}
		t.chars[a] = c
	}
	v := Variant{Kind: Informal, Char: b}
	if !slices.Contains(c.Variants, v) {
		c.Variants = append(c.Variants, v)
	}
}

// Version is the Unicode version the table was generated from.
func (t *Table) Version() string { return t.version }

// Len is the number of characters in the table.
func (t *Table) Len() int { return len(t.chars) }

// Lookup returns what the table knows of r.
func (t *Table) Lookup(r rune) (*Char, bool) {
	c, ok := t.chars[r]
	return c, ok
}

// Readings returns r's toneless readings, the most common first; nil for
// a character the table does not know.
func (t *Table) Readings(r rune) []string {
	if c, ok := t.chars[r]; ok {
		return c.Readings
	}
	return nil
}

// Fold returns r's standard simplified form (張 -> 张, 衆 -> 众), or r.
func (t *Table) Fold(r rune) rune {
	if c, ok := t.chars[r]; ok && len(c.Folds) > 0 {
		return c.Folds[0]
	}
	return r
}

// FoldAll returns every standard form r may stand for, canonical first:
// 乾 -> [乾 干], 髮 -> [发], 张 -> [张].
func (t *Table) FoldAll(r rune) []rune {
	if c, ok := t.chars[r]; ok && len(c.Folds) > 0 {
		return c.Folds
	}
	return []rune{r}
}

// IsSyllable reports whether s is a toneless Mandarin syllable some
// character in the table is read as.
func (t *Table) IsSyllable(s string) bool { return t.syllables[s] }

// Syllables lists every syllable, sorted.
func (t *Table) Syllables() []string {
	out := make([]string, 0, len(t.syllables))
	for s := range t.syllables {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// Relation says how a relates to b as forms of one character: Simplified
// or Traditional when one is the other's simplified or traditional form
// (directly or through folding), ZVariant/Semantic/Specialized/Informal
// for the other variants, 0 when they are not variants of each other.
// Characters that are equal are not variants.
func (t *Table) Relation(a, b rune) VariantKind {
	if a == b {
		return 0
	}
	ca, cb := t.chars[a], t.chars[b]
	if ca != nil {
		for _, v := range ca.Variants {
			if v.Char == b {
				return v.Kind
			}
		}
	}
	if cb != nil {
		for _, v := range cb.Variants {
			if v.Char == a {
				return reverse(v.Kind)
			}
		}
	}
	// Both fold to one standard character: 鍾 and 鐘 are both 钟.
	fa, fb := t.FoldAll(a), t.FoldAll(b)
	for _, x := range fa {
		if slices.Contains(fb, x) {
			switch {
			case x == a:
				return Traditional
			case x == b:
				return Simplified
			}
			return ZVariant
		}
	}
	return 0
}

func reverse(k VariantKind) VariantKind {
	switch k {
	case Simplified:
		return Traditional
	case Traditional:
		return Simplified
	}
	return k
}
