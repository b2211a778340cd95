# Guigen's everyday commands. `make test` is the one CI runs (through .ci/run).
SHELL := /bin/bash
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: demo test test-short lint generate bench neo4j-start neo4j-stop neo4j-status build

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

neo4j-start:
	bash scripts/neo4j-local.sh start
neo4j-stop:
	bash scripts/neo4j-local.sh stop
neo4j-status:
	bash scripts/neo4j-local.sh status
