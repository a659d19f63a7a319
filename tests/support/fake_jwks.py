#!/usr/bin/env python3
"""A fake of Google's JWKS endpoint (https://www.googleapis.com/oauth2/v3/certs) for tests, on 127.0.0.1.

Keys are RSA 2048 generated at start (python3-cryptography); tokens are signed with PyJWT (python3-jwt), or by
hand where PyJWT refuses (HS256 keyed with the public key, alg none): independently of the C++ code.

GET  any path not under /_       the JWKS {"keys": [...]} of the published keys, Cache-Control public, max-age=N
                                 (counted; see /_fetches). Mode "hang" holds the request unanswered for a minute,
                                 "error" answers 500.
POST /_token   {"claims": {...}, "kid": str, "alg": "RS256"|"HS256"|"none", "key": "current"|"unpublished",
                "tamper": bool}  -> {"token": str, "kid": str}
               claims are merged over Google-like defaults (iss, aud = argv[1], sub, email, email_verified, name,
               iat, exp); a claim given as null is left out. "key": "unpublished" signs with a key the JWKS does
               not list. "tamper" swaps the payload of a validly signed token (its email changed).
POST /_rotate  {"drop_old": bool}  a new key with a new kid becomes current and published -> {"kid": str}
POST /_cache   {"max_age": n}      the max-age of the JWKS replies
POST /_mode    {"mode": "up"|"hang"|"error"}
GET  /_fetches -> {"fetches": n}
Prints "PORT <n>" once listening. Arguments: AUDIENCE.
"""
import base64
import hashlib
import hmac
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

AUDIENCE = sys.argv[1] if len(sys.argv) > 1 else "test-client.apps.googleusercontent.com"
lock = threading.Lock()
state = {"keys": {}, "published": [], "current": None, "counter": 0, "fetches": 0, "max_age": 3600,
         "mode": "up"}


def new_key():
    with lock:
        state["counter"] += 1
        kid = "fake-key-%d" % state["counter"]
    return kid, rsa.generate_private_key(public_exponent=65537, key_size=2048)


def publish_new_key(drop_old=False):
    kid, key = new_key()
    with lock:
        state["keys"][kid] = key
        if drop_old:
            state["published"] = []
        state["published"].append(kid)
        state["current"] = kid
    return kid


def jwks():
    with lock:
        published = [(kid, state["keys"][kid]) for kid in state["published"]]
    keys = []
    for kid, key in published:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
        jwk.update({"kid": kid, "alg": "RS256", "use": "sig"})
        keys.append(jwk)
    return {"keys": keys}


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64_json(value):
    return b64(json.dumps(value, separators=(",", ":")).encode())


def mint(request):
    now = int(time.time())
    claims = {"iss": "https://accounts.google.com", "azp": AUDIENCE, "aud": AUDIENCE, "sub": "100000000000000000001",
              "email": "ada@example.com", "email_verified": True, "name": "Ada Lovelace", "iat": now,
              "exp": now + 3600}
    for name, value in request.get("claims", {}).items():
        if value is None:
            claims.pop(name, None)
        else:
            claims[name] = value
    alg = request.get("alg", "RS256")
    if request.get("key") == "unpublished":
        kid, key = new_key()
    else:
        with lock:
            kid = state["current"]
            key = state["keys"][kid]
    kid = request.get("kid", kid)
    header = {"alg": alg, "kid": kid, "typ": "JWT"}
    if alg == "RS256":
        token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})
    elif alg == "HS256":
        # The classic confusion attack: HMAC keyed with the RSA public key as published (PEM). PyJWT refuses to
        # make this token, so it is made by hand.
        secret = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
        signed = b64_json(header) + "." + b64_json(claims)
        token = signed + "." + b64(hmac.new(secret, signed.encode(), hashlib.sha256).digest())
    elif alg == "none":
        token = b64_json(header) + "." + b64_json(claims) + "."
    else:
        raise ValueError("unknown alg " + alg)
    if request.get("tamper"):
        head, _, signature = token.split(".")
        claims["email"] = "mallory@example.com"
        token = head + "." + b64_json(claims) + "." + signature
    return {"token": token, "kid": kid}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, value, headers=None):
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, text in (headers or {}).items():
            self.send_header(name, text)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/_fetches":
            with lock:
                self.answer(200, {"fetches": state["fetches"]})
            return
        with lock:
            state["fetches"] += 1
            mode, max_age = state["mode"], state["max_age"]
        if mode == "hang":
            time.sleep(60)
            self.close_connection = True
            return
        if mode == "error":
            self.answer(500, {"error": "backend error"})
            return
        self.answer(200, jwks(), {"Cache-Control": "public, max-age=%d, must-revalidate, no-transform" % max_age})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/_token":
            self.answer(200, mint(body))
        elif self.path == "/_rotate":
            self.answer(200, {"kid": publish_new_key(body.get("drop_old", False))})
        elif self.path == "/_cache":
            with lock:
                state["max_age"] = int(body["max_age"])
            self.answer(200, {})
        elif self.path == "/_mode":
            with lock:
                state["mode"] = body["mode"]
            self.answer(200, {})
        else:
            self.answer(404, {})


def main():
    publish_new_key()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
