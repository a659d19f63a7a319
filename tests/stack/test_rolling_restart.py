"""1. Rolling restart under load: each task in turn gets SIGTERM and is started again with a new APP_VERSION
while reads, logins and bet placements go through HAProxy. Zero failed requests (no 5xx, no 4xx, no connection
errors); every bet that got a 201 is in the database."""
import itertools
import secrets
import time

from load import Load, Req
from stacklib import check, log

NAME = "rolling_restart"


def run(stack, report):
    admin = stack.admin()
    users = [stack.register("roll") for _ in range(8)]
    for u in users:
        stack.fund(u, 50_000_000)  # ₦500,000: room for hundreds of ₦100 bets
    _, selections = stack.create_market(admin)
    placed = []
    counter = itertools.count()

    def next_request(w):
        i = next(counter)
        u = users[w % len(users)]
        auth = {"Authorization": "Bearer " + u["access"]}
        k = i % 20
        if k == 0:
            return Req("login", "POST", "/api/v1/auth/login", body={"email": u["email"], "password": u["password"]})
        if k < 7:
            sel = selections[i % len(selections)]
            body = {"stake": 10_000, "legs": [{"selection_id": sel["id"], "odds": sel["odds"]}]}
            h = dict(auth, **{"Idempotency-Key": "roll-" + secrets.token_hex(8)})
            return Req("bet", "POST", "/api/v1/bets", headers=h, body=body,
                       done=lambda status, b: placed.append(b["id"]) if status == 201 else None)
        if k < 10:
            return Req("events", "GET", "/api/v1/events")
        # No health-check in the mix: its 503 while a task drains is the signal to HAProxy, not a user request.
        if k % 2 == 1:
            return Req("me", "GET", "/api/v1/users/me", headers=auth)
        return Req("wallet", "GET", "/api/v1/wallet", headers=auth)

    load = Load(stack.https_port, stack.ca, next_request, workers=16, seconds=120, max_requests=300000).start()
    time.sleep(2)
    for n in range(1, stack.tasks + 1):
        t0 = time.monotonic()
        stack.script("task.sh", "stop", str(n))
        stopped = time.monotonic() - t0
        stack.script("task.sh", "start", str(n), "stack-2")
        back = stack.wait_state(n, "UP", 15)
        log("task %d: SIGTERM -> exited in %.2fs; restarted as stack-2, back in rotation %.2fs after start"
            % (n, stopped, back))
        time.sleep(1)
    time.sleep(1)
    r = load.join()
    log("load:", r.summary())
    versions = {stack.expect(200, "GET", "/health-check")["version"] for _ in range(2 * stack.tasks)}
    log("versions behind the ALB after the restart:", sorted(versions))
    failed = r.failed(ok=lambda s: s < 400)
    report.figures(NAME, requests=r.sent, failed=failed, bets_201=len(placed))
    check(failed == 0, "%d requests failed during the rolling restart: statuses %s, errors %s"
          % (failed, dict(r.status), dict(r.errors)))
    check(versions == {"stack-2"}, "not every task runs the new version: %s" % versions)
    check(placed, "no bet got a 201")
    ids = ",".join("'%s'" % i.replace("'", "") for i in placed)
    found = int(stack.psql("SELECT count(*) FROM bets WHERE id IN (%s)" % ids))
    log("bets with a 201: %d, found in the database: %d" % (len(placed), found))
    check(found == len(placed), "%d bets answered 201 but only %d are in the database" % (len(placed), found))
