"""Reading values that come from outside: event payloads, query strings, CSV cells, SCIM.

Every value a client sends can be anything JSON can carry (a dict instead of a string, a
float NaN, a number with thirty digits, a megabyte of text) or a string of any Unicode:
``"²".isdigit()`` is true, yet ``int("²")`` raises. The parsers here accept only the plain
form of each value (ASCII digits, ISO dates, at most two decimals) within bounds, and give
``None`` for anything else; they never raise. :func:`require` turns ``None`` into the
:class:`ValidationFailed` a form shows next to its field. LIKE patterns are built by
:func:`like_pattern` and always used with ``escape=LIKE_ESCAPE``.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from decimal import Decimal
from typing import TypeVar

from customer_center.domain.errors import ValidationFailed

T = TypeVar("T")

# Ids, cents and quantities are INTEGER columns: PostgreSQL refuses a larger number with an
# error (SQLite does not), so no parsed number that reaches a query may exceed this.
MAX_DB_INT = 2**31 - 1
MAX_ID = MAX_DB_INT
MAX_ID_DIGITS = 12  # leading zeros included
# One line of a cart or an order: the quantity field of the catalogue and the cart offers up
# to this (the `max` of the number input), so an order edited later keeps the same bound.
MAX_LINE_QUANTITY = 9_999
# The largest amount a money column holds (Numeric(12, 2)).
MAX_MONEY = Decimal("9999999999.99")
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)
LIKE_ESCAPE = "\\"

_DIGITS = re.compile(r"[0-9]+")
_MONEY = re.compile(r"(?P<whole>[0-9]{1,10})(?:\.(?P<fraction>[0-9]{1,2}))?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SPACE = " \t\r\n"
# Longer strings are not even looked at: enough for leading zeros and spaces around a number.
_MAX_NUMBER_TEXT = 40


def bounded_text(value: object, limit: int) -> str:
    """``value`` if it is a string, cut to ``limit`` characters; ``""`` for anything else."""
    return value[:limit] if isinstance(value, str) else ""


def parse_reference(value: object, limit: int) -> str | None:
    """A reference such as a document number: printable text (no control characters, which
    PostgreSQL refuses in text as NUL, or none of any use), not blank, at most ``limit``
    characters, spaces around it removed; ``None`` for anything else."""
    if not isinstance(value, str) or len(value) > limit:
        return None
    text = value.strip()
    return text if text and text.isprintable() else None


def _whole_number(value: object) -> int | None:
    """A whole number sent as an integer or as ASCII digits (spaces around allowed)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str) or len(value) > _MAX_NUMBER_TEXT:
        return None
    text = value.strip(_SPACE)
    return int(text) if _DIGITS.fullmatch(text) else None


def parse_id(value: object) -> int | None:
    """An id the client sent as text: plain ASCII digits (at most 12), at most
    :data:`MAX_ID`; else ``None``. Still only a candidate: services load it together with
    the actor's company."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_ID_DIGITS:
        return None
    number = int(value) if _DIGITS.fullmatch(value) else None
    return number if number is not None and number <= MAX_ID else None


def parse_whole(value: object, maximum: int) -> int | None:
    """A whole number from 0 to ``maximum``, sent as a number or as ASCII digits."""
    number = _whole_number(value)
    return number if number is not None and 0 <= number <= maximum else None


def parse_positive_int(value: object, maximum: int) -> int | None:
    """A whole number from 1 to ``maximum``, sent as a number or as ASCII digits."""
    number = parse_whole(value, maximum)
    return number if number != 0 else None


def parse_quantity(value: object) -> int | None:
    """The quantity of one line: 1 to :data:`MAX_LINE_QUANTITY`."""
    return parse_positive_int(value, MAX_LINE_QUANTITY)


def parse_money(value: object, maximum: Decimal = MAX_MONEY) -> Decimal | None:
    """An amount written ``1234.5`` or ``1234.50``: not negative, at most two decimals, at
    most ``maximum``; two decimal places in the result."""
    if not isinstance(value, str) or len(value) > _MAX_NUMBER_TEXT:
        return None
    match = _MONEY.fullmatch(value.strip(_SPACE))
    if match is None:
        return None
    amount = Decimal(f"{match['whole']}.{(match['fraction'] or '').ljust(2, '0')}")
    return amount if amount <= maximum else None


def parse_date(value: object) -> date | None:
    """A day written ``YYYY-MM-DD`` between :data:`EARLIEST_DAY` and :data:`LATEST_DAY`."""
    if not isinstance(value, str) or len(value) > _MAX_NUMBER_TEXT:
        return None
    text = value.strip(_SPACE)
    if not _DAY.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if EARLIEST_DAY <= day <= LATEST_DAY else None


def like_pattern(text: str, where: str = "contains") -> str:
    """A LIKE pattern matching ``text`` literally (``%``, ``_`` and the escape character
    match themselves): ``where`` is ``contains``, ``starts`` or ``ends``. Use it with
    ``.like(pattern, escape=LIKE_ESCAPE)``."""
    escaped = (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    before = "" if where == "starts" else "%"
    after = "" if where == "ends" else "%"
    return f"{before}{escaped}{after}"


def require(value: T | None, field: str, code: str, **params: object) -> T:
    """``value``, or the refusal a form shows next to ``field`` when a parser gave ``None``."""
    if value is None:
        raise ValidationFailed({field: (code, dict(params))})
    return value


# --- Attached files (support cases): the content decides the type, never the name --------

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_NAME_MAX = 120
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What may be attached: the type the content shows -> the extension the stored name gets.
ATTACHMENT_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "text/plain": ".txt",
    "text/csv": ".csv",
    _XLSX: ".xlsx",
}
_NAME_STRIP = re.compile(r"[^\w .()+-]+")


def sniff_attachment(data: bytes, name: str) -> str | None:
    """The media type of an allowed file judged by its bytes (PDF, PNG, JPEG, an Excel
    workbook, UTF-8 text; the name only tells CSV text from plain text); None otherwise."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _XLSX if _is_workbook(data) else None
    if _is_text(data):
        return "text/csv" if name.lower().endswith(".csv") else "text/plain"
    return None


def _is_workbook(data: bytes) -> bool:
    """A ZIP whose directory (read only, nothing unpacked) names an Excel workbook."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return {"[Content_Types].xml", "xl/workbook.xml"} <= names


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\t\r\n\f" for ch in text)


def attachment_name(name: object, media_type: str) -> str:
    """A name safe in a header and on any disk: the last path part, letters, digits and a
    few marks, at most ``ATTACHMENT_NAME_MAX`` characters, ending in the type's extension."""
    raw = name if isinstance(name, str) else ""
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    stem = _NAME_STRIP.sub("_", base).strip(" ._") or "file"
    extension = ATTACHMENT_TYPES[media_type]
    if stem.lower().endswith(extension) or (extension == ".jpg" and stem.lower().endswith(".jpeg")):
        stem = stem.rsplit(".", 1)[0] or "file"
    return stem[: ATTACHMENT_NAME_MAX - len(extension)] + extension


def parse_attachment(name: object, data: object) -> tuple[str, str]:
    """(safe name, media type) of an uploaded file, or :class:`ValidationFailed` on the
    ``attachments`` field: empty, larger than 10 MB, or of a type not allowed."""
    if not isinstance(data, bytes) or not data:
        raise ValidationFailed({"attachments": ("cases.error.file_empty", {})})
    if len(data) > ATTACHMENT_MAX_BYTES:
        mb = ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise ValidationFailed({"attachments": ("cases.error.file_too_big", {"max": mb})})
    shown = name if isinstance(name, str) else ""
    media_type = sniff_attachment(data, shown[: ATTACHMENT_NAME_MAX * 4])
    if media_type is None:
        raise ValidationFailed({"attachments": ("cases.error.file_type", {})})
    return attachment_name(shown[: ATTACHMENT_NAME_MAX * 4], media_type), media_type
