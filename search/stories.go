package search

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	blevesearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/guigen/guigen/search/chardata"
	"github.com/guigen/guigen/store"
)

// storyMappingVersion changes whenever the story fields or analysis change.
const storyMappingVersion = "guigen-stories-1"

// Story field names. Title and body are indexed folded (traditional and
// variant forms to standard simplified, rune for rune) and split into CJK
// bigrams, so 張 in a query finds 张 in a story and the reverse. The
// original text is not stored: fragments are cut from the store's text.
const (
	sfTitle   = "title"
	sfBody    = "body"
	sfPlace   = "place"
	sfYear    = "year"
	sfUnit    = "unit"
	sfPayload = "payload"
)

// Limits of a story search.
const (
	DefaultStoryLimit = 10
	MaxStoryLimit     = 100
	maxStoryQuery     = 200 // runes
	fragmentRunes     = 80  // context around the first highlight, roughly
	maxFragments      = 3   // per field
	maxFacetValues    = 50
)

// StoryIndex is the full-text index over published stories, separate from
// the name index because its analysis and its documents are unrelated.
// It follows the store's change log on its own watermark. Safe for
// concurrent use.
type StoryIndex struct {
	closeOnce sync.Once
	closeErr  error
	idx       bleve.Index
	tab       *chardata.Table
}

// OpenStories opens the story index in dir, creating it when dir does not
// exist or is empty. An index of another version gives ErrStale.
func OpenStories(dir string) (*StoryIndex, error) {
	x := &StoryIndex{tab: chardata.Default()}
	var err error
	if _, statErr := os.Stat(filepath.Join(dir, "index_meta.json")); errors.Is(statErr, os.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(filepath.Clean(dir)), 0o755); err != nil {
			return nil, fmt.Errorf("search: open stories %s: %w", dir, err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			return nil, fmt.Errorf("search: open stories %s: directory is not empty and holds no index", dir)
		}
		_ = os.Remove(dir)
		m := bleve.NewIndexMapping()
		doc := bleve.NewDocumentStaticMapping()
		text := func() *mapping.FieldMapping {
			f := bleve.NewTextFieldMapping()
			f.Analyzer = cjk.AnalyzerName
			f.Store = false
			f.IncludeTermVectors = true
			return f
		}
		kw := func(store bool) *mapping.FieldMapping {
			f := bleve.NewKeywordFieldMapping()
			f.Analyzer = keyword.Name
			f.Store = store
			f.IncludeInAll = false
			return f
		}
		doc.AddFieldMappingsAt(sfTitle, text())
		doc.AddFieldMappingsAt(sfBody, text())
		doc.AddFieldMappingsAt(sfPlace, kw(false))
		doc.AddFieldMappingsAt(sfYear, kw(false))
		doc.AddFieldMappingsAt(sfUnit, kw(false))
		doc.AddFieldMappingsAt(sfPayload, kw(true))
		m.DefaultMapping = doc
		m.DefaultAnalyzer = cjk.AnalyzerName
		x.idx, err = bleve.NewUsing(dir, m, scorch.Name, scorch.Name, nil)
		if err != nil {
			return nil, fmt.Errorf("search: create stories %s: %w", dir, err)
		}
		if err := x.idx.SetInternal(keyMapping, []byte(storyMappingVersion)); err != nil {
			x.idx.Close()
			return nil, fmt.Errorf("search: create stories %s: %w", dir, err)
		}
		return x, nil
	}
	x.idx, err = bleve.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("search: open stories %s: %w", dir, err)
	}
	v, err := x.idx.GetInternal(keyMapping)
	if err != nil || string(v) != storyMappingVersion {
		x.idx.Close()
		return nil, fmt.Errorf("search: open stories %s (version %q, want %q): %w", dir, v, storyMappingVersion, ErrStale)
	}
	return x, nil
}

// Close closes the index; closing twice is harmless.
func (x *StoryIndex) Close() error {
	x.closeOnce.Do(func() {
		if err := x.idx.Close(); err != nil {
			x.closeErr = fmt.Errorf("search: close stories: %w", err)
		}
	})
	return x.closeErr
}

// Count is the number of stories indexed (published ones only).
func (x *StoryIndex) Count() (uint64, error) {
	n, err := x.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("search: count stories: %w", err)
	}
	return n, nil
}

// Watermark is the change-log Seq the story index has applied up to.
func (x *StoryIndex) Watermark(context.Context) (int64, error) {
	v, err := x.idx.GetInternal(keyWatermark)
	if err != nil {
		return 0, fmt.Errorf("search: stories watermark: %w", err)
	}
	if len(v) != 8 {
		return 0, nil
	}
	return int64(binary.BigEndian.Uint64(v)), nil
}

// fold maps each rune to its standard simplified form. It maps rune for
// rune, so rune offsets in the folded text are offsets in the original.
func (x *StoryIndex) fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(x.tab.Fold(r))
	}
	return b.String()
}

func storyPayload(st store.Story) string {
	p, _ := json.Marshal(struct {
		T, B    string
		Y       int
		P, U    []string
		Visible bool
	}{st.Title, st.Body, st.Date.Year, st.PlaceIDs, st.UnitIDs, st.Published})
	return string(p)
}

func (x *StoryIndex) document(st store.Story) map[string]any {
	doc := map[string]any{
		sfTitle:   x.fold(st.Title),
		sfBody:    x.fold(st.Body),
		sfPlace:   st.PlaceIDs,
		sfUnit:    st.UnitIDs,
		sfPayload: storyPayload(st),
	}
	if st.Date.Year != 0 {
		doc[sfYear] = strconv.Itoa(st.Date.Year)
	}
	return doc
}

// SyncStories brings the story index up to date with the store's change
// log, like Sync does for martyrs: each page of changes and the new
// watermark go into one bleve batch, so a crash leaves the page applied
// with its watermark or neither. Unpublished and deleted stories are
// removed from the index. It returns how many story documents it indexed
// or deleted.
func SyncStories(ctx context.Context, s store.Store, x *StoryIndex, batch int) (int, error) {
	return follow(ctx, s, x, batch, "search: sync stories")
}

func storyIDs(changes []store.Change) []string {
	seen := map[string]bool{}
	var ids []string
	for _, c := range changes {
		if c.Kind == store.KindStory && !seen[c.ID] {
			seen[c.ID] = true
			ids = append(ids, c.ID)
		}
	}
	return ids
}

func getStories(ctx context.Context, s store.Store, ids []string) (map[string]store.Story, error) {
	out := make(map[string]store.Story, len(ids))
	for start := 0; start < len(ids); start += getChunk {
		got, err := s.GetStories(ctx, ids[start:min(start+getChunk, len(ids))])
		if err != nil {
			return nil, fmt.Errorf("get stories: %w", err)
		}
		for id, st := range got {
			out[id] = st
		}
	}
	return out, nil
}

func (x *StoryIndex) applyChanges(ctx context.Context, s store.Store, changes []store.Change) (int, error) {
	ids := storyIDs(changes)
	found, err := getStories(ctx, s, ids)
	if err != nil {
		return 0, fmt.Errorf("search: sync stories: %w", err)
	}
	b := x.idx.NewBatch()
	for _, id := range ids {
		st, ok := found[id]
		if !ok || !st.Published {
			b.Delete(id)
			continue
		}
		if err := b.Index(id, x.document(st)); err != nil {
			return 0, fmt.Errorf("search: sync stories: story %q: %w", id, err)
		}
	}
	last := changes[len(changes)-1].Seq
	b.SetInternal(keyWatermark, watermarkBytes(last))
	if err := x.idx.Batch(b); err != nil {
		return 0, fmt.Errorf("search: sync stories: batch up to seq %d: %w", last, err)
	}
	return len(ids), nil
}

// VerifyStories compares the store's published stories with the index.
// The contract has no listing of stories, so the store side is every
// story the change log names, read back with GetStories.
func VerifyStories(ctx context.Context, s store.Store, x *StoryIndex) (Report, error) {
	var r Report
	indexed := map[string][32]byte{}
	var after []string
	const page = 10000
	for {
		req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), page, 0, false)
		req.SortBy([]string{"_id"})
		req.Fields = []string{sfPayload}
		req.SearchAfter = after
		res, err := x.idx.SearchInContext(ctx, req)
		if err != nil {
			return r, fmt.Errorf("search: verify stories: %w", err)
		}
		for _, h := range res.Hits {
			p, _ := h.Fields[sfPayload].(string)
			indexed[h.ID] = sha256.Sum256([]byte(p))
		}
		if len(res.Hits) < page {
			break
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
	r.IndexCount = len(indexed)
	var all []string
	seen := map[string]bool{}
	var seq int64
	for {
		cs, err := s.Changes(ctx, seq, page)
		if err != nil {
			return r, fmt.Errorf("search: verify stories: %w", err)
		}
		for _, id := range storyIDs(cs) {
			if !seen[id] {
				seen[id] = true
				all = append(all, id)
			}
		}
		if len(cs) > 0 {
			seq = cs[len(cs)-1].Seq
		}
		if len(cs) < page {
			break
		}
	}
	found, err := getStories(ctx, s, all)
	if err != nil {
		return r, fmt.Errorf("search: verify stories: %w", err)
	}
	inStore := map[string]bool{}
	for _, id := range all {
		st, ok := found[id]
		if !ok || !st.Published {
			continue
		}
		inStore[id] = true
		r.StoreCount++
		h, ok := indexed[id]
		if !ok {
			r.Missing = append(r.Missing, id)
		} else if h != sha256.Sum256([]byte(storyPayload(st))) {
			r.Stale = append(r.Stale, id)
		}
	}
	for id := range indexed {
		if !inStore[id] {
			r.Extra = append(r.Extra, id)
		}
	}
	slices.Sort(r.Missing)
	slices.Sort(r.Stale)
	slices.Sort(r.Extra)
	return r, nil
}

// StoryQuery is a full-text search over published stories.
type StoryQuery struct {
	Text  string
	First int
	After string // opaque cursor from a previous StoryResult
	// Facet filters: a story matches when it has the value (any of
	// several places or units).
	Place string
	Year  int
	Unit  string
}

// Span is a highlighted stretch of a fragment, in rune offsets, End
// exclusive.
type Span struct{ Start, End int }

// Fragment is a piece of a story's title or body around matched terms.
// Text is plain text as stored; Marked is the same text HTML-escaped with
// the highlights in <mark>, safe to put into a page.
type Fragment struct {
	Field      string
	Text       string
	Highlights []Span
	Marked     string
}

// StoryHit is one story found.
type StoryHit struct {
	Story     store.Story
	Score     float64
	Fragments []Fragment
}

// FacetValue is one value of a facet and how many matching stories have it.
type FacetValue struct {
	Value string
	Count int
}

// StoryResult is a page of a story search.
type StoryResult struct {
	Total     int
	Hits      []StoryHit
	Places    []FacetValue
	Years     []FacetValue
	Units     []FacetValue
	EndCursor string
	HasNext   bool
}

func encodeStoryCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("s:" + strconv.Itoa(offset)))
}

func decodeStoryCursor(c string) (int, error) {
	if c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), "s:") {
		return 0, fmt.Errorf("游标无效 invalid cursor: %w", store.ErrInvalid)
	}
	n, err := strconv.Atoi(string(b[2:]))
	if err != nil || n < 0 || n > 100000 {
		return 0, fmt.Errorf("游标无效 invalid cursor: %w", store.ErrInvalid)
	}
	return n, nil
}

// cleanStoryQuery drops control characters and folds full-width Latin, so
// pasted text searches sensibly; an empty result is a validation error.
func cleanStoryQuery(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("查询不是有效的 UTF-8 query is not valid UTF-8: %w", store.ErrInvalid)
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000 || r < 0x20 || r == 0x7F:
			r = ' '
		}
		if n++; n > maxStoryQuery {
			return "", fmt.Errorf("查询过长（最多 %d 字）query too long: %w", maxStoryQuery, store.ErrInvalid)
		}
		b.WriteRune(r)
	}
	out := strings.TrimSpace(b.String())
	if out == "" {
		return "", fmt.Errorf("查询为空 empty query: %w", store.ErrInvalid)
	}
	return out, nil
}

// Search finds published stories matching q.Text in title (weighted
// higher) or body, narrowed by the facet filters, and loads each hit from
// the store to cut highlighted fragments from its current text.
func (x *StoryIndex) Search(ctx context.Context, s store.Store, q StoryQuery) (StoryResult, error) {
	var res StoryResult
	text, err := cleanStoryQuery(q.Text)
	if err != nil {
		return res, fmt.Errorf("search: stories: %w", err)
	}
	first := q.First
	if first <= 0 {
		first = DefaultStoryLimit
	}
	if first > MaxStoryLimit {
		return res, fmt.Errorf("search: stories: first %d > %d: %w", first, MaxStoryLimit, store.ErrInvalid)
	}
	offset, err := decodeStoryCursor(q.After)
	if err != nil {
		return res, fmt.Errorf("search: stories: %w", err)
	}
	folded := x.fold(text)
	title := query.NewMatchQuery(folded)
	title.SetField(sfTitle)
	title.SetBoost(2)
	body := query.NewMatchQuery(folded)
	body.SetField(sfBody)
	// All bigrams of the query should be there (a phrase-like match that
	// tolerates reordering); a story missing some still ranks, lower.
	body.SetOperator(query.MatchQueryOperatorOr)
	musts := []query.Query{query.NewDisjunctionQuery([]query.Query{title, body})}
	for _, f := range []struct{ field, value string }{
		{sfPlace, q.Place}, {sfUnit, q.Unit}, {sfYear, yearString(q.Year)},
	} {
		if f.value == "" {
			continue
		}
		t := query.NewTermQuery(f.value)
		t.SetField(f.field)
		musts = append(musts, t)
	}
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery(musts), first+1, offset, false)
	req.IncludeLocations = true
	req.AddFacet(sfPlace, bleve.NewFacetRequest(sfPlace, maxFacetValues))
	req.AddFacet(sfYear, bleve.NewFacetRequest(sfYear, maxFacetValues))
	req.AddFacet(sfUnit, bleve.NewFacetRequest(sfUnit, maxFacetValues))
	sr, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return res, fmt.Errorf("search: stories: %w", err)
	}
	res.Total = int(sr.Total)
	res.Places = facetValues(sr.Facets[sfPlace])
	res.Years = facetValues(sr.Facets[sfYear])
	res.Units = facetValues(sr.Facets[sfUnit])
	hits := sr.Hits
	if len(hits) > first {
		hits = hits[:first]
		res.HasNext = true
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	found, err := getStories(ctx, s, ids)
	if err != nil {
		return res, fmt.Errorf("search: stories: %w", err)
	}
	for _, h := range hits {
		st, ok := found[h.ID]
		if !ok || !st.Published {
			continue // changed since indexed; the next Sync removes it
		}
		hit := StoryHit{Story: st, Score: h.Score}
		for _, f := range []struct{ name, text string }{{sfTitle, st.Title}, {sfBody, st.Body}} {
			hit.Fragments = append(hit.Fragments, x.fragments(f.name, f.text, h.Locations[f.name])...)
		}
		res.Hits = append(res.Hits, hit)
	}
	if len(hits) > 0 {
		res.EndCursor = encodeStoryCursor(offset + len(hits))
	}
	return res, nil
}

func yearString(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

func facetValues(fr *blevesearch.FacetResult) []FacetValue {
	if fr == nil || fr.Terms == nil {
		return nil
	}
	var out []FacetValue
	for _, t := range fr.Terms.Terms() {
		out = append(out, FacetValue{Value: t.Term, Count: t.Count})
	}
	return out
}

// fragments turns bleve's term locations (byte offsets into the folded
// text, which maps rune for rune onto the original) into highlight spans
// over the original text, merges overlapping bigrams, and cuts up to
// maxFragments windows around them.
func (x *StoryIndex) fragments(field, text string, locs blevesearch.TermLocationMap) []Fragment {
	if len(locs) == 0 {
		return nil
	}
	folded := x.fold(text)
	// byte offset in folded → rune index
	runeAt := make(map[int]int, len(folded)/2)
	i := 0
	for b := range folded {
		runeAt[b] = i
		i++
	}
	runeAt[len(folded)] = i
	orig := []rune(text)
	var spans []Span
	for _, ls := range locs {
		for _, l := range ls {
			s, ok1 := runeAt[int(l.Start)]
			e, ok2 := runeAt[int(l.End)]
			if ok1 && ok2 && s < e && e <= len(orig) {
				spans = append(spans, Span{s, e})
			}
		}
	}
	if len(spans) == 0 {
		return nil
	}
	sort.Slice(spans, func(a, b int) bool { return spans[a].Start < spans[b].Start })
	merged := spans[:1]
	for _, sp := range spans[1:] {
		last := &merged[len(merged)-1]
		if sp.Start <= last.End {
			last.End = max(last.End, sp.End)
		} else {
			merged = append(merged, sp)
		}
	}
	var out []Fragment
	for k := 0; k < len(merged) && len(out) < maxFragments; {
		lo := max(0, merged[k].Start-fragmentRunes/4)
		hi := min(len(orig), lo+fragmentRunes)
		if field == sfTitle {
			lo, hi = 0, len(orig)
		}
		f := Fragment{Field: field, Text: string(orig[lo:hi])}
		var m strings.Builder
		pos := lo
		for ; k < len(merged) && merged[k].Start < hi; k++ {
			sp := Span{merged[k].Start, min(merged[k].End, hi)}
			m.WriteString(html.EscapeString(string(orig[pos:sp.Start])))
			m.WriteString("<mark>")
			m.WriteString(html.EscapeString(string(orig[sp.Start:sp.End])))
			m.WriteString("</mark>")
			pos = sp.End
			f.Highlights = append(f.Highlights, Span{sp.Start - lo, sp.End - lo})
		}
		m.WriteString(html.EscapeString(string(orig[pos:hi])))
		f.Marked = m.String()
		if lo > 0 {
			f.Text, f.Marked = "…"+f.Text, "…"+f.Marked
			for j := range f.Highlights {
				f.Highlights[j].Start++
				f.Highlights[j].End++
			}
		}
		if hi < len(orig) {
			f.Text, f.Marked = f.Text+"…", f.Marked+"…"
		}
		out = append(out, f)
	}
	return out
}

// ListStories returns up to first published story ids after the id after
// (exclusive), in id order, whether more follow, and how many stories are
// indexed in all. The store has no listing of stories; the index knows
// which are published.
func (x *StoryIndex) ListStories(ctx context.Context, first int, after string) (ids []string, hasNext bool, total int, err error) {
	if first <= 0 || first > MaxStoryLimit {
		return nil, false, 0, fmt.Errorf("search: list stories: first %d not in 1..%d: %w", first, MaxStoryLimit, store.ErrInvalid)
	}
	req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), first+1, 0, false)
	req.SortBy([]string{"_id"})
	if after != "" {
		req.SearchAfter = []string{after}
	}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, false, 0, fmt.Errorf("search: list stories: %w", err)
	}
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	if len(ids) > first {
		ids, hasNext = ids[:first], true
	}
	n, err := x.idx.DocCount()
	if err != nil {
		return nil, false, 0, fmt.Errorf("search: list stories: %w", err)
	}
	return ids, hasNext, int(n), nil
}
