#!/usr/bin/env bash
# The project's test command (make test): starts a real Neo4j from
# tools/neo4j-local, runs every Go test with NEO4J_URI pointing at it, and
# stops Neo4j whatever happens. When NEO4J_URI is already set, that server
# is used instead and left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

started=""
cleanup() {
	if [ -n "$started" ]; then
		bash scripts/neo4j-local.sh stop || true
	fi
}
trap cleanup EXIT

if [ -z "${NEO4J_URI:-}" ]; then
	# With a password, so that the wrong-password cases run too.
	export NEO4J_LOCAL_PASSWORD=${NEO4J_LOCAL_PASSWORD:-guigen-test}
	bash scripts/neo4j-local.sh start
	started=1
	eval "$(bash scripts/neo4j-local.sh env)"
fi
export NEO4J_URI NEO4J_USER NEO4J_PASSWORD
echo "Go tests, with Neo4j at $NEO4J_URI"

go build -o /tmp/guigen-testreport.$$ ./scripts/testreport
set +e
# -p 1: the Neo4j-backed suites share Neo4j Community's single database
# and clean it between cases, so their packages must not run at once.
go test -count=1 -p 1 -timeout 45m -json "$@" ./... 2>&1 |
	/tmp/guigen-testreport.$$ -forbid-skip /store/neo4j
status=("${PIPESTATUS[@]}")
set -e
rm -f /tmp/guigen-testreport.$$
if [ "${status[0]}" -ne 0 ] || [ "${status[1]}" -ne 0 ]; then
	exit 1
fi

# guigen serve against a Neo4j that goes away and comes back.
echo "== Neo4j outage and recovery (scripts/neo4j-outage-test.sh)"
bash scripts/neo4j-outage-test.sh
