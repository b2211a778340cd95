#!/usr/bin/env bash
# make bench: the benchmarks. They measure, they do not assert; copy the
# tables into bench/README.md with the machine and the date.
# BENCH_N sets the register size (default 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${BENCH_N:-100000}

started=""
cleanup() { if [ -n "$started" ]; then bash scripts/neo4j-local.sh stop || true; fi; }
trap cleanup EXIT
if [ -z "${NEO4J_URI:-}" ]; then
	# A server JVM as production would run it (full JIT, G1, a real heap),
	# not the quick-start settings the tests use.
	export NEO4J_LOCAL_HEAP=${NEO4J_LOCAL_HEAP:-4g}
	export NEO4J_LOCAL_JAVA_OPTS=${NEO4J_LOCAL_JAVA_OPTS:--XX:TieredStopAtLevel=4 -XX:+UseG1GC}
	bash scripts/neo4j-local.sh start
	started=1
	eval "$(bash scripts/neo4j-local.sh env)"
fi
export NEO4J_URI

echo "# storage: $n martyrs with a relative each; $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%Y-%m-%d)"
echo
echo "| backend | martyrs | batch upsert | re-apply 5k (no-op) | hometown p50/p95/p99 ms | county | unit | cemetery | list by county | relatives |"
echo "|---|---|---|---|---|---|---|---|---|---|"
go run ./bench/storebench -backend sqlite -n "$n"
go run ./bench/storebench -backend neo4j -n "$n"
