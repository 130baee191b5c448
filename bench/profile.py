"""Sample the benchmark server with py-spy while wrk drives one endpoint, and summarise where the time goes.

Used by ``bench/run.py --profile`` (after seeding, instead of the timed phases): for every scenario, wrk runs for
``duration`` seconds while ``py-spy record --subprocesses`` samples every gunicorn worker; the raw (collapsed)
stacks are kept in ``.data/bench/profile-<scenario>.txt`` and the top frames of each endpoint written to
``.data/bench/profile.md``:

* **self**: the leaf frames (where the CPU actually was), by share of the samples;
* **inclusive**: the project's own functions (not the libraries') by share of the samples they appear in.

Only samples of busy threads are counted (py-spy leaves out idle ones: a thread waiting on a socket for
PostgreSQL, Redis or the next request).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

PROJECT = ("referral_api/", "referrals/", "agencies/", "events/", "audit/", "records/", "attachments/", "stats/",
           "bench/")  # fmt: skip
_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def py_spy() -> str:
    found = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if not found:
        sys.exit("bench: py-spy is missing: .venv/bin/pip install py-spy (it is in requirements-dev.txt)")
    return found


def _short(file: str) -> str:
    for marker in ("site-packages/", "lib/python3"):
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    else:
        for prefix in PROJECT:
            index = file.find("/" + prefix)
            if index >= 0:
                file = file[index + 1 :]
                break
    return file


def parse(raw: str) -> tuple[int, Counter, Counter]:
    """Return (samples, self counts, inclusive counts of project functions) from py-spy's raw output."""
    total, leaf, inclusive = 0, Counter(), Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = []
        for frame in stack.split(";"):
            match = _FRAME.match(frame)
            if not match:
                continue  # process and thread names
            file = _short(match["file"])
            frames.append((f"{match['func']} ({file})", file.startswith(PROJECT)))
        if not frames:
            continue
        total += n
        leaf[frames[-1][0]] += n
        for name in {name for name, own in frames if own}:
            inclusive[name] += n
    return total, leaf, inclusive


def profile(scenarios, *, run_wrk, server_pid: int, duration: float, out: Path, top: int = 10) -> str:
    """Profile each scenario (``run_wrk(scenario, seconds)`` drives it); return the Markdown summary."""
    spy = py_spy()
    lines = [f"py-spy, {duration:.0f} s of wrk load per endpoint, every gunicorn worker sampled at 250 Hz.", ""]
    for scenario in scenarios:
        raw_path = out / f"profile-{scenario.name}.txt"
        recorder = subprocess.Popen(
            [spy, "record", "--pid", str(server_pid), "--subprocesses", "--rate", "250", "--nonblocking",
             "--duration", str(round(duration) + 1), "--format", "raw", "--output", str(raw_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(0.5)
        result = run_wrk(scenario, duration)
        recorder.wait(timeout=duration + 60)
        total, leaf, inclusive = parse(raw_path.read_text() if raw_path.exists() else "")
        lines += [f"### {scenario.label}", "", f"{result['rps']:.0f} req/s under the profiler; {total:,} samples.", ""]
        if not total:
            lines += ["(no samples)", ""]
            continue
        lines += ["| self | frame | | inclusive | project function |", "|---:|---|---|---:|---|"]
        own, mine = leaf.most_common(top), inclusive.most_common(top)
        for i in range(top):
            a = f"{own[i][1] / total:.1%} | `{own[i][0]}`" if i < len(own) else " | "
            b = f"{mine[i][1] / total:.1%} | `{mine[i][0]}`" if i < len(mine) else " | "
            lines.append(f"| {a} | | {b} |")
        lines.append("")
    return "\n".join(lines)
