"""Render docs/benchmarks.md from every result file in bench/results/ and the machine.

    .venv/bin/python -m bench.report

The page holds the machine description, the targets of issues 6 and 14 (met or not, with
the figure), and one table per result file (its rows, with every extra scalar column).
"""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import results
from bench.serve import ROOT, WITH_NODE

DOC = ROOT / "docs" / "benchmarks.md"
FINDINGS = Path(__file__).with_name("findings.md")  # written by hand: what limits the figures
ORDER = [
    "browser_latency",
    "concurrency",
    "cpu_per_action",
    "memory",
    "hot_queries",
    "documents_list",
    "user_list_postgresql",
    "user_list_sqlite",
    "quick_order_postgresql",
    "quick_order_sqlite",
    "cold_start",
    "erp_prices",
]
Row = dict[str, Any]
CPU_MODEL = "model name\t"


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, cwd=ROOT)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else "-"


def _proc_value(path: str, key: str, separator: str = ":") -> str:
    """The value of the first ``key<separator>value`` line of a system file."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return "-"
    found = (ln.partition(separator)[2] for ln in lines if ln.startswith(key + separator))
    return next(found, "-").strip().strip('"')


def _postgres() -> str:
    from sqlalchemy import create_engine, text

    url = os.environ.get(
        "CC_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/cc_bench"
    )
    try:
        with create_engine(url).connect() as connection:
            return "PostgreSQL " + str(connection.execute(text("SHOW server_version")).scalar())
    except Exception:  # noqa: BLE001 - a description, not a check
        return "not reachable"


def _redis() -> str:
    try:
        import redis

        url = os.environ.get("CC_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
        return "Redis " + str(redis.Redis.from_url(url).info("server")["redis_version"])
    except Exception:  # noqa: BLE001 - a description, not a check
        return "not reachable"


def machine() -> list[tuple[str, str]]:
    from importlib.metadata import version

    mem_kb = _proc_value("/proc/meminfo", "MemTotal").split()[0]
    ram = f"{int(mem_kb) / 1024 / 1024:.1f} GiB" if mem_kb.isdigit() else "-"
    return [
        ("CPU", f"{_proc_value('/proc/cpuinfo', CPU_MODEL)}, {os.cpu_count()} cores"),
        ("RAM", ram),
        ("OS", _proc_value("/etc/os-release", "PRETTY_NAME", "=")),
        ("Kernel", platform.release()),
        ("Python", platform.python_version()),
        ("Reflex", version("reflex")),
        ("Node.js", _first_line([str(WITH_NODE), "node", "--version"])),
        ("Chromium", _first_line(["/usr/bin/chromium", "--version"])),
        ("Database", _postgres()),
        ("Redis", _redis()),
        ("Report written", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
    ]


def _limit_check(row: Row, limits: dict[str, float]) -> tuple[bool, str]:
    met = all(float(row.get(k, float("inf"))) <= v for k, v in limits.items())
    said = ", ".join(
        f"{k.removesuffix('_ms')} {row.get(k, '-')} (≤ {v:g})" for k, v in limits.items()
    )
    return met, said


def _concurrency_200(row: Row) -> dict[str, float] | None:
    if row.get("users") == 200 and row.get("measure") == "all clicks":
        return {"p95_ms": 150.0, "errors": 0}
    return None


def _cpu_per_click(row: Row) -> dict[str, float] | None:
    """The probe's mean over every click."""
    if row.get("measure") == "all clicks (mean)":
        return {"cpu_ms_mean": 6.0}
    return None


TARGET_RULES: dict[str, Callable[[Row], dict[str, float] | None]] = {
    "concurrency": _concurrency_200,
    "cpu_per_action": _cpu_per_click,
}
TARGET_TITLES = {
    "browser_latency": (
        "Interaction on the large dataset: p50 ≤ 2 × floor p50 (a first visit in a new tab "
        "≤ 5 ×), p95 < 50 ms"
    ),
    "concurrency": "200 concurrent simulated users: p95 < 150 ms, zero errors",
    "cpu_per_action": "Backend CPU per click: mean < 6 ms",
    "memory": "Server memory per idle connected session < 100 KB",
    "erp_prices": "A page of 25 prices, warm cache, against the reference ERP: p95 < 50 ms",
}


def targets(found: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["| Target | Measure | Met | Figures |", "|---|---|---|---|"]
    for name, title in TARGET_TITLES.items():
        rule = TARGET_RULES.get(name, lambda row: row.get("target"))
        checked = [(row, rule(row)) for row in found.get(name, {}).get("rows", [])]
        checked = [(row, limits) for row, limits in checked if limits]
        if not checked:
            lines.append(f"| {title} | - | not measured | run `make bench` |")
        for row, limits in checked:
            met, said = _limit_check(row, limits)
            extra = f" ({row['workers']} worker(s))" if "workers" in row else ""
            verdict = "**met**" if met else "not met"
            lines.append(f"| {title} | {row['measure']}{extra} | {verdict} | {said} |")
    return lines


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict):
        return " / ".join(f"{v}" for v in value.values())
    return str(value)


HEADERS = {
    "split_p50_ms": "p50 split ms: browser / server / render",
    "x_floor_p50": "× floor p50",
    "x_floor_p95": "× floor p95",
}


def _header(column: str) -> str:
    default = column.removesuffix("_ms") + (" ms" if column.endswith("_ms") else "")
    return HEADERS.get(column, default)


def table(rows: list[Row]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns and k != "target"]
    head = [_header(c) for c in columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(_cell(row.get(c, "")) for c in columns) + " |")
    return lines


def render(found: dict[str, dict[str, Any]]) -> str:
    out = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (bench/report.py) from the result files in bench/results/ "
        "(`make bench` clears them first, so the page shows one run) on the machine below; the "
        "README's `make bench` paragraph says what runs. Times in milliseconds unless a column "
        "says otherwise; each table ends with how it was measured and the machine's load "
        "average when it was done.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in machine()],
        "",
        "## Targets (issues 6 and 14)",
        "",
        *targets(found),
    ]
    for name in sorted(found, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER)):
        result = found[name]
        out += ["", f"## {result.get('title', name)}", "", *table(result.get("rows", []))]
        if result.get("notes"):
            out += ["", str(result["notes"])]
        if result.get("load_average"):
            out += ["", f"Load average (1, 5, 15 min) when written: {result['load_average']}."]
    if FINDINGS.exists():
        out += ["", FINDINGS.read_text().strip()]
    return "\n".join(out) + "\n"


def main() -> None:
    DOC.write_text(render(results.read_all()))
    print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
