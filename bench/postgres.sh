#!/usr/bin/env bash
# Primary-key SELECT through the project's pool vs pgbench -S, same server, same client count, same run.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"  # defines bench_root, bench_tmp, bench_pids, ratio
build=${BUILD:-$bench_root/build}
clients=${BENCH_CLIENTS:-16}
seconds=${BENCH_SECONDS:-10}
bin=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort | tail -1)
port=18495
as_pg=()
[ "$(id -u)" -eq 0 ] && { chown postgres "$bench_tmp"; as_pg=(runuser -u postgres --); }

"${as_pg[@]}" "$bin/initdb" -D "$bench_tmp/pg" -U postgres --auth=trust >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$bench_tmp/pg" -l "$bench_tmp/pg.log" -w \
  -o "-p $port -k $bench_tmp -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
stop_pg() { "${as_pg[@]}" "$bin/pg_ctl" -D "$bench_tmp/pg" -m fast -w stop >/dev/null 2>&1 || true; }
trap 'stop_pg; bench_cleanup' EXIT

"${as_pg[@]}" "$bin/pgbench" -h 127.0.0.1 -p $port -U postgres -i -q postgres >/dev/null 2>&1
url="postgresql://postgres@127.0.0.1:$port/postgres"

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
