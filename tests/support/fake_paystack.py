#!/usr/bin/env python3
"""A fake Paystack API for tests, on 127.0.0.1 (stdlib only).

Speaks Paystack's request and response shapes for POST /transaction/initialize,
/transferrecipient, /transfer, /customer (the existing customer for a known email) and
/customer/{code}/identification (202 "in progress"; the test sends the customeridentification webhook),
checks the Bearer secret key, and records every request.
Control: POST /_mode {"mode": "ok"|"down"|"refuse"|"hang"}; GET /_requests.
Per-amount scripts, so concurrent tests choose each request's fate by its amount:
POST /_script {"amount": N, "initialize": ["refuse", "ok"], "transfer": "early_success"}. "initialize"
outcomes are used one per call (the last one stays); "transfer" is one of ok, refuse (400: certainly not
taken), down (503: maybe taken), early_success / early_failed / early_reversed (the transfer webhook, signed
with the secret key, is delivered to the target set by POST /_webhook_target {"url": ...} before /transfer
answers, as Paystack may do).
Verification: GET /transaction/verify/<reference> and /transfer/verify/<reference> answer with Paystack's
documented shapes for what was initialized or transferred here (a transaction starts "abandoned", a transfer
"pending"; an unknown reference is 400 / 404 with "status": false). A test moves them as the customer or the
bank would, without any webhook: POST /_verify_status {"kind": "transaction"|"transfer", "reference": ...,
"status": "success"|"failed"|...}. Modes apply to these GETs too.
Prints "PORT <n>" once listening.
"""
import hashlib
import hmac
import json
import secrets
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = sys.argv[1] if len(sys.argv) > 1 else "sk_test_fake"
state = {"mode": "ok", "requests": [], "references": set(), "scripts": {}, "webhook_target": None, "customers": {},
         "verifiable": {"transaction": {}, "transfer": {}}}
lock = threading.Lock()


def scripted(amount, operation):
    """The scripted outcome of this operation for this amount, or None."""
    with lock:
        script = state["scripts"].get(str(amount), {}).get(operation)
        if isinstance(script, list):
            return script.pop(0) if len(script) > 1 else (script[0] if script else None)
        return script


def deliver(event, body):
    """Posts a signed transfer webhook to the server, as Paystack would, and waits for its answer."""
    data = json.dumps({"event": event, "data": {"reference": body.get("reference"), "amount": body.get("amount"),
                                                "currency": "NGN", "status": event.split(".")[1],
                                                "transfer_code": "TRF_early"}}).encode()
    signature = hmac.new(SECRET.encode(), data, hashlib.sha512).hexdigest()
    request = urllib.request.Request(state["webhook_target"], data=data, method="POST",
                                     headers={"Content-Type": "application/json", "x-paystack-signature": signature})
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()


def remember(kind, reference, amount, status):
    """Keeps what verification will report of this reference."""
    with lock:
        state["verifiable"][kind][reference] = {"amount": int(amount or 0), "status": status}


def verification(kind, reference):
    """(HTTP status, body) of GET /<kind>/verify/<reference>, in Paystack's documented shapes."""
    with lock:
        known = dict(state["verifiable"][kind].get(reference) or {})
    if not known:
        if kind == "transaction":
            return 400, {"status": False, "message": "Transaction reference not found"}
        return 404, {"status": False, "message": "Transfer not found"}
    if kind == "transaction":
        return 200, {"status": True, "message": "Verification successful",
                     "data": {"id": 690075529, "domain": "test", "status": known["status"], "reference": reference,
                              "amount": known["amount"], "message": None, "gateway_response": "Successful",
                              "paid_at": "2026-11-25T21:00:00.000Z", "created_at": "2026-11-25T20:59:00.000Z",
                              "channel": "card", "currency": "NGN", "fees": 0}}
    return 200, {"status": True, "message": "Transfer retrieved",
                 "data": {"amount": known["amount"], "createdAt": "2026-11-25T20:59:00.000Z", "currency": "NGN",
                          "domain": "test", "failures": None, "id": 860670817, "reason": "Bet2wealth withdrawal",
                          "reference": reference, "source": "balance", "status": known["status"],
                          "transfer_code": "TRF_verify", "transferred_at": None}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/_requests":
            with lock:
                return self.reply(200, state["requests"])
        for kind in ("transaction", "transfer"):
            prefix = "/" + kind + "/verify/"
            if self.path.startswith(prefix):
                return self.verify(kind, self.path[len(prefix):])
        self.reply(404, {"status": False, "message": "not found"})

    def admitted(self, body):
        """Records the request and plays the fake's mode: None once answered (down, bad key), else the mode."""
        with lock:
            mode = state["mode"]
            state["requests"].append({"path": self.path, "body": body,
                                      "authorization": self.headers.get("Authorization")})
        if mode == "hang":
            time.sleep(30)
        if mode == "down":
            self.reply(503, {"status": False, "message": "Service unavailable"})
            return None
        if self.headers.get("Authorization") != "Bearer " + SECRET:
            self.reply(401, {"status": False, "message": "Invalid key"})
            return None
        return mode

    def verify(self, kind, reference):
        if self.admitted(None) is not None:
            self.reply(*verification(kind, reference))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self.reply(400, {"status": False, "message": "invalid JSON"})
        if self.path == "/_mode":
            with lock:
                state["mode"] = body["mode"]
            return self.reply(200, {"status": True})
        if self.path == "/_script":
            with lock:
                state["scripts"][str(body["amount"])] = body
            return self.reply(200, {"status": True})
        if self.path == "/_verify_status":
            with lock:
                known = state["verifiable"][body["kind"]].get(body["reference"])
                if known is None:
                    return self.reply(404, {"status": False, "message": "never initialized or transferred"})
                known["status"] = body["status"]
            return self.reply(200, {"status": True})
        if self.path == "/_webhook_target":
            with lock:
                state["webhook_target"] = body["url"]
            return self.reply(200, {"status": True})
        mode = self.admitted(body)
        if mode is None:
            return
        if mode == "refuse":
            return self.reply(400, {"status": False, "message": "Request refused by the fake"})
        operation = {"/transaction/initialize": "initialize", "/transfer": "transfer"}.get(self.path)
        outcome = scripted(body.get("amount"), operation) if operation else None
        if outcome == "refuse":
            return self.reply(400, {"status": False, "message": "Refused by the fake's script"})
        if outcome == "down":
            return self.reply(503, {"status": False, "message": "Service unavailable (scripted)"})
        if outcome and outcome.startswith("early_"):
            deliver("transfer." + outcome[len("early_"):], body)
        if self.path == "/customer":
            email = body.get("email")
            if not email:
                return self.reply(400, {"status": False, "message": "Please provide an email"})
            with lock:
                code = state["customers"].setdefault(email, "CUS_" + secrets.token_hex(7))
            return self.reply(200, {"status": True, "message": "Customer created",
                                    "data": {"email": email, "customer_code": code, "id": 1000 + len(state["customers"]),
                                             "first_name": body.get("first_name"), "last_name": body.get("last_name"),
                                             "identified": False, "integration": 100032}})
        if self.path.startswith("/customer/") and self.path.endswith("/identification"):
            code = self.path[len("/customer/"):-len("/identification")]
            with lock:
                known = code in state["customers"].values()
            if not known:
                return self.reply(404, {"status": False, "message": "Customer not found"})
            missing = [f for f in ("country", "type", "bvn", "bank_code", "account_number") if not body.get(f)]
            if missing:
                return self.reply(400, {"status": False, "message": "Missing " + ", ".join(missing)})
            return self.reply(202, {"status": True, "message": "Customer Identification in progress"})
        if self.path == "/transaction/initialize":
            ref = body.get("reference")
            with lock:
                if ref in state["references"]:
                    return self.reply(400, {"status": False, "message": "Duplicate Transaction Reference"})
                state["references"].add(ref)
            remember("transaction", ref, body.get("amount"), "abandoned")
            code = secrets.token_hex(8)
            return self.reply(200, {"status": True, "message": "Authorization URL created",
                                    "data": {"authorization_url": "https://checkout.paystack.com/" + code,
                                             "access_code": code, "reference": ref}})
        if self.path == "/transferrecipient":
            return self.reply(201, {"status": True, "message": "Transfer recipient created successfully",
                                    "data": {"active": True, "currency": "NGN", "name": body.get("name"),
                                             "recipient_code": "RCP_" + secrets.token_hex(6), "type": "nuban",
                                             "details": {"account_number": body.get("account_number"),
                                                         "bank_code": body.get("bank_code")}}})
        if self.path == "/transfer":
            early = outcome[len("early_"):] if outcome and outcome.startswith("early_") else "pending"
            remember("transfer", body.get("reference"), body.get("amount"), early)
            return self.reply(200, {"status": True, "message": "Transfer has been queued",
                                    "data": {"reference": body.get("reference"), "amount": body.get("amount"),
                                             "status": "pending", "transfer_code": "TRF_" + secrets.token_hex(6)}})
        self.reply(404, {"status": False, "message": "not found"})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
