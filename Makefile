# chatter: `make run` opens the demo, `make test` passes every test.
SWIFT    ?= swift
DEBS     := libncursesw5-dev libsqlite3-dev tmux tzdata zlib1g-dev postfix python3 wrk openssl ca-certificates libsisimai-perl postgresql
DEMO_DB  := $(CURDIR)/demo/chatter.sqlite
RELEASE  := .build/release/chatter
DEBUG    := .build/debug/chatter
PREFIX   ?= /usr/local
DESTDIR  ?=

.PHONY: deps build-info build release run test bench clean-demo soak fuzz install uninstall

## deps: install the system packages chatter needs (apt, as root), or print the command
deps:
	@scripts/deps.sh $(DEBS)

## build-info: the commit `chatter --version` prints (Sources/CBuildInfo/build_commit.h, not committed)
build-info:
	@scripts/build-info.sh

## build: debug build of everything
build: deps build-info
	$(SWIFT) build

## release: the optimised binary that install and bench use
release: deps build-info
	$(SWIFT) build -c release --product chatter

## run: the debug build (the one `make test` makes, so neither rebuilds for the other), the demo
## store under demo/ on first run, chatter opened on it
run: deps build-info
	$(SWIFT) build --product chatter
	@test -f $(DEMO_DB) || $(DEBUG) demo --db $(DEMO_DB)
	$(DEBUG) ui --db $(DEMO_DB) --live-demo

## test: every test (unit, store, CLI against the built binary; the install test uses generate-manual)
test: deps build-info
	$(SWIFT) build --build-tests
	$(SWIFT) build --product generate-manual
	$(SWIFT) test --skip-build --disable-swift-testing

## install: the release binary, completions, man page, examples and systemd units under
## $(DESTDIR)$(PREFIX); the list of what was installed goes to share/chatter/install-manifest
install: release
	$(SWIFT) build --product generate-manual
	scripts/install.sh $(RELEASE) .build/debug/generate-manual "$(DESTDIR)" "$(PREFIX)"

## uninstall: removes exactly what install recorded in its manifest
uninstall:
	scripts/uninstall.sh "$(DESTDIR)" "$(PREFIX)"

## bench: the performance figures of the issues (see README, "Benchmarks")
bench: release
	$(SWIFT) build -c release --product chatter-bench
	scripts/bench.sh

## soak: the long campaigns (the suite runs short seeded smokes of each): kill -9 x100 during a
## 100k-event ingest, rotation torture, kill -9 of the sender at 120 points over 1,000 sends, two
## senders on PostgreSQL killed 100 times each over 1,000 sends, a 200 MB
## bounce mail next to a writer, a 100 MB line, connection floods and slowloris against `serve`
## under ulimit -n 1024
soak: deps
	$(SWIFT) build --build-tests
	CHATTER_SOAK_EVENTS=100000 CHATTER_SOAK_KILLS=100 CHATTER_SOAK_ROTATIONS=400 \
	  $(SWIFT) test --skip-build --disable-swift-testing --filter 'KillIngestTests|RotationPollerTests|LogTailerTortureTests'
	CHATTER_SOAK_SENDS=1000 CHATTER_SOAK_KILLS=120 \
	  $(SWIFT) test --skip-build --disable-swift-testing --filter KillNineTests
	CHATTER_SOAK_PG_SENDS=1000 CHATTER_SOAK_PG_KILLS=100 \
	  $(SWIFT) test --skip-build --disable-swift-testing --filter OutboxTwoSendersTests
	CHATTER_SOAK_MAIL_MB=200 CHATTER_SOAK_LINE_MB=100 \
	  $(SWIFT) test --skip-build --disable-swift-testing --filter 'MaildirBigMailTests|IngestInputsCommandTests'
	python3 scripts/soak-serve.py .build/debug/chatter

## fuzz: the parsers' seeded mutation loops at 1M inputs per parser (release build with testing enabled)
fuzz: deps
	$(SWIFT) build -c release --build-tests -Xswiftc -enable-testing
	CHATTER_FUZZ_ITERATIONS=1000000 MUTATION_ROUNDS=2000000 \
	  $(SWIFT) test -c release --skip-build -Xswiftc -enable-testing \
	  --filter 'PostfixCorrelatorTests.testMutatedLinesNeverCrash|IngestMutationTests.testMutatedInputsNeverCrash'

clean-demo:
	rm -rf demo
