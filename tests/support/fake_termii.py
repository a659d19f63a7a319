#!/usr/bin/env python3
"""A fake of Termii's token API for tests, on 127.0.0.1 (stdlib only).

Speaks the wire format identity/termii.cpp assumes (identity/README.md lists what is verified):
POST /api/sms/otp/send   {api_key, message_type, to, from, channel, pin_attempts, pin_time_to_live, pin_length,
                          pin_placeholder, message_text, pin_type}
                         -> 200 {"pinId", "to", "smsStatus": "Message Sent"}; a wrong api_key 401; a missing or
                         malformed field 400 {"message": ...}
POST /api/sms/otp/verify {api_key, pin_id, pin}
                         -> 200 {"pinId", "verified": "True", "msisdn"} for the right pin; 400 {"verified": "False"}
                         for a wrong one; 200 {"verified": "Expired"} after pin_time_to_live; 400
                         {"verified": "Exceeded"} after pin_attempts checks; 404 for an unknown or used pin_id.
The pin is generated here and put into message_text where pin_placeholder is, as Termii does.
Control: POST /_mode {"mode": "ok"|"down"|"hang"|"error"}   (down closes the connection, hang holds it 30 s,
         error answers 500); POST /_expire {"pin_id"}; GET /_messages -> [{"to", "text", "pin", "pin_id",
         "from", "channel"}]; GET /_counts -> {"send": n, "verify": n}.
Arguments: API_KEY. Prints "PORT <n>" once listening.
"""
import json
import random
import sys
import threading
import time
import uuid
from http.server import ThreadingHTTPServer

from fake_http import JsonHandler

API_KEY = sys.argv[1]
state = {"mode": "ok", "pins": {}, "messages": [], "counts": {"send": 0, "verify": 0}}
lock = threading.Lock()
SEND_FIELDS = {"api_key": str, "message_type": str, "to": str, "from": str, "channel": str, "pin_attempts": int,
               "pin_time_to_live": int, "pin_length": int, "pin_placeholder": str, "message_text": str,
               "pin_type": str}


class Handler(JsonHandler):
    def do_GET(self):
        with lock:
            if self.path == "/_messages":
                self.reply(200, state["messages"])
            elif self.path == "/_counts":
                self.reply(200, state["counts"])
            else:
                self.reply(404, {"message": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self.reply(400, {"message": "invalid JSON"})
            return
        if self.path == "/_mode":
            with lock:
                state["mode"] = body["mode"]
            self.reply(200, {})
            return
        if self.path == "/_expire":
            with lock:
                state["pins"][body["pin_id"]]["expires"] = 0
            self.reply(200, {})
            return
        with lock:
            mode = state["mode"]
            if self.path in ("/api/sms/otp/send", "/api/sms/otp/verify"):
                state["counts"]["send" if self.path.endswith("send") else "verify"] += 1
        if mode == "down":
            self.close_connection = True
            self.connection.close()
            return
        if mode == "hang":
            time.sleep(30)
            return
        if mode == "error":
            self.reply(500, {"message": "Internal Server Error"})
            return
        if body.get("api_key") != API_KEY:
            self.reply(401, {"message": "Invalid API key"})
            return
        if self.path == "/api/sms/otp/send":
            self.send_token(body)
        elif self.path == "/api/sms/otp/verify":
            self.verify_token(body)
        else:
            self.reply(404, {"message": "not found"})

    def send_token(self, body):
        for field, kind in SEND_FIELDS.items():
            if not isinstance(body.get(field), kind):
                self.reply(400, {"message": "%s is required" % field})
                return
        to = body["to"]
        if not (to.isdigit() and to.startswith("234") and len(to) == 13):
            self.reply(400, {"message": "to must be an international number without +"})
            return
        if body["pin_placeholder"] not in body["message_text"]:
            self.reply(400, {"message": "message_text must contain pin_placeholder"})
            return
        pin = "".join(random.choice("0123456789") for _ in range(body["pin_length"]))
        pin_id = str(uuid.uuid4())
        with lock:
            state["pins"][pin_id] = {"pin": pin, "to": to, "left": body["pin_attempts"],
                                     "expires": time.time() + 60 * body["pin_time_to_live"], "used": False}
            state["messages"].append({"to": to, "pin": pin, "pin_id": pin_id, "from": body["from"],
                                      "channel": body["channel"],
                                      "text": body["message_text"].replace(body["pin_placeholder"], pin)})
        self.reply(200, {"pinId": pin_id, "to": to, "smsStatus": "Message Sent"})

    def verify_token(self, body):
        pin_id, pin = body.get("pin_id"), body.get("pin")
        with lock:
            record = state["pins"].get(pin_id)
            if record is None or record["used"]:
                answer = (404, {"message": "Pin not found"})
            elif record["left"] <= 0:
                answer = (400, {"pinId": pin_id, "verified": "Exceeded"})
            elif time.time() > record["expires"]:
                answer = (200, {"pinId": pin_id, "verified": "Expired"})
            elif pin != record["pin"]:
                record["left"] -= 1
                answer = (400, {"pinId": pin_id, "verified": "False"})
            else:
                record["used"] = True
                answer = (200, {"pinId": pin_id, "verified": "True", "msisdn": record["to"]})
        self.reply(*answer)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print("PORT %d" % server.server_address[1], flush=True)
server.serve_forever()
