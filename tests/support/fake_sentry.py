#!/usr/bin/env python3
"""A fake of Sentry's envelope endpoint for tests, on 127.0.0.1 (stdlib only).

POST /api/<project>/envelope/ with X-Sentry-Auth: the envelope is parsed here, independently of the C++ code:
newline-separated, a header line (JSON object), then items, each an item header line (JSON object with "type" and,
when present, "length": the payload's bytes, else the payload runs to the next newline) and its payload (JSON for
"event" items). The auth header's "Sentry k=v, k=v" pairs are parsed too. A well-formed envelope for the expected
project and key answers 200 {"id": <event_id>}; otherwise 400 (malformed), 403 (wrong key) or 404 (wrong project),
and the problem is recorded.
Control: POST /_mode {"mode": "ok"|"hang"|"error"}   (hang holds each request 30 s; error answers 500);
         GET /_envelopes -> [{"project", "auth": {...}, "auth_raw", "content_type", "header": {...},
                              "items": [{"header": {...}, "payload": {...} or "<text>"}], "raw", "problem"}]
         GET /_count -> {"received": n}.
Arguments: PUBLIC_KEY PROJECT_ID. Prints "PORT <n>" once listening.
"""
import json
import re
import sys
import threading
import time
from http.server import ThreadingHTTPServer

from fake_http import JsonHandler

PUBLIC_KEY = sys.argv[1]
PROJECT = sys.argv[2]
state = {"mode": "ok", "envelopes": [], "received": 0}
lock = threading.Lock()


def parse_auth(value):
    if not value.startswith("Sentry "):
        raise ValueError("X-Sentry-Auth does not start with 'Sentry '")
    pairs = {}
    for part in value[len("Sentry "):].split(","):
        key, sep, val = part.strip().partition("=")
        if not sep:
            raise ValueError("X-Sentry-Auth part without '=': " + part)
        pairs[key] = val
    return pairs


def parse_envelope(raw):
    """(header, items) of an envelope's bytes; ValueError when malformed."""
    newline = raw.find(b"\n")
    if newline < 0:
        raise ValueError("no envelope header line")
    header = json.loads(raw[:newline])
    if not isinstance(header, dict):
        raise ValueError("envelope header is not an object")
    pos = newline + 1
    items = []
    while pos < len(raw):
        end = raw.find(b"\n", pos)
        if end < 0:
            end = len(raw)
        line = raw[pos:end]
        pos = end + 1
        if not line.strip():
            continue
        item_header = json.loads(line)
        if not isinstance(item_header, dict) or "type" not in item_header:
            raise ValueError("item header without a type")
        if "length" in item_header:
            length = item_header["length"]
            payload = raw[pos:pos + length]
            if len(payload) != length:
                raise ValueError("item shorter than its length")
            pos += length
            if pos < len(raw):
                if raw[pos:pos + 1] != b"\n":
                    raise ValueError("no newline after an item's payload")
                pos += 1
        else:
            end = raw.find(b"\n", pos)
            if end < 0:
                end = len(raw)
            payload = raw[pos:end]
            pos = end + 1
        if item_header["type"] == "event":
            payload = json.loads(payload)
        else:
            payload = payload.decode("utf-8", "replace")
        items.append({"header": item_header, "payload": payload})
    return header, items


class Handler(JsonHandler):
    def do_GET(self):
        with lock:
            if self.path == "/_envelopes":
                self.reply(200, state["envelopes"])
            elif self.path == "/_count":
                self.reply(200, {"received": state["received"]})
            else:
                self.reply(404, {"detail": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path == "/_mode":
            with lock:
                state["mode"] = json.loads(raw)["mode"]
            self.reply(200, {})
            return
        with lock:
            state["received"] += 1
            mode = state["mode"]
        if mode == "hang":
            time.sleep(30)
        if mode == "error":
            self.reply(500, {"detail": "internal error"})
            return
        match = re.fullmatch(r"/api/([^/]+)/envelope/", self.path)
        record = {"project": match.group(1) if match else None, "auth_raw": self.headers.get("X-Sentry-Auth"),
                  "content_type": self.headers.get("Content-Type"), "raw": raw.decode("utf-8", "replace"),
                  "auth": None, "header": None, "items": [], "problem": None}
        status, answer = 200, {}
        try:
            if not match:
                raise LookupError("not the envelope endpoint: " + self.path)
            record["auth"] = parse_auth(record["auth_raw"] or "")
            record["header"], record["items"] = parse_envelope(raw)
            if record["project"] != PROJECT:
                status, answer = 404, {"detail": "unknown project"}
            elif record["auth"].get("sentry_key") != PUBLIC_KEY:
                status, answer = 403, {"detail": "invalid api key"}
            else:
                answer = {"id": record["header"].get("event_id")}
        except LookupError as e:
            status, answer = 404, {"detail": str(e)}
        except (ValueError, KeyError, TypeError) as e:
            status, answer = 400, {"detail": "malformed envelope: " + str(e)}
        if status != 200:
            record["problem"] = answer["detail"]
        with lock:
            state["envelopes"].append(record)
        self.reply(status, answer)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
