"""The return slip as a PDF in the reader's language: the RMA number large and as a code a
scanner could read (the number in a Code-39 style frame of asterisks), the customer's
address, where to send the parcel, and the lines with their quantities."""

from __future__ import annotations

from customer_center.i18n import translate
from customer_center.integrations.erp.pdf_writer import Cell, Line, render_lines
from customer_center.services.returns.slip import SlipData


def slip_filename(data: SlipData) -> str:
    return f"{data.rma_number}.pdf"


def render_slip(data: SlipData, lang: str, *, seller: str) -> bytes:
    def t(key: str, **params: object) -> str:
        return translate(lang, key, **params)

    lines = [
        Line(seller, 9),
        Line(t("returns.slip.title"), 20, bold=True, gap=12),
        Line(data.rma_number, 28, bold=True, gap=10),
        Line(f"{t('returns.slip.code')}: *{data.rma_number}*", 16, gap=6),
        Line(f"{t('returns.col.number')}: {data.return_number}", gap=10),
        Line(f"{t('returns.col.order')}: {data.order_number}"),
        Line(f"{t('returns.field.reason')}: {t(f'returns.reason.{data.reason}')}"),
        Line(f"{t('returns.slip.customer')} {data.customer_number}", bold=True, gap=14),
        *[Line(part) for part in data.customer],
        Line(t("returns.slip.ship_to"), bold=True, gap=14),
        Line(seller),
        Line(
            cells=(
                Cell(t("returns.col.sku"), 56),
                Cell(t("returns.col.name"), 180),
                Cell(t("returns.col.requested"), 539, right=True),
            ),
            bold=True,
            gap=16,
        ),
        *[
            Line(cells=(Cell(sku, 56), Cell(name[:60], 180), Cell(str(qty), 539, right=True)))
            for sku, name, qty in data.lines
        ],
        Line(t("returns.slip.note"), 9, gap=20),
    ]
    return render_lines(lines, title=f"{t('returns.slip.title')} {data.rma_number}")
