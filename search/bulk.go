package search

import (
	"context"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"github.com/guigen/guigen/store"
)

// Bulk indexing. Most of the cost of indexing a martyr is bleve's: the
// analysis (spread over its analysis workers) and then the building of
// the batch's segment, on the goroutine that called Batch. A bulk
// indexer prepares the next batch (documents and bleve's field mapping)
// while earlier ones are being written, so the two cores are kept busy.
const (
	// bulkBatch is the batch size of a bulk load: larger batches make
	// fewer, larger segments for the merger to combine.
	bulkBatch = 5000
	// rebuildWriters: batches a rebuild writes at once; two keep both
	// cores busy, one building a segment while the other's documents are
	// analysed.
	rebuildWriters = 2
)

// bulk indexes the martyrs feed gives to add, in batches of size.
// writers batches are written concurrently; with more than one, batches
// may land in any order, so a martyr's id must not appear twice (as in
// a full scan of the store). The first error stops the feed.
func (x *Index) bulk(ctx context.Context, size, writers int, feed func(add func(store.Martyr) error) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *bleve.Batch, writers)
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		writeErr error
	)
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				if ctx.Err() != nil {
					continue // drain after a failure
				}
				if err := x.idx.Batch(b); err != nil {
					errOnce.Do(func() { writeErr = fmt.Errorf("search: index batch: %w", err) })
					cancel()
				}
			}
		}()
	}
	b, n := x.idx.NewBatch(), 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		select {
		case batches <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
		b, n = x.idx.NewBatch(), 0
		return nil
	}
	add := func(m store.Martyr) error {
		if m.ID == "" {
			return fmt.Errorf("search: index: martyr without id: %w", store.ErrInvalid)
		}
		doc, err := document(m)
		if err != nil {
			return fmt.Errorf("search: index martyr %q: %w", m.ID, err)
		}
		if err := b.Index(m.ID, doc); err != nil {
			return fmt.Errorf("search: index martyr %q: %w", m.ID, err)
		}
		if n++; n >= size {
			return flush()
		}
		return nil
	}
	err := feed(add)
	if err == nil {
		err = flush()
	}
	close(batches)
	wg.Wait()
	if writeErr != nil {
		return writeErr // the cause; the feed only saw the cancellation
	}
	return err
}
