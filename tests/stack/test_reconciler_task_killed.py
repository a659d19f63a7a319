"""8. The task running the payment reconciler SIGKILLed in the middle of a round: the other task takes the lease
over once it expires and credits, exactly once, every deposit whose webhook was lost."""
import http.client
import json
import os
import subprocess
import time

from stacklib import check, log

NAME = "reconciler_task_killed"
DEPOSITS = 10
# Short enough to watch: a round every second, deposits pending 3 s are verified, a dead holder's lease lapses
# after 12 s (it must outlast PAYSTACK_TIMEOUT, 5 s in the stack, and the holder's 2 s backoff after it).
SETTINGS = {"STACK_PAYMENT_RECONCILE_INTERVAL": "1s", "STACK_PAYMENT_RECONCILE_AFTER": "3s",
            "STACK_PAYMENT_RECONCILE_LEASE": "12s"}
LEASE_S = 12
UNANSWERED = "payment reconciler: Paystack did not answer"
LEASE_KEY = "payments:reconciler:lease"


def redis_primary(stack, *args):
    """redis-cli through the stack's Redis endpoint (the primary, wherever a failover left it)."""
    env = dict(os.environ, REDISCLI_AUTH=stack.secrets["REDIS_PASSWORD"])
    r = subprocess.run(["redis-cli", "--no-auth-warning", "--tls", "--cacert", stack.ca, "-h", "localhost",
                        "-p", os.environ["STACK_REDIS_ENDPOINT_PORT"], *args],
                       capture_output=True, text=True, timeout=10, env=env)
    check(r.returncode == 0, "redis-cli %s: %s" % (" ".join(args), r.stderr.strip()))
    return r.stdout.strip()


def paystack_control(stack, path, body):
    """A control call to the stack's fake Paystack (behind its TLS proxy)."""
    conn = http.client.HTTPSConnection("localhost", int(os.environ["STACK_PAYSTACK_PORT"]), context=stack.tls,
                                       timeout=10)
    try:
        conn.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        check(r.status == 200, "fake Paystack %s: %d" % (path, r.status))
    finally:
        conn.close()


def restart_all(stack):
    """A rolling restart with the current environment (each task drains, then starts again)."""
    for task in range(1, stack.tasks + 1):
        stack.script("task.sh", "restart", str(task))
        stack.wait_state(task, "UP", 20)


def log_path(stack, task):
    return os.path.join(stack.dir, "logs", "task%d.log" % task)


def log_since(stack, task, offsets):
    with open(log_path(stack, task), errors="replace") as f:
        f.seek(offsets.get(task, 0))
        return f.read()


def run(stack, report):
    os.environ.update(SETTINGS)
    try:
        restart_all(stack)
        # Earlier tests SIGKILL tasks; a dead task's lease (3 min in production settings) would hold the
        # reconciler back far longer than this test waits. Every task now running took no lease yet or takes
        # the short one, so the stale key goes.
        redis_primary(stack, "DEL", LEASE_KEY)
        exercise(stack, report)
    finally:
        paystack_control(stack, "/_mode", {"mode": "ok"})
        for key in SETTINGS:
            os.environ.pop(key, None)
        for task in range(1, stack.tasks + 1):
            if not os.path.exists(os.path.join(stack.dir, "run", "task%d.pid" % task)):  # the one killed
                stack.script("task.sh", "start", str(task))
                stack.wait_state(task, "UP", 20)
        restart_all(stack)  # the stack as it was: the reconciler's production settings


def exercise(stack, report):
    user = stack.register("recon")
    references, total = [], 0
    for i in range(DEPOSITS):
        amount = 10000 + i
        dep = stack.expect(201, "POST", "/wallet/deposits", body={"amount": amount}, token=user["access"],
                           headers={"Idempotency-Key": "recon-%d" % i})
        references.append(dep["reference"])
        total += amount
    # Paystack stops answering before any deposit is old enough to be verified, so nothing can be credited
    # before the kill; then the customers' payments succeed there while every webhook is lost.
    paystack_control(stack, "/_mode", {"mode": "hang"})
    for reference in references:
        paystack_control(stack, "/_verify_status", {"kind": "transaction", "reference": reference,
                                                    "status": "success"})
    offsets = {t: os.path.getsize(log_path(stack, t)) for t in range(1, stack.tasks + 1)}

    # The lease holder is the task whose round waits on Paystack (its warning comes after PAYSTACK_TIMEOUT).
    deadline = time.monotonic() + 40
    holders = []
    while time.monotonic() < deadline and not holders:
        holders = [t for t in range(1, stack.tasks + 1) if UNANSWERED in log_since(stack, t, offsets)]
        time.sleep(0.1)
    check(len(holders) == 1, "expected one task reconciling, found %s" % holders)
    holder = holders[0]
    quoted = ",".join("'%s'" % r for r in references)
    completed_sql = "SELECT COUNT(*) FROM payments WHERE status = 'completed' AND reference IN (%s)" % quoted
    check(stack.psql(completed_sql) == "0", "a deposit was credited while Paystack did not answer")

    lease_left_ms = int(redis_primary(stack, "PTTL", LEASE_KEY) or -2)
    stack.script("task.sh", "kill", str(holder))
    killed = time.monotonic()
    check(lease_left_ms > 0, "nobody held the reconciler lease when its task was killed (PTTL %d)" % lease_left_ms)
    paystack_control(stack, "/_mode", {"mode": "ok"})
    deadline = killed + LEASE_S + 60
    done = 0
    while time.monotonic() < deadline:
        done = int(stack.psql(completed_sql))
        if done == DEPOSITS:
            break
        time.sleep(0.1)
    took = time.monotonic() - killed
    check(done == DEPOSITS, "%d of %d deposits credited %.0f s after the holder died" % (done, DEPOSITS, took))
    balance = stack.expect(200, "GET", "/wallet", token=user["access"])["balance"]
    check(balance == total, "balance %d, expected %d: a deposit was credited twice or not at all" % (balance, total))
    stack.ledger_verify()
    log("%d deposits with lost webhooks; task%d held the reconciler lease and was SIGKILLed mid-round; the other "
        "task credited them all %.1f s later (lease %d s, %.1f s of it left at the kill); balance exact; ledger verify: ok"
        % (DEPOSITS, holder, took, LEASE_S, lease_left_ms / 1000))
    report.figures(NAME, deposits=DEPOSITS, lease_s=LEASE_S, lease_left_at_kill_s=round(lease_left_ms / 1000, 1),
                   credited_after_kill_s=round(took, 1))
    # "Within the lease time": the lease lapses at most LEASE_S after its last renewal, the survivor looks every
    # second; the margin is for a loaded machine.
    check(took >= lease_left_ms / 1000 - 1.0, "credited %.1f s after the kill, before the dead holder's lease "
          "lapsed (%.1f s): two reconcilers at once" % (took, lease_left_ms / 1000))
    check(took <= LEASE_S + 15, "the takeover took %.1f s, more than the lease (%d s) and a margin" % (took, LEASE_S))
