# The two commands of the README. Each one sets the machine up first (scripts/setup.sh
# installs what is missing from Debian's packages), then configures and builds.
JOBS ?= $(shell nproc)
# 12 s for each of the six fuzz targets (scripts/fuzz.sh).
FUZZ_SECONDS ?= 72
REEL := build/release/reel

.PHONY: all setup build demo test test-release test-asan fuzz bench clean format

all: build

setup:
	@bash scripts/setup.sh

build: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(REEL)

test: setup
	@bash scripts/test.sh

bench: build
	@bash benchmarks/run.sh

format:
	@{ git ls-files '*.h' '*.cpp'; git ls-files --others --exclude-standard '*.h' '*.cpp'; } | xargs clang-format -i

clean:
	rm -rf build
