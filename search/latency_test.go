package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/guigen/guigen/store"
)

// TestLatency measures indexing rate and search latency at scale. It is
// slow, so it runs only when GUIGEN_SEARCH_LATENCY is set to the number
// of records (e.g. 100000):
//
//	GUIGEN_SEARCH_LATENCY=100000 go test -run TestLatency -v ./search/
func TestLatency(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("GUIGEN_SEARCH_LATENCY"))
	if n <= 0 {
		t.Skip("set GUIGEN_SEARCH_LATENCY=<records> to measure")
	}
	ctx := context.Background()
	c := newCorpus(1951)
	x, err := Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	records := make([]store.Martyr, 0, n)
	for range n {
		records = append(records, c.martyr())
	}
	start := time.Now()
	if err := x.Index(ctx, records); err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	t.Logf("indexed %d records in %v: %.0f records/s", n, el.Round(time.Millisecond), float64(n)/el.Seconds())

	// 1,000 queries drawn from the error kinds, half with the county.
	var queries []Query
	for len(queries) < 1000 {
		k := errorKinds[c.rng.IntN(len(errorKinds))]
		ec, ok := c.makeCase(k.kind)
		if !ok {
			continue
		}
		q := ec.query
		if c.rng.IntN(2) == 0 {
			q.Hometown = county(records[c.rng.IntN(n)].HometownText)
		}
		queries = append(queries, q)
	}
	for _, q := range queries[:20] { // warm up
		if _, err := x.Search(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var times []time.Duration
	total := time.Now()
	for _, q := range queries {
		t0 := time.Now()
		if _, err := x.Search(ctx, q); err != nil {
			t.Fatal(err)
		}
		times = append(times, time.Since(t0))
	}
	slices.Sort(times)
	pct := func(p float64) time.Duration { return times[int(p*float64(len(times)-1))].Round(10 * time.Microsecond) }
	t.Logf("%d queries over %d records: p50 %v, p95 %v, p99 %v, max %v; %.0f queries/s sequential",
		len(times), n, pct(0.5), pct(0.95), pct(0.99), times[len(times)-1].Round(time.Millisecond), float64(len(times))/time.Since(total).Seconds())
	_ = fmt.Sprint()
}
