// Command apibench measures the GraphQL API under load and compares it
// with @neo4j/graphql serving the same Neo4j data (bench/README.md,
// "API benchmark vs @neo4j/graphql"). bench/apibench/run.sh drives it.
//
//	apibench load -backend neo4j -n 10000 -token-out tok   # NEO4J_URI set; wipes the database first
//	apibench load -backend sqlite -data DIR -n 10000 -token-out tok
//	apibench hit -url http://127.0.0.1:8080/graphql -query card.graphql -vars card -n 10000 -c 10 -d 30s
//
// load writes a synthetic register through the store contract (the same
// rows on either backend) and issues a caseworker token; hit sends one
// GraphQL query at a fixed concurrency for a fixed time and prints one
// JSON line: throughput, p50/p95/p99, errors; table turns those lines
// into the Markdown table with the ratios to @neo4j/graphql.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: apibench load|hit|table|profile [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "load":
		err = loadCmd(ctx, os.Args[2:])
	case "hit":
		err = hitCmd(ctx, os.Args[2:])
	case "table":
		err = tableCmd(os.Args[2:])
	case "profile":
		err = profileCmd(ctx, os.Args[2:])
	default:
		fmt.Fprintf(os.Stderr, "apibench: unknown command %q (load|hit|table|profile)\n", os.Args[1])
		os.Exit(2)
	}
	if err != nil {
		slog.Error("apibench "+os.Args[1]+" failed", "err", err)
		os.Exit(1)
	}
}
