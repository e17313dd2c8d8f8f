"""A one-page PDF data sheet of a product (see :mod:`pdf_writer` for the PDF itself)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from customer_center.integrations.erp.pdf_writer import Line, render_lines

WRAP_AT = 80  # characters of 11 pt Helvetica that fit between the margins


@dataclass(frozen=True)
class DataSheet:
    title: str
    sku: str
    facts: list[tuple[str, str]]  # (label, value), in order
    footer: str = ""


def render_datasheet(sheet: DataSheet) -> bytes:
    """The data sheet as the bytes of a valid PDF file."""
    lines = [Line("Product data sheet", 10), Line(sheet.title, 18, bold=True, gap=6)]
    for label, value in sheet.facts:
        lines.append(Line(label, 9, bold=True, gap=10))
        lines += [Line(part) for part in textwrap.wrap(value, WRAP_AT) or [""]]
    if sheet.footer:
        lines.append(Line(sheet.footer, 8, gap=24))
    return render_lines(lines, title=f"{sheet.sku} {sheet.title}")
