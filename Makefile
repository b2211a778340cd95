# Guigen's everyday commands. `make test` is the one CI runs (through .ci/run).
SHELL := /bin/bash
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# Go 1.27.3, which the go command fetches from the module proxy (about
# 10 s on a new machine): the machines' own Go 1.26.8 has known
# vulnerabilities in net/http and crypto/x509 that the server reaches
# (make vulncheck). Every target builds and tests with it.
export GOTOOLCHAIN := go1.27.3

.PHONY: web web-test demo test test-short lint vulncheck generate bench mediabench apibench eval neo4j-start neo4j-stop neo4j-status build

## demo: run Guigen on the embedded backend with the demo data set
demo:
	go run ./cmd/guigen serve --demo

build:
	go build -o guigen ./cmd/guigen

## test: every test, the contract suite against both backends (starts and stops Neo4j)
test:
	bash scripts/test.sh

## test-short: the Go tests without Neo4j (the Neo4j cases skip)
test-short:
	go test -count=1 ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go vet ./...
	go run $(STATICCHECK) ./...

generate:
	go generate ./...

## bench: benchmarks (not tests); results go into bench/README.md by hand
bench:
	bash scripts/bench.sh

## apibench: the GraphQL API under load on both backends vs @neo4j/graphql (Node.js 20; own Neo4j on 7703; not part of make bench)
apibench:
	bash bench/apibench/run.sh

## eval: the search evaluation on a generated register (bench/searcheval; results in bench/README.md)
eval:
	bash scripts/eval.sh

## mediabench: portrait derivatives vs vipsthumbnail, serving vs nginx (installs them from Debian when missing)
mediabench:
	bash bench/mediabench/run.sh

## vulncheck: govulncheck with a database built from golang.org/x/vulndb (fails on reachable vulnerabilities)
vulncheck:
	bash scripts/govulncheck.sh

neo4j-start:
	bash scripts/neo4j-local.sh start
neo4j-stop:
	bash scripts/neo4j-local.sh stop
neo4j-status:
	bash scripts/neo4j-local.sh status

## web: build the browser UI (web/src -> web/dist, embedded in the binary; commit web/dist)
web:
	cd web && npm ci --no-audit --no-fund && npm run build

## web-test: committed web/dist matches its sources, unit tests (vitest), browser tests (chromium)
web-test:
	bash web/check-build.sh
	cd web && npm test
	cd web && node e2e/run.mjs
