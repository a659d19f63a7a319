#!/usr/bin/env python3
"""Credits each user's wallet for bench/sportsbook.sh with a balanced ledger transaction (as a confirmed
deposit would), so `ledger verify` still passes.

  fund_prep.py sqlite DB_FILE AMOUNT USER_ID...   (applied with the sqlite3 module)
  fund_prep.py postgres - AMOUNT USER_ID...        (SQL for psql on stdout)
"""
import sqlite3
import sys
import time

kind, target, amount, users = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
now = int(time.time() * 1e6)
statements = []
for u in users:
    tx = "bench-fund:" + u
    statements += [
        "INSERT INTO ledger_transactions (id, kind, reference, created_at) VALUES ('%s', 'deposit', 'bench', %d)" % (tx, now),
        "UPDATE ledger_accounts SET balance = balance + %d WHERE id = 'wallet:%s'" % (amount, u),
        "UPDATE ledger_accounts SET balance = balance - %d WHERE id = 'provider_clearing:paystack'" % amount,
        "INSERT INTO ledger_entries (transaction_id, seq, account_id, amount, balance_after, created_at) VALUES"
        " ('%s', 0, 'wallet:%s', %d, %d, %d)" % (tx, u, amount, amount, now),
        "INSERT INTO ledger_entries (transaction_id, seq, account_id, amount, balance_after, created_at) VALUES"
        " ('%s', 1, 'provider_clearing:paystack', %d, (SELECT balance FROM ledger_accounts"
        " WHERE id = 'provider_clearing:paystack'), %d)" % (tx, -amount, now),
    ]
if kind == "sqlite":
    db = sqlite3.connect(target, timeout=30)
    for s in statements:
        db.execute(s)
    db.commit()
else:
    print("BEGIN;")
    print(";\n".join(statements) + ";")
    print("COMMIT;")
