#!/usr/bin/env bash
# End-to-end check of how `guigen serve` lives with Neo4j, against a real
# Neo4j of its own (port 7697, its own state dir, so it never touches the
# one the Go tests use):
#   1. a wrong password or an unreachable URI at start: exit non-zero with
#      one line naming the URI;
#   2. Neo4j stopped while serving: /readyz 503, GraphQL answers UNAVAILABLE;
#   3. Neo4j back: /readyz 200 and data served again, without a restart;
#   4. Neo4j stopped during an import: the import stops with an error; run
#      again once Neo4j is back, it ends with every row stored once, and a
#      third run changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

export NEO4J_LOCAL_PORT=7697 NEO4J_LOCAL_STATE=.neo4j-local-outage NEO4J_LOCAL_PASSWORD=outage-secret
uri=bolt://127.0.0.1:7697
addr=127.0.0.1:18097
work=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	bash scripts/neo4j-local.sh stop >/dev/null 2>&1 || true
	rm -rf "$work" .neo4j-local-outage
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$work/serve.log" ] && tail -20 "$work/serve.log"; exit 1; }
pass() { echo "ok: $*"; passed=$((passed + 1)); }
passed=0

go build -o "$work/guigen" ./cmd/guigen

# 1a. nothing listening
if out=$(NEO4J_URI=$uri "$work/guigen" migrate 2>&1); then fail "migrate succeeded with Neo4j down"; fi
last=$(echo "$out" | tail -1)
[[ "$last" == *"$uri"* ]] || fail "unreachable: last line does not name the URI: $last"
pass "unreachable Neo4j at start: $last"

NEO4J_LOCAL_KEEP=1 bash scripts/neo4j-local.sh start

# 1b. wrong password
if out=$(NEO4J_URI=$uri NEO4J_USER=neo4j NEO4J_PASSWORD=wrong "$work/guigen" migrate 2>&1); then fail "wrong password accepted"; fi
last=$(echo "$out" | tail -1)
[[ "$last" == *"$uri"* ]] || fail "wrong password: last line does not name the URI: $last"
pass "wrong password at start: $last"

# 2. serve with the demo, then take Neo4j away.
export NEO4J_URI=$uri NEO4J_USER=neo4j NEO4J_PASSWORD=outage-secret
"$work/guigen" serve --demo --addr "$addr" --data "$work/data" >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
	curl -fs "http://$addr/readyz" >/dev/null 2>&1 && break
	sleep 1
done
curl -fs "http://$addr/readyz" >/dev/null || fail "never became ready"
query='{"query":"{ martyrs(first: 2) { totalCount edges { node { id name } } } }"}'
gql() { curl -s -X POST "http://$addr/graphql" -H 'Content-Type: application/json' -d "$query"; }
body=$(gql)
[[ "$body" == *'"totalCount":200'* ]] || fail "demo not served: $body"
pass "serving the demo from Neo4j"

NEO4J_LOCAL_KEEP=1 bash scripts/neo4j-local.sh stop
code=$(curl -s -o /dev/null -w '%{http_code}' "http://$addr/readyz")
[ "$code" = 503 ] || fail "/readyz answered $code with Neo4j down"
pass "/readyz 503 while Neo4j is down"
body=$(gql)
[[ "$body" == *'"UNAVAILABLE"'* ]] || fail "GraphQL with Neo4j down: $body"
pass "GraphQL error code UNAVAILABLE while Neo4j is down"

# 3. back again: same data dir, no restart of guigen.
NEO4J_LOCAL_KEEP=1 bash scripts/neo4j-local.sh start
ok=""
for _ in $(seq 1 60); do
	if curl -fs "http://$addr/readyz" >/dev/null 2>&1; then ok=1; break; fi
	sleep 1
done
[ -n "$ok" ] || fail "/readyz did not recover"
body=$(gql)
[[ "$body" == *'"totalCount":200'* ]] || fail "data not served after recovery: $body"
pass "recovered without a restart"
kill -0 "$pid" || fail "guigen exited"

# 4. Neo4j goes away in the middle of an import.
rows=30000
"$work/guigen" generate --martyrs $rows --seed 7 --out "$work/register.csv" >/dev/null 2>&1 || fail "generate"
"$work/guigen" ingest martyrs --data "$work/data" --batch 500 "$work/register.csv" >"$work/ingest1.log" 2>&1 &
ipid=$!
sleep 3
kill -0 "$ipid" 2>/dev/null || fail "the import finished before Neo4j was stopped; make the register larger"
NEO4J_LOCAL_KEEP=1 bash scripts/neo4j-local.sh stop
if wait "$ipid"; then fail "the import succeeded although Neo4j went away"; fi
grep -q "$uri\|Neo4j\|不可用\|unavailable" "$work/ingest1.log" || { tail -5 "$work/ingest1.log"; fail "the import's error does not say what happened"; }
pass "import interrupted by Neo4j stopping: $(tail -1 "$work/ingest1.log" | cut -c1-160)"
NEO4J_LOCAL_KEEP=1 bash scripts/neo4j-local.sh start
"$work/guigen" ingest martyrs --data "$work/data" --batch 500 --json "$work/register.csv" >"$work/ingest2.json" 2>"$work/ingest2.log" || { tail -5 "$work/ingest2.log"; fail "the import did not complete once Neo4j was back"; }
query='{"query":"{ martyrs(first: 1) { totalCount } }"}'
want=$((200 + rows))
for _ in $(seq 1 60); do
	body=$(gql)
	[[ "$body" == *"\"totalCount\":$want"* ]] && break
	sleep 1
done
[[ "$body" == *"\"totalCount\":$want"* ]] || fail "after the rerun: $body, want $want martyrs"
pass "rerun after Neo4j came back: $want martyrs, every row once"
"$work/guigen" export --data "$work/data" --out "$work/before.jsonl" 2>/dev/null || fail "export"
"$work/guigen" ingest martyrs --data "$work/data" --batch 500 "$work/register.csv" >/dev/null 2>&1 || fail "third run"
"$work/guigen" export --data "$work/data" --out "$work/after.jsonl" 2>/dev/null || fail "export"
cmp -s "$work/before.jsonl" "$work/after.jsonl" || fail "a third run changed the graph"
pass "a third run changes nothing (exports before and after identical, $(wc -l <"$work/after.jsonl") lines)"

echo "neo4j outage: $passed passed, 0 failed"
