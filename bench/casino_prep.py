#!/usr/bin/env python3
"""Signed Fundist OneWallet callbacks for bench/casino.sh, signed here in Python (independently of the C++).

  casino_prep.py LOGINS ROUNDS SECRET FUND_OUT LOAD_OUT
LOGINS: comma-separated Fundist logins (user ids without "usr_"). FUND_OUT gets one credit of 1,000,000.00 per
player (sent first); LOAD_OUT gets ROUNDS rounds of a debit of 1.00 then a credit of 0.90, the players in turn,
one JSON body per line.
"""
import hashlib
import hmac
import json
import sys

logins, rounds, secret, fund_out, load_out = sys.argv[1].split(","), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
key = hashlib.sha256(secret.encode()).digest()


def signed(fields):
    message = "".join(str(fields[k]) for k in sorted(fields))
    fields["hmac"] = hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
    return json.dumps(fields, separators=(",", ":"))


def call(kind, login, tid, amount, round_id):
    return signed({"type": kind, "userid": login, "currency": "NGN", "amount": amount, "tid": tid,
                   "i_gameid": round_id, "i_actionid": "A" + tid, "i_gamedesc": "998:bench", "subtype": kind})


with open(fund_out, "w") as f:
    for i, login in enumerate(logins):
        f.write(call("credit", login, "FUND%d" % i, "1000000.00", "FUND") + "\n")
with open(load_out, "w") as f:
    for r in range(rounds):
        login = logins[r % len(logins)]
        f.write(call("debit", login, "D%d" % r, "1.00", "R%d" % r) + "\n")
        f.write(call("credit", login, "C%d" % r, "0.90", "R%d" % r) + "\n")
