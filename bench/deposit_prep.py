#!/usr/bin/env python3
"""Prepares N pending deposits for bench/deposits.sh and their signed charge.success bodies.

  deposit_prep.py sqlite DB_FILE USER_IDS N SECRET OUT   (rows inserted with the sqlite3 module)
  deposit_prep.py postgres - USER_IDS N SECRET OUT        (SQL for psql on stdout)
USER_IDS: comma-separated; the deposits go to them in turn. OUT gets one line per deposit: <signature> <body>.
"""
import hashlib
import hmac
import json
import sqlite3
import sys
import time

kind, target, n, secret, out = sys.argv[1], sys.argv[2], int(sys.argv[4]), sys.argv[5], sys.argv[6]
users = sys.argv[3].split(",")
now = int(time.time() * 1e6)
rows = [("bench_%06d" % i, users[i % len(users)], "bench-%06d" % i, 1000 + i % 50000) for i in range(n)]
if kind == "sqlite":
    db = sqlite3.connect(target, timeout=30)
    db.executemany("INSERT INTO payments (id, user_id, kind, reference, amount, status, created_at, updated_at)"
                   " VALUES (?, ?, 'deposit', ?, ?, 'pending', %d, %d)" % (now, now), rows)
    db.commit()
else:
    print("INSERT INTO payments (id, user_id, kind, reference, amount, status, created_at, updated_at) VALUES")
    print(",\n".join("('%s', '%s', 'deposit', '%s', %d, 'pending', %d, %d)" % (r[0], r[1], r[2], r[3], now, now)
                     for r in rows) + ";")
with open(out, "w") as f:
    for _, _, ref, amount in rows:
        body = json.dumps({"event": "charge.success",
                           "data": {"reference": ref, "amount": amount, "currency": "NGN", "status": "success"}},
                          separators=(",", ":"))
        sig = hmac.new(secret.encode(), body.encode(), hashlib.sha512).hexdigest()
        f.write(sig + " " + body + "\n")
