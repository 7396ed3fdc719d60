# chatter: `make run` opens the demo, `make test` passes every test.
SWIFT    ?= swift
DEBS     := libncursesw5-dev libsqlite3-dev tmux tzdata zlib1g-dev postfix python3 wrk openssl ca-certificates libsisimai-perl
DEMO_DB  := $(CURDIR)/demo/chatter.sqlite
RELEASE  := .build/release/chatter

.PHONY: deps build release run test bench clean-demo soak fuzz

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
	$(SWIFT) test --skip-build --disable-swift-testing

## bench: the performance figures of the issues (see README, "Benchmarks")
bench: release
	$(SWIFT) build -c release --product chatter-bench
	scripts/bench.sh

## soak: the long campaigns (the suite runs short seeded smokes of each): kill -9 x100 during a
## 100k-event ingest, rotation torture, kill -9 of the sender at 120 points over 1,000 sends
soak: deps
	$(SWIFT) build --build-tests
	CHATTER_SOAK_EVENTS=100000 CHATTER_SOAK_KILLS=100 CHATTER_SOAK_ROTATIONS=400 \
	  $(SWIFT) test --skip-build --disable-swift-testing --filter 'KillIngestTests|RotationPollerTests|LogTailerTortureTests'
	CHATTER_SOAK_SENDS=1000 CHATTER_SOAK_KILLS=120 \
	  $(SWIFT) test --skip-build --disable-swift-testing --filter KillNineTests

## fuzz: the parsers' seeded mutation loops at 1M inputs per parser (release build with testing enabled)
fuzz: deps
	$(SWIFT) build -c release --build-tests -Xswiftc -enable-testing
	CHATTER_FUZZ_ITERATIONS=1000000 MUTATION_ROUNDS=2000000 \
	  $(SWIFT) test -c release --skip-build -Xswiftc -enable-testing \
	  --filter 'PostfixCorrelatorTests.testMutatedLinesNeverCrash|IngestMutationTests.testMutatedInputsNeverCrash'

clean-demo:
	rm -rf demo
