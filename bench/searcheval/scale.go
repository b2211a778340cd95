package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/sqlite"
	"github.com/guigen/guigen/synth"
)

// runScale writes c.scale generated martyrs into an embedded store,
// rebuilds the search index from it as `guigen reindex` does (timed,
// optionally profiled), and measures search latency on the rebuilt
// index with a mix of queries of every kind, half with a hometown.
func runScale(ctx context.Context, c config, dir string, gen *synth.Generator, gaz *search.Gazetteer, places []store.Place, out io.Writer) error {
	s, err := sqlite.Open(ctx, filepath.Join(dir, "scale.db"))
	if err != nil {
		return err
	}
	defer s.Close(ctx)
	if err := s.Apply(ctx, &store.Batch{Places: places}); err != nil {
		return fmt.Errorf("places: %w", err)
	}
	in := synth.NewInjector(gen)
	resolve := resolver(gaz)
	// The queries: cases of every kind, their records in the register.
	var cases []synth.Case
	var kinds [][]synth.Kind
	for _, k := range synth.Kinds {
		kinds = append(kinds, []synth.Kind{k})
	}
	for _, p := range synth.Pairs {
		kinds = append(kinds, []synth.Kind{p[0], p[1]})
	}
	for len(cases) < c.queries {
		ks := kinds[gen.Rand().IntN(len(kinds))]
		if cs, ok := in.Make(ks...); ok {
			cases = append(cases, cs)
		}
	}
	idxDir := filepath.Join(dir, "index")
	var st search.RebuildStats
	var rebuild time.Duration
	if c.reuse {
		// The index a previous run left in -dir; the cases are drawn first,
		// so the same seed gives the same queries.
		n, err := countIndex(idxDir)
		if err != nil {
			return err
		}
		st.Martyrs = n
	} else if st, rebuild, err = buildScale(ctx, c, s, gen, cases, resolve, idxDir); err != nil {
		return err
	}
	size := dirSize(idxDir)
	return measureScale(ctx, c, idxDir, gaz, cases, st, rebuild, size, out)
}

func countIndex(dir string) (int, error) {
	ix, err := search.Open(dir)
	if err != nil {
		return 0, err
	}
	defer ix.Close()
	n, err := ix.Count()
	return int(n), err
}

// buildScale writes the register into the store and rebuilds the index.
func buildScale(ctx context.Context, c config, s store.Store, gen *synth.Generator, cases []synth.Case, resolve func(string) string, idxDir string) (search.RebuildStats, time.Duration, error) {
	var st search.RebuildStats
	t0 := time.Now()
	const batch = 5000
	seen := map[string]bool{}
	written := 0
	for start := 0; start < c.scale; start += batch {
		if err := ctx.Err(); err != nil {
			return st, 0, err
		}
		b := &store.Batch{}
		for i := start; i < min(start+batch, c.scale); i++ {
			var m store.Martyr
			if i < len(cases) {
				m = cases[i].Record.Martyr
			} else {
				m = gen.Record().Martyr
			}
			if seen[m.ID] {
				continue
			}
			seen[m.ID] = true
			m.HometownID = resolve(m.HometownText)
			b.Martyrs = append(b.Martyrs, m)
		}
		if err := s.Apply(ctx, b); err != nil {
			return st, 0, fmt.Errorf("apply: %w", err)
		}
		written += len(b.Martyrs)
		if start%100000 == 0 {
			logf("store: %d martyrs (%v)", written, time.Since(t0).Round(time.Second))
		}
	}
	logf("store: %d martyrs written in %v", written, time.Since(t0).Round(time.Second))

	stop, err := startProfile(c.cpuProfile)
	if err != nil {
		return st, 0, err
	}
	t0 = time.Now()
	st, err = search.Rebuild(ctx, s, idxDir)
	rebuild := time.Since(t0)
	stop()
	if err != nil {
		return st, 0, err
	}
	logf("rebuild: %d martyrs in %v (%.0f/s), index %.0f MiB", st.Martyrs, rebuild.Round(time.Second), float64(st.Martyrs)/rebuild.Seconds(), float64(dirSize(idxDir))/(1<<20))
	return st, rebuild, nil
}

// startProfile starts a CPU profile into path ("" for none) and returns
// the function that stops it.
func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// measureScale runs the query mix on the index, warm, sequentially.
func measureScale(ctx context.Context, c config, idxDir string, gaz *search.Gazetteer, cases []synth.Case, st search.RebuildStats, rebuild time.Duration, size int64, out io.Writer) error {
	ix, err := search.Open(idxDir, search.WithHometownMatcher(search.NewHometowns(gaz)))
	if err != nil {
		return err
	}
	defer ix.Close()
	var queries []search.Query
	var want []string
	for i, cs := range cases {
		q := cs.Query
		q.Limit = 10
		if i%2 == 0 {
			q.Hometown = cs.Hometown
		}
		queries = append(queries, q)
		want = append(want, cs.Record.Martyr.ID)
	}
	// Warm: the index's segments in the page cache, the character
	// tables parsed.
	for _, q := range queries[:min(100, len(queries))] {
		if _, err := ix.Search(ctx, q); err != nil {
			return err
		}
	}
	var times []time.Duration
	top10 := 0
	stop, err := startProfile(c.queryProfile)
	if err != nil {
		return err
	}
	t0 := time.Now()
	for i, q := range queries {
		q0 := time.Now()
		hits, err := ix.Search(ctx, q)
		times = append(times, time.Since(q0))
		if err != nil {
			return fmt.Errorf("%q: %w", q.Name, err)
		}
		if slices.ContainsFunc(hits, func(h search.Hit) bool { return h.MartyrID == want[i] }) {
			top10++
		}
	}
	total := time.Since(t0)
	stop()
	slices.Sort(times)
	pct := func(p float64) time.Duration {
		return times[int(p*float64(len(times)-1))].Round(100 * time.Microsecond)
	}
	fmt.Fprintf(out, "| martyrs | rebuild (s) | records/s | index on disk | queries | p50 | p95 | p99 | max | recall@10 of the mix |\n|---|---|---|---|---|---|---|---|---|---|\n")
	rb, rate := "– (reused)", "–"
	if rebuild > 0 {
		rb, rate = fmt.Sprintf("%.1f", rebuild.Seconds()), fmt.Sprintf("%.0f", float64(st.Martyrs)/rebuild.Seconds())
	}
	fmt.Fprintf(out, "| %d | %s | %s | %.0f MiB (%.0f B/record) | %d (%s) | %v | %v | %v | %v | %.3f |\n",
		st.Martyrs, rb, rate, float64(size)/(1<<20), float64(size)/float64(st.Martyrs),
		len(queries), "every kind and pair, half with a hometown", pct(0.5), pct(0.95), pct(0.99), times[len(times)-1].Round(time.Millisecond),
		float64(top10)/float64(len(queries)))
	fmt.Fprintf(out, "\nGo %s, %d CPUs, GOMAXPROCS %d; queries sequential, %.0f/s.\n", runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0), float64(len(queries))/total.Seconds())
	return nil
}
