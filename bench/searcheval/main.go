// Command searcheval measures the fuzzy name search on a generated
// register (package synth): one set of queries per kind of error in
// ../shared/design/DOMAIN.md and per pair of kinds, among a large number
// of distractor records (namesakes in other places included), with and
// without the hometown. It reports recall@1/5/10, MRR and the recall of
// the candidate stage per kind, and the same queries against baselines
// on the same records: exact match, bleve's stock cjk analyzer and, when
// NEO4J_URI is set, Neo4j's full-text index with its cjk analyzer.
//
//	go run ./bench/searcheval -distractors 100000 -per-kind 100
//	go run ./bench/searcheval -scale 1000000     # latency, size, indexing rate
//
// It measures; it asserts nothing. The Markdown goes to stdout, progress
// to stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/synth"
)

type config struct {
	distractors int
	perKind     int
	seed        uint64
	places      string
	dir         string
	scale       int
	skipNeo4j   bool
	queries     int
	cpuProfile  string
	// queryProfile: a CPU profile of the -scale query run.
	queryProfile string
	// reuse: measure queries on the index a previous -scale run left in -dir.
	reuse bool
}

func main() {
	var c config
	fs := flag.NewFlagSet("searcheval", flag.ExitOnError)
	fs.IntVar(&c.distractors, "distractors", 100000, "random records besides the cases")
	fs.IntVar(&c.perKind, "per-kind", 100, "cases per kind and per pair of kinds")
	fs.Uint64Var(&c.seed, "seed", 20260917, "generator seed")
	def := ""
	if _, err := os.Stat(synth.DefaultPlacesFile); err == nil {
		def = synth.DefaultPlacesFile
	}
	fs.StringVar(&c.places, "places", def, "gazetteer file (the Ministry's code table); empty: the demo gazetteer")
	fs.StringVar(&c.dir, "dir", "", "work directory for the indexes (default: a temporary one, removed)")
	fs.IntVar(&c.scale, "scale", 0, "instead of the evaluation: index this many records and measure latency, size and rate")
	fs.IntVar(&c.queries, "queries", 1000, "queries for the -scale latency run")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "with -scale: write a CPU profile of the rebuild to this file")
	fs.StringVar(&c.queryProfile, "queryprofile", "", "with -scale: write a CPU profile of the queries to this file")
	fs.BoolVar(&c.reuse, "reuse", false, "with -scale and -dir: measure the queries on the index a previous run left there")
	fs.BoolVar(&c.skipNeo4j, "no-neo4j", false, "skip the Neo4j baseline even when NEO4J_URI is set")
	_ = fs.Parse(os.Args[1:])
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err := run(ctx, c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "searcheval:", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+format+"\n", args...)
}

func run(ctx context.Context, c config, out io.Writer) error {
	dir := c.dir
	if dir == "" {
		d, err := os.MkdirTemp("", "searcheval-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	places, err := synth.LoadPlaces(c.places)
	if err != nil {
		return err
	}
	gaz := search.NewGazetteer(places)
	gen, err := synth.New(c.seed, places, synth.Options{})
	if err != nil {
		return err
	}
	if c.scale > 0 {
		return runScale(ctx, c, dir, gen, gaz, places, out)
	}
	return runEval(ctx, c, dir, gen, gaz, out)
}

// resolver is what `guigen ingest martyrs` does with a hometown (cmd/guigen
// loadResolver): the place when the gazetteer reads the whole text one
// way, else none.
func resolver(g *search.Gazetteer) func(string) string {
	return func(text string) string {
		rs := g.Resolve(text)
		if len(rs) == 0 || strings.TrimSpace(rs[0].Rest) != "" {
			return ""
		}
		if len(rs) > 1 && rs[1].Score >= rs[0].Score-0.05 {
			return ""
		}
		return rs[0].PlaceID
	}
}

// evalCase is one query to run: a case with or without the hometown.
type evalCase struct {
	label    string
	withHome bool
	q        search.Query
	want     string
}

func runEval(ctx context.Context, c config, dir string, gen *synth.Generator, gaz *search.Gazetteer, out io.Writer) error {
	in := synth.NewInjector(gen)
	var records []store.Martyr
	var cases []synth.Case
	namesakes := 0
	make1 := func(kinds ...synth.Kind) {
		got := 0
		for tries := 0; got < c.perKind && tries < c.perKind*50; tries++ {
			cs, ok := in.Make(kinds...)
			if !ok {
				continue
			}
			got++
			cases = append(cases, cs)
			records = append(records, cs.Record.Martyr)
			// Namesakes in other counties, 0-3 of them: the duplicates
			// only the hometown tells apart.
			for range gen.Rand().IntN(4) {
				records = append(records, in.Namesake(cs).Martyr)
				namesakes++
			}
		}
		if got < c.perKind {
			logf("only %d cases of %v", got, kinds)
		}
	}
	for _, k := range synth.Kinds {
		make1(k)
	}
	for _, p := range synth.Pairs {
		make1(p[0], p[1])
	}
	for range c.distractors {
		records = append(records, gen.Record().Martyr)
	}
	// Ids are registry numbers drawn at random; a collision would make
	// two records one.
	seen := map[string]bool{}
	records = slices.DeleteFunc(records, func(m store.Martyr) bool {
		dup := seen[m.ID]
		seen[m.ID] = true
		return dup
	})
	t0 := time.Now()
	resolve := resolver(gaz)
	resolved := 0
	for i := range records {
		if records[i].HometownID = resolve(records[i].HometownText); records[i].HometownID != "" {
			resolved++
		}
	}
	logf("%d records (%d cases, %d namesakes of them, %d distractors); hometowns resolved %d (%.0f%%) in %v",
		len(records), len(cases), namesakes, c.distractors, resolved, 100*float64(resolved)/float64(len(records)), time.Since(t0).Round(time.Millisecond))

	ix, err := search.Open(filepath.Join(dir, "guigen"), search.WithHometownMatcher(search.NewHometowns(gaz)))
	if err != nil {
		return err
	}
	defer ix.Close()
	t0 = time.Now()
	if err := ix.Index(ctx, records); err != nil {
		return err
	}
	idxTime := time.Since(t0)
	logf("guigen index: %d records in %v (%.0f/s)", len(records), idxTime.Round(time.Millisecond), float64(len(records))/idxTime.Seconds())

	engines := []engine{ours{ix}, newExact(records)}
	t0 = time.Now()
	cj, err := newCJK(filepath.Join(dir, "cjk"), records)
	if err != nil {
		return err
	}
	defer cj.idx.Close()
	logf("bleve cjk index in %v", time.Since(t0).Round(time.Millisecond))
	engines = append(engines, cj)
	neoNote := ""
	if uri := os.Getenv("NEO4J_URI"); uri != "" && !c.skipNeo4j {
		t0 = time.Now()
		ne, err := newNeo4j(ctx, uri, os.Getenv("NEO4J_USER"), os.Getenv("NEO4J_PASSWORD"), os.Getenv("NEO4J_DATABASE"), records, logf)
		if err != nil {
			return err
		}
		defer ne.close(ctx)
		logf("neo4j loaded and indexed in %v", time.Since(t0).Round(time.Millisecond))
		engines = append(engines, ne)
	} else {
		neoNote = "Neo4j baseline skipped: NEO4J_URI is not set (or -no-neo4j)."
		logf("%s", neoNote)
	}

	var runs []evalCase
	for _, cs := range cases {
		for _, home := range []bool{false, true} {
			q := cs.Query
			q.Limit = 10
			if home {
				q.Hometown = cs.Hometown
			}
			runs = append(runs, evalCase{label: cs.Label(), withHome: home, q: q, want: cs.Record.Martyr.ID})
		}
	}
	results := map[string]map[key]*stats{}
	var ourTimes []time.Duration
	t0 = time.Now()
	for i, r := range runs {
		if err := ctx.Err(); err != nil {
			return err
		}
		k := key{r.label, r.withHome}
		for _, e := range engines {
			m := results[e.name()]
			if m == nil {
				m = map[key]*stats{}
				results[e.name()] = m
			}
			s := m[k]
			if s == nil {
				s = &stats{}
				m[k] = s
			}
			q0 := time.Now()
			ids, err := e.search(ctx, r.q, 10)
			el := time.Since(q0)
			if err != nil && !search.IsValidation(err) {
				return fmt.Errorf("%s: %q: %w", e.name(), r.q.Name, err)
			}
			s.add(slices.Index(ids, r.want) + 1)
			if o, ok := e.(ours); ok {
				ourTimes = append(ourTimes, el)
				cands, err := o.ix.Candidates(ctx, r.q)
				if err != nil {
					return err
				}
				if slices.Contains(cands, r.want) {
					s.inCandidates++
				}
			}
		}
		if (i+1)%1000 == 0 {
			logf("%d/%d queries (%v)", i+1, len(runs), time.Since(t0).Round(time.Second))
		}
	}
	slices.Sort(ourTimes)
	pct := func(p float64) time.Duration {
		return ourTimes[int(p*float64(len(ourTimes)-1))].Round(100 * time.Microsecond)
	}

	labels := []string{}
	for _, cs := range cases {
		if !slices.Contains(labels, cs.Label()) {
			labels = append(labels, cs.Label())
		}
	}
	fmt.Fprintf(out, "Generated register: %d records — %d cases (%d per kind, seed %d), %d namesakes of them in other counties, %d distractors; gazetteer %s (%d counties); %d%% of hometowns resolved to a place as `guigen ingest` does. Go %s, %d CPUs.\n\n",
		len(records), len(cases), c.perKind, c.seed, namesakes, c.distractors, placesLabel(c.places), len(gen.Counties()), resolved*100/len(records), runtime.Version(), runtime.NumCPU())
	fmt.Fprintf(out, "Guigen index: %d records in %v (%.0f records/s); queries (`search.Query` end to end, with re-ranking): p50 %v, p95 %v, p99 %v.\n\n",
		len(records), idxTime.Round(time.Second), float64(len(records))/idxTime.Seconds(), pct(0.5), pct(0.95), pct(0.99))
	fmt.Fprintf(out, "#### Guigen search, per kind\n\n")
	fmt.Fprintf(out, "Cand. = the right record is among the %d candidates bleve retrieves before the re-ranking.\n\n", search.DefaultCandidates)
	fmt.Fprintln(out, "| kind | n | name only: R@1 | R@5 | R@10 | MRR | cand. | with hometown: R@1 | R@5 | R@10 | MRR | cand. |")
	fmt.Fprintln(out, "|---|---|---|---|---|---|---|---|---|---|---|---|")
	ourRes := results[engines[0].name()]
	for _, l := range labels {
		a, b := ourRes[key{l, false}], ourRes[key{l, true}]
		fmt.Fprintf(out, "| %s | %d | %s | %s |\n", l, a.n, a.row(true), b.row(true))
	}
	fmt.Fprintf(out, "| **all single kinds** | %d | %s | %s |\n", sumOf(ourRes, labels, false, true).n, sumOf(ourRes, labels, false, true).row(true), sumOf(ourRes, labels, true, true).row(true))
	fmt.Fprintf(out, "| **all pairs** | %d | %s | %s |\n", sumOf(ourRes, labels, false, false).n, sumOf(ourRes, labels, false, false).row(true), sumOf(ourRes, labels, true, false).row(true))

	fmt.Fprintf(out, "\n#### Baselines on the same records and queries: recall@10 (recall@1)\n\n")
	head := "| kind | hometown |"
	sep := "|---|---|"
	for _, e := range engines {
		head += " " + e.name() + " |"
		sep += "---|"
	}
	fmt.Fprintln(out, head)
	fmt.Fprintln(out, sep)
	for _, l := range labels {
		for _, home := range []bool{false, true} {
			line := fmt.Sprintf("| %s | %s |", l, map[bool]string{false: "no", true: "yes"}[home])
			for _, e := range engines {
				s := results[e.name()][key{l, home}]
				line += fmt.Sprintf(" %.2f (%.2f) |", s.r(10), s.r(1))
			}
			fmt.Fprintln(out, line)
		}
	}
	for _, single := range []bool{true, false} {
		for _, home := range []bool{false, true} {
			line := fmt.Sprintf("| **all %s** | %s |", map[bool]string{true: "single kinds", false: "pairs"}[single], map[bool]string{false: "no", true: "yes"}[home])
			for _, e := range engines {
				s := sumOf(results[e.name()], labels, home, single)
				line += fmt.Sprintf(" %.2f (%.2f) |", s.r(10), s.r(1))
			}
			fmt.Fprintln(out, line)
		}
	}
	if neoNote != "" {
		fmt.Fprintf(out, "\n%s\n", neoNote)
	}
	return nil
}

func placesLabel(p string) string {
	if p == "" {
		return "demo"
	}
	return filepath.Base(p)
}

type ours struct{ ix *search.Index }

func (ours) name() string { return "guigen" }

func (o ours) search(ctx context.Context, q search.Query, k int) ([]string, error) {
	q.Limit = k
	hits, err := o.ix.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.MartyrID
	}
	return ids, nil
}

type key struct {
	label string
	home  bool
}

// stats of one kind: ranks of the right record (0 not in the top 10).
type stats struct {
	n, at1, at5, at10, inCandidates int
	rr                              float64
}

func (s *stats) add(rank int) {
	s.n++
	if rank == 0 {
		return
	}
	s.rr += 1 / float64(rank)
	if rank <= 10 {
		s.at10++
	}
	if rank <= 5 {
		s.at5++
	}
	if rank == 1 {
		s.at1++
	}
}

func (s *stats) r(k int) float64 {
	if s == nil || s.n == 0 {
		return 0
	}
	return float64(map[int]int{1: s.at1, 5: s.at5, 10: s.at10}[k]) / float64(s.n)
}

func (s *stats) row(cands bool) string {
	if s == nil || s.n == 0 {
		return "– | – | – | – | –"
	}
	n := float64(s.n)
	return fmt.Sprintf("%.2f | %.2f | %.2f | %.3f | %.2f", s.r(1), s.r(5), s.r(10), s.rr/n, float64(s.inCandidates)/n)
}

// sumOf pools the single kinds (single) or the pairs.
func sumOf(m map[key]*stats, labels []string, home, single bool) *stats {
	var t stats
	for _, l := range labels {
		if strings.Contains(l, "+") == single {
			continue
		}
		if s := m[key{l, home}]; s != nil {
			t.n += s.n
			t.at1 += s.at1
			t.at5 += s.at5
			t.at10 += s.at10
			t.inCandidates += s.inCandidates
			t.rr += s.rr
		}
	}
	return &t
}
