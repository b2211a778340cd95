#!/usr/bin/env bash
# make eval: the search evaluation (bench/searcheval). It measures, it does
# not assert; copy the tables into bench/README.md with the machine and the
# date. Without NEO4J_URI it starts its own Neo4j on NEO4J_LOCAL_PORT
# (default 7701) for the Neo4j full-text baseline, and stops it after;
# EVAL_NO_NEO4J=1 skips that baseline. EVAL_DISTRACTORS and EVAL_PER_KIND
# set the sizes (default 100000 and 100); EVAL_PLACES the gazetteer.
set -euo pipefail
cd "$(dirname "$0")/.."

args=(-distractors "${EVAL_DISTRACTORS:-100000}" -per-kind "${EVAL_PER_KIND:-100}")
if [ -n "${EVAL_PLACES:-}" ]; then args+=(-places "$EVAL_PLACES"); fi

started=""
cleanup() { if [ -n "$started" ]; then bash scripts/neo4j-local.sh stop || true; fi; }
trap cleanup EXIT
if [ -n "${EVAL_NO_NEO4J:-}" ]; then
	args+=(-no-neo4j)
elif [ -z "${NEO4J_URI:-}" ]; then
	export NEO4J_LOCAL_PORT=${NEO4J_LOCAL_PORT:-7701}
	export NEO4J_LOCAL_STATE=${NEO4J_LOCAL_STATE:-/tmp/neo4j-eval-$NEO4J_LOCAL_PORT}
	bash scripts/neo4j-local.sh start
	started=1
	eval "$(bash scripts/neo4j-local.sh env)"
	export NEO4J_URI
fi

echo "# search evaluation; $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%Y-%m-%d)"
echo
go run ./bench/searcheval "${args[@]}"
