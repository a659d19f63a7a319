#!/usr/bin/env python3
"""The trading feed's load for bench/feed.sh: signed POST /feed/messages batches (X-Feed-Signature: hex
HMAC-SHA-256 of the body), shaped as sportsbook/README.md describes (UOF-like odds_change messages).

  feed_load.py setup BASE SECRET EVENTS MARKETS BET_MARKETS
      creates EVENTS events (not started, tomorrow) with MARKETS markets of 3 outcomes each through the feed;
      prints the selection ids of outcome "1" of the first market of the first BET_MARKETS events
      (comma-separated): bets go there, and the feed keeps those odds at 1.85 so placements see no odds move.
  feed_load.py run BASE SECRET EVENTS MARKETS SECONDS THREADS
      THREADS posters, each owning EVENTS/THREADS events, post one odds_change per owned event per batch
      (every market, all 3 outcomes, new odds) for SECONDS; prints
      "<selection odds applied per s> <messages applied per s> <batches> <batch p50 ms> <batch p99 ms>".
"""
import hashlib
import hmac
import http.client
import json
import sys
import threading
import time
import urllib.parse

START = "2030-01-01T12:00:00Z"


def event_id(i):
    return "sr:match:%d" % (900000 + i)


class Poster:
    def __init__(self, base, secret):
        url = urllib.parse.urlparse(base)
        self.host, self.port, self.path = url.hostname, url.port, url.path + "/feed/messages"
        self.secret = secret.encode()
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def post(self, messages):
        body = json.dumps({"messages": messages}, separators=(",", ":")).encode()
        signature = hmac.new(self.secret, body, hashlib.sha256).hexdigest()
        self.conn.request("POST", self.path, body, {"Content-Type": "application/json", "X-Feed-Signature": signature})
        response = self.conn.getresponse()
        answer = response.read()
        if response.status != 200:
            raise SystemExit("feed answered %d: %s" % (response.status, answer[:300]))
        return json.loads(answer)


def odds_text(thousandths):
    return "%d.%03d" % (thousandths // 1000, thousandths % 1000)


def market(m, round_, fixed_home, names):
    # Odds that move every round (between 1.50 and 9.99), except a bet market's home odds.
    home = 1850 if fixed_home else 1500 + (round_ * 37 + m * 11) % 2000
    draw = 2500 + (round_ * 53 + m * 7) % 3000
    away = 3000 + (round_ * 71 + m * 13) % 6990
    outcomes = [{"id": "1", "odds": odds_text(home)}, {"id": "X", "odds": odds_text(draw)},
                {"id": "2", "odds": odds_text(away)}]
    out = {"id": str(m), "status": "active", "outcomes": outcomes}
    if names:
        out["name"] = "Market %d" % m
        for o, name in zip(outcomes, ("Home", "Draw", "Away")):
            o["name"] = name
    return out


def odds_change(i, sequence, markets, round_, bet_markets, names=False):
    return {"type": "odds_change", "event_id": event_id(i), "timestamp": int(time.time() * 1000),
            "sequence": sequence,
            "markets": [market(m, round_, i < bet_markets and m == 0, names) for m in range(markets)]}


def setup(base, secret, events, markets, bet_markets):
    poster = Poster(base, secret)
    for first in range(0, events, 25):
        batch = []
        for i in range(first, min(events, first + 25)):
            batch.append({"type": "fixture_change", "event_id": event_id(i), "timestamp": int(time.time() * 1000),
                          "sequence": 1, "sport": "football", "home": "Home %d" % i, "away": "Away %d" % i,
                          "start_time": START, "status": "not_started"})
            batch.append(odds_change(i, 2, markets, 0, bet_markets, names=True))
        answer = poster.post(batch)
        if answer["applied"] != len(batch):
            raise SystemExit("setup not applied: %s" % answer)
    conn = http.client.HTTPConnection(poster.host, poster.port, timeout=60)
    conn.request("GET", urllib.parse.urlparse(base).path + "/events?limit=100&from=2029-12-31T00:00:00Z")
    page = json.loads(conn.getresponse().read())
    selections = []
    for e in page["data"]:
        i = int(e["home"].split()[1])
        if i < bet_markets:
            first = next(m for m in e["markets"] if m["name"] == "Market 0")
            selections.append(first["selections"][0]["id"])
    if len(selections) != bet_markets:
        raise SystemExit("found %d bet markets, wanted %d" % (len(selections), bet_markets))
    print(",".join(selections))


def run(base, secret, events, markets, seconds, threads):
    applied = [0] * threads
    batches = [0] * threads
    latencies = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def poster_loop(t):
        poster = Poster(base, secret)
        owned = list(range(t, events, threads))
        # Increasing across runs too (setup used 1 and 2): the first batch of a run is a counted gap.
        sequence = int(time.time() * 1000)
        round_ = 0
        mine = []
        while time.monotonic() < deadline:
            sequence += 1
            round_ += 1
            batch = [odds_change(i, sequence, markets, round_, BET_MARKETS) for i in owned]
            started = time.monotonic()
            answer = poster.post(batch)
            mine.append(time.monotonic() - started)
            applied[t] += answer["applied"]
            batches[t] += 1
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    workers = [threading.Thread(target=poster_loop, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    messages = sum(applied)
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000 if latencies else 0
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000 if latencies else 0
    print("%.0f %.0f %d %.1f %.1f" % (messages * markets * 3 / elapsed, messages / elapsed, sum(batches), p50, p99))


BET_MARKETS = 10

if __name__ == "__main__":
    command, base, secret = sys.argv[1], sys.argv[2], sys.argv[3]
    if command == "setup":
        BET_MARKETS = int(sys.argv[6])
        setup(base, secret, int(sys.argv[4]), int(sys.argv[5]), BET_MARKETS)
    else:
        run(base, secret, int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7]))
