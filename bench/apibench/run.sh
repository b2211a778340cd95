#!/usr/bin/env bash
# bench/apibench/run.sh — the API benchmark: Guigen (on Neo4j and on the
# embedded SQLite backend) against @neo4j/graphql over the same Neo4j data,
# the martyr card and a lead-board page, at fixed concurrency for a fixed
# time. It measures, it does not assert. From a clean clone it builds
# everything, starts its own Neo4j (never on 7687), loads the data, starts
# the three servers, runs, prints a Markdown table and stops what it started.
#
#   bash bench/apibench/run.sh                 # or: make apibench
#   APIBENCH_N=100000 APIBENCH_DURATION=30s bash bench/apibench/run.sh
#
# Environment:
#   APIBENCH_N          martyrs (default 10000); leads are N/10, at most 2000
#   APIBENCH_CLIENTS    concurrency levels (default "10 50")
#   APIBENCH_DURATION   measured time per run (default 30s)
#   APIBENCH_WARMUP     unmeasured warm-up per run (default 5s)
#   APIBENCH_QUERIES    which queries (default "card leads")
#   APIBENCH_PORT       Bolt port of the side Neo4j (default 7703)
#   APIBENCH_HTTP_BASE  first of three HTTP ports for the servers (default 4701)
#   APIBENCH_OUT        directory for logs and results (default a new /tmp dir)
#   APIBENCH_KEEP=1     keep the databases and binaries in APIBENCH_OUT (default: removed at the end)
#   NEO4J_LOCAL_HEAP    the side Neo4j's heap (default 4g)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
HERE="$ROOT/bench/apibench"

N=${APIBENCH_N:-10000}
CLIENTS=${APIBENCH_CLIENTS:-"10 50"}
DURATION=${APIBENCH_DURATION:-30s}
WARMUP=${APIBENCH_WARMUP:-5s}
QUERIES=${APIBENCH_QUERIES:-"card leads"}
BOLT_PORT=${APIBENCH_PORT:-7703}
HTTP=${APIBENCH_HTTP_BASE:-4701}
OUT=${APIBENCH_OUT:-$(mktemp -d /tmp/apibench.XXXXXX)}
mkdir -p "$OUT"
[ "$BOLT_PORT" != 7687 ] || { echo "apibench: refusing port 7687 (shared with CI and others)" >&2; exit 2; }

say() { echo "apibench: $*" >&2; }

# --- what we start, and stop on any exit --------------------------------------
pids=()
neo4j_env=(NEO4J_LOCAL_PORT="$BOLT_PORT" NEO4J_LOCAL_STATE="$OUT/neo4j")
cleanup() {
	local pid
	for pid in "${pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	env "${neo4j_env[@]}" bash scripts/neo4j-local.sh stop >/dev/null 2>&1 || true
	if [ "${APIBENCH_KEEP:-0}" != 1 ]; then
		rm -rf "$OUT/neo4j/data" "$OUT/neo4j-data" "$OUT/sqlite" "$OUT/guigen" "$OUT/apibench"
	fi
}
trap cleanup EXIT

# --- build ---------------------------------------------------------------------
command -v node >/dev/null || { say "node not found (need Node.js 20)"; exit 1; }
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
	{ say "need Node.js >= 20, have $(node --version)"; exit 1; }
say "building guigen and apibench ..."
go build -o "$OUT/guigen" ./cmd/guigen
go build -o "$OUT/apibench" ./bench/apibench
say "npm ci (bench/apibench/neo4j-graphql) ..."
(cd "$HERE/neo4j-graphql" && npm ci --no-audit --no-fund --loglevel=error >"$OUT/npm.log" 2>&1) ||
	{ tail -n 20 "$OUT/npm.log" >&2; exit 1; }

# --- Neo4j: a server JVM as production would run it (as make bench does) --------
say "starting Neo4j on bolt://127.0.0.1:$BOLT_PORT ..."
env "${neo4j_env[@]}" NEO4J_LOCAL_HEAP="${NEO4J_LOCAL_HEAP:-4g}" \
	NEO4J_LOCAL_JAVA_OPTS="${NEO4J_LOCAL_JAVA_OPTS:--XX:TieredStopAtLevel=4 -XX:+UseG1GC}" \
	bash scripts/neo4j-local.sh start
export NEO4J_URI="bolt://127.0.0.1:$BOLT_PORT" NEO4J_USER="" NEO4J_PASSWORD="" NEO4J_DATABASE=""

# --- data: the same rows through the store contract into both backends ---------
say "loading $N martyrs into Neo4j ..."
"$OUT/apibench" load -backend neo4j -n "$N" -token-out "$OUT/token-neo4j" 2>&1 | tee "$OUT/load-neo4j.log" >&2
say "loading $N martyrs into SQLite ..."
"$OUT/apibench" load -backend sqlite -data "$OUT/sqlite" -n "$N" -token-out "$OUT/token-sqlite" 2>&1 | tee "$OUT/load-sqlite.log" >&2

# --- servers ---------------------------------------------------------------------
P_NEO=$HTTP P_SQL=$((HTTP + 1)) P_NGQL=$((HTTP + 2))
# Every client sends the same token from one address: lift the per-token
# and per-address rates (a production guard against one caller flooding
# the API; @neo4j/graphql has none), keep the in-flight bound at its
# default (64, above the default concurrency levels; more clients than
# that would show up as 503 errors).
limits=(--rate-token 1000000 --rate-public 1000000)
# guigen on Neo4j: its data dir holds only the search index.
"$OUT/guigen" serve --data "$OUT/neo4j-data" --addr "127.0.0.1:$P_NEO" "${limits[@]}" >"$OUT/guigen-neo4j.log" 2>&1 &
pids+=($!)
env -u NEO4J_URI "$OUT/guigen" serve --data "$OUT/sqlite" --addr "127.0.0.1:$P_SQL" "${limits[@]}" >"$OUT/guigen-sqlite.log" 2>&1 &
pids+=($!)
(cd "$HERE/neo4j-graphql" && exec env PORT="$P_NGQL" node server.mjs) >"$OUT/neo4j-graphql.log" 2>&1 &
pids+=($!)

declare -A URL=(
	[guigen-neo4j]="http://127.0.0.1:$P_NEO/graphql"
	[guigen-sqlite]="http://127.0.0.1:$P_SQL/graphql"
	[neo4j-graphql]="http://127.0.0.1:$P_NGQL/"
)
declare -A TOKEN=([guigen-neo4j]="$OUT/token-neo4j" [guigen-sqlite]="$OUT/token-sqlite" [neo4j-graphql]="")
servers=(guigen-sqlite guigen-neo4j neo4j-graphql)

hit() { # server query [more flags]
	local server=$1 q=$2
	shift 2
	local doc="$HERE/queries/neo4j-graphql"
	case "$server" in guigen-*) doc="$HERE/queries/guigen" ;; esac
	local args=(-server "$server" -url "${URL[$server]}" -query "$doc-$q.graphql" -vars "$q" -n "$N")
	[ -z "${TOKEN[$server]}" ] || args+=(-token-file "${TOKEN[$server]}")
	"$OUT/apibench" hit "${args[@]}" "$@"
}

# Ready when each answers the card query without errors (guigen first
# syncs its search index from the store, which takes a while on a big set).
for s in "${servers[@]}"; do
	deadline=$((SECONDS + 600))
	until hit "$s" card -check >"$OUT/check-$s-card.json" 2>/dev/null; do
		[ "$SECONDS" -lt "$deadline" ] || { say "$s did not become ready"; tail -n 20 "$OUT/$s.log" >&2; exit 1; }
		sleep 1
	done
	hit "$s" leads -check >"$OUT/check-$s-leads.json" || { say "$s: lead board query failed"; cat "$OUT/check-$s-leads.json" >&2; exit 1; }
	say "$s ready"
done

# --- runs: for each query and concurrency the three servers one after another ----
results="$OUT/results.jsonl"
: >"$results"
for q in $QUERIES; do
	for c in $CLIENTS; do
		for s in "${servers[@]}"; do
			say "$q, $c clients, $s, $DURATION ..."
			hit "$s" "$q" -c "$c" -d "$DURATION" -warmup "$WARMUP" | tee -a "$results" >&2
		done
	done
done

# Store round trips Guigen made over the whole run, per method.
for s in guigen-sqlite guigen-neo4j; do
	port=$P_SQL
	[ "$s" = guigen-neo4j ] && port=$P_NEO
	curl -fsS "http://127.0.0.1:$port/metrics" 2>/dev/null | grep '^guigen_store_round_trips_total' >"$OUT/trips-$s.txt" || true
done

echo "# API benchmark: $N martyrs, $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "Each run: $WARMUP warm-up, then $DURATION measured; one request in flight per client."
echo
"$OUT/apibench" table "$results"
echo
say "logs and raw results in $OUT"
