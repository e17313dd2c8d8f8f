"""Reading pasted and uploaded order lines (domain/order_lines.py)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from customer_center.domain.errors import ServiceError
from customer_center.domain.order_lines import (
    MAX_LINES,
    EnteredLine,
    LineProblem,
    parse_file,
    parse_text,
)


def test_tabs_semicolons_commas_and_spaces_separate_sku_and_quantity() -> None:
    text = "BOLT-M8\t10\nMOTOR-4KW;2\nGLOVES-9, 3\nCABLE-1 4\nNUT-5\n\n  \n"
    assert parse_text(text) == [
        EnteredLine(1, "BOLT-M8", 10),
        EnteredLine(2, "MOTOR-4KW", 2),
        EnteredLine(3, "GLOVES-9", 3),
        EnteredLine(4, "CABLE-1", 4),
        EnteredLine(5, "NUT-5", 1),  # no quantity: one
    ]


def test_a_header_line_is_skipped_and_line_numbers_stay_those_of_the_text() -> None:
    lines = parse_text("Artikelnummer;Menge\n\nBOLT-M8;5\n")
    assert lines == [EnteredLine(3, "BOLT-M8", 5)]


@pytest.mark.parametrize("quantity", ["0", "-1", "1.5", "zehn", "10000", "²", "1e3"])
def test_a_quantity_that_is_no_whole_number_in_range_is_a_problem(quantity: str) -> None:
    (line,) = parse_text(f"BOLT-M8;{quantity}")
    assert line.problem is LineProblem.QUANTITY and line.quantity is None
    assert line.written == quantity  # shown to the buyer as typed


def test_missing_and_overlong_skus_are_problems() -> None:
    first, second = parse_text(";5\n" + "X" * 80 + ";1")
    assert first.problem is LineProblem.NO_SKU
    assert second.problem is LineProblem.SKU_TOO_LONG and len(second.sku) == 64


def test_too_many_lines_refuse_the_whole_input() -> None:
    with pytest.raises(ServiceError) as refused:
        parse_text("\n".join(f"SKU-{n};1" for n in range(MAX_LINES + 1)))
    assert refused.value.code == "quick_order.error.too_many_lines"
    with pytest.raises(ServiceError):
        parse_text("x" * 70_000)


def test_anything_but_text_is_no_lines() -> None:
    assert parse_text({"a": 1}) == []
    assert parse_text(None) == []


def test_an_xlsx_file_is_read_from_its_first_sheet() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["SKU", "Quantity"])
    sheet.append(["BOLT-M8", 12])
    sheet.append(["MOTOR-4KW", 2.0])
    sheet.append([None, None])
    sheet.append(["GLOVES-9", "drei"])
    data = io.BytesIO()
    book.save(data)
    lines = parse_file("Bestellung.XLSX", data.getvalue())
    assert [(line.line, line.sku, line.quantity) for line in lines] == [
        (2, "BOLT-M8", 12),
        (3, "MOTOR-4KW", 2),
        (5, "GLOVES-9", None),
    ]


def test_a_broken_xlsx_and_a_huge_file_are_refused_as_a_whole() -> None:
    with pytest.raises(ServiceError) as broken:
        parse_file("list.xlsx", b"PK\x03\x04 not really a zip")
    assert broken.value.code == "quick_order.error.unreadable"
    with pytest.raises(ServiceError) as huge:
        parse_file("list.csv", b"A;1\n" * 300_000)
    assert huge.value.code == "quick_order.error.file_too_large"


def test_a_csv_file_in_latin_1_is_read() -> None:
    assert parse_file("liste.csv", "Größe-1;2\n".encode("latin-1")) == [
        EnteredLine(1, "Größe-1", 2)
    ]


@given(st.text(max_size=300))
def test_any_text_gives_lines_or_a_clear_refusal(text: str) -> None:
    for line in parse_text(text):
        assert line.problem is not None or (line.quantity is not None and 0 < len(line.sku) <= 64)
