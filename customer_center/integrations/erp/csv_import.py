"""Load ERP master data from CSV files (UTF-8, header row) into the embedded ERP.

``customer-center erp import DIR`` reads these files from DIR; absent files are skipped:

- customers.csv: customer_number, name, allowed (yes/no), email_domains (space-separated),
  currency, language, street, postal_code, city, country
- invoices.csv: invoice_number, customer_number, issued_on (YYYY-MM-DD), total, currency
- contacts.csv: contact_id, customer_number, name, email, role
- addresses.csv: address_id, customer_number, kind (billing/delivery), name, street,
  postal_code, city, country, is_default (yes/no)
- products.csv: sku, name, description, unit, list_price, currency, datasheet_url
- prices.csv: sku, customer_number, price, currency

Rows are upserted by their natural key, so importing again updates changed rows. Everything
is one transaction: on any bad row nothing is saved and the error names file and line.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from customer_center.integrations.erp.tables import (
    ErpAddressRow,
    ErpContactRow,
    ErpCustomerRow,
    ErpInvoiceRow,
    ErpPriceRow,
    ErpProductRow,
)


class ErpImportError(Exception):
    pass


class _BadValue(ValueError):
    pass


def _text(value: str) -> str:
    return value.strip()


def _required(value: str) -> str:
    if not value.strip():
        raise _BadValue("must not be empty")
    return value.strip()


def _flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered not in {"yes", "no", "true", "false", "1", "0"}:
        raise _BadValue(f"{value!r} is not yes/no")
    return lowered in {"yes", "true", "1"}


def _money(value: str) -> Decimal:
    try:
        amount = Decimal(value.strip())
    except InvalidOperation as error:
        raise _BadValue(f"{value!r} is not an amount") from error
    if amount < 0 or not amount.is_finite():
        raise _BadValue(f"{value!r} is not a valid amount")
    return amount.quantize(Decimal("0.01"))


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as error:
        raise _BadValue(f"{value!r} is not a date (YYYY-MM-DD)") from error


def _email(value: str) -> str:
    email = value.strip().lower()
    if "@" not in email:
        raise _BadValue(f"{value!r} is not an e-mail address")
    return email


def _kind(value: str) -> str:
    if value.strip() not in {"billing", "delivery"}:
        raise _BadValue(f"{value!r} is not billing/delivery")
    return value.strip()


def _optional(value: str) -> str | None:
    return value.strip() or None


@dataclass(frozen=True)
class _FileSpec:
    filename: str
    table: type[SQLModel]
    columns: dict[str, Callable[[str], Any]]
    customer_column: str | None = None


_FILES = [
    _FileSpec(
        "customers.csv",
        ErpCustomerRow,
        {
            "customer_number": _required, "name": _required, "allowed": _flag,
            "email_domains": lambda v: " ".join(v.lower().split()), "currency": _required,
            "language": _required, "street": _text, "postal_code": _text, "city": _text,
            "country": _text,
        },
    ),
    _FileSpec(
        "invoices.csv",
        ErpInvoiceRow,
        {
            "invoice_number": _required, "customer_number": _required, "issued_on": _date,
            "total": _money, "currency": _required,
        },
        customer_column="customer_number",
    ),
    _FileSpec(
        "contacts.csv",
        ErpContactRow,
        {
            "contact_id": _required, "customer_number": _required, "name": _required,
            "email": _email, "role": _text,
        },
        customer_column="customer_number",
    ),
    _FileSpec(
        "addresses.csv",
        ErpAddressRow,
        {
            "address_id": _required, "customer_number": _required, "kind": _kind,
            "name": _required, "street": _required, "postal_code": _required,
            "city": _required, "country": _required, "is_default": _flag,
        },
        customer_column="customer_number",
    ),
    _FileSpec(
        "products.csv",
        ErpProductRow,
        {
            "sku": _required, "name": _required, "description": _text, "unit": _required,
            "list_price": _money, "currency": _required, "datasheet_url": _optional,
        },
    ),
    _FileSpec(
        "prices.csv",
        ErpPriceRow,
        {"sku": _required, "customer_number": _required, "price": _money, "currency": _required},
        customer_column="customer_number",
    ),
]


def import_erp_directory(engine: Engine, directory: Path) -> dict[str, int]:
    """Upsert every CSV file present in ``directory``; returns rows imported per file."""
    if not directory.is_dir():
        raise ErpImportError(f"{directory} is not a directory")
    report: dict[str, int] = {}
    with Session(engine) as session:
        for spec in _FILES:
            path = directory / spec.filename
            if path.exists():
                report[spec.filename] = _import_file(session, spec, path)
                session.flush()
        session.commit()
    return report


def _import_file(session: Session, spec: _FileSpec, path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(spec.columns) - set(reader.fieldnames or [])
        if missing:
            raise ErpImportError(f"{spec.filename}: missing columns {', '.join(sorted(missing))}")
        count = 0
        for line, raw in enumerate(reader, start=2):
            values = _parse_row(spec, raw, line)
            _check_customer(session, spec, values, line)
            session.merge(spec.table(**values))
            count += 1
    return count


def _parse_row(spec: _FileSpec, raw: dict[str, str], line: int) -> dict[str, Any]:
    values = {}
    for column, parse in spec.columns.items():
        try:
            values[column] = parse(raw.get(column) or "")
        except _BadValue as error:
            raise ErpImportError(f"{spec.filename} line {line}: {column} {error}") from error
    return values


def _check_customer(session: Session, spec: _FileSpec, values: dict, line: int) -> None:
    if spec.customer_column is None:
        return
    number = values[spec.customer_column]
    session.flush()
    if session.get(ErpCustomerRow, number) is None:
        raise ErpImportError(f"{spec.filename} line {line}: unknown customer {number!r}")
