# Shared settings and helpers for scripts/stack/*.sh (sourced).
# shellcheck shell=bash
# shellcheck disable=SC2034  # log_dir and the ports are used by the scripts that source this
# Every setting can be overridden from the environment; `make test-stack` does so with its own
# directory and ports so it never meets a running `make stack`.

stack_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STACK_DIR=${STACK_DIR:-$stack_root/.stack}
STACK_BIN=${STACK_BIN:-$stack_root/${BUILD:-build}/bet2wealth}
STACK_TASKS=${STACK_TASKS:-2}
STACK_HTTPS_PORT=${STACK_HTTPS_PORT:-8443}          # the "ALB" listener (TLS)
STACK_HTTP_PORT=${STACK_HTTP_PORT:-8080}            # redirects 301 to HTTPS
STACK_STATS_PORT=${STACK_STATS_PORT:-8404}          # HAProxy stats page (/stats, /stats;csv)
STACK_TASK_PORT=${STACK_TASK_PORT:-4001}            # task i listens on STACK_TASK_PORT + i - 1
STACK_PG_PORT=${STACK_PG_PORT:-5433}
STACK_REDIS_PORT=${STACK_REDIS_PORT:-6380}          # node 1; node 2 (the replica) on the next port
STACK_REDIS_ENDPOINT_PORT=${STACK_REDIS_ENDPOINT_PORT:-6390}  # "ElastiCache primary endpoint"
STACK_PAYSTACK_PORT=${STACK_PAYSTACK_PORT:-8444}    # TLS in front of tests/support/fake_paystack.py
STACK_SMTP_PORT=${STACK_SMTP_PORT:-2525}            # tests/support/smtp_sink.py (aiosmtpd): STARTTLS and AUTH
# The ALB's health checks and the tasks' drain, on 1/20 of AWS's time scale (its shortest check interval is 5 s):
# a check every 250 ms; 2 failed checks take a task out and 2 passed ones bring it back, the ALB's smallest
# unhealthy and healthy thresholds; after SIGTERM a task answers its health check 503 at once and keeps serving for
# STACK_DRAIN, 4 intervals (SHUTDOWN_DRAIN_SECONDS=20 for a 5 s interval): it is out of rotation after 2 intervals
# at most, 2 intervals before its listener closes. The rolling-restart test checks that it is.
STACK_CHECK_INTERVAL_MS=${STACK_CHECK_INTERVAL_MS:-250}
STACK_CHECK_FALL=${STACK_CHECK_FALL:-2}
STACK_CHECK_RISE=${STACK_CHECK_RISE:-2}
STACK_DRAIN=${STACK_DRAIN:-1s}

tls_dir=$STACK_DIR/tls
run_dir=$STACK_DIR/run
log_dir=$STACK_DIR/logs

say() { echo "stack: $*"; }
die() { echo "stack: FAILED: $*" >&2; exit 1; }

task_port() { echo $((STACK_TASK_PORT + $1 - 1)); }
redis_node_port() { echo $((STACK_REDIS_PORT + $1 - 1)); }

pg_bin_dir() {
  local d
  d=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] || return 1
  echo "$d"
}

# require_cmd COMPONENT BINARY: a clear message when a package is missing.
require_cmd() {
  [ -x "$2" ] || command -v "$2" >/dev/null 2>&1 ||
    die "$1: $2 is not installed (run scripts/deps.sh stack, or make stack which does it)"
}

# port_in_use PORT: true when something listens on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# require_free COMPONENT PORT
require_free() {
  if port_in_use "$2"; then
    local who
    who=$(ss -ltnpH "sport = :$2" 2>/dev/null | grep -o 'users:(("[^"]*"' | head -1 | cut -d'"' -f2)
    die "$1: port $2 is already in use${who:+ (by $who)}; stop it, run make stack-down, or set the STACK_*_PORT variables"
  fi
}

# wait_until SECONDS COMMAND...: polls every 50 ms.
wait_until() {
  local limit=$1; shift
  local end=$((SECONDS + limit))
  until "$@"; do
    [ "$SECONDS" -lt "$end" ] || return 1
    sleep 0.05
  done
}

# pid_alive NAME: the pid recorded in run/NAME.pid is running.
pid_of() { cat "$run_dir/$1.pid" 2>/dev/null; }
pid_alive() {
  local pid
  pid=$(pid_of "$1") && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && proc_matches "$pid"
}

# pid_gone PID: exited (a zombie not yet reaped by whoever adopted it counts as exited). Builtins only: it is
# polled every 50 ms while a task drains, next to the task that serves, and must not cost a process each time.
pid_gone() {
  local key value
  kill -0 "$1" 2>/dev/null || return 0
  while read -r key value; do
    [ "$key" = State: ] && { [ "${value:0:1}" = Z ]; return; }
  done <"/proc/$1/status" 2>/dev/null
  return 0
}

# http_ok PORT PATH: 127.0.0.1:PORT answers PATH with a 200 (HTTP/1.0 over bash's /dev/tcp, so polling it
# starts no process, unlike curl).
http_ok() {
  local line=""
  { printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$2" >&3 && IFS= read -r -t 2 line <&3; } \
    2>/dev/null 3<>"/dev/tcp/127.0.0.1/$1"
  [[ $line == HTTP/1.?" 200 "* ]]
}

# proc_matches PID: the process is one of the stack's (its command line names a program the stack runs),
# so that a stale pid file never gets an unrelated process that reused the pid signalled.
proc_matches() {
  local cmd
  cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  case "$cmd" in *"$STACK_BIN"* | *bet2wealth* | *redis-server* | *haproxy* | *fake_paystack.py* | *smtp_sink.py*) return 0 ;; esac
  return 1
}

# stop_pid NAME [SECONDS]: SIGTERM, then SIGKILL after SECONDS (default 10).
stop_pid() {
  local name=$1 limit=${2:-10} pid
  pid=$(pid_of "$name") || return 0
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && proc_matches "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_until "$limit" pid_gone "$pid"; then
      echo "stack: $name (pid $pid) did not stop in ${limit}s: SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      wait_until 5 pid_gone "$pid" || true
    fi
  fi
  rm -f "$run_dir/$name.pid"
}

# as_postgres CMD...: PostgreSQL refuses to run as root.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The environment of every task, as production is configured (secrets from the stack's secrets file).
task_env() {
  # shellcheck source=/dev/null
  . "$STACK_DIR/secrets.env"
  printf '%s\n' \
    "APP_ENV=production" \
    "BIND_ADDRESS=127.0.0.1" \
    "HOST_URL=https://localhost:$STACK_HTTPS_PORT" \
    "DATABASE_URL=postgresql://bet2wealth:$DB_PASSWORD@localhost:$STACK_PG_PORT/bet2wealth?sslmode=verify-full&sslrootcert=$tls_dir/ca.crt" \
    "REDIS_URL=rediss://default:$REDIS_PASSWORD@localhost:$STACK_REDIS_ENDPOINT_PORT" \
    "REDIS_CA_FILE=$tls_dir/ca.crt" \
    "REDIS_COMMAND_TIMEOUT=${STACK_REDIS_COMMAND_TIMEOUT:-1s}" \
    "REDIS_POOL_ACQUIRE_TIMEOUT=${STACK_REDIS_POOL_ACQUIRE_TIMEOUT:-1000}" \
    "DB_ACQUIRE_TIMEOUT=${STACK_DB_ACQUIRE_TIMEOUT:-2s}" \
    "DB_QUERY_TIMEOUT=${STACK_DB_QUERY_TIMEOUT:-5s}" \
    "DB_POOL_MIN=${STACK_DB_POOL_MIN:-10}" \
    "DB_POOL_MAX=${STACK_DB_POOL_MAX:-10}" \
    "REDIS_POOL_MIN=${STACK_REDIS_POOL_MIN:-2}" \
    "REDIS_POOL_MAX=${STACK_REDIS_POOL_MAX:-16}" \
    "JWT_SECRET=$JWT_SECRET" \
    "JWT_REFRESH_SECRET=$JWT_REFRESH_SECRET" \
    "PAYSTACK_SECRET_KEY=$PAYSTACK_SECRET_KEY" \
    "PAYSTACK_BASE_URL=https://localhost:$STACK_PAYSTACK_PORT" \
    "PAYSTACK_TIMEOUT=5s" \
    "PAYMENT_RECONCILE_INTERVAL=${STACK_PAYMENT_RECONCILE_INTERVAL:-1m}" \
    "PAYMENT_RECONCILE_AFTER=${STACK_PAYMENT_RECONCILE_AFTER:-10m}" \
    "PAYMENT_RECONCILE_LEASE=${STACK_PAYMENT_RECONCILE_LEASE:-3m}" \
    "FUNDIST_HMAC_SECRET=$FUNDIST_HMAC_SECRET" \
    "SMTP_HOST=localhost" \
    "SMTP_PORT=$STACK_SMTP_PORT" \
    "SMTP_SECURITY=starttls" \
    "SMTP_USER=bet2wealth" \
    "SMTP_PASSWORD=$SMTP_PASSWORD" \
    "MAIL_SEND_LEASE=${STACK_MAIL_SEND_LEASE:-3s}" \
    "WEB_APP_URL=https://localhost:$STACK_HTTPS_PORT" \
    "SSL_CERT_FILE=$tls_dir/ca.crt" \
    "SHUTDOWN_DRAIN_SECONDS=$STACK_DRAIN" \
    "SHUTDOWN_TIMEOUT=20s" \
    "TRUSTED_PROXIES=127.0.0.0/8,::1/128" \
    "TRUSTED_PROXY_HOPS=1" \
    "RATE_LIMIT_PERMISSION_POINTS=${STACK_RATE_LIMIT_POINTS:-1000000}" \
    "LOGIN_MAX_ATTEMPTS_PER_IP=${STACK_LOGIN_MAX_ATTEMPTS_PER_IP:-100000}" \
    "REGISTER_MAX_PER_IP=${STACK_REGISTER_MAX_PER_IP:-100000}" \
    "LOG_LEVEL=${STACK_LOG_LEVEL:-info}"
}

# with_task_env CMD...: runs CMD (e.g. the binary's `ledger verify`) with the tasks' environment.
with_task_env() {
  local vars=()
  mapfile -t vars < <(task_env)
  env "${vars[@]}" "$@"
}
