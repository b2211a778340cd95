package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/guigen/guigen/store"
)

func feedAll(ms []store.Martyr) func(add func(store.Martyr) error) error {
	return func(add func(store.Martyr) error) error {
		for _, m := range ms {
			if err := add(m); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestBulk(t *testing.T) {
	ctx := context.Background()
	c := newCorpus(3)
	var ms []store.Martyr
	for range 2500 {
		ms = append(ms, c.martyr())
	}
	tests := []struct {
		name          string
		size, writers int
	}{
		{"one writer", 300, 1},
		{"two writers", 300, 2},
		{"one batch", 5000, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, err := Open(filepath.Join(t.TempDir(), "idx"))
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			if err := x.bulk(ctx, tt.size, tt.writers, feedAll(ms)); err != nil {
				t.Fatal(err)
			}
			if n, _ := x.Count(); n != uint64(len(ms)) {
				t.Errorf("%d documents, want %d", n, len(ms))
			}
			hits, err := x.Search(ctx, Query{Name: ms[1234].Name, Hometown: ms[1234].HometownText})
			if err != nil || len(hits) == 0 {
				t.Fatalf("search: %v %v", hits, err)
			}
		})
	}
	t.Run("errors", func(t *testing.T) {
		x, err := Open(filepath.Join(t.TempDir(), "idx"))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		bad := append(append([]store.Martyr{}, ms[:700]...), store.Martyr{Name: "无编号"})
		if err := x.bulk(ctx, 300, 2, feedAll(bad)); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("martyr without id: %v, want ErrInvalid", err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := x.Index(cctx, ms); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled: %v", err)
		}
		x.Close()
		// A write failing (the index closed) is reported, not swallowed.
		if err := x.bulk(ctx, 300, 2, feedAll(ms)); err == nil {
			t.Error("bulk into a closed index: no error")
		}
	})
}

// TestBulkRate compares batch sizes and writer counts; it measures, it
// asserts nothing, and runs only with GUIGEN_BULK_RATE=<records>.
func TestBulkRate(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("GUIGEN_BULK_RATE"))
	if n <= 0 {
		t.Skip("set GUIGEN_BULK_RATE=<records> to measure")
	}
	ctx := context.Background()
	c := newCorpus(5)
	ms := make([]store.Martyr, n)
	for i := range ms {
		ms[i] = c.martyr()
	}
	// writers 0: the loop Index ran before bulk, for comparison.
	for _, v := range []struct{ size, writers int }{{2000, 0}, {2000, 1}, {5000, 2}, {2000, 2}} {
		x, err := Open(filepath.Join(t.TempDir(), "idx"))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if v.writers == 0 {
			for i := 0; i < len(ms); i += v.size {
				b := x.idx.NewBatch()
				for _, m := range ms[i:min(i+v.size, len(ms))] {
					doc, _ := document(m)
					if err := b.Index(m.ID, doc); err != nil {
						t.Fatal(err)
					}
				}
				if err := x.idx.Batch(b); err != nil {
					t.Fatal(err)
				}
			}
		} else if err := x.bulk(ctx, v.size, v.writers, feedAll(ms)); err != nil {
			t.Fatal(err)
		}
		el := time.Since(start)
		x.Close()
		t.Logf("%s", fmt.Sprintf("batch %5d, writers %d: %v, %.0f records/s", v.size, v.writers, el.Round(time.Millisecond), float64(n)/el.Seconds()))
	}
}
