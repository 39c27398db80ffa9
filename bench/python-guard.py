"""Bench: the Python client's Guard (one long-lived imgguard process) against one CLI call per
file, over the files of DIR. Prints one JSON line. Run by bench/run.mjs with IMGGUARD_BIN set."""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import imgguard  # noqa: E402

root = sys.argv[1]
calls = int(sys.argv[2]) if len(sys.argv) > 2 else 100
files = sorted(os.path.join(d, f) for d, _, names in os.walk(root) for f in names)

with imgguard.Guard() as guard:
    guard.check(files[0])  # the process is started once, outside the timing
    t0 = time.perf_counter()
    checked = sum(1 for _ in guard.iter_check(files))
    guard_secs = time.perf_counter() - t0
    # One at a time, each result awaited before the next path is sent (a data loader's pattern).
    t0 = time.perf_counter()
    for f in files[:2000]:
        guard.check(f)
    one_by_one_secs = time.perf_counter() - t0

cmd = imgguard.find_cli()
t0 = time.perf_counter()
for f in files[:calls]:
    subprocess.run([*cmd, "check", "--ndjson", "-q", f], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
call_secs = time.perf_counter() - t0
print(json.dumps({
    "files": checked,
    "guardSecs": guard_secs,
    "oneByOne": min(2000, len(files)),
    "oneByOneSecs": one_by_one_secs,
    "calls": min(calls, len(files)),
    "callSecs": call_secs,
}))
