package search

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/guigen/guigen/store"
)

// Limits on a name as typed. The longest names in the registers are
// transliterated minority names of about 15 characters; anything far
// beyond is not a name and is refused rather than searched.
const (
	// MaxNameRunes bounds the raw input, spaces and punctuation included.
	MaxNameRunes = 100
	// MaxNameUnits bounds the characters and pinyin syllables after
	// normalisation.
	MaxNameUnits = 32
)

// Validation errors wrap store.ErrInvalid so callers map them to a
// validation failure with errors.Is.
var (
	ErrEmptyName   = fmt.Errorf("姓名为空，或只有空格、标点、数字、表情符号 (name has no Chinese character or Latin letter): %w", store.ErrInvalid)
	ErrNameTooLong = fmt.Errorf("姓名过长 (name too long): %w", store.ErrInvalid)
)

// segKind is what a piece of normalised input is.
type segKind uint8

const (
	segHan      segKind = iota + 1 // one Chinese character
	segLatin                       // a run of Latin letters, lowercased, tone marks gone, ü as v
	segWildcard                    // an unknown or illegible character: ? * □ ○ 〇 × _
)

// segment is one piece of a normalised name; Start/End are byte offsets
// into the original input, for the bleve tokenizer.
type segment struct {
	kind       segKind
	han        rune
	latin      string
	start, end int
}

// isWildcard: marks records and volunteers use for a character they
// cannot read or do not know. 〇 is kept here too: as a digit it has no
// place in a name, and registers use it for an illegible character.
func isWildcard(r rune) bool {
	switch r {
	case '?', '*', '□', '○', '〇', '×', '_', '◯', '■', '\u25A2', '⬜', '＊', '？':
		return true
	}
	return false
}

// segmentName normalises a name (NFKC, so full-width letters and
// compatibility ideographs become ordinary ones; Latin lowercased without
// tone marks; spaces, punctuation, digits, symbols, emoji and control
// characters dropped, though they still separate Latin words) and splits
// it into segments. 々 repeats the character before it.
//
// With strict set, empty or overlong input is an error; otherwise (for
// records) overlong input is cut at MaxNameUnits.
func segmentName(s string, strict bool) ([]segment, error) {
	if strict && utf8.RuneCountInString(s) > MaxNameRunes {
		return nil, fmt.Errorf("%d 个字符，最多 %d (%d characters, at most %d): %w",
			utf8.RuneCountInString(s), MaxNameRunes, utf8.RuneCountInString(s), MaxNameRunes, ErrNameTooLong)
	}
	var segs []segment
	var latin strings.Builder
	latinStart, latinEnd := -1, -1
	flush := func() {
		if latin.Len() > 0 {
			segs = append(segs, segment{kind: segLatin, latin: latin.String(), start: latinStart, end: latinEnd})
			latin.Reset()
		}
		latinStart = -1
	}
	for i, r := range s {
		end := i + utf8.RuneLen(r)
		if r == utf8.RuneError {
			flush()
			continue
		}
		// NFKC one rune at a time keeps byte offsets exact; what NFKC
		// composes across runes is only letters with combining marks,
		// and the marks are dropped below anyway. Unified ideographs and
		// ASCII are left alone by NFKC, and they are nearly all input.
		normalised := string(r)
		if !(r < 0x80 || (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF)) {
			normalised = norm.NFKC.String(normalised)
		}
		for _, n := range normalised {
			switch {
			case n == '々' && len(segs) > 0 && segs[len(segs)-1].kind == segHan && latinStart < 0:
				segs = append(segs, segment{kind: segHan, han: segs[len(segs)-1].han, start: i, end: end})
			case isWildcard(n):
				flush()
				segs = append(segs, segment{kind: segWildcard, han: n, start: i, end: end})
			case unicode.Is(unicode.Han, n):
				flush()
				segs = append(segs, segment{kind: segHan, han: n, start: i, end: end})
			case unicode.Is(unicode.Latin, n):
				for _, b := range latinBase(n) {
					if latinStart < 0 {
						latinStart = i
					}
					latinEnd = end
					latin.WriteRune(b)
				}
			case unicode.Is(unicode.Mn, n) && latinStart >= 0:
				// A combining mark after a Latin letter: a tone mark, or
				// the diaeresis of ü typed as u + U+0308.
				if n == '\u0308' {
					str := latin.String()
					if strings.HasSuffix(str, "u") {
						latin.Reset()
						latin.WriteString(str[:len(str)-1] + "v")
					}
				}
				latinEnd = end
			case n == '\'' || n == '’':
				// xi'an: the apostrophe separates syllables.
				flush()
			default:
				flush()
			}
		}
	}
	flush()
	units := 0
	for i, sg := range segs {
		if sg.kind == segLatin {
			units += (len(sg.latin) + 1) / 2 // a rough count; segmentation decides
		} else {
			units++
		}
		if units > MaxNameUnits {
			if strict {
				return nil, fmt.Errorf("超过 %d 个字或音节 (more than %d characters or syllables): %w", MaxNameUnits, MaxNameUnits, ErrNameTooLong)
			}
			segs = segs[:i]
			break
		}
	}
	if strict && len(segs) == 0 {
		return nil, ErrEmptyName
	}
	return segs, nil
}

// latinBase lowercases a Latin letter and drops its marks: "Ǚ" -> "v",
// "é" -> "e", "ß" -> "ss" is not needed in pinyin and yields nothing.
func latinBase(r rune) []rune {
	switch r {
	case 'ü', 'Ü', 'ǖ', 'ǘ', 'ǚ', 'ǜ', 'Ǖ', 'Ǘ', 'Ǚ', 'Ǜ':
		return []rune{'v'}
	}
	var out []rune
	for _, d := range norm.NFD.String(string(unicode.ToLower(r))) {
		if d >= 'a' && d <= 'z' {
			out = append(out, d)
		}
	}
	return out
}

// IsValidation reports whether err is a problem with the input rather
// than with the index.
func IsValidation(err error) bool { return errors.Is(err, store.ErrInvalid) }
