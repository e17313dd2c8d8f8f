"""Load ERP master data from CSV files into the embedded ERP.

``customer-center erp import DIR`` reads these files from DIR (UTF-8, a header row, comma
separated, column order free, extra columns ignored). Absent files are skipped.

- ``customers.csv``: customer_number, name, allowed (yes/no), email_domains (separated by
  spaces or commas, may be empty), currency (ISO 4217, e.g. EUR), language (e.g. de),
  street, postal_code, city, country (ISO 3166 alpha-2, e.g. DE), and optionally vat_rate
  (the VAT rate in percent the customer is charged, e.g. 19.00 or 0; empty or absent: 19.00)
- ``invoices.csv``: invoice_number, customer_number, issued_on (YYYY-MM-DD), total, currency
- ``contacts.csv``: contact_id, customer_number, name, email, role (may be empty)
- ``addresses.csv``: address_id, customer_number, kind (billing/delivery), name, street,
  postal_code, city, country, is_default (yes/no)
- ``products.csv``: sku, name, description, unit, list_price, currency,
  datasheet_url (may be empty), and optionally category, stock (pieces on hand), lead_days
  (working days to deliver when none is in stock) and image_url (a web address or a path on
  this site, e.g. /products/bearings.svg)
- ``prices.csv``: sku, customer_number, price, currency (a customer's contract price), and
  optionally valid_from, valid_to (YYYY-MM-DD, inclusive; empty or absent: open-ended) and
  min_quantity (a quantity break from that many pieces; empty or absent: 1)
- ``documents.csv``: document_number, customer_number, kind (invoice, delivery_note,
  credit_note, order_confirmation or certificate), issued_on (YYYY-MM-DD), currency, and
  optionally order_number (the ERP's order number, e.g. SO-100042), sku (the product a
  certificate is about) and title. Only the metadata: the embedded ERP writes each PDF when
  it is downloaded, from the order's lines or the product.

Amounts use a decimal point and at most two decimals (``1234.50``), never a thousands
separator. Keys (numbers, ids, SKUs) are matched case-insensitively and stored upper-case.

Rows are upserted by their natural key (the table's primary key), so importing again updates
changed rows; rows missing from a file are left alone. Prices are the exception: the rows of
``prices.csv`` for a customer and SKU replace every stored price of that customer and SKU (the
contract's terms come as a whole), and two rows of one customer, SKU and minimum quantity must
not be valid on the same day. Everything is one transaction: on any bad row nothing is saved
and :class:`ErpImportError` names the file, line and problem.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, delete, select

from customer_center.db import session_scope
from customer_center.domain.email_address import is_valid_email
from customer_center.domain.inputs import (
    MAX_LINE_QUANTITY,
    parse_date,
    parse_money,
    parse_positive_int,
    parse_whole,
)
from customer_center.domain.prices import ContractTerm
from customer_center.integrations.erp.protocol import ADDRESS_KINDS, DOCUMENT_KINDS
from customer_center.integrations.erp.tables import (
    KEY_LENGTH,
    ErpAddressRow,
    ErpContactRow,
    ErpCustomerRow,
    ErpDocumentRow,
    ErpInvoiceRow,
    ErpPriceRow,
    ErpProductRow,
    canonical_key,
)

_DOMAIN_RE = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")


class ErpImportError(Exception):
    """A file cannot be imported; nothing of the whole import was saved."""

    def __init__(self, filename: str, line: int | None, problem: str) -> None:
        self.filename = filename
        self.line = line
        self.problem = problem
        where = f"{filename} line {line}" if line else filename
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class ImportReport:
    """Rows read and upserted per file name; files that were absent are not listed."""

    rows: Mapping[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def __str__(self) -> str:
        if not self.rows:
            return "no ERP files found"
        return ", ".join(f"{name}: {count}" for name, count in self.rows.items())


class _BadValue(ValueError):
    """A problem with one row; the caller adds file and line."""


# --- column parsers: raw text in, stored value out, _BadValue when invalid -------------


def _text(value: str) -> str:
    return value.strip()


def _required(value: str) -> str:
    if not value.strip():
        raise _BadValue("must not be empty")
    return value.strip()


def _key(value: str) -> str:
    key = canonical_key(_required(value))
    if len(key) > KEY_LENGTH:
        raise _BadValue(f"{value!r} is longer than {KEY_LENGTH} characters")
    return key


def _optional(value: str) -> str | None:
    return value.strip() or None


def _flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered not in {"yes", "no", "true", "false", "1", "0"}:
        raise _BadValue(f"{value!r} is not yes/no")
    return lowered in {"yes", "true", "1"}


def _money(value: str) -> Decimal:
    amount = parse_money(value)
    if amount is None:
        raise _BadValue(f"{value!r} is not an amount like 1234.50 (at most two decimals)")
    return amount


def _date(value: str) -> date:
    day = parse_date(value)
    if day is None:
        raise _BadValue(f"{value!r} is not a date (YYYY-MM-DD)")
    return day


def _optional_date(value: str) -> date | None:
    return _date(value) if value.strip() else None


def _min_quantity(value: str) -> int:
    if not value.strip():
        return 1
    amount = parse_positive_int(value.strip(), MAX_LINE_QUANTITY)
    if amount is None:
        raise _BadValue(f"{value!r} is not a whole number from 1 to {MAX_LINE_QUANTITY}")
    return amount


def _code(length: int, what: str, upper: bool) -> Callable[[str], str]:
    """A parser for fixed-length letter codes: currency, country, language."""

    def parse(value: str) -> str:
        code = value.strip().upper() if upper else value.strip().lower()
        if len(code) != length or not code.isascii() or not code.isalpha():
            raise _BadValue(f"{value!r} is not {what}")
        return code

    return parse


_currency = _code(3, "a 3-letter currency code", upper=True)
_country = _code(2, "a 2-letter country code", upper=True)
_language = _code(2, "a 2-letter language code", upper=False)


def _email(value: str) -> str:
    email = value.strip()
    if not is_valid_email(email):
        raise _BadValue(f"{value!r} is not an e-mail address")
    return email


def _domains(value: str) -> str:
    domains = value.replace(",", " ").lower().split()
    for domain in domains:
        if not _DOMAIN_RE.match(domain):
            raise _BadValue(f"{domain!r} is not an e-mail domain")
    return " ".join(dict.fromkeys(domains))


def _address_kind(value: str) -> str:
    kind = value.strip().lower()
    if kind not in ADDRESS_KINDS:
        raise _BadValue(f"{value!r} is not billing/delivery")
    return kind


def _vat_rate(value: str) -> Decimal:
    if not value.strip():
        return Decimal("19.00")
    rate = parse_money(value, Decimal("100"))
    if rate is None:
        raise _BadValue(f"{value!r} is not a rate in percent like 19.00 (0 to 100)")
    return rate


def _document_kind(value: str) -> str:
    kind = value.strip().lower()
    if kind not in DOCUMENT_KINDS:
        raise _BadValue(f"{value!r} is not one of {', '.join(DOCUMENT_KINDS)}")
    return kind


def _optional_count(value: str) -> int | None:
    """A whole number from 0 (stock, working days); empty: not known."""
    if not value.strip():
        return None
    number = parse_whole(value.strip(), 10_000_000)
    if number is None:
        raise _BadValue(f"{value!r} is not a whole number from 0")
    return number


def _optional_key(value: str) -> str | None:
    return _key(value) if value.strip() else None


# --- what each file holds -------------------------------------------------------------


@dataclass(frozen=True)
class _FileSpec:
    filename: str
    table: type[SQLModel]
    columns: Mapping[str, Callable[[str], Any]]
    # column -> the table whose primary key it must name (already in the database or
    # imported earlier in this run; _FILES is ordered so that referenced files come first)
    references: Mapping[str, type[SQLModel]] = field(default_factory=dict)
    optional: frozenset[str] = frozenset()  # columns a file may leave out (read as empty)
    # Set for prices: the file's rows replace the stored rows sharing these columns, instead
    # of an upsert by primary key.
    replace_by: tuple[str, ...] = ()

    @property
    def key_columns(self) -> tuple[str, ...]:
        return tuple(column.name for column in _primary_key(self.table))


_CUSTOMER_REF = {"customer_number": ErpCustomerRow}

_FILES = (
    _FileSpec(
        "customers.csv",
        ErpCustomerRow,
        {
            "customer_number": _key,
            "name": _required,
            "allowed": _flag,
            "email_domains": _domains,
            "currency": _currency,
            "language": _language,
            "street": _text,
            "postal_code": _text,
            "city": _text,
            "country": _country,
            "vat_rate": _vat_rate,
        },
        optional=frozenset({"vat_rate"}),
    ),
    _FileSpec(
        "products.csv",
        ErpProductRow,
        {
            "sku": _key,
            "name": _required,
            "description": _text,
            "unit": _required,
            "list_price": _money,
            "currency": _currency,
            "datasheet_url": _optional,
            "category": _text,
            "stock": _optional_count,
            "lead_days": _optional_count,
            "image_url": _optional,
        },
        optional=frozenset({"category", "stock", "lead_days", "image_url"}),
    ),
    _FileSpec(
        "invoices.csv",
        ErpInvoiceRow,
        {
            "invoice_number": _key,
            "customer_number": _key,
            "issued_on": _date,
            "total": _money,
            "currency": _currency,
        },
        _CUSTOMER_REF,
    ),
    _FileSpec(
        "contacts.csv",
        ErpContactRow,
        {
            "contact_id": _key,
            "customer_number": _key,
            "name": _required,
            "email": _email,
            "role": _text,
        },
        _CUSTOMER_REF,
    ),
    _FileSpec(
        "addresses.csv",
        ErpAddressRow,
        {
            "address_id": _key,
            "customer_number": _key,
            "kind": _address_kind,
            "name": _required,
            "street": _required,
            "postal_code": _required,
            "city": _required,
            "country": _country,
            "is_default": _flag,
        },
        _CUSTOMER_REF,
    ),
    _FileSpec(
        "prices.csv",
        ErpPriceRow,
        {
            "sku": _key,
            "customer_number": _key,
            "price": _money,
            "currency": _currency,
            "valid_from": _optional_date,
            "valid_to": _optional_date,
            "min_quantity": _min_quantity,
        },
        {**_CUSTOMER_REF, "sku": ErpProductRow},
        optional=frozenset({"valid_from", "valid_to", "min_quantity"}),
        replace_by=("customer_number", "sku"),
    ),
    _FileSpec(
        "documents.csv",
        ErpDocumentRow,
        {
            "document_number": _key,
            "customer_number": _key,
            "kind": _document_kind,
            "issued_on": _date,
            "currency": _currency,
            "order_number": _optional_key,
            "sku": _optional_key,
            "title": _text,
        },
        _CUSTOMER_REF,
        optional=frozenset({"order_number", "sku", "title"}),
    ),
)

FILENAMES = tuple(spec.filename for spec in _FILES)


def _primary_key(table: type[SQLModel]) -> Any:
    return table.__table__.primary_key.columns  # type: ignore[attr-defined]


class _KnownKeys:
    """Primary keys present per table, loaded once per table when first needed."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._keys: dict[type[SQLModel], set[str]] = {}

    def contains(self, table: type[SQLModel], key: str) -> bool:
        if table not in self._keys:
            self._session.flush()
            (column,) = _primary_key(table)
            self._keys[table] = set(self._session.exec(select(column)))
        return key in self._keys[table]

    def forget(self, table: type[SQLModel]) -> None:
        self._keys.pop(table, None)


# --- the import -----------------------------------------------------------------------


def import_erp_directory(engine: Engine, directory: Path) -> ImportReport:
    """Upsert every known CSV file present in ``directory``, all or nothing."""
    if not directory.is_dir():
        raise ErpImportError(str(directory), None, "is not a directory")
    rows: dict[str, int] = {}
    with session_scope(engine) as session:
        known = _KnownKeys(session)
        for spec in _FILES:
            path = directory / spec.filename
            if path.is_file():
                rows[spec.filename] = _import_file(session, known, spec, path)
                known.forget(spec.table)
    return ImportReport(rows)


def _import_file(session: Session, known: _KnownKeys, spec: _FileSpec, path: Path) -> int:
    """Upsert the rows of one file; returns how many it had."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        store = _Replacing(session, spec) if spec.replace_by else _Upserting(session, spec)
        try:
            _check_header(spec, reader.fieldnames)
            for raw in reader:
                values = _parse_row(spec, raw)
                store.check(values, reader.line_num)
                _check_references(spec, values, known)
                store.add(values)
        except _BadValue as error:
            raise ErpImportError(spec.filename, reader.line_num or 1, str(error)) from error
        except UnicodeDecodeError as error:
            line = reader.line_num + 1
            raise ErpImportError(spec.filename, line, "is not UTF-8 text") from error
    return store.rows


class _Upserting:
    """Rows merged by primary key; a key twice in one file is refused."""

    def __init__(self, session: Session, spec: _FileSpec) -> None:
        self.session, self.spec = session, spec
        self.seen: dict[tuple[Any, ...], int] = {}

    @property
    def rows(self) -> int:
        return len(self.seen)

    def check(self, values: dict[str, Any], line: int) -> None:
        _check_unique(self.spec, values, self.seen, line)

    def add(self, values: dict[str, Any]) -> None:
        self.session.merge(self.spec.table(**values))


class _Replacing:
    """Contract prices: the first row of a customer and SKU deletes the stored ones of that
    pair; rows of one pair and minimum quantity valid on a common day are refused."""

    def __init__(self, session: Session, spec: _FileSpec) -> None:
        self.session, self.spec = session, spec
        self.seen: dict[tuple[Any, ...], list[tuple[ContractTerm, int]]] = {}
        self.rows = 0

    def check(self, values: dict[str, Any], line: int) -> None:
        start, end = values["valid_from"], values["valid_to"]
        if start is not None and end is not None and end < start:
            raise _BadValue(f"valid_to {end} is before valid_from {start}")
        term = ContractTerm(values["price"], values["currency"], start, end, values["min_quantity"])
        group = self.seen.setdefault(self._key(values), [])
        for other, first_line in group:
            if other.min_quantity == term.min_quantity and other.overlaps(term):
                named = ", ".join(f"{c}={values[c]}" for c in self.spec.replace_by)
                raise _BadValue(
                    f"{named} appears again (first on line {first_line}) for min_quantity "
                    f"{term.min_quantity} with an overlapping validity: "
                    f"{_validity(other)} and {_validity(term)}"
                )
        group.append((term, line))

    def add(self, values: dict[str, Any]) -> None:
        key = self._key(values)
        if len(self.seen[key]) == 1:  # the pair's first row in this file
            table = self.spec.table
            same = [getattr(table, c) == v for c, v in zip(self.spec.replace_by, key, strict=True)]
            self.session.exec(delete(table).where(*same))
        self.session.add(self.spec.table(**values))
        self.rows += 1

    def _key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(values[column] for column in self.spec.replace_by)


def _validity(term: ContractTerm) -> str:
    return f"{term.valid_from or 'open'} to {term.valid_to or 'open'}"


def _check_header(spec: _FileSpec, fieldnames: Any) -> None:
    if not fieldnames:
        raise _BadValue("has no header row")
    missing = [c for c in spec.columns if c not in fieldnames and c not in spec.optional]
    if missing:
        raise _BadValue(f"missing column(s) {', '.join(missing)}")


def _parse_row(spec: _FileSpec, raw: dict[str | Any, Any]) -> dict[str, Any]:
    if None in raw:
        raise _BadValue("has more fields than the header")
    values = {}
    for column, parse in spec.columns.items():
        try:
            values[column] = parse(raw.get(column) or "")
        except _BadValue as error:
            raise _BadValue(f"{column} {error}") from error
    return values


def _check_unique(
    spec: _FileSpec, values: dict[str, Any], seen: dict[tuple[Any, ...], int], line: int
) -> None:
    key = tuple(values[column] for column in spec.key_columns)
    if key in seen:
        named = ", ".join(f"{c}={v}" for c, v in zip(spec.key_columns, key, strict=True))
        raise _BadValue(f"{named} appears again (first on line {seen[key]})")
    seen[key] = line


def _check_references(spec: _FileSpec, values: dict[str, Any], known: _KnownKeys) -> None:
    for column, table in spec.references.items():
        if not known.contains(table, values[column]):
            raise _BadValue(f"unknown {column} {values[column]!r}")
