package search

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/guigen/guigen/store"
)

// DefaultSyncBatch is how many change-log entries one Sync step reads
// and applies in one bleve batch.
const DefaultSyncBatch = 2000

// getChunk bounds the ids of one GetMartyrs call, well under SQLite's
// limit on bound parameters.
const getChunk = 5000

// Sync brings the index up to date with the store's change log: it reads
// the changes after the index's watermark in pages of batch entries,
// re-indexes the martyrs they name that exist and deletes those that do
// not, until no change remains. It returns how many martyr documents it
// indexed or deleted.
//
// Each page's documents and the new watermark go into one bleve batch,
// which scorch introduces and persists as one snapshot: after a crash the
// index holds either the page and its watermark or neither. Were they
// ever split, documents come first, and re-indexing is idempotent, so a
// crash in between would only redo work.
//
// Callers run one Sync at a time per index; two concurrent ones would
// both apply the same pages (harmless, but wasted).
func Sync(ctx context.Context, s store.Store, ix *Index, batch int) (applied int, err error) {
	return follow(ctx, s, ix, batch, "search: sync")
}

// changeFollower is an index that follows the store's change log: the
// name index and the story index.
type changeFollower interface {
	Watermark(ctx context.Context) (int64, error)
	// applyChanges writes one page of changes with its watermark, in one
	// batch, and says how many documents it indexed or deleted.
	applyChanges(ctx context.Context, s store.Store, changes []store.Change) (int, error)
}

// follow applies the change log after f's watermark, a page at a time.
func follow(ctx context.Context, s store.Store, f changeFollower, batch int, op string) (applied int, err error) {
	if batch <= 0 {
		batch = DefaultSyncBatch
	}
	after, err := f.Watermark(ctx)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	for {
		if err := ctx.Err(); err != nil {
			return applied, err
		}
		changes, err := s.Changes(ctx, after, batch)
		if err != nil {
			return applied, fmt.Errorf("%s: changes after %d: %w", op, after, err)
		}
		if len(changes) == 0 {
			return applied, nil
		}
		n, err := f.applyChanges(ctx, s, changes)
		applied += n
		if err != nil {
			return applied, err
		}
		after = changes[len(changes)-1].Seq
		if len(changes) < batch {
			return applied, nil
		}
	}
}

// applyChanges writes one page of changes and its watermark in one batch.
func (x *Index) applyChanges(ctx context.Context, s store.Store, changes []store.Change) (int, error) {
	seen := map[string]bool{}
	var ids []string
	for _, c := range changes {
		if c.Kind == store.KindMartyr && !seen[c.ID] {
			seen[c.ID] = true
			ids = append(ids, c.ID)
		}
	}
	found, err := getMartyrs(ctx, s, ids)
	if err != nil {
		return 0, fmt.Errorf("search: sync: %w", err)
	}
	b := x.idx.NewBatch()
	for _, id := range ids {
		m, ok := found[id]
		if !ok {
			b.Delete(id)
			continue
		}
		doc, err := document(m)
		if err != nil {
			return 0, fmt.Errorf("search: sync: martyr %q: %w", id, err)
		}
		if err := b.Index(id, doc); err != nil {
			return 0, fmt.Errorf("search: sync: martyr %q: %w", id, err)
		}
	}
	last := changes[len(changes)-1].Seq
	b.SetInternal(keyWatermark, watermarkBytes(last))
	if err := x.idx.Batch(b); err != nil {
		return 0, fmt.Errorf("search: sync: batch up to seq %d: %w", last, err)
	}
	return len(ids), nil
}

func getMartyrs(ctx context.Context, s store.Store, ids []string) (map[string]store.Martyr, error) {
	out := make(map[string]store.Martyr, len(ids))
	for start := 0; start < len(ids); start += getChunk {
		ms, err := s.GetMartyrs(ctx, ids[start:min(start+getChunk, len(ids))])
		if err != nil {
			return nil, fmt.Errorf("get martyrs: %w", err)
		}
		for id, m := range ms {
			out[id] = m
		}
	}
	return out, nil
}

// latestSeq is the newest change-log Seq (0 for an empty log). The
// contract has no direct query for it, so it pages to the end.
func latestSeq(ctx context.Context, s store.Store, from int64) (int64, error) {
	const page = 10000
	seq := from
	for {
		cs, err := s.Changes(ctx, seq, page)
		if err != nil {
			return 0, fmt.Errorf("changes after %d: %w", seq, err)
		}
		if len(cs) > 0 {
			seq = cs[len(cs)-1].Seq
		}
		if len(cs) < page {
			return seq, nil
		}
	}
}

// RebuildStats is what a Rebuild did.
type RebuildStats struct {
	Martyrs   int   // documents indexed
	Watermark int64 // change-log Seq the new index is current up to
}

// Rebuild builds a fresh index for dir from a full scan of the store and
// puts it in dir's place, removing the old one. The index at dir must not
// be open. The watermark is the newest change read before the scan, so
// changes made during the scan are applied again by the next Sync
// (idempotent) rather than lost.
//
// The new index is built in a temporary directory beside dir and swapped
// in by two renames (old aside, new in); a crash between them leaves no
// index at dir, and opening dir then creates an empty one that Sync
// fills from the whole change log.
func Rebuild(ctx context.Context, s store.Store, dir string, opts ...Option) (RebuildStats, error) {
	var st RebuildStats
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return st, fmt.Errorf("search: rebuild: %w", err)
	}
	seq, err := latestSeq(ctx, s, 0)
	if err != nil {
		return st, fmt.Errorf("search: rebuild: %w", err)
	}
	// A rebuild killed before it finished leaves its temporary directory
	// (and, between the two renames below, the old index) behind: both
	// are dead weight, as large as the index, so the next rebuild clears
	// them. Two rebuilds of one index at once are not supported.
	if stale, _ := filepath.Glob(filepath.Join(parent, filepath.Base(dir)+".rebuild-*")); len(stale) > 0 {
		for _, d := range stale {
			_ = os.RemoveAll(d)
		}
	}
	tmp, err := os.MkdirTemp(parent, filepath.Base(dir)+".rebuild-*")
	if err != nil {
		return st, fmt.Errorf("search: rebuild: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = os.RemoveAll(tmp)
		}
	}()
	ix, err := Open(tmp, opts...)
	if err != nil {
		return st, fmt.Errorf("search: rebuild: %w", err)
	}
	defer ix.Close()
	// A full scan gives each id once, so batches may be written
	// concurrently: the store is read and the next batch prepared while
	// bleve writes earlier ones. Nothing is visible at dir until every
	// batch and the watermark are written and the index closed.
	err = ix.bulk(ctx, bulkBatch, rebuildWriters, func(add func(store.Martyr) error) error {
		req := store.PageReq{First: store.MaxPageSize}
		for {
			page, err := s.ListMartyrs(ctx, store.MartyrFilter{}, req)
			if err != nil {
				return fmt.Errorf("list martyrs: %w", err)
			}
			for _, m := range page.Items {
				if err := add(m); err != nil {
					return err
				}
			}
			st.Martyrs += len(page.Items)
			if !page.HasNext || len(page.Items) == 0 {
				return nil
			}
			req.After = page.EndCursor
		}
	})
	if err != nil {
		return st, fmt.Errorf("search: rebuild: %w", err)
	}
	if err := ix.SetWatermark(ctx, seq); err != nil {
		return st, fmt.Errorf("search: rebuild: %w", err)
	}
	st.Watermark = seq
	if err := ix.Close(); err != nil {
		return st, fmt.Errorf("search: rebuild: %w", err)
	}

	var old string
	if _, err := os.Stat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return st, fmt.Errorf("search: rebuild: move old index aside: %w", err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			_ = os.Rename(old, dir)
		}
		return st, fmt.Errorf("search: rebuild: move new index in: %w", err)
	}
	ok = true
	// The renames are durable only once the directory holding them is.
	if d, err := os.Open(parent); err == nil {
		_ = d.Sync()
		d.Close()
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return st, fmt.Errorf("search: rebuild: remove old index %s: %w", old, err)
		}
	}
	return st, nil
}

// Report is how the index differs from the store.
type Report struct {
	StoreCount, IndexCount int
	Missing                []string // in the store, not in the index
	Extra                  []string // in the index, not in the store
	Stale                  []string // in both, indexed fields differ
}

// Clean reports whether store and index agree.
func (r Report) Clean() bool { return len(r.Missing)+len(r.Extra)+len(r.Stale) == 0 }

// Verify compares the store's martyrs with the index's documents: by id,
// and by a hash of the stored payload (name, aliases, hometown, birth
// years, unit — everything the indexed fields derive from). It reads the
// whole index into memory as id → hash (tens of bytes a record). Writes
// during Verify show up as differences.
func Verify(ctx context.Context, s store.Store, ix *Index) (Report, error) {
	var r Report
	indexed, err := ix.payloadHashes(ctx)
	if err != nil {
		return r, fmt.Errorf("search: verify: %w", err)
	}
	r.IndexCount = len(indexed)
	inStore := make(map[string]bool, len(indexed))
	req := store.PageReq{First: store.MaxPageSize}
	for {
		page, err := s.ListMartyrs(ctx, store.MartyrFilter{}, req)
		if err != nil {
			return r, fmt.Errorf("search: verify: list martyrs: %w", err)
		}
		for _, m := range page.Items {
			inStore[m.ID] = true
			r.StoreCount++
			h, ok := indexed[m.ID]
			if !ok {
				r.Missing = append(r.Missing, m.ID)
				continue
			}
			doc, err := document(m)
			if err != nil {
				return r, fmt.Errorf("search: verify: martyr %q: %w", m.ID, err)
			}
			if h != sha256.Sum256([]byte(doc[fPayload].(string))) {
				r.Stale = append(r.Stale, m.ID)
			}
		}
		if !page.HasNext || len(page.Items) == 0 {
			break
		}
		req.After = page.EndCursor
	}
	for id := range indexed {
		if !inStore[id] {
			r.Extra = append(r.Extra, id)
		}
	}
	slices.Sort(r.Extra)
	return r, nil
}

// payloadHashes reads every document's id and payload hash, in id order
// with search-after paging.
func (x *Index) payloadHashes(ctx context.Context) (map[string][32]byte, error) {
	const page = 10000
	out := map[string][32]byte{}
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), page, 0, false)
		req.SortBy([]string{"_id"})
		req.Fields = []string{fPayload}
		req.SearchAfter = after
		res, err := x.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("read index: %w", err)
		}
		for _, h := range res.Hits {
			p, _ := h.Fields[fPayload].(string)
			out[h.ID] = sha256.Sum256([]byte(p))
		}
		if len(res.Hits) < page {
			return out, nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

func watermarkBytes(seq int64) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(seq))
}
