#!/usr/bin/env python3
"""Reads a saved mail (RFC 5322 bytes) with Python's email package and prints what it understood as JSON, so C++
tests check our MIME output against an independent parser.

Usage: parse_mail.py FILE
Prints {"headers": {name: decoded value}, "content_type", "defects": [...], "date_ok": bool,
        "parts": [{"content_type", "charset", "transfer_encoding", "body"}]}
"""
import email
import email.policy
import email.utils
import json
import sys

with open(sys.argv[1], "rb") as f:
    message = email.message_from_binary_file(f, policy=email.policy.default)

defects = [type(d).__name__ for d in message.defects]
parts = []
for part in message.iter_parts():
    defects += [type(d).__name__ for d in part.defects]
    parts.append({"content_type": part.get_content_type(), "charset": part.get_content_charset(),
                  "transfer_encoding": part.get("Content-Transfer-Encoding"), "body": part.get_content()})
try:
    date_ok = email.utils.parsedate_to_datetime(message["Date"]) is not None
except (TypeError, ValueError):
    date_ok = False
print(json.dumps({"headers": {name: str(value) for name, value in message.items()},
                  "content_type": message.get_content_type(), "defects": defects, "date_ok": date_ok,
                  "parts": parts}))
