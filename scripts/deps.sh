#!/usr/bin/env bash
# Installs the Debian packages a task needs, and only those that are missing.
# Usage: scripts/deps.sh [build] [runtime] [test] [lint] [bench] [stack] [image] [fuzz]   (default: build)
# The package lists here are the single source: deploy/Dockerfile runs this script too.
set -euo pipefail

build_pkgs=(g++ cmake ninja-build ccache pkg-config make
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev libpq-dev libsodium-dev
  libgtest-dev libgmock-dev libbenchmark-dev ca-certificates
  python3-zxcvbn)  # python3-zxcvbn: its list of common passwords is compiled in (cmake/embed_common_passwords.cmake)
test_pkgs=(chromium curl procps python3 python3-jwt python3-cryptography python3-aiosmtpd redis-server postgresql haproxy openssl iproute2)
# make lint (part of make test): shellcheck, and clang-format and clang-tidy of LLVM 14 (tools/lint/).
lint_pkgs=(shellcheck clang-format-14 clang-tidy-14 python3)  # python3: tools/lint/tidy.py
bench_pkgs=(wrk nginx-light procps util-linux python3 redis-server redis-tools postgresql postgresql-contrib)
stack_pkgs=(haproxy redis-server redis-tools postgresql openssl curl python3 python3-aiosmtpd iproute2 util-linux)
image_pkgs=(buildah debootstrap curl procps redis-server postgresql)
# libFuzzer (tests/fuzz): clang and its runtime libraries (libclang_rt.fuzzer, asan, ubsan).
fuzz_pkgs=(clang-14 libclang-rt-14-dev)
# What the binary needs at run time (the container image's runtime stage installs exactly these). libpq5 is not
# linked: the binary loads it with dlopen for PostgreSQL (src/store/db/libpq.cpp), so ldd does not list it.
runtime_pkgs=(ca-certificates libboost-json1.81.0 libboost-url1.81.0 libssl3 libsqlite3-0 libpq5 libsodium23)
# Node.js (docs assets, infra checks) may come from Debian or be preinstalled.
node_pkgs=(nodejs npm)

want=()
need_node=0
groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(build)
for g in "${groups[@]}"; do
  case "$g" in
    build) want+=("${build_pkgs[@]}"); need_node=1 ;;
    runtime) want+=("${runtime_pkgs[@]}") ;;
    test) want+=("${build_pkgs[@]}" "${test_pkgs[@]}" "${lint_pkgs[@]}"); need_node=1 ;;
    lint) want+=("${build_pkgs[@]}" "${lint_pkgs[@]}"); need_node=1 ;;  # clang-tidy needs a configured build/
    bench) want+=("${build_pkgs[@]}" "${bench_pkgs[@]}"); need_node=1 ;;
    stack) want+=("${build_pkgs[@]}" "${stack_pkgs[@]}"); need_node=1 ;;
    image) want+=("${image_pkgs[@]}") ;;
    fuzz) want+=("${build_pkgs[@]}" "${fuzz_pkgs[@]}") ;;
    *) echo "deps.sh: unknown group '$g' (build, runtime, test, lint, bench, stack, image, fuzz)" >&2; exit 2 ;;
  esac
done
if [ "$need_node" = 1 ] && { ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; }; then
  want+=("${node_pkgs[@]}")
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    case " ${missing[*]-} " in *" $p "*) ;; *) missing+=("$p") ;; esac
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# policy-rc.d keeps package post-install scripts from starting services (nginx, redis...) on this machine.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
  "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
  trap '"${sudo[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
fi
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
