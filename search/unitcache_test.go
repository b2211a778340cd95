package search

import (
	"fmt"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

// The cache must change nothing: every filter gives the same tokens with
// and without it, on first sight of a name and on the next.
func TestAnalysisCacheSameTokens(t *testing.T) {
	plain := defaultAnalyzer()
	cached := defaultAnalyzer()
	cached.cache = &analysisCache{names: newUnitCache(64), streams: newUnitCache(64)}
	filters := func(a analyzer) map[string]analysis.TokenFilter {
		return map[string]analysis.TokenFilter{
			"fold": foldFilter{a}, "pinyin": pinyinFilter{a}, "dialect": dialectFilter{a},
			"initials": joinFilter{a: a, initials: true}, "joined": joinFilter{a: a}, "shape": shapeFilter{a},
			"bigram": bigramFilter{a: a, wildcards: true}, "keyword": keywordFilter{a},
		}
	}
	dump := func(ts analysis.TokenStream) string {
		s := ""
		for _, t := range ts {
			s += fmt.Sprintf("%s/%d/%d/%d-%d ", t.Term, t.Position, t.Type, t.Start, t.End)
		}
		return s
	}
	c := newCorpus(17)
	names := []string{"单德明", "欧阳秀英", "王□明", "Wang Deming", "張德明", "曾 广", "xian", ""}
	for range 200 { // more names than the cache holds, so it is emptied
		names = append(names, c.name())
	}
	fp, fc := filters(plain), filters(cached)
	for round := range 2 {
		for _, n := range names {
			want := nameTokenizer{a: plain}.Tokenize([]byte(n))
			got := nameTokenizer{a: cached}.Tokenize([]byte(n))
			if dump(got) != dump(want) {
				t.Fatalf("round %d %q: tokens %s, want %s", round, n, dump(got), dump(want))
			}
			for k, f := range fp {
				w, g := dump(f.Filter(want)), dump(fc[k].Filter(got))
				if g != w {
					t.Errorf("round %d %q %s: %s, want %s", round, n, k, g, w)
				}
			}
		}
	}
}
