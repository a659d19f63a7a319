#!/usr/bin/env python3
"""A real SMTP server for tests (Debian python3-aiosmtpd) on 127.0.0.1, on a free port printed as "PORT <n>".

Usage: smtp_sink.py DIR [--port N] [--user NAME --password SECRET [--only-login]]
                    [--starttls CERT KEY | --implicit-tls CERT KEY]

Each message it accepts is saved as DIR/<n>.eml (the bytes of DATA as received, dot-unstuffed by aiosmtpd) beside
DIR/<n>.json ({"mail_from", "rcpt_tos", "authenticated_as", "tls"}); the .json is written last, so a test waits
for it. With --user, AUTH PLAIN and LOGIN are offered and required (over plain text too: auth_require_tls=False,
loopback tests only); --only-login leaves AUTH PLAIN out. --starttls offers STARTTLS; --implicit-tls speaks TLS from the first byte (port 465 style).
Recipients decide the server's answers: reject@... gets 550 (permanent) and busy@... 451 (transient) to RCPT TO;
spam@... gets 554 after the final dot of DATA (the message is not saved).
While a file DIR/hold exists, each accepted message is saved and then its 250 waits that many seconds (its
content): a client killed meanwhile never learns that the message was taken (the local stack's outbox test).
"""
import argparse
import asyncio
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local == "reject":
            return "550 5.1.1 No such user here"
        if local == "busy":
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(address.split("@", 1)[0].lower() == "spam" for address in envelope.rcpt_tos):
            return "554 5.6.0 Message content refused"
        self.count += 1
        base = os.path.join(self.directory, str(self.count))
        with open(base + ".eml", "wb") as out:
            out.write(envelope.original_content)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        meta = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "authenticated_as": login,
                "tls": session.ssl is not None}
        with open(base + ".json.tmp", "w") as out:
            json.dump(meta, out)
        os.replace(base + ".json.tmp", base + ".json")
        try:
            with open(os.path.join(self.directory, "hold")) as f:
                await asyncio.sleep(float(f.read().strip() or "0"))
        except (FileNotFoundError, ValueError):
            pass
        return "250 2.0.0 Message accepted for delivery"


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        # handled=False: aiosmtpd then answers a failure with 535 itself.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)
    return authenticate


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--only-login", action="store_true")
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
    args = parser.parse_args()

    def tls_context(cert_and_key):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*cert_and_key)
        return context

    handler = Sink(args.directory)
    options = {"hostname": "sink.test", "auth_require_tls": False}
    if args.user:
        options.update(authenticator=authenticator_for(args.user, args.password), auth_required=True)
        if args.only_login:
            options["auth_exclude_mechanism"] = ["PLAIN"]
    if args.starttls:
        options["tls_context"] = tls_context(args.starttls)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **options), host="127.0.0.1", port=args.port,
                                      ssl=tls_context(args.implicit_tls) if args.implicit_tls else None)
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    # auth_required without TLS is what the plain-mode tests want; silence aiosmtpd's warning about it.
    import warnings
    warnings.simplefilter("ignore")
    sys.exit(asyncio.run(main()))
