// Command gen derives Guigen's character tables from the Unicode Han
// Database (Unihan) and writes them as one gzipped, tab-separated file that
// package chardata embeds.
//
// Usage (see scripts/gen-chardata.sh, which installs Debian's unicode-data
// package first):
//
//	go run ./search/chardata/gen -unihan /usr/share/unicode -out search/chardata/unihan.tsv.gz
//
// The Unihan source may be a directory holding Unihan_*.txt or
// Unihan_*.txt.bz2 (as Debian ships it) or Unihan.zip.
//
// Only the CJK Unified Ideographs block (U+4E00-U+9FFF) and Extension A
// (U+3400-U+4DBF) are kept: they hold every character in the 通用规范汉字表
// and the traditional forms people write names in; the rare extensions
// would triple the table for names nobody can type.
package main

import (
	"archive/zip"
	"bufio"
	"compress/bzip2"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fields is every Unihan field the generator reads.
var fields = map[string]bool{
	"kMandarin": true, "kHanyuPinyin": true, "kXHC1983": true, "kTGHZ2013": true,
	"kFourCornerCode": true, "kCangjie": true, "kRSUnicode": true, "kTotalStrokes": true,
	"kSimplifiedVariant": true, "kTraditionalVariant": true, "kZVariant": true,
	"kSemanticVariant": true, "kSpecializedSemanticVariant": true, "kTGH": true,
}

func inRange(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF)
}

type unihan struct {
	props   map[rune]map[string]string
	version string
}

func main() {
	src := flag.String("unihan", "/usr/share/unicode", "directory with Unihan_*.txt[.bz2] or the path of Unihan.zip")
	out := flag.String("out", "unihan.tsv.gz", "output file")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		slog.Error("gen-chardata failed", "err", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	u, err := load(src)
	if err != nil {
		return err
	}
	rows, stats := derive(u)
	if err := write(out, u.version, rows); err != nil {
		return err
	}
	slog.Info("wrote character table", "file", out, "unicode", u.version, "chars", len(rows),
		"withReadings", stats.readings, "polyphonic", stats.polyphonic, "folded", stats.folded,
		"withFourCorner", stats.fourCorner, "withCangjie", stats.cangjie, "standard", stats.standard)
	return nil
}

func load(src string) (*unihan, error) {
	u := &unihan{props: map[rune]map[string]string{}}
	st, err := os.Stat(src)
	if err != nil {
		return nil, fmt.Errorf("unihan source: %w", err)
	}
	if !st.IsDir() {
		zr, err := zip.OpenReader(src)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", src, err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			if !strings.HasPrefix(filepath.Base(f.Name), "Unihan_") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			err = u.parse(rc)
			rc.Close()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
		}
	} else {
		names, _ := filepath.Glob(filepath.Join(src, "Unihan_*.txt*"))
		if len(names) == 0 {
			return nil, fmt.Errorf("no Unihan_*.txt[.bz2] under %s (apt-get install unicode-data)", src)
		}
		for _, n := range names {
			f, err := os.Open(n)
			if err != nil {
				return nil, err
			}
			var r io.Reader = f
			if strings.HasSuffix(n, ".bz2") {
				r = bzip2.NewReader(f)
			}
			err = u.parse(r)
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", n, err)
			}
		}
	}
	if len(u.props) == 0 {
		return nil, fmt.Errorf("no Unihan data found in %s", src)
	}
	return u, nil
}

func (u *unihan) parse(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			if v, ok := strings.CutPrefix(line, "# Unicode version: "); ok && u.version == "" {
				u.version = strings.TrimSpace(v)
			}
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 || !fields[parts[1]] {
			continue
		}
		r, ok := parseCP(parts[0])
		if !ok || !inRange(r) {
			continue
		}
		if u.props[r] == nil {
			u.props[r] = map[string]string{}
		}
		u.props[r][parts[1]] = parts[2]
	}
	return sc.Err()
}

func parseCP(s string) (rune, bool) {
	s, ok := strings.CutPrefix(s, "U+")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return 0, false
	}
	return rune(n), true
}

// toneless turns "lǚ" into "lv" and "zhōng" into "zhong": ü is written v,
// as every pinyin keyboard does, and tone marks go.
func toneless(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case r == '\u0308': // diaeresis: the u before it was ü
			str := b.String()
			if strings.HasSuffix(str, "u") {
				b.Reset()
				b.WriteString(str[:len(str)-1] + "v")
			}
		case unicode.Is(unicode.Mn, r):
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// readingList extracts the readings of a kHanyuPinyin / kXHC1983 /
// kTGHZ2013 value: space-separated "locations:reading,reading" items.
func readingList(v string) []string {
	var out []string
	for _, item := range strings.Fields(v) {
		if i := strings.LastIndexByte(item, ':'); i >= 0 {
			item = item[i+1:]
		}
		for _, r := range strings.Split(item, ",") {
			if t := toneless(r); t != "" {
				out = append(out, t)
			}
		}
	}
	return out
}

// cps parses a variant field: "U+5F20" or "U+4E8E<kLau U+65BC<kLau,kMatthews".
func cps(v string) []rune {
	var out []rune
	for _, item := range strings.Fields(v) {
		item, _, _ = strings.Cut(item, "<")
		if r, ok := parseCP(item); ok && inRange(r) {
			out = append(out, r)
		}
	}
	return out
}

type row struct {
	r          rune
	readings   []string
	folds      []rune // canonical fold first, then other simplified forms
	fourCorner string
	cangjie    string
	radical    int
	strokes    int
	tgh        int
	variants   []string // "t张" style: kind letter + character
}

type stats struct{ readings, polyphonic, folded, fourCorner, cangjie, standard int }

func derive(u *unihan) ([]row, stats) {
	var st stats
	tgh := func(r rune) int {
		v := u.props[r]["kTGH"]
		if _, n, ok := strings.Cut(v, ":"); ok {
			i, _ := strconv.Atoi(strings.Fields(n)[0])
			return i
		}
		return 0
	}
	readings := func(r rune) []string {
		p := u.props[r]
		var rs []string
		rs = append(rs, readingList(p["kMandarin"])...)
		rs = append(rs, readingList(p["kTGHZ2013"])...)
		rs = append(rs, readingList(p["kXHC1983"])...)
		// kHanyuPinyin lists every reading a character ever had; use it
		// only where the modern dictionaries say nothing, or rare
		// historical readings would make unrelated names homophones.
		if p["kTGHZ2013"] == "" && p["kXHC1983"] == "" {
			rs = append(rs, readingList(p["kHanyuPinyin"])...)
		}
		var out []string
		for _, x := range rs {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
		return out
	}
	shareReading := func(a, b rune) bool {
		ra, rb := readings(a), readings(b)
		if len(ra) == 0 || len(rb) == 0 {
			return true
		}
		for _, x := range ra {
			if slices.Contains(rb, x) {
				return true
			}
		}
		return false
	}
	simplified := func(r rune) (fold rune, all []rune) {
		s := cps(u.props[r]["kSimplifiedVariant"])
		if len(s) == 0 || slices.Contains(s, r) {
			// No simplified form, or the character is itself one of its
			// simplified forms (乾, 於 ... stay, but may also fold to 干).
			return r, s
		}
		for _, x := range s {
			if tgh(x) > 0 {
				return x, s
			}
		}
		return s[0], s
	}
	// standardise maps a character outside the 通用规范汉字表 to the one
	// standard character it is a variant of. Semantic variants are taken
	// only when they share a reading, since Unihan's semantic variants
	// include characters that are distinct in modern use.
	standardise := func(r rune) rune {
		if tgh(r) > 0 {
			return r
		}
		var cands []rune
		add := func(list []rune, needReading bool) {
			for _, x := range list {
				f, _ := simplified(x)
				if tgh(f) > 0 && (!needReading || shareReading(r, f)) && !slices.Contains(cands, f) {
					cands = append(cands, f)
				}
			}
		}
		add(cps(u.props[r]["kZVariant"]), false)
		if len(cands) == 0 {
			add(cps(u.props[r]["kSemanticVariant"]), true)
		}
		if len(cands) == 0 {
			return r
		}
		sort.Slice(cands, func(i, j int) bool { return tgh(cands[i]) < tgh(cands[j]) })
		return cands[0]
	}

	var rows []row
	for r, p := range u.props {
		rw := row{r: r, readings: readings(r), tgh: tgh(r)}
		f, all := simplified(r)
		f = standardise(f)
		if f != r {
			rw.folds = append(rw.folds, f)
		}
		for _, x := range all {
			if x != r && !slices.Contains(rw.folds, x) {
				if len(rw.folds) == 0 {
					rw.folds = append(rw.folds, r) // keep self as canonical
				}
				rw.folds = append(rw.folds, x)
			}
		}
		if fc := strings.Fields(p["kFourCornerCode"]); len(fc) > 0 {
			rw.fourCorner = strings.ReplaceAll(fc[0], ".", "")
		}
		rw.cangjie = p["kCangjie"]
		if rs := strings.Fields(p["kRSUnicode"]); len(rs) > 0 {
			rad, _, _ := strings.Cut(rs[0], ".")
			rw.radical, _ = strconv.Atoi(strings.TrimRight(rad, "'"))
		}
		if ts := strings.Fields(p["kTotalStrokes"]); len(ts) > 0 {
			rw.strokes, _ = strconv.Atoi(ts[0])
		}
		addVar := func(kind string, list []rune) {
			for _, x := range list {
				if x == r {
					continue
				}
				v := kind + string(x)
				if !slices.Contains(rw.variants, v) {
					rw.variants = append(rw.variants, v)
				}
			}
		}
		addVar("s", cps(p["kSimplifiedVariant"]))
		addVar("t", cps(p["kTraditionalVariant"]))
		addVar("z", cps(p["kZVariant"]))
		addVar("m", cps(p["kSemanticVariant"]))
		addVar("p", cps(p["kSpecializedSemanticVariant"]))

		if len(rw.readings) == 0 && len(rw.folds) == 0 && rw.fourCorner == "" && rw.cangjie == "" && rw.strokes == 0 {
			continue
		}
		if len(rw.readings) > 0 {
			st.readings++
		}
		if len(rw.readings) > 1 {
			st.polyphonic++
		}
		if len(rw.folds) > 0 && rw.folds[0] != r {
			st.folded++
		}
		if rw.fourCorner != "" {
			st.fourCorner++
		}
		if rw.cangjie != "" {
			st.cangjie++
		}
		if rw.tgh > 0 {
			st.standard++
		}
		rows = append(rows, rw)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].r < rows[j].r })
	return rows, st
}

const header = `# Guigen character table, generated by search/chardata/gen from the Unicode Han Database (Unihan %s).
# Do not edit: regenerate with scripts/gen-chardata.sh (Debian package unicode-data; go run ./search/chardata/gen).
# Blocks: CJK Unified Ideographs U+4E00-U+9FFF and Extension A U+3400-U+4DBF.
# Columns (tab-separated):
#   char; readings (toneless pinyin, ü as v, kMandarin first, then kTGHZ2013 and kXHC1983, kHanyuPinyin only when those are silent);
#   folds (canonical simplified/standard form first, then other simplified forms; empty: the character folds to itself);
#   kFourCornerCode (first code, dot removed); kCangjie; radical (kRSUnicode); kTotalStrokes;
#   kTGH index in the 通用规范汉字表 (2013), 0 when not in it;
#   variants (kind letter + char: s simplified, t traditional, z kZVariant, m kSemanticVariant, p kSpecializedSemanticVariant).
#
# Derived from Unicode data. Copyright © 1991-2022 Unicode, Inc. All rights reserved.
# Distributed under the Terms of Use in https://www.unicode.org/copyright.html (see UNICODE-LICENSE.txt).
# This file is a modified data file: fields were selected, tone marks removed and mappings derived.
`

func write(path, version string, rows []row) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	gz, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	// gz.ModTime stays zero so the output depends only on the input.
	w := bufio.NewWriter(gz)
	fmt.Fprintf(w, header, version)
	for _, rw := range rows {
		fmt.Fprintf(w, "%c\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", rw.r, strings.Join(rw.readings, ","),
			string(rw.folds), rw.fourCorner, rw.cangjie, rw.radical, rw.strokes, rw.tgh, strings.Join(rw.variants, ""))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return f.Close()
}
