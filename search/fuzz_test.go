package search

import (
	"errors"
	"math"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/registry"

	"github.com/guigen/guigen/store"
)

var fuzzSeeds = []string{
	"", " ", "张德明", "張德明", "欧阳海", "尉迟恭", "王?明", "王□明", "李々", "wangdeming", "Wang De Ming",
	"wdm", "wang dm", "xi'an", "Lǚ Bù", "ｗａｎｇ", "😀王🙏", "\x00\xff", "阿依古丽·买买提", "zhang德ming",
	"々", "??", "''''", "u\u0308", "ü", "王\u0308", "𠮷野家", "\u2F08", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
}

// FuzzAnalyze: any input gives an analysis or a validation error, the
// per-position fields stay aligned, and every bleve analyzer returns
// tokens with sane offsets and positions.
func FuzzAnalyze(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	cache := registry.NewCache()
	names := []string{AnalyzerHanzi, AnalyzerFold, AnalyzerPinyin, AnalyzerDialect, AnalyzerInitials,
		AnalyzerJoined, AnalyzerShape, AnalyzerKeyword, AnalyzerText}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Analyze(s)
		if err != nil {
			if !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("Analyze(%q): error %v is not a validation error", s, err)
			}
		} else {
			n := len(a.Hanzi)
			if n == 0 || n > MaxNameUnits || len(a.Folded) != n || len(a.Pinyin) != n || len(a.Dialect) != n || len(a.Shape) != n {
				t.Fatalf("Analyze(%q): bad shape %+v", s, a)
			}
			for _, j := range a.Joined {
				if !utf8.ValidString(j) || j == "" {
					t.Fatalf("Analyze(%q): bad joined %q", s, j)
				}
			}
		}
		for _, name := range names {
			an, err := cache.AnalyzerNamed(name)
			if err != nil {
				t.Fatal(err)
			}
			last := 0
			for _, tok := range an.Analyze([]byte(s)) {
				if tok.Start < 0 || tok.End > len(s) || tok.Start > tok.End {
					t.Fatalf("%s(%q): token %q offsets %d-%d", name, s, tok.Term, tok.Start, tok.End)
				}
				if tok.Position < 1 || (name != AnalyzerHanzi && name != AnalyzerText && tok.Position < last) {
					t.Fatalf("%s(%q): token %q position %d after %d", name, s, tok.Term, tok.Position, last)
				}
				if len(tok.Term) == 0 || !utf8.Valid(tok.Term) {
					t.Fatalf("%s(%q): bad term %q", name, s, tok.Term)
				}
				last = tok.Position
			}
		}
	})
}

// FuzzCompareNames: never panics, scores stay in [0, 1], a usable name
// matches itself fully, and reasons are never empty text.
func FuzzCompareNames(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, fuzzSeeds[(i+3)%len(fuzzSeeds)])
	}
	f.Fuzz(func(t *testing.T, q, r string) {
		m := CompareNames(q, r)
		if math.IsNaN(m.Score) || m.Score < 0 || m.Score > 1 {
			t.Fatalf("CompareNames(%q, %q) = %v", q, r, m.Score)
		}
		for _, x := range m.Reasons {
			if x.Kind == "" || x.Detail == "" || !utf8.ValidString(x.Detail) {
				t.Fatalf("CompareNames(%q, %q): bad reason %+v", q, r, x)
			}
		}
		if a, err := Analyze(q); err == nil && !slices.ContainsFunc(a.Hanzi, func(h string) bool { return h != "" && isWildcard([]rune(h)[0]) }) {
			if self := CompareNames(q, q); self.Score < 0.9 {
				t.Fatalf("CompareNames(%q, itself) = %v", q, self)
			}
		}
	})
}
