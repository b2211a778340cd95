package search

import (
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/guigen/guigen/search/chardata"
)

// unitCache remembers the analysed units of recently seen names. bleve
// analyses a record's name once per name field — eight of them, and as
// many again for aliases — and every one of those analyzers starts by
// parsing and annotating the same name; the cache makes that once per
// name. Entries are immutable once stored. Bounded: when full it is
// emptied, which costs a few misses and no bookkeeping.
type unitCache struct {
	mu  sync.Mutex
	m   map[string][]unit
	max int
}

const unitCacheSize = 8192

func newUnitCache(max int) *unitCache { return &unitCache{m: make(map[string][]unit, max), max: max} }

func (c *unitCache) get(k string) ([]unit, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	us, ok := c.m[k]
	c.mu.Unlock()
	return us, ok
}

func (c *unitCache) put(k string, us []unit) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[k] = us
	c.mu.Unlock()
}

// analysisCache: the units of record names as typed (the tokenizer's
// input) and of token streams (the filters' input), apart.
type analysisCache struct {
	names, streams *unitCache
}

// indexAnalyzer is the analyzer bleve's registered analyzers share (the
// registry is process-wide and builds them without context, so the one
// cache they share is process-wide too).
var indexAnalyzer = sync.OnceValue(func() analyzer {
	a := newAnalyzer(chardata.Default())
	a.cache = &analysisCache{names: newUnitCache(unitCacheSize), streams: newUnitCache(unitCacheSize)}
	return a
})

// recordUnits parses a record's name leniently, through the cache.
func (a analyzer) recordUnits(s string) []unit {
	if a.cache == nil {
		n, _ := a.parse(s, false)
		return n.units()
	}
	if us, ok := a.cache.names.get(s); ok {
		return us
	}
	n, _ := a.parse(s, false)
	us := n.units()
	a.cache.names.put(s, us)
	return us
}

// tokensKey identifies a token stream by what rebuild reads of it.
func tokensKey(ts analysis.TokenStream) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(strconv.Itoa(t.Position))
		b.WriteByte(byte(t.Type) + 'A')
		b.Write(t.Term)
		b.WriteByte(0)
	}
	return b.String()
}
