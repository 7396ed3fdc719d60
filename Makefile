# chatter: `make run` opens the demo, `make test` passes every test.
SWIFT    ?= swift
DEBS     := libncursesw5-dev libsqlite3-dev tmux
DEMO_DB  := $(CURDIR)/demo/chatter.sqlite
RELEASE  := .build/release/chatter

.PHONY: deps build release run test bench clean-demo

## deps: install the system packages chatter needs (apt, as root), or print the command
deps:
	@scripts/deps.sh $(DEBS)

## build: debug build of everything
build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product chatter

## run: build, create the demo store under demo/ on first run, open chatter on it
run: release
	@test -f $(DEMO_DB) || $(RELEASE) demo --db $(DEMO_DB)
	$(RELEASE) ui --db $(DEMO_DB) --live-demo

## test: every test (unit, store, CLI against the built binary)
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## bench: the performance figures of the issues (see README, "Benchmarks")
bench: release
	$(SWIFT) build -c release --product chatter-bench
	scripts/bench.sh

clean-demo:
	rm -rf demo
