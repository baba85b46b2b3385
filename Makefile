# ffnb: the two commands of the README's Quick start, and the benchmarks.
#   make run    set up (packages, data, release build) and replay notebooks/mnist.ffnb
#   make test   the same set-up, then the whole test suite
#   make fuzz   build the libFuzzer targets in Fuzz/ and run each for FUZZ_SECONDS (default 60)
# Both are idempotent: when everything is there they only check and go on.

SWIFT      ?= swift
NOTEBOOK   ?= notebooks/mnist.ffnb
RELEASE_BIN = .build/release/ffnb
export FFNB_DATA ?= $(CURDIR)/data
# `make test` ends with `make fuzz` (each target for FUZZ_SECONDS; every input in
# Fuzz/regressions/ replayed first), as CI runs it; FUZZ_IN_TEST=0 skips it.
FUZZ_IN_TEST ?= 1

.PHONY: run test fuzz deps test-deps data build bench bench-pytorch clean

run: deps data build
	$(RELEASE_BIN) run $(NOTEBOOK)

test: test-deps data build
	FFNB_BIN=$(CURDIR)/$(RELEASE_BIN) $(SWIFT) test
	@if [ "$(FUZZ_IN_TEST)" = 1 ]; then $(MAKE) --no-print-directory fuzz; fi

# Three targets x FUZZ_SECONDS, plus about two minutes to build and replay the seeds and the
# regression inputs. FUZZ_SECONDS=0 only replays them.
fuzz: deps
	SWIFT=$(SWIFT) scripts/fuzz

deps:
	@scripts/install-deps build

test-deps:
	@scripts/install-deps test

data:
	@scripts/fetch-data all

build:
	$(SWIFT) build -c release --product ffnb

bench: deps data build
	bench/run-bench

bench-pytorch: deps data build
	bench/run-pytorch

clean:
	rm -rf .build .build-fuzz
