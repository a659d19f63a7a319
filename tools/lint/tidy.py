#!/usr/bin/env python3
"""clang-tidy over translation units of a CMake build, in parallel, with a result cache (run by tools/lint/tidy.sh).

Reads the files to check (paths relative to the checkout, .cpp and .hpp) on stdin. A .cpp is checked as the
translation unit compile_commands.json lists; a header through its sibling .cpp, else through every unit that
includes it. Each finding is printed once, relative to the checkout (a header's findings come from every unit
that includes it), then a count per check. Exit status: 0 clean, 1 findings, 2 clang-tidy failed on a unit.

The cache (B2W_TIDY_CACHE_DIR, default ~/.cache/b2w-clang-tidy; B2W_TIDY_CACHE=0 turns it off) keys a unit's
result on its preprocessed source (the compile command with -E, so every header it includes), that command,
.clang-tidy and the versions of clang-tidy and the compiler; paths are taken relative to the checkout, so clones
and worktrees share it. Only units whose key changed run clang-tidy again.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import threading
import time

FINDING = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<kind>warning|error): (?P<msg>.*?)"
                     r"(?: \[(?P<check>[^\]]+)\])?$")
CACHE_DAYS = 30


def load_units(root, build):
    """{absolute source path: compile_commands entry} for the checkout's own sources (src/, tests/, bench/)."""
    path = os.path.join(build, "compile_commands.json")
    try:
        with open(path, encoding="utf-8") as f:
            entries = json.load(f)
    except FileNotFoundError:
        sys.exit(f"tidy: {path} is missing: configure the build first (make configure)")
    own = tuple(os.path.join(root, d) + os.sep for d in ("src", "tests", "bench"))
    units = {}
    for e in entries:
        file = os.path.normpath(os.path.join(e["directory"], e["file"]))
        if file.startswith(own):  # generated sources live in the build directory
            units[file] = e
    return units


def select_units(root, units, files):
    """The units that check the given files; files no unit covers are returned apart."""
    chosen, uncovered = set(), []
    headers = []
    for rel in files:
        path = os.path.join(root, rel)
        if path.endswith(".cpp"):
            if path in units:
                chosen.add(path)
            else:
                uncovered.append(rel)
        else:
            headers.append((rel, path))
    sources = {}
    for rel, path in headers:
        sibling = path[: -len(".hpp")] + ".cpp"
        if sibling in units:
            chosen.add(sibling)
            continue
        include = re.compile(r'#\s*include\s+"([^"]*/)?' + re.escape(os.path.basename(path)) + '"')
        found = False
        for unit in units:
            if unit not in sources:
                try:
                    with open(unit, encoding="utf-8", errors="replace") as f:
                        sources[unit] = f.read()
                except OSError:
                    sources[unit] = ""
            if include.search(sources[unit]):
                chosen.add(unit)
                found = True
        if not found:
            uncovered.append(rel)
    return sorted(chosen), uncovered


def command_of(entry):
    return entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])


def preprocess_command(args):
    """The compile command with -E to stdout instead of -c -o FILE."""
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        if a == "-c" or a.startswith("-o"):
            continue
        out.append(a)
    return out[:1] + ["-E", "-o", "-"] + out[1:]


def version(cmd):
    try:
        return subprocess.run(cmd + ["--version"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return ""


class Runner:
    def __init__(self, root, build, tidy, extra_args, cache_dir):
        self.root, self.build, self.tidy, self.cache_dir = root, build, tidy, cache_dir
        # Findings in the checkout's own headers only (.clang-tidy's HeaderFilterRegex is the editors' looser one).
        own_headers = "/(src|tests|bench)/"
        self.args = [f"--extra-arg={a}" for a in extra_args] + ["--header-filter=^" + re.escape(root) + own_headers]
        with open(os.path.join(root, ".clang-tidy"), "rb") as f:
            config = f.read()
        # Nothing in the key names the checkout's path, so clones and worktrees share results.
        salt = [config, version([tidy]).encode(), " ".join(extra_args).encode(), own_headers.encode()]
        self.salt = hashlib.sha256(b"\0".join(salt)).digest()
        self.compiler_versions = {}

    def relative(self, text):
        return text.replace(self.root + os.sep, "")

    def key(self, entry):
        args = command_of(entry)
        compiler = args[0]
        if compiler not in self.compiler_versions:
            self.compiler_versions[compiler] = version([compiler])
        pre = subprocess.run(preprocess_command(args), cwd=entry["directory"], capture_output=True, check=False)
        if pre.returncode != 0:
            return None  # clang-tidy will say why
        # The checkout's path, wherever it appears (include paths, line markers, -DB2W_SOURCE_DIR="..."), is left out.
        root = self.root.encode()
        h = hashlib.sha256(self.salt)
        h.update(self.compiler_versions[compiler].encode())
        h.update("\0".join(args).encode().replace(root, b"<root>"))
        h.update(entry["directory"].encode().replace(root, b"<root>"))
        h.update(pre.stdout.replace(root, b"<root>"))
        return h.hexdigest()

    def run(self, unit, entry):
        """(output relative to the checkout, clang-tidy failed, from cache)"""
        key = self.key(entry) if self.cache_dir else None
        cached = os.path.join(self.cache_dir, key[:2], key) if key else None
        if cached and os.path.exists(cached):
            with open(cached, encoding="utf-8") as f:
                out = f.read()
            os.utime(cached)
            return out, False, True
        proc = subprocess.run([self.tidy, "-p", self.build, "--quiet"] + self.args + [unit],
                              capture_output=True, text=True, check=False)
        out = self.relative(proc.stdout)
        if proc.returncode != 0:
            return out + self.relative(proc.stderr), True, False
        if cached:
            os.makedirs(os.path.dirname(cached), exist_ok=True)
            tmp = f"{cached}.{os.getpid()}.{threading.get_ident()}"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(out)
            os.replace(tmp, cached)
        return out, False, False


def findings(outputs):
    """Unique findings in order: (first line, the lines under it, check)."""
    seen, result = set(), []
    for out in outputs:
        current = None
        for line in out.splitlines():
            m = FINDING.match(line)
            if m and (m["kind"] == "error" or m["check"]):
                if line in seen:
                    current = None
                    continue
                seen.add(line)
                current = [line, [], m["check"] or "clang-diagnostic-error"]
                result.append(current)
            elif current is not None:
                current[1].append(line)
    return result


def prune(cache_dir):
    cutoff = time.time() - CACHE_DAYS * 86400
    for dirpath, _, names in os.walk(cache_dir):
        for n in names:
            p = os.path.join(dirpath, n)
            try:
                if os.path.getmtime(p) < cutoff:
                    os.remove(p)
            except OSError:
                pass


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--clang-tidy", default="clang-tidy-14")
    ap.add_argument("--all", action="store_true",
                    help="every unit of the build; stdin lists the tracked sources, to name those no unit compiles")
    opts = ap.parse_args()

    root = os.path.realpath(opts.root)
    build = os.path.realpath(os.path.join(root, opts.build))
    units = load_units(root, build)
    files = [line.strip() for line in sys.stdin if line.strip()]
    if opts.all:
        chosen = sorted(units)
        uncovered = [f for f in files if f.endswith(".cpp") and os.path.join(root, f) not in units]
    else:
        chosen, uncovered = select_units(root, units, files)
    if uncovered:
        print(f"tidy: not checked, no unit of {os.path.relpath(build, root)}/compile_commands.json compiles them: "
              + " ".join(uncovered))
    if not chosen:
        print("tidy: nothing to check")
        return 0

    cache_dir = None
    if os.environ.get("B2W_TIDY_CACHE", "1") != "0":
        cache_dir = os.environ.get("B2W_TIDY_CACHE_DIR") or os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "b2w-clang-tidy")
        os.makedirs(cache_dir, exist_ok=True)
        prune(cache_dir)
    # GCC's warning options in the compile commands are unknown to clang.
    runner = Runner(root, build, opts.clang_tidy, ["-Wno-unknown-warning-option"], cache_dir)

    start = time.monotonic()
    outputs, failed, hits = {}, [], 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        jobs = {pool.submit(runner.run, u, units[u]): u for u in chosen}
        for job in concurrent.futures.as_completed(jobs):
            unit = jobs[job]
            out, bad, hit = job.result()
            outputs[unit] = out
            hits += hit
            if bad:
                failed.append(unit)
    elapsed = time.monotonic() - start

    found = findings(outputs[u] for u in chosen)
    for first, rest, _ in found:
        print(first)
        for line in rest:
            print(line)
    for unit in sorted(failed):
        print(f"tidy: clang-tidy failed on {runner.relative(unit)}:\n{outputs[unit]}", file=sys.stderr)

    counts = {}
    for _, _, check in found:
        counts[check] = counts.get(check, 0) + 1
    summary = f"{len(chosen)} units ({hits} from the cache) in {elapsed:.0f} s"
    if counts:
        print(f"tidy: {len(found)} findings, {summary}:")
        for check, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {n:5d}  {check}")
    else:
        print(f"tidy: clean, {summary}")
    if failed:
        return 2
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
