"""Many WebSocket clients of GET /stream through the ALB (TLS), in one asyncio loop, each behaving as the app
does: subscribe (and sign in, for a player), refetch over HTTP what it shows, follow pushed changes, refetch
when a sequence number jumps or on {"type":"resync"}, answer pings, and reconnect after its task goes away.
Stdlib only (asyncio, ssl): RFC 6455 framing by hand."""
import asyncio
import base64
import json
import os
import random
import struct

API = "/api/v1"


class Protocol(Exception):
    pass


async def read_frame(reader):
    head = await reader.readexactly(2)
    opcode, length = head[0] & 0x0F, head[1] & 0x7F
    if head[1] & 0x80 or head[0] & 0x70:
        raise Protocol("a server frame masked or with reserved bits: %r" % head)
    if length == 126:
        length = struct.unpack("!H", await reader.readexactly(2))[0]
    elif length == 127:
        length = struct.unpack("!Q", await reader.readexactly(8))[0]
    return head[0] & 0x80, opcode, await reader.readexactly(length)


def client_frame(opcode, payload):
    mask = os.urandom(4)
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


async def http_get(port, tls, path, token=None):
    """One GET through the ALB on a connection of its own; (status, parsed body)."""
    reader, writer = await asyncio.open_connection("localhost", port, ssl=tls)
    try:
        auth = "Authorization: Bearer %s\r\n" % token if token else ""
        writer.write(("GET %s%s HTTP/1.1\r\nHost: localhost\r\n%sConnection: close\r\n\r\n" % (API, path, auth)).encode())
        data = await reader.read()
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        out, rest = b"", body
        while rest:
            size_text, _, rest = rest.partition(b"\r\n")
            size = int(size_text, 16)
            if size == 0:
                break
            out, rest = out + rest[:size], rest[size + 2:]
        body = out
    return status, json.loads(body) if body else None


class StreamClient:
    """One app: `event_id` on screen, and the player's own bets when `user` (with its access token) is given."""

    def __init__(self, port, tls, event_id, market_id, user=None):
        self.port, self.tls, self.event_id, self.market_id, self.user = port, tls, event_id, market_id, user
        self.connects = 0
        self.refused = {}          # HTTP status of a refused upgrade -> count (503 while a task drains)
        self.close_codes = {}      # close code from the server -> count
        self.dropped = 0           # connections that ended with no close frame
        self.version = 0           # the market's newest version seen (pushed or refetched)
        self.bets = {}             # bet id -> status, for a player
        self.refetches = 0
        self.gaps = 0
        self.pushed_outcomes = 0   # settled bets learned by push, not by refetch
        self.errors = []
        self.open = False
        self.seq = {}              # topic -> last seq

    async def refetch(self):
        self.refetches += 1
        status, event = await http_get(self.port, self.tls, "/events/%s" % self.event_id)
        if status == 200:
            for m in event.get("markets", []):
                if m["id"] == self.market_id:
                    self.version = max(self.version, m["version"])
        else:
            self.errors.append("GET event %d" % status)
        if self.user:
            status, page = await http_get(self.port, self.tls, "/bets?limit=100", token=self.user["access"])
            if status == 200:
                for b in page["data"]:
                    self.bets[b["id"]] = b["status"]
            else:
                self.errors.append("GET bets %d" % status)

    def topic_seq(self, topic, seq):
        """False when messages of `topic` were missed (the app then refetches)."""
        last = self.seq.get(topic)
        self.seq[topic] = seq
        return last is None or seq == last + 1

    async def session(self, stop):
        reader, writer = await asyncio.open_connection("localhost", self.port, ssl=self.tls)
        try:
            key = base64.b64encode(os.urandom(16)).decode()
            writer.write(("GET %s/stream HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (API, key)).encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            if status != 101:
                self.refused[status] = self.refused.get(status, 0) + 1
                return
            self.connects += 1
            self.open = True
            self.seq = {}  # numbers continue across tasks, but whatever came while away is refetched anyway
            writer.write(client_frame(1, json.dumps({"op": "subscribe", "events": [self.event_id]}).encode()))
            if self.user:
                writer.write(client_frame(1, json.dumps({"op": "auth", "token": self.user["access"]}).encode()))
            await writer.drain()
            refetched = False
            while True:
                fin, opcode, payload = await read_frame(reader)
                if opcode == 9:
                    writer.write(client_frame(10, payload))
                    continue
                if opcode == 8:
                    code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                    self.close_codes[code] = self.close_codes.get(code, 0) + 1
                    writer.write(client_frame(8, payload[:2]))
                    await writer.drain()
                    return
                if opcode != 1 or not fin:
                    raise Protocol("unexpected frame opcode %d fin %s" % (opcode, fin))
                msg = json.loads(payload)
                kind = msg.get("type")
                if kind in ("subscribed", "authenticated") and not refetched and (
                        kind == "authenticated" or not self.user):
                    # Subscribed (and signed in): what came before is refetched, what comes after is pushed.
                    refetched = True
                    await self.refetch()
                elif kind in ("odds", "market_status", "event_status"):
                    if not self.topic_seq("e:" + msg["event_id"], msg["seq"]) and refetched:
                        self.gaps += 1
                        await self.refetch()
                    if msg.get("market_id") == self.market_id:
                        self.version = max(self.version, msg["version"])
                elif kind == "bet":
                    if not self.topic_seq("u", msg["seq"]) and refetched:
                        self.gaps += 1
                        await self.refetch()
                    bet = msg["bet"]
                    if bet["status"] in ("won", "lost", "void") and self.bets.get(bet["id"]) not in ("won", "lost", "void"):
                        self.pushed_outcomes += 1
                    self.bets[bet["id"]] = bet["status"]
                elif kind == "balance":  # numbered with the player's bets (topic u:<user id>)
                    if not self.topic_seq("u", msg["seq"]) and refetched:
                        self.gaps += 1
                        await self.refetch()
                elif kind == "resync":
                    await self.refetch()
                elif kind == "error":
                    self.errors.append(msg.get("code"))
                if stop.is_set():
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            self.dropped += 1
        finally:
            self.open = False
            writer.close()

    async def run(self, stop):
        while not stop.is_set():
            try:
                await self.session(stop)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as e:
                self.errors.append("connect: %s" % e)
            if not stop.is_set():
                await asyncio.sleep(0.1 + random.random() * 0.4)  # spread the reconnections, as apps do
