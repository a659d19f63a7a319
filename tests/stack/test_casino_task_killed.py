"""3. The casino wallet while a task is SIGKILLed: a stream of signed Fundist debits and credits through the ALB;
every callback answered OK is in the ledger, and the aggregator's retries of the others (the same body, as Fundist
resends) settle exactly once: each player's balance is what the callbacks say, `ledger verify` passes."""
import hashlib
import hmac
import itertools
import json
import os
import secrets
import signal
import time

from load import Load, Req
from stacklib import check, log

NAME = "casino_task_killed"
FUNDING = 1_000_000  # kobo per player, by a first credit
PLAYERS = 8


def run(stack, report):
    key = hashlib.sha256(stack.secrets["FUNDIST_HMAC_SECRET"].encode()).digest()

    def signed(fields):
        # Fundist's hmac, computed here independently of the service's code (src/casino/README.md).
        message = "".join(str(fields[k]) for k in sorted(fields))
        return dict(fields, hmac=hmac.new(key, message.encode(), hashlib.sha256).hexdigest())

    run_id = secrets.token_hex(3)

    def callback(kind, login, tid, kobo):
        return signed({"type": kind, "userid": login, "currency": "NGN", "amount": "%d.%02d" % divmod(kobo, 100),
                       "tid": tid, "i_gameid": "R" + tid, "i_actionid": "A1", "i_gamedesc": "998:stack",
                       "subtype": kind})

    players = []
    for i in range(PLAYERS):
        user = stack.register("casino")
        login = stack.expect(200, "GET", "/users/me", token=user["access"])["id"][4:]
        reply = stack.expect(200, "POST", "/casino/fundist/callback",
                             body=callback("credit", login, "F%s-%d" % (run_id, i), FUNDING))
        check(reply.get("status") == "OK", "funding credit refused: %s" % reply)
        players.append(login)

    calls = {}  # tid -> (login, signed change in kobo)
    bodies = {}  # tid -> the body sent
    answered = set()
    retry = {}  # worker -> (tid, body): the aggregator sends it again
    counter = itertools.count()

    def done_for(w, tid, body):
        def done(status, reply):
            if status == 200 and isinstance(reply, dict) and reply.get("status") == "OK":
                answered.add(tid)
            else:
                retry[w] = (tid, body)
        return done

    def next_request(w):
        if w in retry:
            tid, body = retry.pop(w)
        else:
            i = next(counter)
            login = players[i % PLAYERS]
            debit = i % 2 == 0
            kobo = 100 + i % 400
            tid = "K%s-%d" % (run_id, i)
            body = json.dumps(callback("debit" if debit else "credit", login, tid, kobo)).encode()
            calls[tid] = (login, -kobo if debit else kobo)
            bodies[tid] = body
        return Req("callback", "POST", "/api/v1/casino/fundist/callback",
                   headers={"Content-Type": "application/json"}, body=body, done=done_for(w, tid, body))

    load = Load(stack.https_port, stack.ca, next_request, workers=16, seconds=30, max_requests=100000).start()
    time.sleep(3)
    with open(os.path.join(stack.dir, "run", "task1.pid")) as f:
        pid = int(f.read())
    os.kill(pid, signal.SIGKILL)
    dropped = stack.wait_state(1, "DOWN", 5)
    time.sleep(4)  # the stream goes on on the task left
    r = load.join()
    log("load:", r.summary())
    # What was not answered OK when the load stopped: the aggregator keeps resending it, as it would.
    resent = 0
    for tid, body in retry.values():
        for _ in range(20):
            status, reply, _ = stack.request("POST", "/casino/fundist/callback", raw=body)
            resent += 1
            if status == 200 and isinstance(reply, dict) and reply.get("status") == "OK":
                answered.add(tid)
                break
            time.sleep(0.25)
    stack.script("task.sh", "start", "1")
    stack.wait_state(1, "UP", 15)
    # An aggregator also resends what we did answer (its timeout fired first): a repeat moves nothing.
    repeats = secrets.SystemRandom().sample(sorted(answered), min(200, len(answered)))
    for tid in repeats:
        status, reply, _ = stack.request("POST", "/casino/fundist/callback", raw=bodies[tid])
        check(status == 200 and isinstance(reply, dict) and reply.get("status") == "OK",
              "a repeated callback was not answered OK: %s %s" % (status, reply))

    check(answered == set(calls), "%d callbacks never answered OK" % len(set(calls) - answered))
    rows = stack.psql("SELECT tid, status FROM casino_transactions WHERE tid LIKE 'K%s-%%'" % run_id).splitlines()
    recorded = dict(line.split("|") for line in rows)
    check(set(recorded) == set(calls), "%d callbacks answered OK are not recorded, %d recorded were never sent"
          % (len(set(calls) - set(recorded)), len(set(recorded) - set(calls))))
    check(all(s in ("debited", "credited") for s in recorded.values()), "unexpected statuses: %s"
          % sorted(set(recorded.values())))
    for login in players:
        want = FUNDING + sum(change for who, change in calls.values() if who == login)
        got = int(stack.psql("SELECT balance FROM ledger_accounts WHERE id = 'wallet:usr_%s'" % login))
        check(got == want, "player %s: balance %d, the callbacks say %d" % (login, got, want))
    stack.ledger_verify()
    failed = sum(1 for e in r.events if e.outcome != 200)
    log("task 1 SIGKILLed during %d callbacks (HAProxy dropped it after %.3fs); %d not answered OK at first, "
        "%d resends after the load, %d repeats of answered ones; every player's balance matches; ledger verify: ok"
        % (len(calls), dropped, failed, resent, len(repeats)))
    report.figures(NAME, callbacks=len(calls), failed_first=failed, resent_after=resent,
                   dropped_after_s=round(dropped, 3))
    check(len(calls) > 500, "only %d callbacks were sent" % len(calls))
