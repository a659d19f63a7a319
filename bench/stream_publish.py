#!/usr/bin/env python3
"""Drives bench/stream.sh's odds changes through the real path: admin PATCHes (each commits, then the
publisher -> key-value pub/sub -> hub).

  stream_publish.py prep PORT TOKEN N EVENTS_FILE MARKETS_FILE   N events with a 3-way market each
  stream_publish.py run PORT TOKEN MARKETS_FILE INTERVAL_MS      a change every INTERVAL_MS, round-robin, until killed
"""
import http.client, json, sys, time


def call(conn, method, path, token, body):
    conn.request(method, path, body=json.dumps(body),
                 headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    r = conn.getresponse()
    data = r.read()
    if r.status >= 300:
        raise SystemExit(f"{method} {path}: {r.status} {data[:200]!r}")
    return json.loads(data)


def prep(port, token, n, events_file, markets_file):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    events, markets = [], []
    for i in range(n):
        ev = call(conn, "POST", "/api/v1/admin/events", token,
                  {"sport": "football", "home": f"Home {i}", "away": f"Away {i}", "starts_at": "2030-01-01T15:00:00Z"})
        mk = call(conn, "POST", f"/api/v1/admin/events/{ev['id']}/markets", token,
                  {"name": "1X2", "selections": [{"name": "Home", "odds": "2.00"}, {"name": "Draw", "odds": "3.10"},
                                                 {"name": "Away", "odds": "3.60"}]})
        events.append(ev["id"])
        markets.append(f"{mk['id']} {mk['selections'][0]['id']}")
    open(events_file, "w").write("\n".join(events) + "\n")
    open(markets_file, "w").write("\n".join(markets) + "\n")


def run(port, token, markets_file, interval_ms):
    markets = [line.split() for line in open(markets_file) if line.strip()]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    step = interval_ms / 1000.0
    next_at = time.monotonic()
    i = 0
    while True:
        market_id, selection_id = markets[i % len(markets)]
        odds = f"{1.50 + (i % 100) / 100:.2f}"
        call(conn, "PATCH", f"/api/v1/admin/markets/{market_id}", token, {"selections": [{"id": selection_id, "odds": odds}]})
        i += 1
        next_at += step
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        elif delay < -1:
            next_at = time.monotonic()  # fell behind by a second: do not burst to catch up


if __name__ == "__main__":
    if sys.argv[1] == "prep":
        prep(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6])
    else:
        run(int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5]))
