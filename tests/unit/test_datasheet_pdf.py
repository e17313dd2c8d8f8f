"""The hand-written PDF data sheet: valid structure whatever the text holds."""

from __future__ import annotations

from customer_center.integrations.erp.datasheet_pdf import DataSheet, render_datasheet
from tests.pdf_check import page_text, pdf_objects


def test_brackets_backslashes_and_characters_outside_winansi_stay_valid() -> None:
    sheet = DataSheet(
        title="Valve (DN 12) \\ spare",
        sku="V-1",
        facts=[("Range", "-30 to +130 °C → 5 bar, Größe ✓"), ("Long", "word " * 60)],
    )
    data = render_datasheet(sheet)
    text = page_text(pdf_objects(data))
    assert "Valve (DN 12) \\ spare" in text
    assert "-30 to +130 °C ? 5 bar, Größe ?" in text
    assert text.count("word") == 60


def test_the_same_sheet_gives_the_same_bytes() -> None:
    sheet = DataSheet(title="Bolt", sku="B-1", facts=[("Article number", "B-1")])
    assert render_datasheet(sheet) == render_datasheet(sheet)
