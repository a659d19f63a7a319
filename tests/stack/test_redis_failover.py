"""4. Redis primary lost: the primary node is SIGKILLed, the replica promoted, the endpoint (HAProxy, role:master check)
follows; the service recovers within 5 s; refresh tokens, rate limits and the events cache work afterwards."""
import itertools
import time

from load import Load, Req
from stacklib import check, log, redis_cli

NAME = "redis_failover"
RECOVERY_LIMIT_S = 5.0


def replicated(stack, primary, replica):
    """The replica has applied every write the primary had when this was called."""
    target = int(redis_cli(stack, primary, "INFO", "replication").split("master_repl_offset:")[1].split()[0])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        info = redis_cli(stack, replica, "INFO", "replication")
        if "master_link_status:up" in info and int(info.split("slave_repl_offset:")[1].split()[0]) >= target:
            return True
        time.sleep(0.02)
    return False


def run(stack, report):
    primary = 1 if redis_cli(stack, 1, "ROLE").startswith("master") else 2
    replica = 3 - primary
    check(redis_cli(stack, replica, "ROLE").startswith("slave"), "node %d is not a replica before the drill" % replica)
    admin = stack.admin()
    user = stack.register("redis")
    before = stack.expect(200, "POST", "/auth/refresh", body={"refresh_token": user["refresh"]})
    token_before = before["refresh_token"]
    # The replica must hold the refresh family before the primary is lost (asynchronous replication).
    check(replicated(stack, primary, replica), "the replica did not catch up with the primary")

    counter = itertools.count()

    def next_request(w):
        next(counter)
        return Req("me", "GET", "/api/v1/users/me", headers={"Authorization": "Bearer " + user["access"]})

    load = Load(stack.https_port, stack.ca, next_request, workers=4, seconds=60, max_requests=100000).start()
    time.sleep(1)
    t_lost = time.monotonic()
    stack.script("redis-failover.sh", "kill", str(primary))
    stack.script("redis-failover.sh", "promote", str(replica))
    promoted = time.monotonic() - t_lost
    # Recovery: a login needs the key-value store (its rate limits fail closed), so it answers 200 only once
    # the service reaches the new primary again.
    recovered, probes, outcomes = None, 0, {}
    while time.monotonic() - t_lost < 20:
        probes += 1
        status, _, _ = stack.request("POST", "/auth/login", body={"email": user["email"], "password": user["password"]},
                                     timeout=10)
        outcomes[status] = outcomes.get(status, 0) + 1
        if status == 200:
            recovered = time.monotonic() - t_lost
            break
        time.sleep(0.05)
    time.sleep(1)
    r = load.join()
    log("node %d (primary) killed and node %d promoted in %.2fs; first successful login %.2fs after the loss (%d probes: %s)"
        % (primary, replica, promoted, recovered or -1, probes, outcomes))
    log("reads during the failover:", r.summary())
    check(recovered is not None and recovered <= RECOVERY_LIMIT_S,
          "the service did not recover within %.0fs (recovered: %s)" % (RECOVERY_LIMIT_S, recovered))

    # Refresh tokens issued before the failover still rotate, and a rotated one is refused as reused.
    after = stack.expect(200, "POST", "/auth/refresh", body={"refresh_token": token_before})
    reused = stack.request("POST", "/auth/refresh", body={"refresh_token": token_before})
    check(reused[0] == 401 and reused[1]["error"]["code"] == "token_reused",
          "a rotated refresh token was not refused as reused: %s %s" % reused[:2])
    # Reuse revokes the whole family, the newest token included.
    newest = stack.request("POST", "/auth/refresh", body={"refresh_token": after["refresh_token"]})
    check(newest[0] == 401, "the family was not revoked after reuse: %s %s" % newest[:2])
    log("refresh tokens: the pre-failover token rotated (200); presenting it again -> 401 token_reused; "
        "the family is revoked (newest token -> 401)")

    # Rate limits are counted in the new primary: after the account's 10 free failures the throttle holds it
    # (LOGIN_THROTTLE_BASE, 5 s), so the 11th attempt, right after, is refused without a verification.
    victim = stack.register("ratelimit")
    statuses = [stack.request("POST", "/auth/login", body={"email": victim["email"], "password": "wrong-password-1"})[0]
                for _ in range(11)]
    check(statuses[:10] == [401] * 10 and statuses[10] == 429,
          "failed-login limit after the failover: %s (expected ten 401 then 429)" % statuses)
    log("rate limits: 10 failed logins -> 401, the 11th (the account is held) -> 429")

    event_id, _ = stack.create_market(admin)
    listed = stack.expect(200, "GET", "/events")
    check(event_id in [e["id"] for e in listed["data"]], "an event created after the failover is not listed by GET /events")
    stack.expect(200, "GET", "/events/%s" % event_id)
    log("events cache: a new event is listed and readable after the failover")
    # The lost node comes back as a replica of the new primary, so the stack keeps its redundancy.
    stack.script("redis-failover.sh", "rejoin", str(primary))
    check(replicated(stack, replica, primary), "node %d did not rejoin as a replica" % primary)
    log("node %d rejoined as a replica of node %d" % (primary, replica))
    report.figures(NAME, requests=r.sent, failed=r.failed(), recovery_s=round(recovered, 3))
