"""9. Rolling restart with 1,000 WebSocket clients: while 1,000 apps hold GET /stream through the ALB (10 of them
signed-in players with bets), every task is replaced as test 1 does it, odds keep moving and the players' market
is settled mid-deployment. Each app closed by its task's drain (1001, going away) reconnects through the ALB,
subscribes again and refetches. Afterwards every app is connected, reconnected at least once (its first task was
replaced), shows the odds market's last version, and every player knows the outcome of each of its bets, as the
database has it: nothing lost. No frame was malformed and no app got an error."""
import asyncio
import os
import secrets
import ssl
import threading
import time

from stacklib import check, log
from test_rolling_restart import move
from wsclients import StreamClient

NAME = "stream_restart"
CLIENTS = int(os.environ.get("STACK_STREAM_CLIENTS", "1000"))
PLAYERS = 10
BETS_EACH = 3
ODDS_EVERY_S = 0.5
CONNECT_LIMIT_S = 120  # 1,000 TLS connections from Python on a busy 2-core machine
SETTLE_LIMIT_S = 60


def odds_text(i):
    hundredths = 150 + i % 300
    return "%d.%02d" % (hundredths // 100, hundredths % 100)


def run(stack, report):
    admin = stack.admin()
    token = admin["access"]
    event_id, odds_selections = stack.create_market(admin)
    event = stack.expect(200, "GET", "/events/%s" % event_id)
    odds_market = event["markets"][0]["id"]
    bets_market = stack.expect(201, "POST", "/admin/events/%s/markets" % event_id, token=token,
                               body={"name": "Total goals", "selections": [{"name": "Over 2.5", "odds": "1.90"},
                                                                           {"name": "Under 2.5", "odds": "1.95"}]})
    players = [stack.register("ws") for _ in range(PLAYERS)]
    for p in players:
        stack.fund(p, 5_000_000)

    tls = ssl.create_default_context(cafile=stack.ca)
    clients = [StreamClient(stack.https_port, tls, event_id, odds_market, players[i] if i < PLAYERS else None)
               for i in range(CLIENTS)]
    stop_clients = None
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    async def main():
        nonlocal stop_clients
        stop_clients = asyncio.Event()
        tasks = []
        for c in clients:
            tasks.append(asyncio.ensure_future(c.run(stop_clients)))
            await asyncio.sleep(0.002)  # 500 connections a second at most: a flood of handshakes is another test
        ready.set()
        await stop_clients.wait()
        await asyncio.sleep(0.5)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    thread = threading.Thread(target=lambda: loop.run_until_complete(main()), daemon=True)
    thread.start()
    try:
        t0 = time.monotonic()
        check(ready.wait(CONNECT_LIMIT_S), "the clients were not all started in %d s" % CONNECT_LIMIT_S)
        while sum(c.connects > 0 and c.open for c in clients) < CLIENTS:
            check(time.monotonic() - t0 < CONNECT_LIMIT_S, "%d of %d clients connected after %d s"
                  % (sum(c.open for c in clients), CLIENTS, CONNECT_LIMIT_S))
            time.sleep(0.2)
        log("%d clients connected in %.1f s" % (CLIENTS, time.monotonic() - t0))

        # Odds move all along; a player's bets go in before and during the deployment.
        stop_odds = threading.Event()
        odds_moves = [0]
        odds_failures = []

        def move_odds():
            i = 0
            while not stop_odds.is_set():
                status, body, _ = stack.request("PATCH", "/admin/markets/%s" % odds_market, token=token, body={
                    "selections": [{"id": odds_selections[0]["id"], "odds": odds_text(i)}]})
                if status == 200:
                    odds_moves[0] += 1
                else:
                    odds_failures.append((status, str(body)[:200]))
                i += 1
                stop_odds.wait(ODDS_EVERY_S)

        mover = threading.Thread(target=move_odds, daemon=True)
        mover.start()
        placed = {}  # bet id -> player index

        def place(round_):
            for n, p in enumerate(players):
                sel = bets_market["selections"][(n + round_) % 2]
                bet = stack.expect(201, "POST", "/bets", token=p["access"],
                                   headers={"Idempotency-Key": "ws-" + secrets.token_hex(8)},
                                   body={"stake": 10_000, "legs": [{"selection_id": sel["id"], "odds": sel["odds"]}]})
                placed[bet["id"]] = n

        place(0)
        slots = list(range(1, stack.tasks + 2))
        settled_at_step = max(len(slots) // 2, BETS_EACH - 2)
        for i, (src, dst) in enumerate(zip(slots, slots[-1:] + slots[:-1])):
            if i:
                time.sleep(2.0)
            if i < BETS_EACH - 1:
                place(i + 1)
            if i == settled_at_step:
                check(len(placed) == PLAYERS * BETS_EACH, "%d bets placed before the settlement" % len(placed))
                results = {bets_market["selections"][0]["id"]: "won", bets_market["selections"][1]["id"]: "lost"}
                stack.expect(200, "POST", "/admin/markets/%s/settle" % bets_market["id"], token=token,
                             body={"results": results})
                log("the players' market settled during step %d" % (i + 1))
            # Deregistered, ECS waits its deregistration delay (the WebSockets stay open through it), then SIGTERM.
            move(stack, src, dst, "stack-ws", deregister_first=i % 2 == 0, deregistration_delay_s=1.0)
        stop_odds.set()
        mover.join()

        # Quiet now: every app catches up with the last odds and every player's bets, pushed or refetched.
        final = stack.expect(200, "GET", "/events/%s" % event_id)
        version = next(m["version"] for m in final["markets"] if m["id"] == odds_market)
        truth = dict((r.split("|")[0], r.split("|")[1]) for r in stack.psql(
            "SELECT id || '|' || status FROM bets WHERE id IN (%s)" % ",".join("'%s'" % b for b in placed)).split())
        t0 = time.monotonic()

        def behind():
            lagging = [c for c in clients if not c.open or c.version < version]
            wrong = [c for c in clients[:PLAYERS]
                     if any(c.bets.get(b) != truth[b] for b, n in placed.items() if clients[n] is c)]
            return lagging, wrong

        lagging, wrong = behind()
        while (lagging or wrong) and time.monotonic() - t0 < SETTLE_LIMIT_S:
            time.sleep(0.5)
            lagging, wrong = behind()
    finally:
        if stop_clients is not None:
            loop.call_soon_threadsafe(stop_clients.set)
        thread.join(30)

    connects = [c.connects for c in clients]
    closes = {}
    refused = {}
    for c in clients:
        for k, v in c.close_codes.items():
            closes[k] = closes.get(k, 0) + v
        for k, v in c.refused.items():
            refused[k] = refused.get(k, 0) + v
    errors = [e for c in clients for e in c.errors]
    outcomes = sum(1 for b in truth.values() if b in ("won", "lost"))
    pushed = sum(c.pushed_outcomes for c in clients[:PLAYERS])
    log("odds moves %d (last version %d); bets %d, settled %d (%d outcomes learned by push, the rest by refetch)"
        % (odds_moves[0], version, len(placed), outcomes, pushed))
    log("connections per client: min %d, max %d, total %d; close codes %s; dropped without a close %d; refused "
        "upgrades %s; refetches %d (after a sequence gap: %d); caught up %.1f s after the deployment"
        % (min(connects), max(connects), sum(connects), closes, sum(c.dropped for c in clients), refused,
           sum(c.refetches for c in clients), sum(c.gaps for c in clients), time.monotonic() - t0))
    report.figures(NAME, clients=CLIENTS, reconnects=sum(connects) - CLIENTS, close_1001=closes.get(1001, 0),
                   refused=sum(refused.values()), odds_moves=odds_moves[0], bets=len(placed), lost_outcomes=len(wrong),
                   lagging=len(lagging))
    check(not odds_failures, "odds moves failed: %s" % odds_failures[:3])
    check(not errors, "%d client errors, e.g. %s" % (len(errors), errors[:5]))
    check(min(connects) >= 2, "a client never reconnected although every task was replaced")
    check(closes.get(1001, 0) >= CLIENTS, "fewer going-away closes (%d) than clients" % closes.get(1001, 0))
    check(set(refused) <= {503}, "upgrades refused other than by a draining task: %s" % refused)
    check(outcomes == len(placed), "not every bet settled in the database: %s" % truth)
    check(not wrong, "%d players do not know the outcome of every bet: e.g. %s vs %s"
          % (len(wrong), wrong[0].bets if wrong else None, truth))
    check(not lagging, "%d clients are not connected on the odds market's last version %d (e.g. open %s at %d)"
          % (len(lagging), version, lagging[0].open if lagging else None, lagging[0].version if lagging else 0))
