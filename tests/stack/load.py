"""An HTTPS load generator for the resilience tests (asyncio, stdlib only).

Each worker keeps one keep-alive TLS connection to the ALB and sends one request at a time, produced by a
`next_request(worker)` callable that returns a Req (or None to pause). Every request ends in exactly one of:
a status code, or a connection error (connect refused/reset, EOF before a full response, timeout). A response
carrying `Connection: close` closes the connection normally and the next request opens a new one.
Bounded: it stops at `max_requests` or after `seconds`, whichever comes first.

Closed loop by default: each worker sends its next request as soon as the last one is answered, so the
load is as much as the stack takes (latency then measures queueing at saturation). With `rate`, open loop:
requests are due at a fixed rate, like users who do not wait for one another, each handed to a worker whose
connection is free; its latency counts from when it was due, so a stall shows in every request that waited
for it (no coordinated omission), and `workers` bounds the connections.
Every request carries `X-Request-Id: load-<random>-<n>`, which the task and the ALB's log record (`Event.id`).
"""
import asyncio
import collections
import json
import os
import ssl
import threading
import time


class Req:
    __slots__ = ("kind", "method", "path", "headers", "body", "done")

    def __init__(self, kind, method, path, headers=None, body=None, done=None):
        self.kind, self.method, self.path = kind, method, path
        self.headers, self.body, self.done = headers or {}, body, done


class Event(collections.namedtuple("Event", "t0 kind outcome latency id")):
    """One request: when it was due (monotonic), its kind, its status or error, its latency (s), its request id."""
    __slots__ = ()


def percentiles(latencies):
    """(count, p50, p99, max) of a list of latencies, in seconds (zeros for none)."""
    if not latencies:
        return 0, 0.0, 0.0, 0.0
    xs = sorted(latencies)
    return len(xs), xs[len(xs) // 2], xs[min(len(xs) - 1, int(0.99 * len(xs)))], xs[-1]


class Result:
    def __init__(self):
        self.sent = 0
        self.status = collections.Counter()       # status code -> count
        self.errors = collections.Counter()       # error kind -> count
        self.by_kind = collections.defaultdict(collections.Counter)  # kind -> {status or error: count}
        self.latencies = []                       # seconds, completed requests with a status
        self.events = []                          # an Event for every request
        self.elapsed = 0.0

    def failed(self, ok=lambda status: status < 500):
        return sum(n for s, n in self.status.items() if not ok(s)) + sum(self.errors.values())

    def p(self, q):
        if not self.latencies:
            return 0.0
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, int(q * len(xs)))]

    def summary(self):
        kinds = ", ".join("%s %s" % (k, dict(v)) for k, v in sorted(self.by_kind.items()))
        return ("sent %d in %.1fs (%.0f/s), statuses %s, connection errors %s, p50 %.1f ms, p99 %.1f ms, max %.1f ms; %s"
                % (self.sent, self.elapsed, self.sent / max(self.elapsed, 1e-9), dict(self.status), dict(self.errors),
                   self.p(0.5) * 1e3, self.p(0.99) * 1e3, (max(self.latencies) if self.latencies else 0) * 1e3, kinds))


async def _read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body


class Load:
    def __init__(self, port, cafile, next_request, workers=16, seconds=10.0, max_requests=100000, timeout=10.0,
                 rate=None):
        self.port, self.next_request = port, next_request
        self.workers, self.seconds, self.max_requests, self.timeout = workers, seconds, max_requests, timeout
        self.rate = rate
        self.id_prefix = "load-%s-" % os.urandom(3).hex()  # unique in the ALB's log across loads
        self.tls = ssl.create_default_context(cafile=cafile)
        self.result = Result()
        self.stop = False

    async def _connect(self):
        return await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", self.port, ssl=self.tls, server_hostname="localhost"), self.timeout)

    async def _send(self, conn, req, due):
        """Sends one request on `conn` (a connection, or None to open one); returns the connection to use next."""
        r = self.result
        n = r.sent
        r.sent += 1
        body = req.body if isinstance(req.body, (bytes, type(None))) else json.dumps(req.body).encode()
        head = ("%s %s HTTP/1.1\r\nHost: localhost:%d\r\nUser-Agent: stack-load\r\nX-Request-Id: %s%d\r\n"
                % (req.method, req.path, self.port, self.id_prefix, n))
        for k, v in req.headers.items():
            head += "%s: %s\r\n" % (k, v)
        if body is not None:
            head += "Content-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
        data = (head + "\r\n").encode() + (body or b"")
        t0 = due if due is not None else time.monotonic()
        outcome = None
        payload = None
        try:
            if conn is None:
                conn = await self._connect()
            reader, writer = conn
            writer.write(data)
            status, headers, payload = await asyncio.wait_for(_read_response(reader), self.timeout)
            outcome = status
            if headers.get("connection", "").lower() == "close":
                writer.close()
                conn = None
        except asyncio.TimeoutError:
            outcome = "timeout"
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError, OSError) as e:
            outcome = "eof" if isinstance(e, asyncio.IncompleteReadError) else type(e).__name__
        latency = time.monotonic() - t0
        if isinstance(outcome, int):
            r.status[outcome] += 1
            r.latencies.append(latency)
        else:
            r.errors[outcome] += 1
            if conn is not None:
                conn[1].close()
            conn = None
            payload = None
        r.by_kind[req.kind][outcome] += 1
        r.events.append(Event(t0, req.kind, outcome, latency, self.id_prefix + str(n)))
        if req.done:
            try:
                req.done(outcome, json.loads(payload) if payload else None)
            except ValueError:
                req.done(outcome, None)
        return conn

    async def _worker(self, w, deadline):
        r = self.result
        conn = None
        while not self.stop and time.monotonic() < deadline and r.sent < self.max_requests:
            req = self.next_request(w)
            if req is None:
                await asyncio.sleep(0.01)
                continue
            conn = await self._send(conn, req, None)
        if conn is not None:
            conn[1].close()

    async def _open_loop(self, start, deadline):
        """Request i is due at start + i / rate and goes to a worker whose connection is free."""
        r = self.result
        free = asyncio.Queue()
        for w in range(self.workers):
            free.put_nowait((w, None))
        running = set()

        async def one(w, conn, req, due):
            try:
                conn = await self._send(conn, req, due)
            finally:
                free.put_nowait((w, conn))

        i = 0
        while not self.stop and r.sent < self.max_requests:
            due = start + i / self.rate
            if due >= deadline:
                break
            if due > time.monotonic():
                await asyncio.sleep(due - time.monotonic())
            w, conn = await free.get()
            req = self.next_request(w)
            i += 1
            if req is None:
                free.put_nowait((w, conn))
                continue
            task = asyncio.ensure_future(one(w, conn, req, due))
            running.add(task)
            task.add_done_callback(running.discard)
        if running:
            await asyncio.wait(running)
        while not free.empty():
            _, conn = free.get_nowait()
            if conn is not None:
                conn[1].close()

    async def run_async(self):
        start = time.monotonic()
        deadline = start + self.seconds
        if self.rate:
            await self._open_loop(start, deadline)
        else:
            await asyncio.gather(*(self._worker(w, deadline) for w in range(self.workers)))
        self.result.elapsed = time.monotonic() - start
        return self.result

    def start(self):
        """Runs in a thread of its own so that the test can act on the stack meanwhile; join() waits for it."""
        self.thread = threading.Thread(target=lambda: asyncio.run(self.run_async()), daemon=True)
        self.thread.start()
        return self

    def join(self):
        self.stop = True
        self.thread.join(self.seconds + 2 * self.timeout + 5)
        return self.result

    def wait(self):
        """Waits for the load to end by itself (its seconds or max_requests)."""
        self.thread.join(self.seconds + 2 * self.timeout + 5)
        return self.result
