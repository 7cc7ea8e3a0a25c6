# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
export CGO_ENABLED := 1
GO ?= go
BIN := bin/portal
DATABASE_URL ?= portal.db
export DATABASE_URL

.PHONY: run build generate fmt lint check-generated test test-tools screenshots soak bench bench-fleet clean

## run: build, create the SQLite database, load the demo when it is empty, serve on :8080
run: build
	./$(BIN) seed --demo
	./$(BIN) serve --drain-delay 0

## build: the single binary
build: generate
	$(GO) build -o $(BIN) .

## generate: templ components -> *_templ.go (committed)
generate:
	$(GO) tool templ generate -log-level error

fmt:
	gofmt -w $$(git ls-files '*.go')
	$(GO) tool templ fmt views

## lint: gofmt, go vet, staticcheck (pinned in go.mod as a tool), generated files in step with the .templ sources
lint: check-generated
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

check-generated:
	$(GO) tool templ generate -log-level error
	@if ! git diff --quiet -- '*_templ.go' || [ -n "$$(git ls-files --others --exclude-standard -- '*_templ.go')" ]; then \
		echo "generated templ files are out of date: run 'make generate' and commit"; git status --short -- '*_templ.go'; exit 1; fi

## test: every test, with the race detector, on $(DATABASE_URL) (SQLite unless a postgres:// URL)
test: lint test-tools
	$(GO) test -race -count=1 -timeout 30m ./...

## test-tools: axe-core for the browser tests' accessibility checks (pinned in web/testdata/axe)
test-tools:
	@if [ ! -d web/testdata/axe/node_modules/axe-core ] && command -v npm >/dev/null; then \
		cd web/testdata/axe && npm ci --no-audit --no-fund; fi

clean:
	rm -rf bin portal.db portal.db-wal portal.db-shm outbox

## screenshots: save the main pages (desktop and phone, Chinese and English) and the journeys' key steps under docs/screenshots
screenshots:
	mkdir -p docs/screenshots
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run 'TestBrowser' ./web/

## soak: 60 s of concurrent approvals, imports and reads, then the money invariants (not part of make test)
soak:
	SOAK_SECONDS=$${SOAK_SECONDS:-60} $(GO) test -count=1 -run '^TestSoak$$' -v -timeout 10m ./web/ | grep -E '^(soak:|--- |ok|FAIL|\s+soak_test)'

## bench: Go benchmarks (compute, approve, import, queue rows), then a load run against a portal seeded at scale
## (and one with 1% of the data, for cost growth). BENCH_DB may be a postgres:// URL; seeding reuses what is there.
BENCH_DB ?= bench.db
BENCH_SMALL_DB ?= bench-small.db
bench: build
	$(GO) test -run XXX -bench . -benchmem -benchtime 1x -timeout 30m ./models
	$(GO) test -run XXX -bench . -benchmem ./views
	DATABASE_URL='$(BENCH_DB)' ./$(BIN) seed --scale
	DATABASE_URL='$(BENCH_SMALL_DB)' ./$(BIN) seed --scale --creators 1000 --agencies 20 --weeks 52
	BENCH_DB='$(BENCH_DB)' $(GO) test -run XXX -bench BenchmarkImpactOnSeededProgramme -benchtime 5x ./models
	DATABASE_URL='$(BENCH_DB)' ./$(BIN) serve --addr 127.0.0.1:8089 > bench-serve.log 2>&1 & echo $$! > bench-serve.pid; \
	DATABASE_URL='$(BENCH_SMALL_DB)' ./$(BIN) serve --addr 127.0.0.1:8090 > bench-serve-small.log 2>&1 & echo $$! > bench-serve-small.pid; \
	sleep 3; LOAD_URL=http://127.0.0.1:8089 LOAD_SMALL_URL=http://127.0.0.1:8090 LOAD_PID=$$(cat bench-serve.pid) \
	$(GO) test -count=1 -run '^TestLoad$$' -v -timeout 30m ./web/ | grep -E '^(\||[0-9]+ signed-in|server peak|--- FAIL|\s+load_test)'; \
	status=$${PIPESTATUS[0]}; kill $$(cat bench-serve.pid) $$(cat bench-serve-small.pid); rm -f bench-serve.pid bench-serve-small.pid; exit $$status

## bench-fleet: two portal servers on one PostgreSQL behind HAProxy (deploy/haproxy.cfg): the page table with one and
## two servers, 20 reviewers approving, a kill -9 and a rolling restart mid-run, the money checked (scripts/bench-fleet.sh;
## BENCH_FLEET_DB, BENCH_FLEET_SEED="--creators 5000 --agencies 100 --weeks 12" for a smaller programme)
bench-fleet: build
	./scripts/bench-fleet.sh
