"""What the resilience tests know about the running stack (started by scripts/stack/up.sh): its URL and CA,
the scripts that act on it, HAProxy's view of the tasks, PostgreSQL, and a small HTTPS client. Stdlib only."""
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import socket
import ssl
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
API = "/api/v1"


class Failure(AssertionError):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def log(*parts):
    print("   ", *parts, flush=True)


class Stack:
    def __init__(self):
        env = os.environ
        self.dir = env["STACK_DIR"]
        self.https_port = int(env["STACK_HTTPS_PORT"])
        self.http_port = int(env["STACK_HTTP_PORT"])
        self.stats_port = int(env["STACK_STATS_PORT"])
        self.tasks = int(env.get("STACK_TASKS", "2"))
        self.task_port0 = int(env["STACK_TASK_PORT"])
        self.surge = self.tasks + 1  # the empty slot where a deployment starts a new task (scripts/stack/components.sh)
        self.bin = env["STACK_BIN"]
        # The health checks and the drain as the running stack has them (scripts/stack/lib.sh made them).
        with open(os.path.join(self.dir, "haproxy-alb.cfg")) as f:
            checks = re.search(r"default-server check inter (\d+)ms .*fall (\d+) rise (\d+)", f.read())
        self.check_interval_ms, self.check_fall, self.check_rise = (int(g) for g in checks.groups())
        self.ca = os.path.join(self.dir, "tls", "ca.crt")
        self.secrets = {}
        with open(os.path.join(self.dir, "secrets.env")) as f:
            for line in f:
                k, _, v = line.strip().partition("=")
                self.secrets[k] = v
        self.tls = ssl.create_default_context(cafile=self.ca)
        self.scripts = os.path.join(ROOT, "scripts", "stack")
        task_env = dict(line.partition("=")[::2] for line in self.script("env.sh").stdout.splitlines())
        self.drain_s = duration_s(task_env["SHUTDOWN_DRAIN_SECONDS"])

    # --- the stack's scripts -------------------------------------------------------------------------
    def script(self, name, *args, timeout=60, check_status=True):
        r = subprocess.run([os.path.join(self.scripts, name), *args], capture_output=True, text=True, timeout=timeout)
        if check_status and r.returncode != 0:
            raise Failure("%s %s failed: %s" % (name, " ".join(args), (r.stderr or r.stdout).strip()[-400:]))
        return r

    def task_pid(self, task):
        with open(os.path.join(self.dir, "run", "task%d.pid" % task)) as f:
            return int(f.read())

    def forget_task(self, task, pid):
        """Removes task N's pid file once that process has gone (a pid file left behind could name, once the pid
        is reused, a process that is not the stack's)."""
        path = os.path.join(self.dir, "run", "task%d.pid" % task)
        if self.task_pid(task) == pid:
            os.remove(path)

    def wait_exit(self, pid, timeout):
        """Waits for a process that is not ours to end; the seconds it took."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            try:
                with open("/proc/%d/status" % pid) as f:
                    if "\nState:\tZ" in f.read():
                        return time.monotonic() - start
            except FileNotFoundError:
                return time.monotonic() - start
            time.sleep(0.01)
        raise Failure("process %d still running after %.0f s" % (pid, timeout))

    def cli(self, *args, stdin=None, timeout=60):
        """Runs the bet2wealth binary with the tasks' environment (ledger verify, admin create)."""
        return subprocess.run([os.path.join(self.scripts, "env.sh"), self.bin, *args], input=stdin,
                              capture_output=True, text=True, timeout=timeout)

    def ledger_verify(self):
        r = self.cli("ledger", "verify")
        check(r.returncode == 0, "ledger verify failed: " + (r.stdout + r.stderr)[-600:])

    def psql(self, sql):
        url = "postgresql://bet2wealth:%s@localhost:%s/bet2wealth?sslmode=verify-full&sslrootcert=%s" % (
            self.secrets["DB_PASSWORD"], os.environ["STACK_PG_PORT"], self.ca)
        pg_bin = sorted(d for d in os.listdir("/usr/lib/postgresql"))[-1]
        # The SQL goes on stdin: a statement naming thousands of ids is longer than one argument may be.
        r = subprocess.run(["/usr/lib/postgresql/%s/bin/psql" % pg_bin, url, "-Atq", "-v", "ON_ERROR_STOP=1"],
                           input=sql.rstrip().rstrip(";") + ";\n", capture_output=True, text=True, timeout=30)
        check(r.returncode == 0, "psql failed: " + r.stderr[-300:])
        return r.stdout.strip()

    # --- HAProxy's view --------------------------------------------------------------------------------
    def server_states(self, surge=True):
        """{task name: status} as HAProxy's stats report them (UP, DOWN, MAINT...); surge=False leaves out the
        surge slot (N + 1), empty (DOWN) except while a deployment runs."""
        conn = http.client.HTTPConnection("127.0.0.1", self.stats_port, timeout=5)
        conn.request("GET", "/stats;csv")
        text = conn.getresponse().read().decode()
        conn.close()
        out = {}
        for line in text.splitlines():
            cols = line.split(",")
            if len(cols) > 17 and cols[0] == "tasks" and cols[1].startswith("task") and (
                    surge or cols[1] != "task%d" % self.surge):
                out[cols[1]] = cols[17].split(" ")[0]
        return out

    def wait_state(self, task, state, timeout):
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.server_states().get("task%d" % task) == state:
                return time.monotonic() - start
            time.sleep(0.02)
        raise Failure("HAProxy did not report task%d %s within %.1fs (now %s)" % (task, state, timeout, self.server_states()))

    def wait_all_up(self, timeout=30):
        """Tasks 1..N UP and the surge slot (N + 1) empty, as the stack starts."""
        start = time.monotonic()
        expected = dict({"task%d" % n: "UP" for n in range(1, self.tasks + 1)}, **{"task%d" % self.surge: "DOWN"})
        while time.monotonic() - start < timeout:
            if self.server_states() == expected:
                return
            time.sleep(0.05)
        raise Failure("not every task is UP in HAProxy: %s" % self.server_states())

    def alb_command(self, command):
        """One command on HAProxy's admin socket (`show stat`, `set server ...`, `show events alb_log`); its output."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(10)
        try:
            sock.connect(os.path.join(self.dir, "run", "alb.sock"))
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while True:
                chunk = sock.recv(1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            sock.close()
        return b"".join(chunks).decode("utf-8", "replace")

    def deregister_target(self, task):
        """What the ALB does when ECS deregisters a target: no new requests, those in flight finish."""
        out = self.alb_command("set server tasks/task%d state drain" % task).strip()
        check(not out, "HAProxy refused to drain task%d: %s" % (task, out))

    def register_target(self, task):
        """A slot open for a task again after a deregistration: in rotation once its task passes `rise` health
        checks in a row (call it while the slot is DOWN, or HAProxy puts it straight back in rotation)."""
        out = self.alb_command("set server tasks/task%d state ready" % task).strip()
        check(not out, "HAProxy refused to make task%d ready: %s" % (task, out))

    def alb_counters(self):
        """{server name (and BACKEND): {counter: int}} for the tasks backend, from `show stat`: econ (failed
        connections), eresp (responses that failed), wretr (retries), wredis (redispatches), srv_abrt, scur..."""
        lines = self.alb_command("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        out = {}
        for line in lines[1:]:
            cols = line.split(",")
            if len(cols) == len(header) and cols[0] == "tasks":
                out[cols[1]] = {k: int(v) if v.isdigit() else v for k, v in zip(header, cols)}
        return out

    def alb_log(self):
        """The ALB's access log (HAProxy `option httplog` lines kept in its `alb_log` ring), requests to the tasks
        backend only, as dicts: id (the captured X-Request-Id), server, TR/Tw/Tc/Tr/Ta (ms; -1 when that step
        never happened), status, termination (4 letters, "----" for a clean end), retries, redispatched."""
        out = []
        for line in self.alb_command("show events alb_log").splitlines():
            m = ALB_LOG_LINE.search(line)
            if m:
                out.append({"id": m.group("id"), "server": m.group("server"),
                            "TR": int(m.group("TR")), "Tw": int(m.group("Tw")), "Tc": int(m.group("Tc")),
                            "Tr": int(m.group("Tr")), "Ta": int(m.group("Ta").lstrip("+")),
                            "status": int(m.group("status")), "termination": m.group("term"),
                            "retries": int(m.group("retries").lstrip("+")),
                            "redispatched": m.group("retries").startswith("+")})
        return out

    # --- HTTPS through the ALB -------------------------------------------------------------------------
    def request(self, method, path, body=None, token=None, headers=None, raw=None, timeout=20):
        conn = http.client.HTTPSConnection("localhost", self.https_port, context=self.tls, timeout=timeout)
        h = {"Content-Type": "application/json"}
        if token:
            h["Authorization"] = "Bearer " + token
        h.update(headers or {})
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        try:
            conn.request(method, API + path, body=data, headers=h)
            r = conn.getresponse()
            text = r.read().decode()
            try:
                parsed = json.loads(text) if text else None
            except ValueError:
                parsed = text
            return r.status, parsed, dict((k.lower(), v) for k, v in r.getheaders())
        finally:
            conn.close()

    def expect(self, status, method, path, **kw):
        got, body, _ = self.request(method, path, **kw)
        check(got == status, "%s %s: expected %d, got %d %s" % (method, path, status, got, str(body)[:300]))
        return body

    # --- users, money ----------------------------------------------------------------------------------
    def register(self, prefix="user"):
        email = "%s-%s@stack.test" % (prefix, secrets.token_hex(6))
        password = "stack-pass-" + secrets.token_hex(4)
        body = self.expect(201, "POST", "/auth/register", body={"email": email, "password": password,
                                                                  "date_of_birth": "1990-06-15"})
        return {"email": email, "password": password, "access": body["access_token"], "refresh": body["refresh_token"]}

    def sign(self, body):
        return hmac.new(self.secrets["PAYSTACK_SECRET_KEY"].encode(), body.encode(), hashlib.sha512).hexdigest()

    def charge_success(self, reference, amount):
        return json.dumps({"event": "charge.success",
                           "data": {"id": 1, "status": "success", "reference": reference, "amount": amount,
                                    "currency": "NGN", "channel": "card", "paid_at": "2026-11-25T21:00:00.000Z"}},
                          separators=(",", ":"))

    def fund(self, user, amount):
        dep = self.expect(201, "POST", "/wallet/deposits", body={"amount": amount}, token=user["access"],
                          headers={"Idempotency-Key": "fund-" + secrets.token_hex(8)})
        hook = self.charge_success(dep["reference"], amount)
        self.expect(200, "POST", "/payments/paystack/webhook", raw=hook,
                    headers={"x-paystack-signature": self.sign(hook)})

    def admin(self):
        email = "admin-%s@stack.test" % secrets.token_hex(6)
        password = "stack-admin-" + secrets.token_hex(6)
        r = self.cli("admin", "create", "--email", email, stdin=password + "\n")
        check(r.returncode == 0, "admin create failed: " + (r.stdout + r.stderr)[-400:])
        body = self.expect(200, "POST", "/auth/login", body={"email": email, "password": password})
        return {"email": email, "password": password, "access": body["access_token"]}

    # --- events and bets ---------------------------------------------------------------------------------
    @staticmethod
    def event_body():
        starts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 7 * 86400))
        return {"sport": "football", "home": "Home " + secrets.token_hex(3), "away": "Away " + secrets.token_hex(3),
                "starts_at": starts}

    def create_market(self, admin):
        """An event with a 1X2 market; returns (event id, [selection dicts])."""
        event = self.expect(201, "POST", "/admin/events", token=admin["access"], body=self.event_body())
        market = self.expect(201, "POST", "/admin/events/%s/markets" % event["id"], token=admin["access"],
                             body={"name": "1X2", "selections": [{"name": "Home", "odds": "1.85"},
                                                                 {"name": "Draw", "odds": "3.20"},
                                                                 {"name": "Away", "odds": "4.00"}]})
        return event["id"], market["selections"]


# An `option httplog` line with `capture request header X-Request-Id`: ... https~ tasks/task1 0/0/1/3/4 200 377 - -
# ---- 1/1/0/0/0 0/0 {load-12} "GET /api/v1/wallet HTTP/1.1"
ALB_LOG_LINE = re.compile(
    r" tasks/(?P<server>\S+) (?P<TR>-?\d+)/(?P<Tw>-?\d+)/(?P<Tc>-?\d+)/(?P<Tr>-?\d+)/(?P<Ta>\+?-?\d+) (?P<status>-?\d+) "
    r"\+?\d+ \S+ \S+ (?P<term>\S{4}) \d+/\d+/\d+/\d+/(?P<retries>\+?\d+) \d+/\d+ \{(?P<id>[^}]*)\}")


def duration_s(text):
    """A STACK_* duration ("2s", "750ms", "1") in seconds."""
    text = text.strip()
    if text.endswith("ms"):
        return float(text[:-2]) / 1000
    return float(text.rstrip("s"))


def port_open(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def redis_cli(stack, node, *args):
    """redis-cli to node 1 or 2 (TLS, AUTH); returns its output."""
    port = int(os.environ["STACK_REDIS_PORT"]) + node - 1
    env = dict(os.environ, REDISCLI_AUTH=stack.secrets["REDIS_PASSWORD"])
    r = subprocess.run(["redis-cli", "--no-auth-warning", "--tls", "--cacert", stack.ca, "-h", "127.0.0.1",
                        "-p", str(port), *args], capture_output=True, text=True, timeout=10, env=env)
    return r.stdout.strip()

