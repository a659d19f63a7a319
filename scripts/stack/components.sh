# How each component of the local stack is made and started (sourced by up.sh and task.sh, after lib.sh).
# shellcheck shell=bash
# shellcheck disable=SC2154  # stack_root, tls_dir, run_dir, log_dir come from lib.sh

# A local CA (made once, kept in $STACK_DIR/tls) and one certificate for localhost/127.0.0.1 signed by it.
make_tls() {
  require_cmd tls openssl
  mkdir -p "$tls_dir"
  if [ ! -s "$tls_dir/ca.crt" ]; then
    say "tls: creating a local CA and a certificate for localhost in $tls_dir"
    (
      cd "$tls_dir"
      umask 077
      openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=bet2wealth local stack CA" \
        -keyout ca.key -out ca.crt 2>/dev/null
      openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
      printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' >ext.cnf
      openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 -extfile ext.cnf \
        -out server.crt 2>/dev/null
      cat server.crt server.key >server.pem
      rm -f server.csr ext.cnf
      chmod 644 ca.crt server.crt
    ) || die "tls: openssl could not make the certificates"
  fi
}

# Secrets generated once into $STACK_DIR/secrets.env (mode 600), as SSM/Secrets Manager would hold them.
make_secrets() {
  if [ ! -s "$STACK_DIR/secrets.env" ]; then
    (
      umask 077
      {
        echo "JWT_SECRET=$(openssl rand -hex 32)"
        echo "JWT_REFRESH_SECRET=$(openssl rand -hex 32)"
        echo "PAYSTACK_SECRET_KEY=sk_test_$(openssl rand -hex 20)"
        echo "REDIS_PASSWORD=$(openssl rand -hex 24)"
        echo "DB_PASSWORD=$(openssl rand -hex 24)"
      } >"$STACK_DIR/secrets.env"
    )
  fi
  # shellcheck source=/dev/null
  . "$STACK_DIR/secrets.env"
  # Added after the first stacks were made: a stack of before gets it on its next start.
  if [ -z "${FUNDIST_HMAC_SECRET:-}" ]; then
    (umask 077 && echo "FUNDIST_HMAC_SECRET=$(openssl rand -hex 24)" >>"$STACK_DIR/secrets.env")
    # shellcheck source=/dev/null
    . "$STACK_DIR/secrets.env"
  fi
  if [ -z "${SMTP_PASSWORD:-}" ]; then
    (umask 077 && echo "SMTP_PASSWORD=$(openssl rand -hex 24)" >>"$STACK_DIR/secrets.env")
    # shellcheck source=/dev/null
    . "$STACK_DIR/secrets.env"
  fi
}

# PostgreSQL with TLS and a password (scram), database and role bet2wealth.
start_postgres() {
  local bin pg=$STACK_DIR/postgres
  bin=$(pg_bin_dir) || die "postgres: server binaries not found (run scripts/deps.sh stack)"
  require_free postgres "$STACK_PG_PORT"
  mkdir -p "$pg"
  [ "$(id -u)" -ne 0 ] || chown postgres "$pg"
  if [ ! -s "$pg/data/PG_VERSION" ]; then
    (umask 077; echo "$DB_PASSWORD" >"$pg/pw")
    [ "$(id -u)" -ne 0 ] || chown postgres "$pg/pw"
    as_postgres "$bin/initdb" -D "$pg/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --pwfile="$pg/pw" -E UTF8 --no-sync >"$log_dir/postgres-init.log" 2>&1 ||
      die "postgres: initdb failed: $(tail -3 "$log_dir/postgres-init.log")"
    rm -f "$pg/pw"
    cp "$tls_dir/server.crt" "$pg/data/server.crt"
    cp "$tls_dir/server.key" "$pg/data/server.key"
    [ "$(id -u)" -ne 0 ] || chown postgres "$pg/data/server.crt" "$pg/data/server.key"
    chmod 600 "$pg/data/server.key"
    printf '%s\n' "listen_addresses = '127.0.0.1'" "unix_socket_directories = '$pg'" "max_connections = 200" \
      "ssl = on" "fsync = off" "synchronous_commit = off" "full_page_writes = off" >"$pg/data/postgresql.auto.conf"
    printf '%s\n' "local all postgres trust" "hostssl all all 127.0.0.1/32 scram-sha-256" \
      "hostnossl all all 127.0.0.1/32 reject" >"$pg/data/pg_hba.conf"
  fi
  as_postgres "$bin/pg_ctl" -D "$pg/data" -l "$pg/postgres.log" -w -t 30 -o "-p $STACK_PG_PORT" start \
    >/dev/null 2>&1 || die "postgres: did not start: $(tail -3 "$pg/postgres.log")"
  if ! as_postgres "$bin/psql" -h "$pg" -p "$STACK_PG_PORT" -U postgres -d postgres -Atqc \
    "SELECT 1 FROM pg_roles WHERE rolname = 'bet2wealth'" | grep -q 1; then
    as_postgres "$bin/psql" -h "$pg" -p "$STACK_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qc \
      "CREATE ROLE bet2wealth LOGIN PASSWORD '$DB_PASSWORD'" -c "CREATE DATABASE bet2wealth OWNER bet2wealth" \
      >/dev/null || die "postgres: could not create the bet2wealth role and database"
  fi
  say "postgres: 127.0.0.1:$STACK_PG_PORT (TLS, scram)"
}

stop_postgres() {
  local bin
  bin=$(pg_bin_dir) || return 0
  [ -s "$STACK_DIR/postgres/data/postmaster.pid" ] || return 0
  as_postgres "$bin/pg_ctl" -D "$STACK_DIR/postgres/data" -m fast -w -t 20 stop >/dev/null 2>&1 || true
}

# redis node N (1 or 2): TLS only, AUTH, no persistence; REPLICA_OF is the port of its primary, or empty.
start_redis_node() {
  local n=$1 replica_of=$2 port dir=$STACK_DIR/redis$1
  port=$(redis_node_port "$n")
  require_cmd redis redis-server
  require_free "redis node $n" "$port"
  mkdir -p "$dir"
  {
    echo "bind 127.0.0.1"
    echo "port 0"
    echo "tls-port $port"
    echo "tls-cert-file $tls_dir/server.crt"
    echo "tls-key-file $tls_dir/server.key"
    echo "tls-ca-cert-file $tls_dir/ca.crt"
    echo "tls-auth-clients no"
    echo "tls-replication yes"
    echo "requirepass $REDIS_PASSWORD"
    echo "masterauth $REDIS_PASSWORD"
    echo "dir $dir"
    echo "save \"\""
    echo "appendonly no"
    echo "repl-diskless-sync-delay 0"
    echo "daemonize yes"
    echo "pidfile $run_dir/redis$n.pid"
    echo "logfile $log_dir/redis$n.log"
    [ -z "$replica_of" ] || echo "replicaof 127.0.0.1 $replica_of"
  } >"$dir/redis.conf"
  chmod 600 "$dir/redis.conf"
  redis-server "$dir/redis.conf" || die "redis node $n: redis-server failed: $(tail -3 "$log_dir/redis$n.log")"
  wait_until 10 redis_ping "$n" || die "redis node $n: no PONG in 10 s: $(tail -3 "$log_dir/redis$n.log")"
}

# redis_cli N ARGS...: redis-cli to node N over TLS with the password.
redis_cli() {
  local n=$1; shift
  REDISCLI_AUTH=$REDIS_PASSWORD redis-cli --no-auth-warning --tls --cacert "$tls_dir/ca.crt" \
    -h 127.0.0.1 -p "$(redis_node_port "$n")" "$@"
}
redis_ping() { [ "$(redis_cli "$1" PING 2>/dev/null)" = PONG ]; }

start_redis() {
  make_secrets
  start_redis_node 1 ""
  start_redis_node 2 "$(redis_node_port 1)"
  say "redis: primary 127.0.0.1:$(redis_node_port 1), replica 127.0.0.1:$(redis_node_port 2) (TLS, AUTH)"
}

# The fake Paystack (HTTP on an ephemeral port); the endpoints proxy puts TLS in front of it.
start_paystack() {
  require_cmd paystack /usr/bin/python3
  require_free "paystack (TLS)" "$STACK_PAYSTACK_PORT"
  setsid /usr/bin/python3 "$stack_root/tests/support/fake_paystack.py" "$PAYSTACK_SECRET_KEY" \
    >"$log_dir/paystack.log" 2>&1 </dev/null &
  echo $! >"$run_dir/paystack.pid"
  wait_until 10 grep -qs "^PORT " "$log_dir/paystack.log" || die "paystack: the fake did not start: $(tail -3 "$log_dir/paystack.log")"
  paystack_backend_port=$(awk '/^PORT / {print $2; exit}' "$log_dir/paystack.log")
}

# The mail server (aiosmtpd) with STARTTLS (the stack's certificate) and AUTH; what it accepts lands in
# $STACK_DIR/mail (<n>.eml and <n>.json).
start_smtp() {
  require_cmd smtp /usr/bin/python3
  require_free smtp "$STACK_SMTP_PORT"
  mkdir -p "$STACK_DIR/mail"
  setsid /usr/bin/python3 "$stack_root/tests/support/smtp_sink.py" "$STACK_DIR/mail" --port "$STACK_SMTP_PORT" \
    --user bet2wealth --password "$SMTP_PASSWORD" --starttls "$tls_dir/server.crt" "$tls_dir/server.key" \
    >"$log_dir/smtp.log" 2>&1 </dev/null &
  echo $! >"$run_dir/smtp.pid"
  wait_until 10 grep -qs "^PORT " "$log_dir/smtp.log" || die "smtp: the sink did not start: $(tail -3 "$log_dir/smtp.log")"
  say "smtp: localhost:$STACK_SMTP_PORT (STARTTLS, AUTH) -> $STACK_DIR/mail"
}

# HAProxy for what AWS provides as endpoints: the ElastiCache primary endpoint (TCP, passes TLS through,
# routes to whichever node answers role:master) and TLS in front of the fake Paystack.
start_endpoints() {
  require_cmd haproxy haproxy
  require_free "redis endpoint" "$STACK_REDIS_ENDPOINT_PORT"
  local i=$STACK_CHECK_INTERVAL_MS
  cat >"$STACK_DIR/haproxy-endpoints.cfg" <<EOF
global
  maxconn 1000
  stats socket $run_dir/endpoints.sock mode 600 level admin
defaults
  timeout connect 1s
  timeout client 1h
  timeout server 1h
  timeout check 1s
frontend redis_endpoint
  mode tcp
  bind 127.0.0.1:$STACK_REDIS_ENDPOINT_PORT
  default_backend redis_primary
backend redis_primary
  mode tcp
  balance first
  option tcp-check
  tcp-check connect ssl
  tcp-check send AUTH\ default\ $REDIS_PASSWORD\r\n
  tcp-check expect string +OK
  tcp-check send INFO\ replication\r\n
  tcp-check expect string role:master
  tcp-check send QUIT\r\n
  tcp-check expect string +OK
  default-server check inter ${i}ms fall 1 rise 1 ca-file $tls_dir/ca.crt verify required on-marked-down shutdown-sessions
  server node1 127.0.0.1:$(redis_node_port 1)
  server node2 127.0.0.1:$(redis_node_port 2)
frontend paystack
  mode http
  bind 127.0.0.1:$STACK_PAYSTACK_PORT ssl crt $tls_dir/server.pem
  default_backend paystack
backend paystack
  mode http
  timeout server 30s
  server fake 127.0.0.1:$paystack_backend_port
EOF
  chmod 600 "$STACK_DIR/haproxy-endpoints.cfg"
  haproxy -c -q -f "$STACK_DIR/haproxy-endpoints.cfg" >"$log_dir/haproxy-endpoints.log" 2>&1 ||
    die "endpoints haproxy: bad configuration: $(tail -3 "$log_dir/haproxy-endpoints.log")"
  haproxy -D -p "$run_dir/haproxy-endpoints.pid" -f "$STACK_DIR/haproxy-endpoints.cfg" \
    >>"$log_dir/haproxy-endpoints.log" 2>&1 || die "endpoints haproxy: did not start: $(tail -3 "$log_dir/haproxy-endpoints.log")"
  mv "$run_dir/haproxy-endpoints.pid" "$run_dir/endpoints.pid"
  wait_until 10 redis_endpoint_ok || die "redis endpoint: 127.0.0.1:$STACK_REDIS_ENDPOINT_PORT does not reach the primary"
  say "redis endpoint: rediss://localhost:$STACK_REDIS_ENDPOINT_PORT -> node with role:master"
  say "paystack: https://localhost:$STACK_PAYSTACK_PORT -> fake on 127.0.0.1:$paystack_backend_port"
}

# The endpoint reaches the primary: HAProxy counts a server UP until its first check, so the replica must
# have been marked down too (four answers in a row from a role:master node).
redis_endpoint_ok() {
  local i
  for i in 1 2 3 4; do
    REDISCLI_AUTH=$REDIS_PASSWORD redis-cli --no-auth-warning --tls --cacert "$tls_dir/ca.crt" \
      -h localhost -p "$STACK_REDIS_ENDPOINT_PORT" INFO replication 2>/dev/null | grep -q '^role:master' || return 1
  done
}

# The "ALB": TLS, 80 -> 301, X-Forwarded-*, active health checks, round robin over the tasks.
start_alb() {
  require_cmd haproxy haproxy
  require_free "alb (https)" "$STACK_HTTPS_PORT"
  require_free "alb (http)" "$STACK_HTTP_PORT"
  require_free "alb (stats)" "$STACK_STATS_PORT"
  local i=$STACK_CHECK_INTERVAL_MS n servers="" maxconn hard
  # HAProxy needs about two descriptors a connection; stay within what this machine allows.
  hard=$(ulimit -Hn)
  [ "$hard" = unlimited ] && hard=1048576
  maxconn=$(( (hard - 200) / 2 < 4000 ? (hard - 200) / 2 : 4000 ))
  for n in $(seq 1 "$STACK_TASKS"); do servers+="  server task$n 127.0.0.1:$(task_port "$n")"$'\n'; done
  # One slot more, empty (DOWN) until a deployment starts its new task there before it stops an old one, as ECS
  # does (maximum percent 200); in rotation once it passes its health checks, as a newly registered target.
  n=$((STACK_TASKS + 1))
  servers+="  server task$n 127.0.0.1:$(task_port "$n")"$'\n'
  cat >"$STACK_DIR/haproxy-alb.cfg" <<EOF
global
  maxconn $maxconn
  stats socket $run_dir/alb.sock mode 600 level admin
  tune.ssl.default-dh-param 2048
# Access log (timers, retries, redispatches) kept in memory: \`show events alb_log\` on the stats socket.
ring alb_log
  format iso
  size 33554432
defaults
  mode http
  log ring@alb_log local0
  option httplog
  timeout connect 1s
  timeout client 60s
  timeout http-request 10s
  timeout http-keep-alive 60s
  timeout server 30s
  # An upgraded connection (GET /api/v1/stream, WebSocket) is a tunnel: idle for at most 60 s, as the ALB's
  # idle timeout, rather than the 30 s server timeout (the service pings every STREAM_IDLE_TIMEOUT / 2 = 22.5 s).
  timeout tunnel 60s
  timeout check 1s
  option http-keep-alive
frontend http
  bind 127.0.0.1:$STACK_HTTP_PORT
  http-request redirect code 301 location https://%[req.hdr(host),field(1,:)]:$STACK_HTTPS_PORT%[capture.req.uri]
frontend https
  bind 127.0.0.1:$STACK_HTTPS_PORT ssl crt $tls_dir/server.pem alpn http/1.1
  maxconn $((maxconn - 200))
  option forwardfor
  capture request header X-Request-Id len 40
  http-request set-header X-Forwarded-Proto https
  http-request set-header X-Forwarded-Port $STACK_HTTPS_PORT
  default_backend tasks
backend tasks
  balance roundrobin
  option httpchk
  http-check send meth GET uri /api/v1/health-check ver HTTP/1.1 hdr Host localhost
  http-check expect status 200
  # Connection failures are always safe to retry elsewhere; an empty response only for requests that are
  # idempotent or carry an Idempotency-Key (a POST the task may have processed is never sent twice). A safety net
  # only: the real ALB retries nothing (a reset is a 502), so the rolling-restart test requires that none happen.
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response
  http-request disable-l7-retry if !METH_GET !METH_HEAD !{ req.hdr(idempotency-key) -m found }
  default-server check inter ${i}ms fastinter ${i}ms downinter ${i}ms fall $STACK_CHECK_FALL rise $STACK_CHECK_RISE
$servers
frontend stats
  bind 127.0.0.1:$STACK_STATS_PORT
  stats enable
  stats uri /stats
  stats refresh 2s
EOF
  haproxy -c -q -f "$STACK_DIR/haproxy-alb.cfg" >"$log_dir/haproxy-alb.log" 2>&1 ||
    die "alb haproxy: bad configuration: $(tail -3 "$log_dir/haproxy-alb.log")"
  haproxy -D -p "$run_dir/alb.pid.tmp" -f "$STACK_DIR/haproxy-alb.cfg" >>"$log_dir/haproxy-alb.log" 2>&1 ||
    die "alb haproxy: did not start: $(tail -3 "$log_dir/haproxy-alb.log")"
  mv "$run_dir/alb.pid.tmp" "$run_dir/alb.pid"
}

# tasks_up: how many tasks HAProxy reports UP.
tasks_up() {
  curl -fs "http://127.0.0.1:$STACK_STATS_PORT/stats;csv" | awk -F, '$1 == "tasks" && $2 ~ /^task/ && $18 == "UP"' | wc -l
}
all_tasks_up() { [ "$(tasks_up)" -eq "$STACK_TASKS" ]; }

# start_task N [APP_VERSION]: one `bet2wealth serve` on its port; waits for its health-check.
start_task() {
  local n=$1 version=${2:-stack-1} port vars=()
  port=$(task_port "$n")
  [ -x "$STACK_BIN" ] || die "task $n: $STACK_BIN not found (make build${BUILD:+ BUILD=$BUILD})"
  require_free "task $n" "$port"
  mapfile -t vars < <(task_env)
  echo "--- start $(date -u +%FT%TZ) APP_VERSION=$version" >>"$log_dir/task$n.log"
  env "${vars[@]}" PORT="$port" APP_VERSION="$version" setsid "$STACK_BIN" serve >>"$log_dir/task$n.log" 2>&1 </dev/null &
  echo $! >"$run_dir/task$n.pid"
  if ! wait_until 20 http_ok "$port" /api/v1/health-check; then
    pid_alive "task$n" || die "task $n: exited at start: $(tail -2 "$log_dir/task$n.log")"
    die "task $n: no 200 from its health-check on 127.0.0.1:$port in 20 s (log: $log_dir/task$n.log)"
  fi
}
