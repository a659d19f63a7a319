#!/usr/bin/env python3
"""Small measurements the shell can't make precisely.

  probe.py startup CMD...        ms from exec to the first 200 on the health-check (median of 5)
  probe.py connections PORT N PID  RSS of PID with N open keep-alive connections (each served once)
  probe.py rss PID               RSS of PID
"""
import os, socket, statistics, subprocess, sys, time


def rss_kib(pid, field="VmRSS:"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return -1


def anon_kib(pid):
    """Private memory only: RSS less the shared libraries' file pages (libcrypto, libstdc++, ...)."""
    return rss_kib(pid, "RssAnon:")


def get_ok(port):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=0.2)
    except OSError:
        return False
    try:
        s.sendall(b"GET /api/v1/health-check HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = s.recv(64)
        return data.startswith(b"HTTP/1.1 200")
    except OSError:
        return False
    finally:
        s.close()


def startup(cmd, port):
    runs = []
    for _ in range(5):
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not get_ok(port):
            if time.monotonic() - t0 > 10:
                p.kill()
                sys.exit("startup: no 200 within 10 s")
            time.sleep(0.0005)
        runs.append((time.monotonic() - t0) * 1000)
        p.terminate()
        p.wait(timeout=30)
    print(f"{statistics.median(runs):.1f}")


def connections(port, n, pid):
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET /api/v1/health-check HTTP/1.1\r\nHost: x\r\n\r\n")
        socks.append(s)
    for s in socks:
        if not s.recv(4096).startswith(b"HTTP/1.1 200"):
            sys.exit("connections: a request failed")
    time.sleep(0.5)
    print(rss_kib(pid), anon_kib(pid))
    for s in socks:
        s.close()


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "startup":
        startup(sys.argv[3:], int(sys.argv[2]))
    elif what == "connections":
        connections(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    elif what == "rss":
        print(rss_kib(int(sys.argv[2])), anon_kib(int(sys.argv[2])))
