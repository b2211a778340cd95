package casework

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
)

// Searcher is the fuzzy martyr search (search.Index and graph.Searcher
// both fit).
type Searcher interface {
	SearchMartyrs(ctx context.Context, q search.Query) ([]search.Hit, error)
}

// Claim is what a family tells a volunteer about the man they lost.
type Claim struct {
	Name      string // as the family knows it: may be a 小名, pinyin, a homophone
	Hometown  string // usually today's name of the place
	BirthYear int
	Unit      string
	Memories  string // what they remember: where he fell, letters, comrades
	Limit     int
}

// Suggestion is a martyr who may be the one the family means.
type Suggestion struct {
	Martyr  store.Martyr
	Score   float64
	Reasons []search.Reason
}

// ReasonMemory: the family's memories mention something in the record.
const ReasonMemory search.ReasonKind = "memory"

// memoryBonus is what agreement with the memories adds; it only reorders
// close candidates, as hometown and unit do.
const memoryBonus = 0.05

// maxMemories bounds the text compared, in runes.
const maxMemories = 2000

// ErrSearchOff: no search index is configured.
var ErrSearchOff = fmt.Errorf("搜索未启用 / search is not configured: %w", store.ErrUnavailable)

// SuggestMartyrs turns a claim into ranked candidates, each with the
// reasons it fits: the name, hometown, birth year and unit through the
// search index, then the memories against what the record says of his
// death, unit and burial.
func (s *Service) SuggestMartyrs(ctx context.Context, c Claim) ([]Suggestion, error) {
	if err := auth.Require(ctx, workers...); err != nil {
		return nil, err
	}
	if strings.TrimSpace(c.Name) == "" {
		return nil, fmt.Errorf("suggest martyrs: 请填写姓名 / name must not be empty: %w", store.ErrInvalid)
	}
	if s.Search == nil {
		return nil, ErrSearchOff
	}
	hits, err := s.Search.SearchMartyrs(ctx, search.Query{Name: strings.TrimSpace(c.Name), Hometown: c.Hometown,
		BirthYear: c.BirthYear, Unit: c.Unit, Limit: c.Limit})
	if err != nil {
		return nil, fmt.Errorf("suggest martyrs: %w", err)
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.MartyrID
	}
	ms, err := s.Store.GetMartyrs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("suggest martyrs: %w", err)
	}
	memories := c.Memories
	if utf8.RuneCountInString(memories) > maxMemories {
		memories = string([]rune(memories)[:maxMemories])
	}
	out := make([]Suggestion, 0, len(hits))
	for _, h := range hits {
		m, ok := ms[h.MartyrID]
		if !ok {
			continue // gone since the index last synced
		}
		sg := Suggestion{Martyr: m, Score: h.Score, Reasons: slices.Clone(h.Reasons)}
		for _, f := range []struct{ label, text string }{
			{"牺牲地点", m.DeathPlace}, {"部队", m.UnitText}, {"安葬地", m.BurialText}, {"职务", m.Position},
		} {
			if mentions(memories, f.text) {
				sg.Score += memoryBonus
				sg.Reasons = append(sg.Reasons, search.Reason{Kind: ReasonMemory,
					Detail: fmt.Sprintf("家属回忆提到%s「%s」/ the family's memories mention the %s", f.label, f.text, f.label)})
			}
		}
		out = append(out, sg)
	}
	slices.SortStableFunc(out, func(a, b Suggestion) int { return cmp.Compare(b.Score, a.Score) })
	return out, nil
}

// mentions reports whether memories carry at least half of the
// two-character pieces of field: families retell 上甘岭 as 上甘岭战役 or
// 甘岭, so whole-string equality would miss most agreements.
func mentions(memories, field string) bool {
	rs := []rune(strings.TrimSpace(field))
	if len(rs) < 2 || memories == "" {
		return false
	}
	hit := 0
	for i := 0; i+1 < len(rs); i++ {
		if strings.Contains(memories, string(rs[i:i+2])) {
			hit++
		}
	}
	return hit*2 >= len(rs)-1
}
