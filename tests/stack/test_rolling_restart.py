"""1. Rolling restart under load: users keep arriving at a fixed rate (reads, logins, bet placements through HAProxy)
while every task is replaced as an ECS deployment does it: a new task starts and passes its health checks, then an
old one stops, deregistered first (ECS) or by SIGTERM alone while in rotation (its health check takes it out).
Zero failed requests; p99 <= 100 ms during the deployment as the ALB measures it, and at most 100 ms more than
without a deployment as the users measure it; HAProxy retried nothing and no connection to a task
failed; every bet that got a 201 is in the database."""
import itertools
import os
import secrets
import signal
import time

from load import Load, Req, percentiles
from stacklib import check, log

NAME = "rolling_restart"
# Users arrive at this rate whatever the latency (open loop): about a quarter of what the stack serves on a busy
# 2-core machine, where its tasks, PostgreSQL, Redis, HAProxy and this client share the CPUs.
RATE = float(os.environ.get("STACK_ROLL_RATE", "50"))
CONNECTIONS = 32
P99_LIMIT_S = 0.100
# Logins wait for argon2, which runs on purpose at the lowest CPU priority (SCHED_IDLE, util/blocking_pool.hpp):
# their latency measures the CPU the machine has to spare, deploy or not. They are reported, not in the p99.
CPU_BOUND = ("login",)
# ECS waits for a deregistered target to have no request in flight (at most the deregistration delay) before SIGTERM.
DEREGISTRATION_LIMIT_S = 5.0
# The deployment is one period, as users live it: its steps and the time between them, when old and new tasks
# serve side by side (in ECS tens of seconds a step: 2 health checks 5 s apart, the deregistration, a 20 s drain;
# here the same sequence runs 20 times faster, so a new task's first, slower, requests weigh 20 times more).
# The p99 of the steps alone is reported too.
BETWEEN_STEPS_S = 2.0
# After the last step its new task's first requests still count as the deployment's.
SETTLE_S = 1.0
# The same load before and after the deployment, every task in rotation: the steady state it is compared with.
STEADY_S = 3.0
MARKS = []  # (monotonic time, what happened to a task)


def mark(text):
    MARKS.append((time.monotonic(), text))


def ms(seconds):
    return "%.1f ms" % (seconds * 1e3)


def line(latencies):
    n, p50, p99, top = percentiles(latencies)
    return "%d requests, p50 %s, p99 %s, max %s" % (n, ms(p50), ms(p99), ms(top))


def move(stack, src, dst, version, deregister_first, deregistration_delay_s=None):
    """One step of a deployment as ECS makes it (maximum percent 200): a new task starts in the empty slot `dst`
    and is in rotation once it passes its health checks, then the task in slot `src` stops. Deregistered first,
    as ECS does: ECS waits until no request is in flight on it, then SIGTERM. Otherwise SIGTERM while in rotation
    (as when a task is stopped some other way): its health check, 503 from the first instant, must take it out
    before its drain ends and its listener closes. Slot `src` is then the empty one. Returns the time from SIGTERM
    to out of rotation when the health check took the task out. With long-lived connections (WebSockets) that never
    leave by themselves, ECS waits out its deregistration delay instead: `deregistration_delay_s`."""
    mark("task%d starting (%s)" % (dst, version))
    t0 = time.monotonic()
    stack.script("task.sh", "start", str(dst), version)
    started = time.monotonic() - t0
    back = stack.wait_state(dst, "UP", 15)
    mark("task%d UP" % dst)
    pid = stack.task_pid(src)
    dropped = None
    t0 = time.monotonic()
    if deregister_first:
        mark("task%d deregistered" % src)
        stack.deregister_target(src)
        if deregistration_delay_s is not None:
            time.sleep(deregistration_delay_s)
        while deregistration_delay_s is None and stack.alb_counters()["task%d" % src]["scur"] > 0:
            check(time.monotonic() - t0 < DEREGISTRATION_LIMIT_S, "task%d still has requests in flight %.0f s after "
                  "its deregistration" % (src, DEREGISTRATION_LIMIT_S))
            time.sleep(0.01)
        how = "deregistered, %s after %s, then SIGTERM" % (
            "no request in flight" if deregistration_delay_s is None else "its deregistration delay",
            ms(time.monotonic() - t0))
        t0 = time.monotonic()
        os.kill(pid, signal.SIGTERM)
        mark("task%d SIGTERM" % src)
    else:
        os.kill(pid, signal.SIGTERM)
        mark("task%d SIGTERM" % src)
        dropped = stack.wait_state(src, "DOWN", 10)
        mark("task%d DOWN (its health check)" % src)
        how = "SIGTERM in rotation, out of it after %s (drain %.2f s)" % (ms(dropped), stack.drain_s)
    exited = time.monotonic() - t0 + stack.wait_exit(pid, 30)
    mark("task%d exited" % src)
    stack.forget_task(src, pid)
    if deregister_first:
        stack.wait_state(src, "DOWN", 10)
        stack.register_target(src)  # the slot is open for the next new task
    log("task %d %s started in %.2f s, in rotation %.2f s later; task %d: %s, exited %.2f s after SIGTERM"
        % (dst, version, started, back, src, how, exited))
    return dropped


def run(stack, report):
    del MARKS[:]
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
        if k == 0:  # each account in turn: a second login of one account waits for the first (then 429)
            u = users[i // 20 % len(users)]
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

    before = stack.alb_counters()["BACKEND"]
    load = Load(stack.https_port, stack.ca, next_request, workers=CONNECTIONS, seconds=180, max_requests=300000,
                rate=RATE).start()
    steps, steady = [], []  # (start, end) windows
    t = time.monotonic() + 0.5  # the load's first connections are opened
    time.sleep(0.5 + STEADY_S)
    steady.append((t, time.monotonic()))
    dropped = []
    # Every task replaced, the surge slot empty again at the end: with N tasks, N + 1 steps (1 -> N+1, 2 -> 1, ...,
    # N+1 -> N), stopping the old task by deregistration then SIGTERM and by SIGTERM alone in turn.
    slots = list(range(1, stack.tasks + 2))
    for i, (src, dst) in enumerate(zip(slots, slots[-1:] + slots[:-1])):
        if i:
            time.sleep(BETWEEN_STEPS_S)
        t = time.monotonic()
        took = move(stack, src, dst, "stack-2", deregister_first=i % 2 == 0)
        if took is not None:
            dropped.append(took)
        steps.append((t, time.monotonic()))
    time.sleep(SETTLE_S)
    deployment = [(steps[0][0], time.monotonic())]
    time.sleep(STEADY_S)
    steady.append((deployment[0][1], time.monotonic()))
    r = load.join()
    after = stack.alb_counters()["BACKEND"]
    log("load:", r.summary())

    def among(windows, kinds=None, exclude=CPU_BOUND):
        return [e for e in r.events if isinstance(e.outcome, int) and any(a <= e.t0 < b for a, b in windows)
                and (kinds is None or e.kind in kinds) and e.kind not in exclude]

    # HAProxy's access log: the same requests as the ALB sees them (its timers leave out the client and TLS).
    ids = {e.id for e in r.events}
    entries = {a["id"]: a for a in stack.alb_log() if a["id"] in ids}

    def views(windows):
        events = among(windows)
        client = [e.latency for e in events]
        alb = [entries[e.id]["Ta"] / 1000 for e in events if e.id in entries]
        logins = [e.latency for e in among(windows, kinds=CPU_BOUND, exclude=())]
        return client, alb, logins

    during, during_alb, logins_during = views(deployment)
    in_steps, in_steps_alb, _ = views(steps)
    control, control_alb, logins_control = views(steady)
    _, p50, p99, top = percentiles(during)
    p99_control = percentiles(control)[2]
    log("during the deployment (%.1f s): %s; at the ALB: %s; logins: %s"
        % (deployment[0][1] - deployment[0][0], line(during), line(during_alb), line(logins_during)))
    log("  of which its steps (%.1f s, from a new task's start to the old one's exit): %s; at the ALB: %s"
        % (sum(b - a for a, b in steps), line(in_steps), line(in_steps_alb)))
    log("before and after it, every task in rotation (%.1f s): %s; at the ALB: %s; logins: %s"
        % (sum(b - a for a, b in steady), line(control), line(control_alb), line(logins_control)))

    counters = {k: after[k] - before[k] for k in ("wretr", "wredis", "econ", "eresp", "srv_abrt")}
    unclean = [a for a in entries.values() if a["termination"] != "----" or a["retries"]]
    log("HAProxy: %d of %d requests in its log, retries %d, redispatches %d, failed connections to a task %d, "
        "failed responses %d, aborted by a task %d; requests not ended cleanly: %d"
        % (len(entries), r.sent, counters["wretr"], counters["wredis"], counters["econ"], counters["eresp"],
           counters["srv_abrt"], len(unclean)))

    # Two limits. As the ALB measures it (HAProxy's Ta: from the request to the task's last byte, leaving out
    # the client and TLS), the deployment's p99 is at most 100 ms. As the users measure it (the load generator,
    # which shares this machine's two cores with HAProxy and the tasks, so its own scheduling shows in every
    # figure), the deployment adds at most 100 ms to the p99 of the same load without it.
    p99_alb = percentiles(during_alb)[2]
    limit = p99_control + P99_LIMIT_S
    if p99 > limit or p99_alb > P99_LIMIT_S or os.environ.get("STACK_ROLL_DEBUG"):
        # Where the time went: the deployment's timeline with every slow request and HAProxy's timers for it.
        rows = [(t, "---- " + text) for t, text in MARKS]
        for e in among(steady + deployment):
            if e.latency > P99_LIMIT_S / 2:
                a = entries.get(e.id, {})
                rows.append((e.t0, "%-6s %s %s: %s queue %s ms, connect %s ms, task %s ms, retries %s"
                             % (e.kind, e.outcome, ms(e.latency), a.get("server"), a.get("Tw"), a.get("Tc"),
                                a.get("Tr"), a.get("retries"))))
        for t, text in sorted(rows):
            log("%+8.3f s %s" % (t - deployment[0][0], text))

    versions = {stack.expect(200, "GET", "/health-check")["version"] for _ in range(2 * stack.tasks)}
    log("versions behind the ALB after the deployment:", sorted(versions))
    failed = r.failed(ok=lambda s: s < 400)
    report.figures(NAME, requests=r.sent, failed=failed, p50_ms=round(p50 * 1e3, 1), p99_ms=round(p99 * 1e3, 1),
                   max_ms=round(top * 1e3, 1), steps_p99_ms=round(percentiles(in_steps)[2] * 1e3, 1),
                   steady_p99_ms=round(p99_control * 1e3, 1), alb_p99_ms=round(p99_alb * 1e3, 1),
                   login_p99_ms=round(percentiles(logins_during)[2] * 1e3), haproxy_retries=counters["wretr"],
                   bets_201=len(placed))
    check(failed == 0, "%d requests failed: statuses %s, errors %s"
          % (failed, dict(r.status), dict(r.errors)))
    check(p99_alb <= P99_LIMIT_S, "p99 at the ALB %s during the deployment, over %s" % (ms(p99_alb), ms(P99_LIMIT_S)))
    check(p99 <= limit, "p99 %s during the deployment, over %s (p99 without it: %s, + %s)"
          % (ms(p99), ms(limit), ms(p99_control), ms(P99_LIMIT_S)))
    check(not any(counters.values()), "HAProxy had to step in: %s" % counters)
    check(not unclean, "%d requests did not end cleanly in HAProxy's log: %s" % (len(unclean), unclean[:3]))
    check(len(entries) == r.sent, "HAProxy logged %d of the %d requests" % (len(entries), r.sent))
    # The health check must take a task out with a check interval to spare before its listener closes.
    spare = stack.drain_s - stack.check_interval_ms / 1000
    check(max(dropped) < spare, "a task left the rotation %s after SIGTERM, later than %s (the drain, %.2f s, "
          "less one check interval)" % (ms(max(dropped)), ms(spare), stack.drain_s))
    check(versions == {"stack-2"}, "not every task runs the new version: %s" % versions)
    check(placed, "no bet got a 201")
    ids = ",".join("'%s'" % i.replace("'", "") for i in placed)
    found = int(stack.psql("SELECT count(*) FROM bets WHERE id IN (%s)" % ids))
    log("bets with a 201: %d, found in the database: %d" % (len(placed), found))
    check(found == len(placed), "%d bets answered 201 but only %d are in the database" % (len(placed), found))
