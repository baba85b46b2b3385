# ffnb: the two commands of the README's Quick start, and the benchmarks.
#   make run    set up (packages, data, release build) and replay notebooks/mnist.ffnb
#   make test   the same set-up, then the whole test suite
# Both are idempotent: when everything is there they only check and go on.

SWIFT      ?= swift
NOTEBOOK   ?= notebooks/mnist.ffnb
RELEASE_BIN = .build/release/ffnb
export FFNB_DATA ?= $(CURDIR)/data

.PHONY: run test deps test-deps data build bench bench-pytorch clean

run: deps data build
	$(RELEASE_BIN) run $(NOTEBOOK)

test: test-deps data build
	FFNB_BIN=$(CURDIR)/$(RELEASE_BIN) $(SWIFT) test

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
	rm -rf .build
