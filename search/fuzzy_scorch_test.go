package search

import (
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
)

// bleve's fuzziness is measured in bytes on some index paths and in runes
// on others; the name search relies on scorch counting runes, so that
// fuzziness 1 on a three-character name allows one wrong character and
// not one wrong byte. This pins that down on scorch, on disk.
func TestScorchFuzzinessCountsRunes(t *testing.T) {
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = keyword.Name
	idx, err := bleve.NewUsing(filepath.Join(t.TempDir(), "fz"), im, scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for id, n := range map[string]string{"a": "高善娃", "b": "高善", "c": "李建国"} {
		if err := idx.Index(id, map[string]any{"n": n}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		term      string
		fuzziness int
		want      []string
	}{
		{"高喜娃", 1, []string{"a"}},      // one character differs
		{"高喜", 1, []string{"b"}},       // one of two
		{"高喜娃", 2, []string{"a", "b"}}, // 高善 is one deletion and one substitution away
		{"张喜娃", 1, nil},                // two characters differ
	}
	for _, tt := range tests {
		fq := query.NewFuzzyQuery(tt.term)
		fq.SetField("n")
		fq.SetFuzziness(tt.fuzziness)
		res, err := idx.Search(bleve.NewSearchRequest(fq))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		if len(got) != len(tt.want) {
			t.Errorf("fuzzy %s~%d: got %v, want %v", tt.term, tt.fuzziness, got, tt.want)
			continue
		}
		for _, w := range tt.want {
			found := false
			for _, g := range got {
				found = found || g == w
			}
			if !found {
				t.Errorf("fuzzy %s~%d: got %v, want %v", tt.term, tt.fuzziness, got, tt.want)
			}
		}
	}
}
