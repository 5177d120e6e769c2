# xiaoneng — build, test, demo and benchmarks. Every target installs what it
# needs itself (Go modules through the module proxy, ECharts from the npm
# registry pinned by package-lock.json), so a fresh clone works.

GO      ?= go
BIN     := bin/xiaoneng
export GOFLAGS := -buildvcs=false

.PHONY: all build test demo bench deps fuzz clean

all: build

# Front-end assets from the npm registry, pinned by package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

# ECharts is embedded in the binary (web/static) from the npm package.
web/static/vendor/echarts.min.js: node_modules/.package-lock.json
	mkdir -p web/static/vendor
	cp node_modules/echarts/dist/echarts.min.js $@

# Go modules are fetched by go build/test as needed (only this platform's DuckDB library).
deps: web/static/vendor/echarts.min.js

build: deps
	$(GO) build -o $(BIN) ./cmd/xiaoneng

# The whole test suite: vet, then every package's tests with the race detector
# (the seed corpora under testdata/fuzz run as ordinary tests).
test: deps
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 30m ./...

# Builds, creates the sample city, imports it, prints what the database holds and scores every round.
demo: build
	./$(BIN) demo --dir demo

# City-scale measurements (not part of make test); figures go to bench/results.md.
bench: build
	$(GO) run ./cmd/xnbench -out bench/out -results bench/results.md

# Short fuzzing runs of the parsers, the importers and the JSON API (a
# crasher is written to the package's testdata/fuzz and then runs in make test).
FUZZTIME ?= 60s
fuzz:
	$(GO) test ./analytics -run '^$$' -fuzz '^FuzzCellParsing$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 100x
	$(GO) test ./analytics -run '^$$' -fuzz '^FuzzHeaderAndKind$$' -fuzztime 30s
	$(GO) test ./analytics -run '^$$' -fuzz '^FuzzImportCSV$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 100x
	$(GO) test ./analytics -run '^$$' -fuzz '^FuzzImportXLSX$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 100x
	$(GO) test ./scheme -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 100x
	$(GO) test ./web -run '^$$' -fuzz '^FuzzAPIScoresBody$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 100x
	$(GO) test ./web -run '^$$' -fuzz '^FuzzAPIQueries$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 100x

clean:
	rm -rf bin demo bench/out
