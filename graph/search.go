package graph

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/guigen/guigen/graph/model"
	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
)

const (
	// maxSearchName bounds the name typed; no name is this long, and the
	// cost of the fuzzy query grows with it.
	maxSearchName = 100
	// maxSearchText bounds a place name typed.
	maxSearchText = 200
	// defaultPlaceHits is searchPlaces' `first` when the caller gives null.
	defaultPlaceHits = 10
)

// errSearchOff: the server runs without a search index.
var errSearchOff = fmt.Errorf("搜索未启用 / search is not configured: %w", store.ErrUnavailable)

// searchFirst checks `first`: 1 to MaxPageSize, def when null.
func searchFirst(first *int, def int) (int, error) {
	if first == nil {
		return def, nil
	}
	if *first < 1 || *first > MaxPageSize {
		return 0, badInput("first 须在 1 到 %d 之间 / first must be between 1 and %d", MaxPageSize, MaxPageSize)
	}
	return *first, nil
}

func martyrQuery(name string, hometown *string, birthYear *int, unit *string, first *int) (search.Query, error) {
	n, err := searchFirst(first, DefaultPageSize)
	if err != nil {
		return search.Query{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return search.Query{}, badInput("请填写姓名 / name must not be empty")
	}
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxSearchName {
		return search.Query{}, badInput("姓名不得超过 %d 个字符 / name must be at most %d characters", maxSearchName, maxSearchName)
	}
	q := search.Query{Name: name, Limit: n}
	if hometown != nil {
		q.Hometown = *hometown
	}
	if unit != nil {
		q.Unit = *unit
	}
	if birthYear != nil {
		q.BirthYear = *birthYear
	}
	return q, nil
}

func placeText(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", badInput("请填写地名 / query must not be empty")
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxSearchText {
		return "", badInput("地名不得超过 %d 个字符 / query must be at most %d characters", maxSearchText, maxSearchText)
	}
	return s, nil
}

// martyrHits joins hits to their martyrs, fetched in one call. A hit whose
// martyr is gone (deleted since the index last synced) is dropped.
// filterLimit is how many hits a filtered search asks for before it
// filters: every hit the search returns at most.
const filterLimit = search.MaxLimit

// searchFilter keeps the hits a filter argument of searchMartyrs admits.
type searchFilter struct {
	diedFrom, diedTo int
	cemetery         string
}

func (f searchFilter) on() bool { return f.diedFrom != 0 || f.diedTo != 0 || f.cemetery != "" }

func (f searchFilter) keep(m store.Martyr) bool {
	if f.cemetery != "" && m.CemeteryID != f.cemetery {
		return false
	}
	if f.diedFrom != 0 || f.diedTo != 0 {
		lo, hi := m.Died.YearBounds()
		if lo == 0 || (f.diedFrom != 0 && hi < f.diedFrom) || (f.diedTo != 0 && lo > f.diedTo) {
			return false
		}
	}
	return true
}

func hitFilter(diedFrom, diedTo *int, cemetery *string) (searchFilter, error) {
	var f searchFilter
	for _, y := range []*int{diedFrom, diedTo} {
		if y != nil && (*y < 1000 || *y > 3000) {
			return f, badInput("年份须为四位数 / a year must have four digits, got %d", *y)
		}
	}
	if diedFrom != nil {
		f.diedFrom = *diedFrom
	}
	if diedTo != nil {
		f.diedTo = *diedTo
	}
	if f.diedFrom != 0 && f.diedTo != 0 && f.diedFrom > f.diedTo {
		return f, badInput("diedFrom %d 晚于 diedTo %d / diedFrom is after diedTo", f.diedFrom, f.diedTo)
	}
	if cemetery != nil {
		f.cemetery = strings.TrimSpace(*cemetery)
	}
	return f, nil
}

// martyrHits joins hits to their martyrs, keeps those f admits and at
// most n of them.
func (r *Resolver) martyrHits(ctx context.Context, hits []search.Hit, f searchFilter, n int) (*model.MartyrSearchResult, error) {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.MartyrID
	}
	ms := map[string]store.Martyr{}
	if len(ids) > 0 {
		var err error
		if ms, err = r.Store.GetMartyrs(ctx, ids); err != nil {
			return nil, fmt.Errorf("search martyrs: %w", err)
		}
	}
	out := &model.MartyrSearchResult{Hits: make([]model.MartyrHit, 0, len(hits))}
	for _, h := range hits {
		m, ok := ms[h.MartyrID]
		if !ok || !f.keep(m) {
			continue
		}
		if n > 0 && len(out.Hits) == n {
			break
		}
		reasons := make([]model.MatchReason, len(h.Reasons))
		for i, rs := range h.Reasons {
			reasons[i] = model.MatchReason{Kind: string(rs.Kind), Detail: rs.Detail}
		}
		out.Hits = append(out.Hits, model.MartyrHit{Score: h.Score, Martyr: &m, Reasons: reasons})
	}
	out.Total = len(out.Hits)
	return out, nil
}

// placeMatches joins resolutions to their places and today's successors,
// fetched in one call.
func (r *Resolver) placeMatches(ctx context.Context, rs []search.Resolution) ([]model.PlaceMatch, error) {
	var ids []string
	for _, x := range rs {
		ids = append(ids, x.PlaceID)
		ids = append(ids, x.Current...)
	}
	ps := map[string]store.Place{}
	if len(ids) > 0 {
		var err error
		if ps, err = r.Store.GetPlaces(ctx, ids); err != nil {
			return nil, fmt.Errorf("search places: %w", err)
		}
	}
	out := make([]model.PlaceMatch, 0, len(rs))
	for _, x := range rs {
		p, ok := ps[x.PlaceID]
		if !ok {
			continue
		}
		m := model.PlaceMatch{Place: &p, Score: x.Score, Reasons: x.Reasons, Current: []store.Place{}}
		if m.Reasons == nil {
			m.Reasons = []string{}
		}
		for _, id := range x.Current {
			if c, ok := ps[id]; ok {
				m.Current = append(m.Current, c)
			}
		}
		out = append(out, m)
	}
	return out, nil
}
