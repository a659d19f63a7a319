"""7. Mail while every task is SIGKILLed mid-send: the verification mails written to the outbox with their accounts
are all delivered once the tasks are back; a mail the server took but whose sender died before hearing so comes
once more with the same Message-ID (a receiver may drop it), and no mail comes twice otherwise."""
import email
import glob
import json
import os
import time

from stacklib import check, log

NAME = "mail_task_killed"
USERS = 6
HOLD_S = 4  # the mail server keeps each 250 back this long, so the kill finds sends in flight


def delivered(mail_dir, addresses):
    """{address: [Message-ID, ...]} of what the mail server took for these addresses."""
    out = {a: [] for a in addresses}
    for meta_path in glob.glob(os.path.join(mail_dir, "*.json")):
        with open(meta_path) as f:
            meta = json.load(f)
        for rcpt in meta["rcpt_tos"]:
            if rcpt in out:
                with open(meta_path[:-len(".json")] + ".eml", "rb") as f:
                    out[rcpt].append(email.message_from_bytes(f.read())["Message-ID"])
    return out


def run(stack, report):
    mail_dir = os.path.join(stack.dir, "mail")
    hold = os.path.join(mail_dir, "hold")
    with open(hold, "w") as f:
        f.write(str(HOLD_S))
    try:
        users = [stack.register("mail") for _ in range(USERS)]
        addresses = {u["email"] for u in users}
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(delivered(mail_dir, addresses).values()):
            time.sleep(0.05)
        check(any(delivered(mail_dir, addresses).values()), "no verification mail reached the server in 20 s")
        killed = 0
        for task in range(1, stack.tasks + 1):
            stack.script("task.sh", "kill", str(task))
            killed += 1
    finally:
        os.remove(hold)
    t_killed = time.monotonic()
    for task in range(1, stack.tasks + 1):
        stack.script("task.sh", "start", str(task))
    for task in range(1, stack.tasks + 1):
        stack.wait_state(task, "UP", 15)

    # Every mail: delivered, and its outbox row sent (the lease of a killed sender ends: MAIL_SEND_LEASE).
    quoted = ",".join("'%s'" % a for a in sorted(addresses))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        got = delivered(mail_dir, addresses)
        sent = int(stack.psql("SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent' AND recipient IN (%s)" % quoted))
        if all(got.values()) and sent == USERS:
            break
        time.sleep(0.2)
    took = time.monotonic() - t_killed
    got = delivered(mail_dir, addresses)
    statuses = stack.psql("SELECT status, COUNT(*) FROM mail_outbox WHERE recipient IN (%s) GROUP BY status" % quoted)
    again = sum(len(ids) - 1 for ids in got.values())
    log("%d mails, %d tasks SIGKILLed with sends in flight; all delivered %.1fs after the kill; sent again after "
        "the kill (same Message-ID): %d; outbox: %s" % (USERS, killed, took, again, statuses.replace("\n", ", ")))
    report.figures(NAME, mails=USERS, delivered_after_s=round(took, 1), sent_again=again)
    missing = [a for a, ids in got.items() if not ids]
    check(not missing, "never delivered: %s" % missing)
    check(statuses == "sent|%d" % USERS, "outbox rows not all sent: %s" % statuses)
    for address, ids in got.items():
        check(len(set(ids)) == 1, "%s got different mails: %s" % (address, ids))
