#!/usr/bin/env bash
# Image test: builds the backend image (scripts/image.sh, buildah) and checks it the way ECS will run it:
# the task definition's user (10001:10001) and environment (APP_ENV=production, secrets injected at start,
# PostgreSQL and Redis reached through DB_* / REDIS_* - here throwaway servers on loopback), a 200 from the
# health-check, a graceful exit on SIGTERM, nothing written outside /tmp (the task's root filesystem is
# read-only), no secrets or .env files inside, and a size budget.
#
# Usage: tests/image/run.sh            (root or sudo; slow the first time: debootstrap + compile)
#   B2W_IMAGE=<ref>      test this already-built image instead of building one
#   IMAGE_MAX_MB=<n>     size budget in MiB, uncompressed layers (default 120)
# Prints "N passed, 0 failed" last on success; exits non-zero on any failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if [ "$(id -u)" -ne 0 ]; then
  exec sudo --preserve-env=B2W_IMAGE,IMAGE_MAX_MB,JOBS,B2W_IMAGE_KEEP,B2W_DEBIAN_MIRROR,B2W_BUILDAH_ROOT,B2W_BUILDAH_RUNROOT "$0" "$@"
fi

max_mb="${IMAGE_MAX_MB:-120}"
buildah=(buildah --storage-driver vfs)
[ -z "${B2W_BUILDAH_ROOT:-}" ] || buildah+=(--root "$B2W_BUILDAH_ROOT")
[ -z "${B2W_BUILDAH_RUNROOT:-}" ] || buildah+=(--runroot "$B2W_BUILDAH_RUNROOT")
export BUILDAH_ISOLATION=chroot

"$root/scripts/deps.sh" image
# The task's data stores are real servers here too, on loopback (Debian packages redis-server, postgresql).
pg_bin="$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
for tool in curl pgrep runuser redis-server "${pg_bin:-/usr/lib/postgresql/N/bin}/pg_ctl"; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "run.sh: $tool is required (apt-get install curl procps redis-server postgresql)" >&2
    exit 2
  }
done

work="$(mktemp -d /tmp/b2w-image-test.XXXXXX)"
chmod 711 "$work" # the postgres user reaches its own directory below
ctr=""
server_pid=""
redis_pid=""
pg_started=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill_tree "$server_pid" KILL
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  [ -z "$pg_started" ] || runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  [ -z "$ctr" ] || "${buildah[@]}" rm "$ctr" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
pass() { echo "ok - $*"; passed=$((passed + 1)); }
fail() { echo "not ok - $*"; failed=$((failed + 1)); }

# Every process below PID (buildah run starts the service as a grandchild), deepest first.
descendants() {
  local child
  for child in $(pgrep -P "$1" || true); do
    descendants "$child"
    echo "$child"
  done
}
kill_tree() {
  local pid
  for pid in $(descendants "$1") "$1"; do kill "-$2" "$pid" 2>/dev/null || true; done
}

# ------------------------------------------------------------------------------------------ build
if [ -n "${B2W_IMAGE:-}" ]; then
  image="$B2W_IMAGE"
  echo "# testing $image"
else
  echo "# building the image (scripts/image.sh; log: $work/build.log)"
  if ! image="$(scripts/image.sh 2>"$work/build.log")"; then
    tail -n 40 "$work/build.log"
    echo "not ok - image build failed"
    echo "0 passed, 1 failed"
    exit 1
  fi
  grep '^image.sh:' "$work/build.log" | sed 's/^/# /'
fi
inspect() { "${buildah[@]}" inspect --type image --format "$1" "$image"; }

# ------------------------------------------------------------------------------------------ image config
user="$(inspect '{{.OCIv1.Config.User}}')"
case "$user" in
  10001:10001) pass "image user is $user (non-root, the task definition's container_user)" ;;
  *) fail "image user is '$user', expected 10001:10001" ;;
esac

# shellcheck disable=SC2016 # a Go template, not shell
ports="$(inspect '{{range $p, $v := .OCIv1.Config.ExposedPorts}}{{$p}} {{end}}')"
stop_signal="$(inspect '{{.OCIv1.Config.StopSignal}}')"
entrypoint="$(inspect '{{range .OCIv1.Config.Entrypoint}}{{.}} {{end}}{{range .OCIv1.Config.Cmd}}{{.}} {{end}}')"
if [ "$ports" = "4000/tcp " ] && [ "$stop_signal" = SIGTERM ] && [ "$entrypoint" = '/app/bet2wealth serve ' ]; then
  pass "exposes 4000/tcp, stop signal SIGTERM, runs /app/bet2wealth serve"
else
  fail "config: ports '$ports', stop signal '$stop_signal', entrypoint + cmd '$entrypoint'"
fi

env_names="$(inspect '{{range .OCIv1.Config.Env}}{{println .}}{{end}}' | cut -d= -f1 | tr '\n' ' ')"
if grep -Eqi 'SECRET|PASSWORD|TOKEN|_KEY|APP_ENV|NODE_ENV' <<<"$env_names"; then
  fail "image environment names a secret or APP_ENV (the task definition sets those): $env_names"
else
  pass "image environment holds no secrets and no APP_ENV: $env_names"
fi

# ------------------------------------------------------------------------------------------ size
# The sum of the uncompressed layers (what `docker image inspect` reports as Size), from the manifest.
size_bytes="$(inspect '{{.Manifest}}' | sed 's/.*"layers"//' | grep -o '"size": *[0-9]*' |
  awk -F: '{ sum += $2 } END { print sum + 0 }')"
size_mb=$(((size_bytes + 524288) / 1048576))
if [ "$size_bytes" -gt 0 ] && [ "$size_bytes" -le $((max_mb * 1048576)) ]; then
  pass "image size ${size_mb} MiB (${size_bytes} bytes, uncompressed) is within the ${max_mb} MiB budget"
else
  fail "image size ${size_mb} MiB (${size_bytes:-unknown} bytes, uncompressed) exceeds the ${max_mb} MiB budget"
fi

# ------------------------------------------------------------------------------------------ contents
ctr="$("${buildah[@]}" from --pull=never "$image")"
mnt="$("${buildah[@]}" mount "$ctr")"

missing=()
for f in app/bet2wealth app/docs/index.html app/docs/openapi.json app/docs/swagger-ui-bundle.js app/console/index.html \
  app/console/assets app/migrations; do
  [ -e "$mnt/$f" ] || missing+=("/$f")
done
extra="$(cd "$mnt/app" && find . -mindepth 1 -maxdepth 2 \( -name '.npm' -o -name '.stamp' -o -name 'node_modules' \) | tr '\n' ' ')"
if [ ${#missing[@]} -eq 0 ] && [ -z "$extra" ]; then
  pass "/app holds the binary, docs/, console/ and migrations/ and no build leftovers"
else
  fail "/app: missing ${missing[*]:-nothing}; leftovers: ${extra:-none}"
fi

if [ -n "$(find "$mnt/app" -perm /022 -not -type l)" ] || [ -n "$(find "$mnt/app" -user 10001)" ]; then
  fail "/app is writable by or owned by the service user"
elif readelf -S "$mnt/app/bet2wealth" 2>/dev/null | grep -q '\.symtab'; then
  fail "/app/bet2wealth is not stripped"
else
  pass "/app is root-owned and read-only for the service user; the binary is stripped"
fi

# Secret-looking files anywhere: .env files, private keys, SSH keys, Terraform state or variables, git data.
suspects="$(
  find "$mnt" -xdev \( -name '.env' -o -name '.env.*' -o -name '*.tfvars' -o -name '*.tfstate*' \
    -o -name 'id_rsa*' -o -name 'id_ed25519*' -o -name '*.key' -o -name '.git' -o -name '.npmrc' \
    -o -name '.aws' -o -name 'credentials' \) -print 2>/dev/null
  grep -rlI --exclude-dir=proc --exclude-dir=sys -e '-----BEGIN [A-Z ]*PRIVATE KEY-----' "$mnt" 2>/dev/null || true
)"
if [ -z "$suspects" ]; then
  pass "no .env files, private keys, Terraform state/variables or git data in the image"
else
  fail "secret-looking files in the image: $(echo "$suspects" | sed "s|^$mnt||" | tr '\n' ' ')"
fi
"${buildah[@]}" umount "$ctr" >/dev/null

# ------------------------------------------------------------------------------------------ run as ECS would
# Throwaway secrets for this run only (never written to disk), as the task's `secrets` would inject them.
rand() { head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40; }
JWT_SECRET="$(rand)"
JWT_REFRESH_SECRET="$(rand)"
PAYSTACK_SECRET_KEY="sk_test_$(rand)"
REDIS_AUTH_TOKEN="$(rand)"
DB_PASSWORD="$(rand)"

# A loopback port nobody listens on (the services below bind it right away).
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# Redis (ElastiCache stand-in): AUTH token, no persistence.
redis_port="$(free_port)"
mkdir -p "$work/redis"
# Configuration on stdin, so the token is not on a command line.
printf 'bind 127.0.0.1\nport %s\nrequirepass %s\nsave ""\nappendonly no\ndir %s\nlogfile %s\ndaemonize no\n' \
  "$redis_port" "$REDIS_AUTH_TOKEN" "$work/redis" "$work/redis/redis.log" | redis-server - >"$work/redis/stdout.log" 2>&1 &
redis_pid=$!

# PostgreSQL (RDS stand-in): password authentication over TCP, as the task's DB_* variables expect.
pg_port="$(free_port)"
install -d -o postgres -g postgres -m 700 "$work/pg"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  --no-sync -E UTF8 >"$work/pg/initdb.log" 2>&1
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/postgres.log" -w -t 30 -o \
  "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$work/pg -c fsync=off" start >/dev/null
pg_started=1
# SQL on stdin, so the password is not on a command line ([A-Za-z0-9] only: no quoting needed).
runuser -u postgres -- "$pg_bin/psql" -h "$work/pg" -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -q >/dev/null <<SQL
CREATE ROLE bet2wealth LOGIN PASSWORD '$DB_PASSWORD';
CREATE DATABASE bet2wealth OWNER bet2wealth;
SQL

for _ in $(seq 1 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break
  sleep 0.1
done

# The task definition's environment (infra/modules/stack/main.tf) with the data stores above (no TLS on loopback:
# REDIS_TLS=false, DB_SSLMODE=disable), a free loopback port for the service (PORT=0: the kernel picks it,
# the service logs it) and no drain delay.
task_env=(
  -e APP_ENV=production -e APP_NAME=bet2wealth -e "APP_VERSION=${image##*:}"
  -e HOST_URL=https://api.example.test -e ROOT_ENTRY=/api/v1 -e API_DOCS=/api/v1/docs -e LOG_LEVEL=info
  -e TRUSTED_PROXIES=10.0.0.0/16 -e TRUSTED_PROXY_HOPS=1 -e JWT_EXPIRY=15m -e JWT_REFRESH_EXPIRY=7d -e REDIS_POOL_MAX=16 -e REDIS_POOL_MIN=2
  -e RATE_LIMIT_DURATION_SECONDS=60 -e RATE_LIMIT_PERMISSION_POINTS=100 -e PAYSTACK_BASE_URL=https://api.paystack.co
  -e REDIS_HOST=127.0.0.1 -e "REDIS_PORT=$redis_port" -e REDIS_TLS=false
  -e DB_HOST=127.0.0.1 -e "DB_PORT=$pg_port" -e DB_NAME=bet2wealth -e DB_USER=bet2wealth -e DB_SSLMODE=disable
  -e PORT=0 -e BIND_ADDRESS=127.0.0.1 -e SHUTDOWN_DRAIN_SECONDS=0
)
secret_env=(-e "JWT_SECRET=$JWT_SECRET" -e "JWT_REFRESH_SECRET=$JWT_REFRESH_SECRET"
  -e "PAYSTACK_SECRET_KEY=$PAYSTACK_SECRET_KEY" -e "REDIS_AUTH_TOKEN=$REDIS_AUTH_TOKEN" -e "DB_PASSWORD=$DB_PASSWORD")
run_opts=(--isolation chroot --user 10001:10001 --network host --cap-drop ALL)

# Without the injected secrets a production start must refuse (exit 2): nothing is baked into the image.
set +e
"${buildah[@]}" run "${run_opts[@]}" "${task_env[@]}" "$ctr" -- /app/bet2wealth serve >"$work/nosecrets.log" 2>&1
status=$?
set -e
if [ "$status" -eq 2 ] && grep -q 'JWT_SECRET' "$work/nosecrets.log"; then
  pass "APP_ENV=production without injected secrets refuses to start (exit 2)"
else
  fail "APP_ENV=production without secrets: exit $status (expected 2)"
  sed 's/^/#   /' "$work/nosecrets.log" | tail -n 5
fi

touch "$work/started"
sleep 1 # mtime granularity: anything the service writes is newer than this stamp
: >"$work/server.log"
"${buildah[@]}" run "${run_opts[@]}" "${task_env[@]}" "${secret_env[@]}" "$ctr" -- /app/bet2wealth serve \
  >"$work/server.log" 2>&1 &
server_pid=$!

port=""
for _ in $(seq 1 150); do
  port="$(sed -n 's/.*"msg":"listening".*"port":\([0-9]*\).*/\1/p' "$work/server.log" | head -n 1)"
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.2
done

code=""
if [ -n "$port" ]; then
  for _ in $(seq 1 50); do
    code="$(curl -s -o "$work/health.json" -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/api/v1/health-check" || true)"
    [ "$code" = 200 ] && break
    sleep 0.2
  done
fi
if [ "$code" = 200 ] && grep -q '"status":"ok"' "$work/health.json"; then
  pass "GET /api/v1/health-check answers 200 $(head -c 120 "$work/health.json") (port $port)"
else
  fail "health-check: port '${port:-none}', status '${code:-none}'"
  sed 's/^/#   /' "$work/server.log" | tail -n 10
fi

# The service process itself (buildah run's descendant): which uid does it run as?
svc_pid=""
for pid in $(descendants "$server_pid"); do
  case "$(readlink "/proc/$pid/exe" 2>/dev/null || true)" in */app/bet2wealth) svc_pid="$pid" ;; esac
done
uid=""
[ -z "$svc_pid" ] || uid="$(awk '/^Uid:/ { print $2 }' "/proc/$svc_pid/status" 2>/dev/null || true)"
if [ "$uid" = 10001 ]; then
  pass "the service process runs as uid 10001"
else
  fail "service process uid '${uid:-unknown}' (pid '${svc_pid:-not found}')"
fi

if grep -qF -e "$JWT_SECRET" -e "$JWT_REFRESH_SECRET" -e "$PAYSTACK_SECRET_KEY" -e "$REDIS_AUTH_TOKEN" \
  -e "$DB_PASSWORD" "$work/server.log"; then
  fail "a secret value appears in the service's logs"
else
  pass "no secret value in the service's logs"
fi

# SIGTERM (what ECS sends) to the service: graceful drain, exit 0, bounded.
exit_status=""
if [ -n "$svc_pid" ]; then
  kill -TERM "$svc_pid"
  for _ in $(seq 1 100); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$server_pid" 2>/dev/null; then
    exit_status="still running after 10 s"
  else
    set +e
    wait "$server_pid"
    exit_status=$?
    set -e
    server_pid=""
  fi
fi
if [ "$exit_status" = 0 ]; then
  pass "SIGTERM: the service drained and exited 0"
else
  fail "SIGTERM: exit status '${exit_status:-no service process}'"
  sed 's/^/#   /' "$work/server.log" | tail -n 5
fi

# ECS runs the container with a read-only root filesystem and a writable /tmp: the service must not
# have written anywhere else (buildah's own run-time files /etc/hosts, /etc/resolv.conf are ignored).
mnt="$("${buildah[@]}" mount "$ctr")"
written="$(find "$mnt" -xdev -newer "$work/started" -not -path "$mnt/tmp" -not -path "$mnt/tmp/*" \
  -not -path "$mnt/etc/hosts" -not -path "$mnt/etc/resolv.conf" -not -path "$mnt/etc/hostname" \
  -not -path "$mnt/run" -not -path "$mnt/run/*" -not -path "$mnt/dev" -not -path "$mnt/dev/*" \
  -not -path "$mnt/proc" -not -path "$mnt/sys" -not -path "$mnt/etc" -not -path "$mnt" | sed "s|^$mnt||")"
"${buildah[@]}" umount "$ctr" >/dev/null
if [ -z "$written" ]; then
  pass "the service wrote nothing outside /tmp (fits readonlyRootFilesystem)"
else
  fail "the service wrote outside /tmp: $(echo "$written" | tr '\n' ' ')"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
