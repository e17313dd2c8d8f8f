"""CSV cells that spreadsheets open safely: one guard for every export, undone on import."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

# Excel, LibreOffice and Sheets treat a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """The cell as text: a leading ``'`` keeps a formula-like value from being run."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def unguard(value: str) -> str:
    """A cell :func:`csv_safe` guarded, as it was before (a re-imported export)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def csv_line(cells: Iterable[object]) -> str:
    """One CSV record (``,``-separated, CRLF line end) with every cell guarded."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(
        [csv_safe("" if cell is None else str(cell)) for cell in cells]
    )
    return buffer.getvalue()
