// Package search is Guigen's fuzzy search over martyrs' names: the
// volunteer types a name as the family knows it (characters, traditional
// forms, pinyin, initials) and the records have it wrong in the ways
// archives do — look-alike characters, homophones, variant forms, dialect
// hearing, missing characters, a nickname. Names are indexed in bleve as
// several token streams (bleve_analysis.go), a broad disjunction finds a
// few hundred candidates, and an alignment in Go (compare.go) ranks them
// and says why each one fits.
package search

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/guigen/guigen/search/chardata"
	"github.com/guigen/guigen/store"
)

// mappingVersion changes whenever the fields or analyzers change; an
// index built under another version must be rebuilt.
const mappingVersion = "guigen-names-1"

var (
	keyMapping   = []byte("guigen_mapping")
	keyWatermark = []byte("guigen_watermark")
)

// ErrStale: the index on disk was built by another version of the name
// analysis; rebuild it (guigen reindex).
var ErrStale = errors.New("search index built with another analysis version; rebuild it")

// Limits of a search.
const (
	DefaultLimit = 20
	MaxLimit     = 200
	// DefaultCandidates is how many records the index retrieves for the
	// re-ranking. More costs in bleve (collecting, loading stored fields)
	// and in the alignment, about linearly.
	DefaultCandidates = 300
	// MinNameScore: below it a record shares too little with the name
	// typed to be worth showing: 张德明 vs 张建国 (one character of three)
	// is 0.33, 王明 vs 王德华 (one extra, one unrelated) 0.43.
	MinNameScore = 0.4
	maxTextRunes = 200
	batchSize    = 2000
)

// Index is the search index over martyrs. It is safe for concurrent use.
type Index struct {
	closeOnce  sync.Once
	closeErr   error
	idx        bleve.Index
	tab        *chardata.Table
	a          analyzer
	cmp        Comparer
	home       HometownMatcher
	log        *slog.Logger
	candidates int
}

// Option configures an Index.
type Option func(*Index)

// WithHometownMatcher replaces the text comparison of hometowns, e.g. with
// a place resolver that knows renamed counties.
func WithHometownMatcher(m HometownMatcher) Option { return func(x *Index) { x.home = m } }

// WithCandidates sets how many records are retrieved for re-ranking.
func WithCandidates(n int) Option {
	return func(x *Index) {
		if n > 0 {
			x.candidates = n
		}
	}
}

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(x *Index) { x.log = l } }

// Open opens the index in dir (scorch, on disk), creating it when dir does
// not exist or is empty. An index built with another analysis version
// gives ErrStale.
func Open(dir string, opts ...Option) (*Index, error) {
	tab := chardata.Default()
	x := &Index{tab: tab, a: newAnalyzer(tab), cmp: NewComparer(tab), home: NewTextHometowns(tab),
		log: slog.Default(), candidates: DefaultCandidates}
	for _, o := range opts {
		o(x)
	}
	var err error
	if _, statErr := os.Stat(filepath.Join(dir, "index_meta.json")); errors.Is(statErr, os.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(filepath.Clean(dir)), 0o755); err != nil {
			return nil, fmt.Errorf("search: open %s: %w", dir, err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			return nil, fmt.Errorf("search: open %s: directory is not empty and holds no index", dir)
		}
		_ = os.Remove(dir) // bleve wants to create it
		x.idx, err = bleve.NewUsing(dir, newMapping(), scorch.Name, scorch.Name, nil)
		if err != nil {
			return nil, fmt.Errorf("search: create index %s: %w", dir, err)
		}
		if err := x.idx.SetInternal(keyMapping, []byte(mappingVersion)); err != nil {
			x.idx.Close()
			return nil, fmt.Errorf("search: create index %s: %w", dir, err)
		}
		x.log.Debug("search index created", "dir", dir)
		return x, nil
	}
	x.idx, err = bleve.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("search: open index %s: %w", dir, err)
	}
	v, err := x.idx.GetInternal(keyMapping)
	if err != nil || string(v) != mappingVersion {
		x.idx.Close()
		return nil, fmt.Errorf("search: open index %s (version %q, want %q): %w", dir, v, mappingVersion, ErrStale)
	}
	return x, nil
}

// Close closes the index; closing twice is harmless (bleve panics).
func (x *Index) Close() error {
	x.closeOnce.Do(func() {
		if err := x.idx.Close(); err != nil {
			x.closeErr = fmt.Errorf("search: close: %w", err)
		}
	})
	return x.closeErr
}

// Count is the number of martyrs indexed.
func (x *Index) Count() (uint64, error) {
	n, err := x.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("search: count: %w", err)
	}
	return n, nil
}

// Watermark is the change-log sequence number the index has applied up to
// (0 for a new index); it lives in the index so it survives with it.
func (x *Index) Watermark(context.Context) (int64, error) {
	v, err := x.idx.GetInternal(keyWatermark)
	if err != nil {
		return 0, fmt.Errorf("search: watermark: %w", err)
	}
	if len(v) != 8 {
		return 0, nil
	}
	return int64(binary.BigEndian.Uint64(v)), nil
}

// SetWatermark records the change-log sequence number applied up to.
func (x *Index) SetWatermark(_ context.Context, seq int64) error {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(seq))
	if err := x.idx.SetInternal(keyWatermark, b[:]); err != nil {
		return fmt.Errorf("search: set watermark: %w", err)
	}
	return nil
}

// Field names in the index.
const (
	fName     = "name"
	fAlias    = "alias"
	fHometown = "hometown"
	fUnit     = "unit"
	fBorn     = "born"
	fPayload  = "payload"
)

// nameFields maps a field suffix to its analyzer; names and aliases are
// indexed under each ("name_pinyin", "alias_pinyin").
var nameFields = []struct{ suffix, analyzer string }{
	{"hanzi", AnalyzerHanzi},
	{"fold", AnalyzerFold},
	{"pinyin", AnalyzerPinyin},
	{"dialect", AnalyzerDialect},
	{"initials", AnalyzerInitials},
	{"joined", AnalyzerJoined},
	{"shape", AnalyzerShape},
	{"kw", AnalyzerKeyword},
}

func newMapping() mapping.IndexMapping {
	doc := bleve.NewDocumentStaticMapping()
	textField := func(name, analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Name = name
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	for _, base := range []string{fName, fAlias} {
		var fms []*mapping.FieldMapping
		for _, nf := range nameFields {
			fms = append(fms, textField(base+"_"+nf.suffix, nf.analyzer))
		}
		doc.AddFieldMappingsAt(base, fms...)
	}
	doc.AddFieldMappingsAt(fHometown, textField(fHometown, AnalyzerText))
	doc.AddFieldMappingsAt(fUnit, textField(fUnit, AnalyzerText))
	born := bleve.NewNumericFieldMapping()
	born.Store, born.IncludeInAll, born.DocValues = false, false, false
	doc.AddFieldMappingsAt(fBorn, born)
	payload := bleve.NewTextFieldMapping()
	payload.Index, payload.Store, payload.IncludeInAll, payload.DocValues = false, true, false, false
	doc.AddFieldMappingsAt(fPayload, payload)

	im := bleve.NewIndexMapping()
	im.DefaultMapping = doc
	im.DefaultAnalyzer = AnalyzerText
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	return im
}

// payload is what the re-ranking needs of a record, stored in the index
// so a search needs no round trip to the store.
type payload struct {
	Name       string       `json:"n,omitempty"`
	Aliases    []aliasEntry `json:"a,omitempty"`
	Hometown   string       `json:"h,omitempty"`
	HometownID string       `json:"hi,omitempty"`
	BornLo     int          `json:"y,omitempty"`
	BornHi     int          `json:"yh,omitempty"`
	Unit       string       `json:"u,omitempty"`
}

type aliasEntry struct {
	Name string `json:"n"`
	Kind string `json:"k,omitempty"`
}

func document(m store.Martyr) (map[string]any, error) {
	p := payload{Name: m.Name, Hometown: m.HometownText, HometownID: m.HometownID, Unit: m.UnitText}
	p.BornLo, p.BornHi = m.Born.YearBounds()
	doc := map[string]any{}
	if strings.TrimSpace(m.Name) != "" {
		doc[fName] = m.Name
	}
	var aliases []string
	for _, a := range m.Aliases {
		if strings.TrimSpace(a.Name) == "" {
			continue
		}
		p.Aliases = append(p.Aliases, aliasEntry{Name: a.Name, Kind: a.Kind})
		aliases = append(aliases, aliasForms(m.Name, a.Name)...)
	}
	if len(aliases) > 0 {
		doc[fAlias] = aliases
	}
	if m.HometownText != "" {
		doc[fHometown] = m.HometownText
	}
	if m.UnitText != "" {
		doc[fUnit] = m.UnitText
	}
	if p.BornLo != 0 {
		doc[fBorn] = float64(p.BornLo)
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	doc[fPayload] = string(b)
	return doc, nil
}

// Index adds or replaces martyrs, in batches, in order: a martyr given
// twice ends as the later one.
func (x *Index) Index(ctx context.Context, ms []store.Martyr) error {
	return x.bulk(ctx, batchSize, 1, func(add func(store.Martyr) error) error {
		for i, m := range ms {
			if i%batchSize == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if err := add(m); err != nil {
				return err
			}
		}
		return nil
	})
}

// Delete removes martyrs by id; ids not in the index are ignored.
func (x *Index) Delete(ctx context.Context, ids []string) error {
	for start := 0; start < len(ids); start += batchSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		b := x.idx.NewBatch()
		for _, id := range ids[start:min(start+batchSize, len(ids))] {
			b.Delete(id)
		}
		if err := x.idx.Batch(b); err != nil {
			return fmt.Errorf("search: delete batch: %w", err)
		}
	}
	return nil
}
