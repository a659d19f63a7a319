"""5. PostgreSQL restarted: requests that need it get 503 service_unavailable quickly during the outage (no
hangs, no connection errors, tasks stay in rotation); the service recovers by itself; `ledger verify` passes."""
import time

from load import Load, Req
from stacklib import check, log

NAME = "postgres_restart"
OUTAGE_S = 3.0
FAST_S = 2.5        # DB_ACQUIRE_TIMEOUT is 2 s in the stack; nothing may wait longer than that and a margin
RECOVERY_LIMIT_S = 10.0


def run(stack, report):
    users = [stack.register("pg") for _ in range(4)]
    for u in users:
        stack.fund(u, 50_000)

    def next_request(w):
        u = users[w % len(users)]
        if w % 4 == 0:
            return Req("health", "GET", "/api/v1/health-check")
        return Req("wallet", "GET", "/api/v1/wallet", headers={"Authorization": "Bearer " + u["access"]})

    load = Load(stack.https_port, stack.ca, next_request, workers=8, seconds=60, max_requests=200000).start()
    time.sleep(1)
    t_stop = time.monotonic()
    stack.script("postgres.sh", "stop")
    stopped = time.monotonic()
    time.sleep(0.5)
    t0 = time.monotonic()
    status, body, _ = stack.request("GET", "/wallet", token=users[0]["access"])
    direct = time.monotonic() - t0
    code = body["error"]["code"] if isinstance(body, dict) and "error" in body else None
    time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - stopped)))
    states = stack.server_states(surge=False)
    t_start = time.monotonic()
    stack.script("postgres.sh", "start")
    started = time.monotonic()
    recovered = None
    while time.monotonic() - started < 30:
        if stack.request("GET", "/wallet", token=users[0]["access"])[0] == 200:
            recovered = time.monotonic() - started
            break
        time.sleep(0.05)
    time.sleep(1)
    r = load.join()

    outage = [e for e in r.events if stopped <= e[0] <= t_start and e[1] == "wallet"]
    slow = [e for e in outage if e[3] > FAST_S]
    statuses = {}
    for e in outage:
        statuses[e[2]] = statuses.get(e[2], 0) + 1
    worst = max((e[3] for e in outage), default=0)
    errors = [e for e in r.events if not isinstance(e[2], int) or e[2] not in (200, 503)]
    log("postgres stopped in %.2fs, down %.1fs, started in %.2fs; a wallet read during the outage: %d %s in %.0f ms"
        % (stopped - t_stop, t_start - stopped, started - t_start, status, code, direct * 1e3))
    log("wallet reads during the outage: %s, slowest %.0f ms; HAProxy during the outage: %s" % (statuses, worst * 1e3, states))
    log("recovered %.2fs after postgres was back" % (recovered or -1))
    log("load:", r.summary())
    stack.ledger_verify()
    report.figures(NAME, requests=r.sent, failed_503=r.status[503], other_failures=len(errors),
                   slowest_outage_ms=round(worst * 1e3), recovery_s=round(recovered or -1, 3))
    check(status == 503 and code == "service_unavailable", "during the outage: %d %s" % (status, body))
    check(statuses.get(503, 0) > 0, "no request saw the outage")
    check(not slow, "%d requests took longer than %.1fs during the outage" % (len(slow), FAST_S))
    check(not errors, "requests failed otherwise than 503: %s" % errors[:5])
    check(all(s == "UP" for s in states.values()), "tasks left rotation during the outage: %s" % states)
    check(recovered is not None and recovered <= RECOVERY_LIMIT_S, "not recovered within %.0fs" % RECOVERY_LIMIT_S)
