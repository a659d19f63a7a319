#!/usr/bin/env bash
# Primary-key SELECT through the project's pool vs pgbench -S, same server, same client count, same run.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"  # defines bench_root, bench_tmp, ratio, start_postgres
build=${BUILD:-$bench_root/build}
clients=${BENCH_CLIENTS:-16}
seconds=${BENCH_SECONDS:-10}
port=18495
start_postgres $port
bin=$pg_bin
"${as_pg[@]}" "$bin/pgbench" -h 127.0.0.1 -p $port -U postgres -i -q postgres >/dev/null 2>&1
url=$pg_url

echo "primary-key SELECT, $clients clients, $seconds s each (PostgreSQL on this machine)"
ours=$("$build/bench/db_bench" "$url" "$clients" "$seconds" | awk '{print $1}')
theirs=$("${as_pg[@]}" "$bin/pgbench" -h 127.0.0.1 -p $port -U postgres -S -c "$clients" -j 1 -T "$seconds" postgres 2>/dev/null \
  | awk '/^tps/ {print int($3)}')
theirs_ext=$("${as_pg[@]}" "$bin/pgbench" -h 127.0.0.1 -p $port -U postgres -S -M extended -c "$clients" -j 1 -T "$seconds" postgres 2>/dev/null \
  | awk '/^tps/ {print int($3)}')
printf '%-34s %10s\n' "client" "queries/s"
printf '%-34s %10s\n' "bet2wealth pool (prepared)" "$ours" "pgbench -S (simple protocol)" "$theirs" \
  "pgbench -S -M extended" "$theirs_ext"
echo
echo "bet2wealth / pgbench -S: $(ratio "$ours" "$theirs")x (target >= 0.7); vs -M extended: $(ratio "$ours" "$theirs_ext")x"
