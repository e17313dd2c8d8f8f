"""The PDFs of the embedded ERP's documents: invoices, credit notes, order confirmations,
delivery notes and product certificates, written with :mod:`pdf_writer`.

Amounts come from :func:`customer_center.domain.invoice_totals.invoice_totals`, the rule the
portal uses for its cart, checkout and order page, so the invoice shows the same figures the
buyer saw. English only (the ERP's documents are in one language); amounts as ``1,234.50 EUR``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from customer_center.domain.invoice_totals import InvoiceTotals
from customer_center.integrations.erp.pdf_writer import MARGIN, RIGHT_EDGE, Cell, Line, render_lines

TITLES = {
    "invoice": "Invoice",
    "credit_note": "Credit note",
    "order_confirmation": "Order confirmation",
    "delivery_note": "Delivery note",
    "certificate": "Certificate of conformity",
}
PRICED = frozenset({"invoice", "credit_note", "order_confirmation"})
SELLER = "Customer Center demo seller - Musterstrasse 1 - 10115 Berlin - VAT ID DE123456789"


@dataclass(frozen=True)
class DocumentLine:
    position: int
    sku: str
    name: str
    quantity: int
    unit: str
    unit_price_cents: int
    line_total_cents: int


@dataclass(frozen=True)
class DocumentContent:
    kind: str
    number: str
    issued_on: date
    customer_number: str
    customer_name: str
    address: Sequence[str]  # the billing (or delivery) address, line by line
    order_number: str | None
    reference: str
    shipping_method: str
    lines: Sequence[DocumentLine]
    totals: InvoiceTotals | None  # for the priced kinds
    note: str = ""  # e.g. a certificate's statement


def amount(cents: int, currency: str) -> str:
    """``1,234.50 EUR``: the documents' one way of writing money."""
    value = Decimal(cents) / 100
    return f"{value:,.2f} {currency}"


def rate_text(rate: Decimal) -> str:
    return f"{rate.normalize():f} %"


def render_document(doc: DocumentContent) -> bytes:
    lines = _header(doc)
    if doc.kind == "certificate":
        lines += [Line(part, gap=4) for part in doc.note.split("\n")]
    else:
        if doc.note:  # e.g. what a credit note credits, and why
            lines += [
                Line(part, 10, gap=14 if i == 0 else 2)
                for i, part in enumerate(doc.note.split("\n"))
            ]
        lines += _table(doc)
    if doc.totals is not None and doc.kind in PRICED:
        lines += _totals(doc.totals)
    lines.append(Line(SELLER, 8, gap=28))
    return render_lines(lines, title=f"{TITLES[doc.kind]} {doc.number}")


def _header(doc: DocumentContent) -> list[Line]:
    lines = [Line(SELLER, 8), Line(TITLES[doc.kind], 18, bold=True, gap=14)]
    facts = [
        ("Number", doc.number),
        ("Date", doc.issued_on.isoformat()),
        ("Customer", f"{doc.customer_number} {doc.customer_name}"),
    ]
    if doc.order_number:
        facts.append(("Order", doc.order_number))
    if doc.reference:
        facts.append(("Your reference", doc.reference))
    if doc.shipping_method and doc.kind != "certificate":
        facts.append(("Shipping", doc.shipping_method))
    lines += [_pair(label, value, gap=2) for label, value in facts]
    lines += [Line(part, 10, gap=10 if i == 0 else 0) for i, part in enumerate(doc.address)]
    return lines


def _pair(label: str, value: str, gap: int = 0) -> Line:
    return Line(size=10, gap=gap, cells=(Cell(label, MARGIN), Cell(value, MARGIN + 110)))


COLUMNS = (MARGIN, MARGIN + 28, MARGIN + 120)  # position, article, name
QTY_RIGHT, PRICE_RIGHT = MARGIN + 360, MARGIN + 420


def _table(doc: DocumentContent) -> list[Line]:
    priced = doc.kind in PRICED
    head = ["Pos", "Article", "Description", "Quantity"]
    cells = [Cell(h, x) for h, x in zip(head[:3], COLUMNS, strict=True)]
    cells.append(Cell(head[3], QTY_RIGHT, right=True))
    if priced:
        cells += [Cell("Unit price", PRICE_RIGHT, right=True), Cell("Amount", RIGHT_EDGE, True)]
    lines = [Line(size=9, bold=True, gap=18, cells=tuple(cells))]
    currency = doc.totals.currency if doc.totals else ""
    for item in doc.lines:
        row = [
            Cell(str(item.position), MARGIN),
            Cell(item.sku, COLUMNS[1]),
            Cell(item.name[:38], COLUMNS[2]),  # ends before the quantity column
            Cell(f"{item.quantity} {item.unit}".strip(), QTY_RIGHT, right=True),
        ]
        if priced:
            row += [
                Cell(amount(item.unit_price_cents, currency), PRICE_RIGHT, right=True),
                Cell(amount(item.line_total_cents, currency), RIGHT_EDGE, right=True),
            ]
        lines.append(Line(size=9, gap=2, cells=tuple(row)))
    return lines


def _sum(label: str, cents: int, currency: str, *, bold: bool = False, gap: int = 2) -> Line:
    cells = (Cell(label, PRICE_RIGHT - 160), Cell(amount(cents, currency), RIGHT_EDGE, True))
    return Line(size=10, bold=bold, gap=gap, cells=cells)


def _totals(totals: InvoiceTotals) -> list[Line]:
    currency = totals.currency
    lines = [
        _sum("Goods (net)", totals.goods_cents, currency, gap=14),
        _sum("Shipping (net)", totals.shipping_cents, currency),
        _sum("Total net", totals.net_cents, currency, bold=True),
    ]
    for vat in totals.vat:
        lines.append(_sum(f"VAT {rate_text(vat.rate)}", vat.tax_cents, currency))
    lines.append(_sum("Total gross", totals.gross_cents, currency, bold=True, gap=4))
    return lines
