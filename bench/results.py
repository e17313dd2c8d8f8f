"""The figures every bench module hands to ``bench.report``: ``bench/results/<name>.json``.

A result file holds ``{"title", "notes", "load_average", "rows": [{"measure", "p50_ms",
"p95_ms", "p99_ms", "n", ...extra}]}``; ``row`` computes the percentiles from raw timings in
milliseconds. A row may carry ``"target": {"<column>": limit}``: met when every column is at
most its limit (bench.report lists it under the targets).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with ``share`` of all at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def row(measure: str, timings_ms: Sequence[float], **extra: Any) -> dict[str, Any]:
    return {
        "measure": measure,
        "p50_ms": round(percentile(timings_ms, 0.50), 2),
        "p95_ms": round(percentile(timings_ms, 0.95), 2),
        "p99_ms": round(percentile(timings_ms, 0.99), 2),
        "n": len(timings_ms),
        **extra,
    }


def write(name: str, title: str, rows: list[dict[str, Any]], notes: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    payload = {"title": title, "notes": notes, "load_average": load, "rows": rows}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return path


def read_all() -> dict[str, dict[str, Any]]:
    """Every result file present, by name."""
    if not RESULTS.is_dir():
        return {}
    return {p.stem: json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))}
