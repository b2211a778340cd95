// Command storebench measures the storage backends at a size a national
// register reaches: a batch upsert of N martyrs with a relative each
// (rows/s), then the latency of the neighbourhood queries volunteers use
// and of a county-wide filtered list. It prints a Markdown table row per
// backend for bench/README.md.
//
//	go run ./bench/storebench -n 100000 -backend sqlite
//	NEO4J_URI=bolt://127.0.0.1:7687 go run ./bench/storebench -n 100000 -backend neo4j
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/neo4j"
	"github.com/guigen/guigen/store/sqlite"
)

func main() {
	n := flag.Int("n", 100000, "martyrs to write (each with one relative)")
	batch := flag.Int("batch", 5000, "martyrs per Apply")
	backend := flag.String("backend", "sqlite", "sqlite or neo4j")
	queries := flag.Int("queries", 300, "queries per neighbourhood kind")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if err := run(context.Background(), *backend, *n, *batch, *queries, *seed); err != nil {
		slog.Error("storebench failed", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, backend string, n, batchSize, queries int, seed uint64) error {
	s, cleanup, err := open(ctx, backend)
	if err != nil {
		return err
	}
	defer cleanup()

	g := newGen(seed)
	gaz := g.gazetteer()
	if err := s.Apply(ctx, gaz); err != nil {
		return fmt.Errorf("gazetteer: %w", err)
	}

	start := time.Now()
	for i := 0; i < n; i += batchSize {
		b := g.martyrs(i, min(batchSize, n-i))
		if err := s.Apply(ctx, b); err != nil {
			return fmt.Errorf("batch at %d: %w", i, err)
		}
	}
	elapsed := time.Since(start)
	rows := float64(n) / elapsed.Seconds()

	// A second run of the same first batch: the idempotent path.
	t0 := time.Now()
	if err := s.Apply(ctx, g.martyrs(0, min(batchSize, n))); err != nil {
		return fmt.Errorf("re-apply: %w", err)
	}
	reapply := time.Since(t0)

	rng := rand.New(rand.NewPCG(seed, 99))
	lat := map[string][]time.Duration{}
	kinds := []store.Neighbourhood{store.SameHometown, store.SameCounty, store.SameUnit, store.SameCemetery}
	for q := 0; q < queries; q++ {
		id := martyrID(rng.IntN(n))
		for _, k := range kinds {
			t := time.Now()
			if _, err := s.Neighbours(ctx, id, k, store.PageReq{First: 20}); err != nil {
				return fmt.Errorf("neighbours %s of %s: %w", k, id, err)
			}
			lat[string(k)] = append(lat[string(k)], time.Since(t))
		}
		t := time.Now()
		county := g.counties[rng.IntN(len(g.counties))]
		if _, err := s.ListMartyrs(ctx, store.MartyrFilter{PlaceID: county}, store.PageReq{First: 20}); err != nil {
			return fmt.Errorf("list by county: %w", err)
		}
		lat["list-by-county"] = append(lat["list-by-county"], time.Since(t))
		t = time.Now()
		if _, err := s.Relatives(ctx, []string{id}); err != nil {
			return fmt.Errorf("relatives: %w", err)
		}
		lat["relatives"] = append(lat["relatives"], time.Since(t))
	}

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("| %s | %d | %.0f martyrs/s (%.0f entities/s) | %s |", backend, n, rows, rows*3, reapply.Round(time.Millisecond))
	for _, k := range []string{"hometown", "county", "unit", "cemetery", "list-by-county", "relatives"} {
		fmt.Printf(" %s |", pct(lat[k]))
	}
	fmt.Println()
	return nil
}

// pct renders p50/p95/p99 in milliseconds.
func pct(d []time.Duration) string {
	if len(d) == 0 {
		return "-"
	}
	slices.Sort(d)
	at := func(p float64) float64 {
		return float64(d[min(len(d)-1, int(p*float64(len(d))))].Microseconds()) / 1000
	}
	return fmt.Sprintf("%.1f / %.1f / %.1f", at(0.50), at(0.95), at(0.99))
}

func open(ctx context.Context, backend string) (store.Store, func(), error) {
	switch backend {
	case "sqlite":
		dir, err := os.MkdirTemp("", "storebench-")
		if err != nil {
			return nil, nil, err
		}
		s, err := sqlite.Open(ctx, filepath.Join(dir, "guigen.db"))
		if err != nil {
			return nil, nil, err
		}
		return s, func() { _ = s.Close(ctx); _ = os.RemoveAll(dir) }, nil
	case "neo4j":
		uri := os.Getenv("NEO4J_URI")
		if uri == "" {
			return nil, nil, fmt.Errorf("NEO4J_URI is not set")
		}
		s, err := neo4j.Open(ctx, neo4j.Config{URI: uri, User: os.Getenv("NEO4J_USER"),
			Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")})
		if err != nil {
			return nil, nil, err
		}
		if err := neo4j.Wipe(ctx, s); err != nil {
			return nil, nil, err
		}
		return s, func() { _ = neo4j.Wipe(ctx, s); _ = s.Close(ctx) }, nil
	}
	return nil, nil, fmt.Errorf("unknown backend %q", backend)
}
