"""2. A task SIGKILLed under load: HAProxy drops it within its health-check window; failures are limited to the
requests in flight on that task (counted and reported); `bet2wealth ledger verify` passes."""
import collections
import itertools
import os
import secrets
import signal
import time

from load import Load, Req
from stacklib import check, log

NAME = "task_killed"


def run(stack, report):
    users = [stack.register("kill") for _ in range(8)]
    pending = {}  # worker -> (reference, amount) of a deposit whose webhook comes next
    counter = itertools.count()

    def deposit_done(w, amount):
        def done(status, body):
            if status == 201 and body:
                pending[w] = (body["reference"], amount)
        return done

    def next_request(w):
        i = next(counter)
        u = users[w % len(users)]
        auth = {"Authorization": "Bearer " + u["access"]}
        if w in pending:
            ref, amount = pending.pop(w)
            hook = stack.charge_success(ref, amount)
            return Req("webhook", "POST", "/api/v1/payments/paystack/webhook",
                       headers={"x-paystack-signature": stack.sign(hook)}, body=hook.encode())
        k = i % 10
        if k == 0:
            amount = 10000 + i % 5000  # from MIN_DEPOSIT (₦100)
            return Req("deposit", "POST", "/api/v1/wallet/deposits", body={"amount": amount},
                       headers=dict(auth, **{"Idempotency-Key": "kill-" + secrets.token_hex(8)}),
                       done=deposit_done(w, amount))
        if k < 4:
            return Req("health", "GET", "/api/v1/health-check")
        if k < 7:
            return Req("me", "GET", "/api/v1/users/me", headers=auth)
        return Req("wallet", "GET", "/api/v1/wallet", headers=auth)

    workers = 16
    load = Load(stack.https_port, stack.ca, next_request, workers=workers, seconds=60, max_requests=200000).start()
    time.sleep(3)
    with open(os.path.join(stack.dir, "run", "task1.pid")) as f:
        pid = int(f.read())
    os.kill(pid, signal.SIGKILL)
    t_kill = time.monotonic()
    dropped = stack.wait_state(1, "DOWN", 5)
    time.sleep(3)
    r = load.join()
    log("load:", r.summary())
    # A failure is anything but a 2xx: a 5xx, a connection error, or a 409 for a deposit whose first attempt
    # died with the task (its idempotency key is still marked in progress).
    fails = [e for e in r.events if not isinstance(e[2], int) or e[2] >= 300]
    # In flight on the task = sent before HAProxy dropped it; anything sent later must have succeeded.
    late = [f for f in fails if f[0] > t_kill + dropped]
    stack.script("task.sh", "start", "1")
    stack.wait_state(1, "UP", 15)
    stack.ledger_verify()
    deposits = r.by_kind["webhook"][200]
    log("task 1 SIGKILLed; HAProxy marked it DOWN after %.3fs (check interval %s ms, fall %d); "
        "failed requests: %d %s, sent after the drop: %d; deposits credited: %d; ledger verify: ok"
        % (dropped, stack.check_interval_ms, stack.check_fall, len(fails),
           dict(collections.Counter("%s:%s" % (f[1], f[2]) for f in fails)), len(late), deposits))
    report.figures(NAME, requests=r.sent, failed=len(fails), dropped_after_s=round(dropped, 3))
    check(dropped <= 1.0, "HAProxy took %.2fs to drop the killed task" % dropped)
    check(len(fails) <= workers, "%d failures, more than the %d requests that can be in flight" % (len(fails), workers))
    check(not late, "%d requests failed after HAProxy had dropped the task: %s" % (len(late), late[:5]))
