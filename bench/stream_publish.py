#!/usr/bin/env python3
"""Drives bench/stream.sh's odds changes into bet2wealth.

  stream_publish.py prep PORT TOKEN N EVENTS_FILE MARKETS_FILE   N events with a 3-way market each
  stream_publish.py run PORT TOKEN MARKETS_FILE INTERVAL_MS      PUBLISH=admin: the real path, admin PATCHes (each
                                                                 commits, then publisher -> KV pub/sub -> hub)
  stream_publish.py kv REDIS_PORT EVENTS_FILE INTERVAL_MS        PUBLISH=kv: straight into Redis's stream:events
      channel in stream::Publisher's wire format ("<event id>\n<frame>", the frame numbered and stamped), the same
      frame Node's server builds: neither server pays for a commit, only for the fan-out
"""
import http.client, json, socket, sys, time


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


def resp(*parts):
    out = b"*%d\r\n" % len(parts)
    for p in parts:
        p = p.encode() if isinstance(p, str) else p
        out += b"$%d\r\n%s\r\n" % (len(p), p)
    return out


def kv(redis_port, events_file, interval_ms):
    events = [line.strip() for line in open(events_file) if line.strip()]
    sock = socket.create_connection(("127.0.0.1", redis_port))
    reader = sock.makefile("rb")
    step = interval_ms / 1000.0
    next_at = time.monotonic()
    seq, version, i = {}, 1, 0
    while True:
        event = events[i % len(events)]
        seq[event] = seq.get(event, 0) + 1
        version += 1
        market = {"id": "mkt_" + event, "event_id": event, "name": "1X2", "status": "open", "version": version,
                  "selections": [{"id": f"sel_{event}_{k}", "name": name, "odds": f"{1.5 + (version % 50) / 100:.2f}"}
                                 for k, name in enumerate(("Home", "Draw", "Away"))]}
        frame = json.dumps({"type": "odds", "event_id": event, "market_id": market["id"], "version": version,
                            "market": market, "seq": seq[event], "published_at_us": time.time_ns() // 1000},
                           separators=(",", ":"))
        sock.sendall(resp("PUBLISH", "stream:events", event + "\n" + frame))
        reader.readline()  # :<receivers>
        i += 1
        next_at += step
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        elif delay < -1:
            next_at = time.monotonic()


if __name__ == "__main__":
    if sys.argv[1] == "kv":
        kv(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]))
    elif sys.argv[1] == "prep":
        prep(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6])
    else:
        run(int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5]))
