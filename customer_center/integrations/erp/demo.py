"""The demo ERP data shipped with the project (a contract tests and docs rely on).

Customers 10001 (Müller Maschinenbau GmbH) and 10002 (Acme Industrial Supply Ltd) may
activate the portal, 10003 (Northwind Trading AG) may not; see ``demo_data/*.csv``.
Müller's bearing BRG-6205-2RS has three contract rows: 7.90 EUR in 2025 (an older contract,
ended), 7.45 EUR from 1 Jan 2026 on, and 6.95 EUR from 100 pieces (a quantity break) since
then. The products' data sheets are generated from ``products.csv`` when the demo data is imported.
"""

from __future__ import annotations

import csv
from pathlib import Path

from customer_center.integrations.erp.datasheet_pdf import DataSheet, render_datasheet

DATASHEET_PATH = "/datasheets/"
DEMO_FOOTER = (
    "Demo data sheet, generated from the demo ERP data of the Customer Center. "
    "Prices and delivery times: see the catalogue."
)


def demo_data_dir() -> Path:
    """The folder of CSV files to pass to ``import_erp_directory``."""
    return Path(__file__).with_name("demo_data")


def write_demo_datasheets(folder: Path) -> list[str]:
    """Write a PDF data sheet for every demo product whose link is a path on this site
    (``/datasheets/<file>``) into ``folder``; returns the file names written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for row in _demo_products():
        name = (row.get("datasheet_url") or "").strip().removeprefix(DATASHEET_PATH)
        if not name or "/" in name or name == row.get("datasheet_url", "").strip():
            continue
        (folder / name).write_bytes(render_datasheet(_sheet(row)))
        written.append(name)
    return written


def _demo_products() -> list[dict[str, str]]:
    with (demo_data_dir() / "products.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _sheet(row: dict[str, str]) -> DataSheet:
    """Name, article number, technical description and unit; never the price."""
    return DataSheet(
        title=row["name"].strip(),
        sku=row["sku"].strip(),
        facts=[
            ("Article number", row["sku"].strip()),
            ("Technical data", row["description"].strip()),
            ("Sold per", row["unit"].strip()),
        ],
        footer=DEMO_FOOTER,
    )
