# Thin entry points. `make run` and `make test` each install what is missing first.
SHELL := /bin/bash
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# Warnings are errors in every build of $(BUILD) (make run, make test, CI): one configuration, so `make run` and then
# `make test` compile each file once. `make run WERROR=OFF` builds despite warnings (a newer compiler, say).
WERROR ?= ON
# ccache keys on paths relative to the checkout, so any clone (CI clones afresh) reuses the cache; debug builds
# (-g) would otherwise hash the build directory too (it is only the debug info's compilation directory).
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= 1

.PHONY: help run configure server build test test-unit test-stack test-asan test-fuzz fuzz test-image image lint lint-changed format infra-check bench bench-stack stack stack-down deps clean

help: ## list the targets
	@awk -F ':.*## ' '/^[a-z-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: ## build the server (not the tests) and start it with embedded defaults on :4000
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory server
	exec ./$(BUILD)/bet2wealth serve

configure:
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DB2W_WERROR=$(WERROR) $(CMAKE_FLAGS) >/dev/null

server: configure ## build only the server and its docs assets (what make run and make stack start)
	@cmake --build $(BUILD) -j $(JOBS) --target bet2wealth docs_assets console_assets

build: configure ## build everything in build/: the server, the tests and the benchmark drivers
	@cmake --build $(BUILD) -j $(JOBS)

test: ## every test: unit, integration, e2e, the stack's resilience tests, sanitizers, fuzzing, infra and lint checks
	@scripts/deps.sh test fuzz
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory test-stack
	@$(MAKE) --no-print-directory test-asan
	@$(MAKE) --no-print-directory test-fuzz
	@$(MAKE) --no-print-directory infra-check
	@$(MAKE) --no-print-directory lint

test-unit: build ## the C++ suite (unit, integration, e2e) on the release build
	cd $(BUILD) && ctest -j $(JOBS) --output-on-failure --timeout 300

test-stack: server ## resilience tests on a throwaway stack of their own (rolling restart, SIGKILL, failovers, hostile clients)
	@scripts/deps.sh stack
	@BUILD=$(BUILD) tests/stack/run.sh

stack: ## the production shape on this machine: HAProxy (TLS) -> STACK_TASKS tasks, Redis + replica, PostgreSQL
	@scripts/deps.sh stack
	@$(MAKE) --no-print-directory server
	@BUILD=$(BUILD) scripts/stack/up.sh

stack-down: ## stop what make stack started (data stays in .stack/)
	@BUILD=$(BUILD) scripts/stack/down.sh

test-asan: ## the C++ suite under AddressSanitizer + UndefinedBehaviorSanitizer
	@scripts/deps.sh build
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DB2W_SANITIZE=ON -DB2W_WERROR=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest -j $(JOBS) --output-on-failure --timeout 300 -LE e2e

fuzz: ## every libFuzzer target (tests/fuzz) for FUZZ_SECONDS (300) each, two at a time, under ASan + UBSan
	@scripts/deps.sh fuzz
	@FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) tests/fuzz/run.sh

test-fuzz: ## each libFuzzer target for 30 s (part of make test); a crash or a broken property fails
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30

infra-check: ## Terraform: policy tests, 6.x schema check, validate + test on the real provider, emulated apply on moto
	@bash infra/tests/run.sh

lint: ## shellcheck, actionlint, clang-format and clang-tidy over the whole tree (make test runs it)
	@scripts/deps.sh lint
	@git ls-files -z '*.sh' .ci/run | xargs -0 shellcheck
	@tools/actionlint/run.sh
	@$(MAKE) --no-print-directory configure
	@BUILD=$(BUILD) JOBS=$(JOBS) tools/lint/cpp.sh --all
	@echo "lint: shellcheck, actionlint, clang-format and clang-tidy clean"

lint-changed: ## make lint's C++ checks on the files changed since origin/main (or LINT_BASE=REF) only
	@scripts/deps.sh lint
	@$(MAKE) --no-print-directory configure
	@BUILD=$(BUILD) JOBS=$(JOBS) tools/lint/cpp.sh $(if $(LINT_BASE),--base $(LINT_BASE),--changed)

format: ## rewrite every C++ file as clang-format (.clang-format) lays it out (LINT_BASE=REF: changed files only)
	@scripts/deps.sh lint
	@tools/lint/format.sh --fix $(if $(LINT_BASE),--base $(LINT_BASE))

image: ## build the container image with buildah (no Docker engine or registry needed); prints its name
	@scripts/image.sh

test-image: ## build the image and run it as ECS would (slow the first time; CI runs it)
	@tests/image/run.sh

bench: ## benchmarks (bench/README.md)
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory build
	bench/http_health.sh
	bench/postgres.sh
	bench/redis.sh
	bench/auth.sh
	bench/deposits.sh
	bench/sportsbook.sh
	bench/limits.sh

bench-stack: ## through HAProxy with 2 tasks vs one task direct, and 1 vs 2 tasks (bench/README.md)
	@scripts/deps.sh bench stack
	@$(MAKE) --no-print-directory server
	@BUILD=$(BUILD) bench/stack.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
