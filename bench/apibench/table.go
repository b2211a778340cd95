package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
)

// tableCmd turns the JSON lines of hit runs into the Markdown table of
// bench/README.md: one row per server, query and concurrency, then the
// ratios of each Guigen server to the baseline server on the same query
// and concurrency.
func tableCmd(args []string) error {
	fs := flag.NewFlagSet("apibench table", flag.ContinueOnError)
	baseline := fs.String("baseline", "neo4j-graphql", "the server the ratios divide by")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var in io.Reader = os.Stdin
	if fs.NArg() > 0 {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	var rs []result
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("decode %q: %w", sc.Text(), err)
		}
		rs = append(rs, r)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	writeTable(os.Stdout, rs, *baseline)
	return nil
}

func writeTable(w io.Writer, rs []result, baseline string) {
	fmt.Fprintln(w, "| query | clients | server | req/s | p50 ms | p95 ms | p99 ms | errors | requests | bytes/resp |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %d | %s | %.0f | %.1f | %.1f | %.1f | %d | %d | %d |\n",
			r.Query, r.Clients, r.Server, r.RPS, r.P50, r.P95, r.P99, r.Errors, r.Requests, r.MeanBytes)
	}
	type key struct {
		query   string
		clients int
	}
	base := map[key]result{}
	for _, r := range rs {
		if r.Server == baseline {
			base[key{r.Query, r.Clients}] = r
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Ratios, Guigen ÷ %s (throughput: above 1 is better for Guigen; latencies: below 1 is better for Guigen):\n\n", baseline)
	fmt.Fprintln(w, "| query | clients | server | throughput | p50 | p95 | p99 |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	ratio := func(a, b float64) string {
		if b == 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f", a/b)
	}
	sorted := slices.Clone(rs)
	slices.SortStableFunc(sorted, func(a, b result) int {
		if a.Query != b.Query {
			return cmp.Compare(a.Query, b.Query)
		}
		return a.Clients - b.Clients
	})
	for _, r := range sorted {
		b, ok := base[key{r.Query, r.Clients}]
		if !ok || r.Server == baseline {
			continue
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %s |\n", r.Query, r.Clients, r.Server,
			ratio(r.RPS, b.RPS), ratio(r.P50, b.P50), ratio(r.P95, b.P95), ratio(r.P99, b.P99))
	}
}
