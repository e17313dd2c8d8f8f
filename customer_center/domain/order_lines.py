"""Reading order lines a buyer pastes or uploads: SKU and quantity per line.

What arrives is untrusted text (typed, pasted from a spreadsheet, a CSV file) or an XLSX file.
Each non-empty line becomes one :class:`EnteredLine` with its line number, the SKU as written
(trimmed, bounded) and the quantity, or a problem code when the quantity is not a whole number
from 1 to :data:`~customer_center.domain.inputs.MAX_LINE_QUANTITY`. A missing quantity means 1.
Cells are split on a tab (a spreadsheet's copy), a semicolon, a comma, or else on spaces. A
first line that names its columns (``SKU;Quantity``, ``Artikelnummer;Menge``) is skipped.

Pure: no database. The whole input is bounded (:data:`MAX_TEXT`, :data:`MAX_LINES`,
:data:`MAX_FILE_BYTES`); beyond that the input as a whole is refused.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from customer_center.domain import inputs
from customer_center.domain.errors import ServiceError

MAX_LINES = 500
MAX_TEXT = 64 * 1024
MAX_FILE_BYTES = 1024 * 1024
MAX_XLSX_CELLS_READ = 4  # only the first columns of a sheet are looked at
SKU_MAX = 64
WRITTEN_MAX = 20
_SEPARATORS = re.compile(r"[\t;,]")
_HEADER_WORDS = frozenset(
    {"sku", "article", "artikel", "artikelnummer", "artikel-nr", "artikel-nr.", "item", "product"}
    | {"produkt", "part", "part number", "material", "materialnummer", "art.-nr.", "art-nr"}
)


class LineProblem(StrEnum):
    """Why a line cannot go to the cart (worded by the presenter)."""

    NO_SKU = "no_sku"
    SKU_TOO_LONG = "sku_too_long"
    QUANTITY = "quantity"  # not a whole number from 1 to the maximum
    UNKNOWN = "unknown"  # the catalogue has no such product
    NOT_ORDERABLE = "not_orderable"  # known, but not sold to this customer in its currency
    QUANTITY_TOTAL = "quantity_total"  # with the cart and other lines, above the maximum
    CART_FULL = "cart_full"  # the cart has no room for another product


@dataclass(frozen=True)
class EnteredLine:
    line: int  # 1-based, as the buyer sees it in the text or the file
    sku: str
    quantity: int | None  # None when the quantity could not be read
    problem: LineProblem | None = None
    # The quantity as written, shown when it could not be read; not part of the line's value.
    written: str = field(default="", compare=False)


def _cells(text: str) -> list[str]:
    if _SEPARATORS.search(text):
        return [cell.strip().strip('"').strip() for cell in _SEPARATORS.split(text)]
    return text.split()


def _is_header(cells: list[str]) -> bool:
    first = cells[0].strip().lower() if cells else ""
    return first in _HEADER_WORDS


def entered_line(number: int, cells: list[str]) -> EnteredLine:
    """One line from its cells: SKU first, quantity second (missing means 1)."""
    sku = cells[0].strip() if cells else ""
    raw_quantity = cells[1].strip() if len(cells) > 1 else ""
    quantity = 1 if raw_quantity == "" else inputs.parse_quantity(raw_quantity)
    if not sku:
        return EnteredLine(number, "", quantity, LineProblem.NO_SKU, raw_quantity[:WRITTEN_MAX])
    if len(sku) > SKU_MAX:
        written = raw_quantity[:WRITTEN_MAX]
        return EnteredLine(number, sku[:SKU_MAX], quantity, LineProblem.SKU_TOO_LONG, written)
    problem = LineProblem.QUANTITY if quantity is None else None
    return EnteredLine(number, sku, quantity, problem, raw_quantity[:WRITTEN_MAX])


def _lines(rows: Iterable[tuple[int, list[str]]]) -> list[EnteredLine]:
    result: list[EnteredLine] = []
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if not result and number <= 1 and _is_header(cells):
            continue
        if len(result) >= MAX_LINES:
            raise ServiceError("quick_order.error.too_many_lines", "lines", max=MAX_LINES)
        result.append(entered_line(number, cells))
    return result


def parse_text(text: object) -> list[EnteredLine]:
    """The lines of typed or pasted text (or a CSV file's text)."""
    if not isinstance(text, str):
        return []
    if len(text) > MAX_TEXT:
        raise ServiceError("quick_order.error.too_long", "lines", max=MAX_TEXT)
    return _lines((number, _cells(line)) for number, line in enumerate(text.splitlines(), start=1))


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # imported here: only uploads of XLSX files need it

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(
            sheet.iter_rows(max_col=MAX_XLSX_CELLS_READ, values_only=True), start=1
        ):
            if number > MAX_LINES * 2:
                raise ServiceError("quick_order.error.too_many_lines", "file", max=MAX_LINES)
            yield number, [_cell_text(value) for value in row]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    """A spreadsheet cell as text; a whole float (12.0, as spreadsheets store numbers) as 12."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[: MAX_TEXT // 8]


def parse_file(name: str, data: bytes) -> list[EnteredLine]:
    """The lines of an uploaded file: XLSX by its name, else UTF-8 (or Latin-1) text."""
    if len(data) > MAX_FILE_BYTES:
        raise ServiceError(
            "quick_order.error.file_too_large", "file", max_kb=MAX_FILE_BYTES // 1024
        )
    if name.lower().endswith(".xlsx"):
        try:
            return _lines(_xlsx_rows(data))
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise ServiceError("quick_order.error.unreadable", "file") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if len(text) > MAX_TEXT:
        raise ServiceError("quick_order.error.too_long", "file", max=MAX_TEXT)
    return parse_text(text)
