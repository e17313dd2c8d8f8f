"""The users CSV file: reading what a spreadsheet saved, and the columns the export writes.

The import reads ``name``, ``email``, ``language`` and ``roles`` (role codes or names separated
by ``;``) by their header, in any order; other columns (the export's status, main contact and
created) are ignored, so an exported file imports again. Pure: no database, no Reflex.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from customer_center.domain.csv_cells import unguard
from customer_center.domain.errors import ServiceError

if TYPE_CHECKING:
    from _csv import Reader

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_CELL = 500  # longer than any valid value, so a cut cell is still reported as too long
ROLE_SEPARATOR = ";"

IMPORT_COLUMNS = ("name", "email", "language", "roles")
EXPORT_COLUMNS = (*IMPORT_COLUMNS, "status", "main_contact", "created")

# Header spellings people use, German included; compared lower-case without spaces.
_HEADER_ALIASES = {
    "name": "name",
    "fullname": "name",
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "e-mail-adresse": "email",
    "emailaddress": "email",
    "language": "language",
    "sprache": "language",
    "lang": "language",
    "roles": "roles",
    "role": "roles",
    "rollen": "roles",
    "rolle": "roles",
}


@dataclass(frozen=True)
class CsvUserRow:
    """One data row as written in the file; ``line`` is where it starts (the header is 1)."""

    line: int
    name: str
    email: str
    language: str
    roles: tuple[str, ...]


def decode(data: bytes) -> str:
    """UTF-8 text, with or without a byte order mark; anything else is refused."""
    if len(data) > MAX_BYTES:
        raise ServiceError("import.error.too_large", "file", max_mb=MAX_BYTES // (1024 * 1024))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ServiceError("import.error.not_utf8", "file") from error


def detect_delimiter(text: str) -> str:
    """``;`` (what German spreadsheets save) or ``,``: whichever the header line uses more."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def parse_users_csv(data: bytes) -> list[CsvUserRow]:
    """The data rows of an uploaded file; blank lines are skipped.

    Raises ServiceError (field ``file``) when the file as a whole cannot be used: too large,
    not UTF-8, no usable header, no rows, more than MAX_ROWS rows, or broken CSV.
    """
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text))
    try:
        columns = _columns(next(reader, []))
        rows = list(_data_rows(reader, columns))
    except csv.Error as error:
        raise ServiceError("import.error.unreadable", "file", line=reader.line_num) from error
    if not rows:
        raise ServiceError("import.error.empty", "file")
    return rows


@dataclass(frozen=True)
class _Columns:
    at: dict[str, int]  # import column -> its index
    width: int  # cells in the header

    def roles_run_to_end(self, cells: list[str]) -> bool:
        """Unquoted roles split by ``;`` in a ``;`` file spill into cells beyond the header."""
        return self.at.get("roles") == self.width - 1 and len(cells) > self.width


def _columns(header: list[str]) -> _Columns:
    """Where each import column is; ``name`` and ``email`` must be there."""
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = _HEADER_ALIASES.get(title.strip().lower().replace(" ", "").replace("_", ""))
        if key is not None:
            found.setdefault(key, index)
    if "name" not in found or "email" not in found:
        raise ServiceError("import.error.header", "file", columns=",".join(IMPORT_COLUMNS))
    return _Columns(found, len(header))


def _data_rows(reader: Reader, columns: _Columns) -> Iterator[CsvUserRow]:
    count = 0
    start = 2
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ServiceError("import.error.too_many_rows", "file", max=MAX_ROWS)
        yield _row(line, cells, columns)


def _row(line: int, cells: list[str], columns: _Columns) -> CsvUserRow:
    def cell(name: str) -> str:
        index = columns.at.get(name)
        value = cells[index] if index is not None and index < len(cells) else ""
        return unguard(value.strip()[:MAX_CELL])

    roles = cell("roles")
    if columns.roles_run_to_end(cells):
        roles = ROLE_SEPARATOR.join(cells[columns.width - 1 :])[:MAX_CELL]
    return CsvUserRow(
        line=line,
        name=" ".join(cell("name").split()),
        email=cell("email"),
        language=cell("language").lower(),
        roles=split_roles(roles),
    )


def split_roles(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(ROLE_SEPARATOR) if part.strip())
