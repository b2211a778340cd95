#!/usr/bin/env bash
# govulncheck over the project with a vulnerability database built from
# golang.org/x/vulndb, which the Go module proxy serves (vuln.go.dev is
# not reachable from the project's machines). Fails on a known
# vulnerability in code the project reaches. Bump VULNDB to refresh.
set -euo pipefail
cd "$(dirname "$0")/.."
VULNDB=golang.org/x/vulndb@v0.0.0-20261105234957-e22db6528018
SNAPSHOT=2026-11-05T23:49:57Z
GOVULNCHECK=golang.org/x/vuln/cmd/govulncheck@v1.9.0

dir=$(go mod download -json "$VULNDB" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
db=$(mktemp -d)
trap 'rm -rf "$db"' EXIT
go run ./scripts/vulndb -osv "$dir/data/osv" -out "$db" -modified "$SNAPSHOT"
go run "$GOVULNCHECK" -db "file://$db" "${@:-./...}"
