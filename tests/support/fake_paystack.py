#!/usr/bin/env python3
"""A fake Paystack API for tests, on 127.0.0.1 (stdlib only).

Speaks Paystack's request and response shapes for POST /transaction/initialize,
/transferrecipient, /transfer, /customer (the existing customer for a known email) and
/customer/{code}/identification (202 "in progress"; the test sends the customeridentification webhook),
checks the Bearer secret key, and records every request.
Control: POST /_mode {"mode": "ok"|"down"|"refuse"|"hang"}; GET /_requests (path, body, authorization and the
trace headers, x_amzn_trace_id and traceparent, of each).
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
Listings (the daily reconciliation): GET /transaction?from&to&status&perPage&page and GET /transfer?from&to&status&
perPage&page answer in Paystack's list shape ({status, message, data[], meta {total, skipped, perPage, page,
pageCount}}), newest first, `from`/`to` on the record's creation time, from everything initialized or transferred here
(its creation time; paid_at / updatedAt stamped when its status moves) plus what a test plants: POST /_plant {"kind":
"transaction"|"transfer", "reference", and any of "amount", "currency", "status", "paid_at" (transactions) /
"updated_at" (transfers), "created_at"} adds a record this fake never saw, or changes those fields of one it knows.
Modes apply to these GETs too.
Banks and account resolution (payout accounts): GET /bank lists a few real Nigerian banks in Paystack's shape,
cursor-paginated (meta.next) with pages of at most min(perPage, 2) so clients must follow the cursor;
GET /bank/resolve?account_number&bank_code answers the name set by POST /_resolve {"account_number",
"bank_code", "account_name"}, else 422 "Could not resolve account name". Modes apply to both.
Prints "PORT <n>" once listening.
"""
import hashlib
import hmac
import json
import secrets
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import ThreadingHTTPServer

from fake_http import JsonHandler
from urllib.parse import parse_qs, urlsplit

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
        state["verifiable"][kind][reference] = {"amount": int(amount or 0), "status": status,
                                                "created_at": time.time(), **settled_now(kind, status)}


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


# --- Listings for the daily reconciliation: GET /transaction, GET /transfer, POST /_plant -------------------------

def settled_now(kind, status):
    """The settlement time a record gets when its status becomes final (paid_at / updatedAt), else nothing."""
    final = ("success",) if kind == "transaction" else ("success", "failed", "reversed")
    return {"settled_at": time.time()} if status in final else {}


def iso(epoch):
    """Paystack's timestamps: 2026-11-25T21:00:00.000Z."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + ".%03dZ" % int((epoch % 1) * 1000)


def epoch_of(text):
    """Seconds since the epoch of an ISO 8601 time (Z or an offset), or a date alone (its midnight UTC)."""
    from datetime import datetime, timezone
    text = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def plant(body):
    """Adds or changes a record the listings (and verification) report: (HTTP status, body)."""
    kind = body.get("kind")
    if kind not in ("transaction", "transfer") or not body.get("reference"):
        return 400, {"status": False, "message": "kind (transaction|transfer) and reference are required"}
    with lock:
        new = body["reference"] not in state["verifiable"][kind]
        record = state["verifiable"][kind].setdefault(
            body["reference"], {"amount": 0, "status": "success", "created_at": time.time()})
        for field in ("amount", "currency", "status"):
            if field in body:
                record[field] = body[field]
        if new or "status" in body:
            record.update(settled_now(kind, record["status"]))
        for field in ("paid_at", "updated_at"):
            if body.get(field):
                record["settled_at"] = epoch_of(body[field])
        if body.get("created_at"):
            record["created_at"] = epoch_of(body["created_at"])
    return 200, {"status": True}


def listed(kind, reference, known, number):
    """One data[] item of GET /transaction or GET /transfer, in Paystack's documented fields."""
    created = iso(known["created_at"])
    settled = iso(known["settled_at"]) if known.get("settled_at") else None
    currency = known.get("currency", "NGN")
    if kind == "transaction":
        return {"id": 700000000 + number, "domain": "test", "status": known["status"], "reference": reference,
                "amount": known["amount"], "message": None,
                "gateway_response": "Successful" if known["status"] == "success" else "The transaction was not completed",
                "paid_at": settled, "created_at": created, "channel": "card", "currency": currency,
                "ip_address": None, "metadata": None, "fees": 0,
                "customer": {"id": 1000, "email": "customer@example.ng", "customer_code": "CUS_fake"},
                "paidAt": settled, "createdAt": created}
    return {"amount": known["amount"], "createdAt": created, "currency": currency, "domain": "test",
            "failures": None, "id": 860000000 + number, "integration": 100032, "reason": "Bet2wealth withdrawal",
            "reference": reference, "source": "balance", "source_details": None, "status": known["status"],
            "titan_code": None, "transfer_code": "TRF_list%d" % number,
            "transferred_at": settled if known["status"] == "success" else None,
            "updatedAt": settled or created,
            "recipient": {"type": "nuban", "currency": currency, "name": "Customer", "recipient_code": "RCP_fake"}}


def listing(kind, query):
    """(HTTP status, body) of GET /transaction or /transfer: newest first, filtered, one page of it."""
    params = {k: v[-1] for k, v in urllib.parse.parse_qs(query).items()}
    try:
        per_page = int(params.get("perPage", 50))
        page = int(params.get("page", 1))
        start = epoch_of(params["from"]) if params.get("from") else None
        end = epoch_of(params["to"]) if params.get("to") else None
    except ValueError:
        return 400, {"status": False, "message": "Invalid query parameters"}
    if per_page < 1 or page < 1:
        return 400, {"status": False, "message": "perPage and page must be positive"}
    with lock:
        rows = [(ref, dict(known)) for ref, known in state["verifiable"][kind].items()]
    rows = [(ref, known) for ref, known in rows
            if (start is None or known["created_at"] >= start) and (end is None or known["created_at"] <= end)
            and (not params.get("status") or known["status"] == params["status"])]
    rows.sort(key=lambda row: (row[1]["created_at"], row[0]), reverse=True)
    total = len(rows)
    chunk = rows[(page - 1) * per_page:page * per_page]
    data = [listed(kind, ref, known, (page - 1) * per_page + i) for i, (ref, known) in enumerate(chunk)]
    meta = {"total": total, "skipped": (page - 1) * per_page, "perPage": per_page, "page": page,
            "pageCount": (total + per_page - 1) // per_page}
    if kind == "transaction":
        meta["total_volume"] = sum(known["amount"] for _, known in rows)
    message = "Transactions retrieved" if kind == "transaction" else "Transfers retrieved"
    return 200, {"status": True, "message": message, "data": data, "meta": meta}

# --- end of the listings ---------------------------------------------------------------------------------------


# ---- Banks and account resolution (payout accounts, issue 21) ----
# Real Nigerian banks with their Paystack codes, and one that must be left out (inactive).
BANKS = [
    {"name": "Access Bank", "slug": "access-bank", "code": "044", "longcode": "044150149", "gateway": "emandate",
     "pay_with_bank": False, "active": True, "country": "Nigeria", "currency": "NGN", "type": "nuban",
     "is_deleted": False, "id": 1},
    {"name": "First Bank of Nigeria", "slug": "first-bank-of-nigeria", "code": "011", "longcode": "011151003",
     "gateway": "ibank", "pay_with_bank": False, "active": True, "country": "Nigeria", "currency": "NGN",
     "type": "nuban", "is_deleted": False, "id": 7},
    {"name": "Guaranty Trust Bank", "slug": "guaranty-trust-bank", "code": "058", "longcode": "058152036",
     "gateway": "ibank", "pay_with_bank": False, "active": True, "country": "Nigeria", "currency": "NGN",
     "type": "nuban", "is_deleted": False, "id": 9},
    {"name": "Retired Bank", "slug": "retired-bank", "code": "990", "longcode": "", "gateway": None,
     "pay_with_bank": False, "active": False, "country": "Nigeria", "currency": "NGN", "type": "nuban",
     "is_deleted": False, "id": 12},
    {"name": "United Bank For Africa", "slug": "united-bank-for-africa", "code": "033", "longcode": "033153513",
     "gateway": "emandate", "pay_with_bank": False, "active": True, "country": "Nigeria", "currency": "NGN",
     "type": "nuban", "is_deleted": False, "id": 18},
    {"name": "Zenith Bank", "slug": "zenith-bank", "code": "057", "longcode": "057150013", "gateway": "emandate",
     "pay_with_bank": False, "active": True, "country": "Nigeria", "currency": "NGN", "type": "nuban",
     "is_deleted": False, "id": 21},
]
BANK_PAGE_MAX = 2  # Paystack allows perPage up to 100; the fake's small pages make clients follow the cursor
state["resolvable"] = {}  # (bank_code, account_number) -> account_name


def bank_cursor(index):
    """Paystack's cursors are opaque base64 strings; this one names the position of the next bank."""
    import base64
    return base64.b64encode(("bank:%d" % index).encode()).decode()


def bank_list(query):
    """(HTTP status, body) of GET /bank?country=nigeria&use_cursor=true&perPage=N[&next=cursor]."""
    import base64
    if (query.get("country") or ["nigeria"])[0].lower() != "nigeria":
        return 200, {"status": True, "message": "Banks retrieved", "data": [],
                     "meta": {"next": None, "previous": None, "perPage": 50}}
    try:
        per_page = max(1, min(int((query.get("perPage") or ["50"])[0]), 100))
    except ValueError:
        return 400, {"status": False, "message": "perPage must be a number"}
    start = 0
    if query.get("next"):
        try:
            start = int(base64.b64decode(query["next"][0]).decode().split(":")[1])
        except (ValueError, IndexError):
            return 400, {"status": False, "message": "Invalid cursor"}
    size = min(per_page, BANK_PAGE_MAX)
    page = BANKS[start:start + size]
    more = start + size < len(BANKS)
    return 200, {"status": True, "message": "Banks retrieved", "data": page,
                 "meta": {"next": bank_cursor(start + size) if more else None,
                          "previous": bank_cursor(max(0, start - size)) if start else None, "perPage": per_page}}


def account_resolution(query):
    """(HTTP status, body) of GET /bank/resolve?account_number=..&bank_code=.."""
    number = (query.get("account_number") or [""])[0]
    bank = (query.get("bank_code") or [""])[0]
    with lock:
        name = state["resolvable"].get((bank, number))
    if name is None:
        return 422, {"status": False, "message": "Could not resolve account name. Check parameters or try again."}
    bank_id = next((b["id"] for b in BANKS if b["code"] == bank), 0)
    return 200, {"status": True, "message": "Account number resolved",
                 "data": {"account_number": number, "account_name": name, "bank_id": bank_id}}


def bank_get(handler):
    """Serves GET /bank and /bank/resolve (True), or leaves the request to the others (False)."""
    parts = urlsplit(handler.path)
    if parts.path not in ("/bank", "/bank/resolve"):
        return False
    if handler.admitted(None) is not None:
        query = parse_qs(parts.query)
        handler.reply(*(bank_list(query) if parts.path == "/bank" else account_resolution(query)))
    return True


def bank_control(handler, body):
    """POST /_resolve {"account_number", "bank_code", "account_name"} (True), or not a bank control (False)."""
    if handler.path != "/_resolve":
        return False
    with lock:
        state["resolvable"][(body["bank_code"], body["account_number"])] = body["account_name"]
    handler.reply(200, {"status": True})
    return True
# ---- end of banks and account resolution ----


class Handler(JsonHandler):
    def do_GET(self):
        if self.path == "/_requests":
            with lock:
                return self.reply(200, state["requests"])
        path, _, query = self.path.partition("?")
        if path in ("/transaction", "/transfer"):
            if self.admitted(None) is not None:
                self.reply(*listing(path[1:], query))
            return
        for kind in ("transaction", "transfer"):
            prefix = "/" + kind + "/verify/"
            if self.path.startswith(prefix):
                return self.verify(kind, self.path[len(prefix):])
        if bank_get(self):
            return
        self.reply(404, {"status": False, "message": "not found"})

    def admitted(self, body):
        """Records the request and plays the fake's mode: None once answered (down, bad key), else the mode."""
        with lock:
            mode = state["mode"]
            state["requests"].append({"path": self.path, "body": body,
                                      "authorization": self.headers.get("Authorization"),
                                      "x_amzn_trace_id": self.headers.get("X-Amzn-Trace-Id"),
                                      "traceparent": self.headers.get("traceparent")})
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
        if bank_control(self, body):
            return
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
                known.update(settled_now(body["kind"], body["status"]))
            return self.reply(200, {"status": True})
        if self.path == "/_plant":
            return self.reply(*plant(body))
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
