"""Orders in words: list and status labels, the CSV export's header."""

from __future__ import annotations

from collections.abc import Sequence

from customer_center.i18n import translate


def status_label(status: str, lang: str) -> str:
    return translate(lang, f"orders.status.{status}")


def csv_header(columns: Sequence[str], lang: str) -> list[str]:
    """The order list export's column titles."""
    return [translate(lang, f"order_list.csv.{name}") for name in columns]
