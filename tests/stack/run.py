#!/usr/bin/python3
"""Runs the resilience tests against a running stack (tests/stack/run.sh starts one) and prints each test's
figures and a closing 'N passed, N failed' line.
Usage: run.py [test names...]   (default: all, in order)"""
import importlib
import sys
import time
import traceback

from stacklib import Stack

ORDER = ["test_rolling_restart", "test_task_killed", "test_casino_task_killed", "test_redis_failover",
         "test_postgres_restart", "test_hostile_clients",
         "test_mail_task_killed", "test_reconciler_task_killed", "test_stream_restart"]


class Report:
    def __init__(self):
        self.passed, self.failed, self.lines = [], [], []

    def figures(self, name, **values):
        self.lines.append("%-18s %s" % (name, ", ".join("%s=%s" % kv for kv in values.items())))


def main(names):
    stack = Stack()
    report = Report()
    for name in names or ORDER:
        module = importlib.import_module(name if name.startswith("test_") else "test_" + name)
        print("=== %s: %s" % (module.NAME, module.__doc__.strip().splitlines()[0]), flush=True)
        start = time.monotonic()
        try:
            stack.wait_all_up()
            module.run(stack, report)
            report.passed.append(module.NAME)
            print("--- PASS %s (%.1fs)" % (module.NAME, time.monotonic() - start), flush=True)
        except Exception as e:  # a failed check or an unexpected error: the test fails, the others still run
            report.failed.append(module.NAME)
            if not isinstance(e, AssertionError):
                traceback.print_exc()
            print("--- FAIL %s (%.1fs): %s" % (module.NAME, time.monotonic() - start, e), flush=True)
    print("\nfigures:")
    for line in report.lines:
        print("  " + line)
    print("\n%d passed, %d failed" % (len(report.passed), len(report.failed)))
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
