#!/usr/bin/env python3
"""A fake of Fundist's outbound API for tests, on 127.0.0.1 (stdlib only).

Speaks the wire format casino/fundist_api.cpp assumes (casino/README.md lists what is verified):
GET /System/Api/<KEY>/Game/FullList/?&TID=..&Hash=..            -> JSON {games, categories, merchants}
GET /System/Api/<KEY>/User/AuthHTML/?&Login=..&Password=..&System=..&Page=..&UserIP=..&TID=..&Hash=..
                                                                -> text "1,<html>" or "<code>,<message>"
Every request's Hash is checked here with hashlib (independently of the C++ code): MD5 of
"<Method>/0.0.0.0/<TID>/<KEY>[/<Login>/<Password>/<System>]/<PWD>"; a wrong one gets "15,Wrong authorization
hash". Non-demo launches must carry the player's derived password (HMAC-SHA256 of the player secret). Every
reply carries Response-Hash = md5(TID + PWD + body), as Fundist's own client checks.
Arguments: KEY PWD PLAYER_SECRET GAMES (how many games to list).
Control: POST /_mode {"mode": "ok"|"down"|"hang"|"bad_hash"|"refuse:<code>,<message>"}; GET /_requests.
Prints "PORT <n>" once listening.
"""
import hashlib
import hmac
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY, PWD, PLAYER_SECRET = sys.argv[1], sys.argv[2], sys.argv[3]
GAME_COUNT = int(sys.argv[4]) if len(sys.argv) > 4 else 30
state = {"mode": "ok", "requests": []}
lock = threading.Lock()

MERCHANTS = {"998": {"Name": "Pragmatic Play", "Alias": "pragmatic"}, "960": {"Name": "Evolution"},
             "421": {"Name": "Spribe"}}
CATEGORIES = [{"ID": "16", "Name": {"en": "Slots"}}, {"ID": "7", "Name": {"en": "Live Casino"}},
              {"ID": "41", "Name": {"en": "Crash"}}]


def game_list():
    games = []
    merchants = list(MERCHANTS)
    for i in range(GAME_COUNT):
        merchant = merchants[i % 3]
        games.append({"ID": str(5000 + i), "Name": {"en": "Game %03d" % i}, "MerchantID": merchant,
                      "PageCode": "page%d" % i, "MobilePageCode": ("page%d_m" % i) if i % 2 == 0 else "",
                      "CategoryID": [CATEGORIES[i % 3]["ID"]], "hasDemo": "1" if i % 4 == 0 else "0",
                      "ImageFullPath": "https://cdn.fundist.example/%d.png" % i})
    return {"games": games, "categories": CATEGORIES, "merchants": MERCHANTS, "countriesRestrictions": {}}


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type, tid):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        digest = md5(tid + PWD + body)
        if state["mode"] == "bad_hash":
            digest = md5("not" + digest)
        self.send_header("Response-Hash", digest)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/_mode":
            with lock:
                state["mode"] = body["mode"]
            self.answer(200, "{}", "application/json", "")
        else:
            self.answer(404, "{}", "application/json", "")

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/_requests":
            with lock:
                self.answer(200, json.dumps(state["requests"]), "application/json", "")
            return
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        with lock:
            state["requests"].append({"path": url.path, "query": query})
            mode = state["mode"]
        if mode == "down":
            self.close_connection = True
            self.connection.close()
            return
        if mode == "hang":
            time.sleep(30)
            return
        tid = query.get("TID", "")
        prefix = "/System/Api/%s/" % KEY
        if not url.path.startswith(prefix):
            self.answer(200, "11,Wrong authorization", "application/x-fundist-text", tid)
            return
        method = url.path[len(prefix):].strip("/")
        if method == "Game/FullList":
            expected = md5("Game/FullList/0.0.0.0/%s/%s/%s" % (tid, KEY, PWD))
            if query.get("Hash") != expected:
                self.answer(200, "15,Wrong authorization hash", "application/x-fundist-text", tid)
                return
            self.answer(200, json.dumps(game_list()), "application/json", tid)
        elif method == "User/AuthHTML":
            login, password, system = query.get("Login", ""), query.get("Password", ""), query.get("System", "")
            expected = md5("User/AuthHTML/0.0.0.0/%s/%s/%s/%s/%s/%s" % (tid, KEY, login, password, system, PWD))
            if query.get("Hash") != expected:
                self.answer(200, "15,Wrong authorization hash", "application/x-fundist-text", tid)
                return
            demo = query.get("Demo") == "1"
            derived = hmac.new(PLAYER_SECRET.encode(), ("fundist-player-password:" + login).encode(),
                               hashlib.sha256).hexdigest()[:32]
            if not demo and password != derived:
                self.answer(200, "22,Wrong user password", "application/x-fundist-text", tid)
                return
            if mode.startswith("refuse:"):
                self.answer(200, mode[len("refuse:"):], "application/x-fundist-text", tid)
                return
            html = '<iframe src="https://games.fundist.example/%s?login=%s&amp;ext=%s"></iframe>' % (
                query.get("Page", ""), login, query.get("ExtParam", ""))
            self.answer(200, "1," + html, "application/x-fundist-text", tid)
        else:
            self.answer(200, "13,Wrong action", "application/x-fundist-text", tid)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print("PORT %d" % server.server_address[1], flush=True)
server.serve_forever()
