package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/guigen/guigen/store"
)

var gedMonths = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}

// gedSimpleDate reads "3 OCT 1951", "OCT 1951" or "1951".
func gedSimpleDate(s string) (y, m, d int, ok bool) {
	f := strings.Fields(strings.ToUpper(s))
	if len(f) == 0 || len(f) > 3 {
		return 0, 0, 0, false
	}
	y, err := strconv.Atoi(strings.Split(f[len(f)-1], "/")[0]) // 5.5.1 dual years "1701/02"
	if err != nil || y < 1000 || y > 2999 {
		return 0, 0, 0, false
	}
	if len(f) >= 2 {
		for i, mon := range gedMonths {
			if f[len(f)-2] == mon {
				m = i + 1
			}
		}
		if m == 0 {
			return 0, 0, 0, false
		}
	}
	if len(f) == 3 {
		if d, err = strconv.Atoi(f[0]); err != nil || d < 1 || d > 31 {
			return 0, 0, 0, false
		}
	}
	return y, m, d, true
}

// ParseGEDCOMDate reads a GEDCOM date value into a Date, keeping the
// value as written in Text (or the 7.0 PHRASE when given). Approximate
// dates (ABT, CAL, EST, INT) keep their precision; BET…AND and FROM…TO
// become ranges; BEF, AFT and open periods keep only the text, since a
// bound is not a date. Dates in other calendars keep only the text.
// Values that are not GEDCOM dates are tried as registers write dates
// (1951年10月), which Chinese family trees often hold.
func ParseGEDCOMDate(value, phrase string) store.Date {
	raw := strings.TrimSpace(value)
	text := raw
	if strings.TrimSpace(phrase) != "" {
		text = strings.TrimSpace(phrase)
	}
	only := store.Date{Text: text}
	if raw == "" {
		return only
	}
	s := strings.ToUpper(raw)
	for _, cal := range []string{"@#DGREGORIAN@", "GREGORIAN"} {
		s = strings.TrimSpace(strings.TrimPrefix(s, cal))
	}
	if strings.HasPrefix(s, "@#") || strings.HasPrefix(s, "JULIAN") || strings.HasPrefix(s, "HEBREW") || strings.HasPrefix(s, "FRENCH_R") {
		return only
	}
	if i := strings.IndexByte(s, '('); i >= 0 { // INT 1951 (text) / (text)
		s = strings.TrimSpace(s[:i])
	}
	f := strings.Fields(s)
	if len(f) == 0 {
		return only
	}
	point := func(s string) store.Date {
		y, m, d, ok := gedSimpleDate(s)
		if !ok {
			return only
		}
		return store.Date{Year: y, Month: m, Day: d, Text: text}
	}
	rng := func(a, b string) store.Date {
		y, m, d, ok1 := gedSimpleDate(a)
		ty, tm, td, ok2 := gedSimpleDate(b)
		if !ok1 || !ok2 || ty < y {
			return only
		}
		out := store.Date{Year: y, Month: m, Day: d, ToYear: ty, ToMonth: tm, ToDay: td, Text: text}
		if out.Validate() != nil {
			return only
		}
		return out
	}
	switch f[0] {
	case "ABT", "CAL", "EST", "INT":
		return point(strings.Join(f[1:], " "))
	case "BET":
		if a, b, ok := strings.Cut(strings.Join(f[1:], " "), " AND "); ok {
			return rng(a, b)
		}
		return only
	case "FROM":
		if a, b, ok := strings.Cut(strings.Join(f[1:], " "), " TO "); ok {
			return rng(a, b)
		}
		return only
	case "BEF", "AFT", "TO":
		return only
	}
	if d := point(s); d.Year != 0 {
		return d
	}
	if d, ok := ParseDate(raw); ok {
		d.Text = text
		if d.Validate() == nil {
			return d
		}
	}
	return only
}

// FormatGEDCOMDate writes a Date as a GEDCOM 7 date value; the source
// text, when there is one, goes to the PHRASE.
func FormatGEDCOMDate(d store.Date) (value, phrase string) {
	part := func(y, m, dd int) string {
		switch {
		case m == 0:
			return fmt.Sprintf("%d", y)
		case dd == 0:
			return fmt.Sprintf("%s %d", gedMonths[m-1], y)
		default:
			return fmt.Sprintf("%d %s %d", dd, gedMonths[m-1], y)
		}
	}
	switch {
	case d.Year == 0:
	case d.ToYear != 0:
		value = "BET " + part(d.Year, d.Month, d.Day) + " AND " + part(d.ToYear, d.ToMonth, d.ToDay)
	default:
		value = part(d.Year, d.Month, d.Day)
	}
	return value, d.Text
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// GEDCOMName turns a NAME value into the name as people write it. The
// surname is between slashes; a Chinese name is surname then given name
// with no spaces, wherever the slashes stood ("德善 /刘/" is 刘德善).
func GEDCOMName(value, surn, givn string) string {
	v := strings.TrimSpace(value)
	if hasHan(surn+givn) && strings.TrimSpace(surn) != "" && strings.TrimSpace(givn) != "" {
		return strings.Join(strings.Fields(surn+givn), "")
	}
	if v == "" {
		v = strings.TrimSpace(surn + " " + givn)
		if hasHan(v) {
			return strings.Join(strings.Fields(v), "")
		}
		return v
	}
	sur, before, after := "", v, ""
	if i := strings.IndexByte(v, '/'); i >= 0 {
		if j := strings.IndexByte(v[i+1:], '/'); j >= 0 {
			sur, before, after = strings.TrimSpace(v[i+1:i+1+j]), v[:i], v[i+2+j:]
		}
	}
	before, after = strings.ReplaceAll(before, "/", " "), strings.ReplaceAll(after, "/", " ")
	if hasHan(v) {
		return strings.Join(strings.Fields(sur+" "+before+" "+after), "")
	}
	// Western order: the surname stays where it stood.
	return strings.Join(strings.Fields(before+" "+sur+" "+after), " ")
}

// idPart makes a string safe and short for an id: ASCII letters, digits
// and "-" lower-cased; anything else turns the whole part into a hash,
// so different names never share an id.
func idPart(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	clean := true
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			clean = false
		}
	}
	if clean && b.Len() > 0 && b.Len() <= 60 {
		return b.String()
	}
	sum := sha256.Sum256([]byte(s))
	prefix := b.String()
	if len(prefix) > 24 {
		prefix = prefix[:24]
	}
	return prefix + "h" + hex.EncodeToString(sum[:6])
}
