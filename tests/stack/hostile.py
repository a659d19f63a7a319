#!/usr/bin/python3
"""Hostile clients against the ALB, run as a process of its own by test_hostile_clients.py:
  hostile.py PORT CAFILE CONNECTIONS SECONDS
CONNECTIONS TLS connections each send a request's headers one byte at a time (slowloris), while two senders
stream oversized requests: 64 KiB of headers, and 2 MiB bodies (the service's MAX_BODY_BYTES is 1 MiB).
Prints one JSON line of figures at the end. Bounded by SECONDS."""
import asyncio
import collections
import json
import ssl
import sys
import time

port, cafile, connections, seconds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
tls = ssl.create_default_context(cafile=cafile)
stats = collections.Counter()
oversized = collections.Counter()
held = []  # seconds each slow connection stayed open


async def slow(i, deadline):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=tls, server_hostname="localhost")
    except OSError:
        stats["slow_connect_failed"] += 1
        return
    stats["slow_connected"] += 1
    opened = time.monotonic()
    request = ("GET /api/v1/health-check?slow=%d HTTP/1.1\r\nHost: localhost\r\nX-Padding: %s\r\n\r\n" % (i, "x" * 400)).encode()
    try:
        for b in request[:-2]:  # never completes the headers
            if time.monotonic() > deadline:
                break
            writer.write(bytes([b]))
            await writer.drain()
            await asyncio.sleep(0.1)
        stats["slow_survived"] += 1
    except (ConnectionError, OSError, ssl.SSLError):
        stats["slow_closed_by_proxy"] += 1
    held.append(time.monotonic() - opened)
    writer.close()


async def big(kind, deadline):
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=tls, server_hostname="localhost")
            if kind == "headers":
                writer.write(("GET /api/v1/health-check HTTP/1.1\r\nHost: localhost\r\nX-Big: %s\r\n\r\n" % ("y" * 65536)).encode())
            else:
                body = b"{" + b" " * (2 * 1024 * 1024) + b"}"
                writer.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                              "Content-Length: %d\r\n\r\n" % len(body)).encode() + body)
            await writer.drain()
            line = await asyncio.wait_for(reader.readline(), 10)
            oversized["%s:%s" % (kind, line.split(b" ")[1].decode() if line else "closed")] += 1
            writer.close()
        except (ConnectionError, OSError, ssl.SSLError, asyncio.TimeoutError):
            oversized["%s:closed" % kind] += 1
        await asyncio.sleep(0.02)


async def main():
    deadline = time.monotonic() + seconds
    tasks = []
    for i in range(connections):
        tasks.append(asyncio.create_task(slow(i, deadline)))
        if i % 50 == 49:
            await asyncio.sleep(0.05)  # ramp: 50 handshakes at a time
    tasks += [asyncio.create_task(big("headers", deadline)), asyncio.create_task(big("body", deadline))]
    await asyncio.gather(*tasks)
    held.sort()
    print(json.dumps({"slow": dict(stats), "oversized": dict(oversized),
                      "held_s": {"min": round(held[0], 2) if held else 0, "median": round(held[len(held) // 2], 2) if held else 0}}),
          flush=True)


asyncio.run(main())
