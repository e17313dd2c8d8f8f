"""Where the backend's Python time goes during a benchmark run, sampled with py-spy.

py-spy samples the backend's processes (supervisor and workers) only while a thread holds
the GIL, so waiting for PostgreSQL or the network is not counted; the shares say what the
worker's CPU is spent on. A stack counts for every category whose function it contains.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

CATEGORIES = {
    "Reflex event processing (state tree, deltas)": "process_event (",
    "services: SQL through SQLAlchemy (page data, decisions)": "run_in_transaction (",
    "actor per event (session + permissions queries)": "load_principal (",
    "hydrate on connect": "hydrate_and_load (",
    "socket.io emit and JSON": "AsyncServer.emit (",
    "state manager (Redis)": "StateManagerRedis.",
}
SHORT = {label: label.split(" (")[0].split(":")[0] for label in CATEGORIES}


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        raise SystemExit("--profile needs py-spy: .venv/bin/pip install py-spy")
    return found


def start(pid: int, seconds: float, out: Path) -> subprocess.Popen:
    """Sample ``pid`` and its worker processes for ``seconds`` into ``out`` (raw stacks)."""
    command = [py_spy(), "record", "--pid", str(pid), "--subprocesses", "--gil"]
    command += ["--nonblocking", "--rate", "50", "--duration", str(int(seconds))]
    command += ["--format", "raw", "--output", str(out)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def shares(raw: Path) -> tuple[int, list[tuple[str, float]]]:
    """Samples taken, and each category's share of them (largest first)."""
    counts: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit():
            continue
        total += int(number)
        for label, marker in CATEGORIES.items():
            if marker in stack:
                counts[label] += int(number)
    return total, [(label, n / total) for label, n in counts.most_common()] if total else []


def report(raw: Path) -> list[str]:
    total, found = shares(raw)
    lines = [f"  backend profile ({total} samples holding the GIL), share of the samples:"]
    lines += [f"  {share:6.1%}  {label}" for label, share in found]
    return lines


def summary(raw: Path) -> str:
    """One line for a results table: ``services 41%, actor per event 14%, ...``."""
    return ", ".join(f"{SHORT[label]} {share:.0%}" for label, share in shares(raw)[1])
