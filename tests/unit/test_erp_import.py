"""CSV import into the embedded ERP: upsert by natural key, all or nothing, precise errors."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from customer_center.db import make_engine
from customer_center.integrations.erp.csv_import import ErpImportError, import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.tables import ErpCustomerRow, ErpInvoiceRow, ErpProductRow


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine("sqlite:///" + str(tmp_path / "t.db"))
    SQLModel.metadata.create_all(engine)
    return engine


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A writable copy of the demo data, to break or change one file."""
    return Path(shutil.copytree(demo_data_dir(), tmp_path / "erp"))


def _replace_line(path: Path, index: int, new_line: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[index] = new_line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _count(engine: Engine, table: type[SQLModel]) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def test_demo_import_reports_rows_per_file(engine: Engine) -> None:
    report = import_erp_directory(engine, demo_data_dir())

    assert dict(report.rows) == {
        "customers.csv": 4,
        "products.csv": 8,
        "invoices.csv": 5,
        "contacts.csv": 10,
        "addresses.csv": 8,
        "prices.csv": 6,  # Müller's bearing: an ended contract and a quantity break besides
        "documents.csv": 4,  # product certificates; an order's documents come with the order
    }
    assert report.total == 45
    assert "customers.csv: 4" in str(report)


def test_reimport_is_idempotent_and_updates_changed_rows(engine: Engine, demo_copy: Path) -> None:
    import_erp_directory(engine, demo_copy)
    products = demo_copy / "products.csv"
    lines = products.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("BRG-6205-2RS,")
    _replace_line(products, 1, lines[1].replace(",8.90,", ",9.15,"))

    import_erp_directory(engine, demo_copy)

    assert _count(engine, ErpProductRow) == 8
    assert _count(engine, ErpCustomerRow) == 4
    offers = EmbeddedErpClient(engine).list_products("10002", search="BRG-6205")
    assert [o.product.list_price for o in offers] == [Decimal("9.15")]


def test_absent_files_are_skipped(engine: Engine, tmp_path: Path) -> None:
    only = tmp_path / "only"
    only.mkdir()
    shutil.copy(demo_data_dir() / "customers.csv", only)

    report = import_erp_directory(engine, only)

    assert dict(report.rows) == {"customers.csv": 4}
    assert _count(engine, ErpCustomerRow) == 4


def test_keys_and_domains_are_normalised(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "customers.csv").write_text(
        "customer_number,name,allowed,email_domains,currency,language,"
        "street,postal_code,city,country\n"
        ' ab-77 ,Beta GmbH,YES,"Beta.example, beta-group.example",eur,DE,'
        "Weg 1,12345,Berlin,de\n",
        encoding="utf-8",
    )

    import_erp_directory(engine, folder)

    customer = EmbeddedErpClient(engine).get_customer("Ab-77")
    assert customer is not None
    assert customer.customer_number == "AB-77"
    assert customer.email_domains == ("beta.example", "beta-group.example")
    assert (customer.allowed, customer.currency, customer.language, customer.country) == (
        True,
        "EUR",
        "de",
        "DE",
    )


@pytest.mark.parametrize(
    ("filename", "index", "new_line", "expected"),
    [
        (
            "products.csv",
            2,
            "HYD-HOSE-12-2M,Hydraulic hose,desc,pc,46;50,EUR,",
            "products.csv line 3: list_price '46;50' is not an amount",
        ),
        (
            "invoices.csv",
            3,
            "2026-99999-001,99999,2026-10-02,10.00,EUR",
            "invoices.csv line 4: unknown customer_number '99999'",
        ),
        (
            "contacts.csv",
            0,
            "contact_id,customer_number,name,role",
            "contacts.csv line 1: missing column(s) email",
        ),
        (
            "addresses.csv",
            2,
            "A-10001-D1,10001,depot,Werk,Weg 1,70565,Stuttgart,DE,yes",
            "addresses.csv line 3: kind 'depot' is not billing/delivery",
        ),
        (
            "prices.csv",
            4,
            "BRG-6205-2RS,10001,7.00,EUR",
            "prices.csv line 5: customer_number=10001, sku=BRG-6205-2RS appears again",
        ),
    ],
)
def test_bad_row_names_file_and_line_and_saves_nothing(
    engine: Engine, demo_copy: Path, filename: str, index: int, new_line: str, expected: str
) -> None:
    import_erp_directory(engine, demo_data_dir())
    # A valid change in a file imported before the bad one must be rolled back too.
    customers = demo_copy / "customers.csv"
    customers.write_text(
        customers.read_text(encoding="utf-8").replace("Müller Maschinenbau GmbH", "Renamed AG"),
        encoding="utf-8",
    )
    _replace_line(demo_copy / filename, index, new_line)

    with pytest.raises(ErpImportError) as caught:
        import_erp_directory(engine, demo_copy)

    assert str(caught.value).startswith(expected)
    assert caught.value.filename == filename
    customer = EmbeddedErpClient(engine).get_customer("10001")
    assert customer is not None and customer.name == "Müller Maschinenbau GmbH"


def test_error_in_first_import_leaves_database_empty(engine: Engine, demo_copy: Path) -> None:
    _replace_line(demo_copy / "invoices.csv", 1, "2026-10001-001,10001,14.09.2026,1.00,EUR")

    with pytest.raises(ErpImportError, match=r"invoices.csv line 2: issued_on '14.09.2026'"):
        import_erp_directory(engine, demo_copy)

    assert _count(engine, ErpCustomerRow) == 0
    assert _count(engine, ErpProductRow) == 0
    assert _count(engine, ErpInvoiceRow) == 0


def test_amounts_are_exact_decimals(engine: Engine, demo_copy: Path) -> None:
    _replace_line(demo_copy / "invoices.csv", 1, "2026-10001-001,10001,2026-09-14,0.10,EUR")
    import_erp_directory(engine, demo_copy)

    invoice = EmbeddedErpClient(engine).get_invoice("2026-10001-001")

    assert invoice is not None
    assert invoice.total == Decimal("0.10")
    assert isinstance(invoice.total, Decimal)


def test_more_than_two_decimals_is_refused(engine: Engine, demo_copy: Path) -> None:
    _replace_line(demo_copy / "prices.csv", 1, "BRG-6205-2RS,10001,7.455,EUR")

    refusal = r"line 2: price '7.455' is not .* \(at most two decimals\)"
    with pytest.raises(ErpImportError, match=refusal):
        import_erp_directory(engine, demo_copy)


def test_missing_directory_is_reported(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ErpImportError, match="is not a directory"):
        import_erp_directory(engine, tmp_path / "nowhere")


PRICE_HEADER = "sku,customer_number,price,currency,valid_from,valid_to,min_quantity"


def _prices(engine: Engine, customer: str = "10001", sku: str = "BRG-6205-2RS") -> list[tuple]:
    rows = EmbeddedErpClient(engine).list_contract_prices(customer, sku)
    return [(str(r.price), r.valid_from, r.valid_to, r.min_quantity) for r in rows]


def test_a_prices_file_without_the_new_columns_still_imports(
    engine: Engine, demo_copy: Path
) -> None:
    (demo_copy / "prices.csv").write_text(
        "sku,customer_number,price,currency\nBRG-6205-2RS,10001,7.45,EUR\n", encoding="utf-8"
    )
    report = import_erp_directory(engine, demo_copy)
    assert report.rows["prices.csv"] == 1
    assert _prices(engine) == [("7.45", None, None, 1)]


def test_the_rows_of_a_customer_and_sku_replace_the_stored_ones(
    engine: Engine, demo_copy: Path
) -> None:
    import_erp_directory(engine, demo_copy)
    assert len(_prices(engine)) == 3
    (demo_copy / "prices.csv").write_text(
        f"{PRICE_HEADER}\nBRG-6205-2RS,10001,7.30,EUR,2027-01-01,,\n", encoding="utf-8"
    )
    import_erp_directory(engine, demo_copy)
    assert _prices(engine) == [("7.30", date(2027, 1, 1), None, 1)]
    # Other pairs, absent from the file, are left alone.
    assert _prices(engine, "10002", "HYD-HOSE-12-2M") == [("42.00", None, None, 1)]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [
                "BRG-6205-2RS,10001,7.45,EUR,2026-01-01,,1",
                "BRG-6205-2RS,10001,7.00,EUR,2026-06-01,2026-06-30,",
            ],
            "prices.csv line 3: customer_number=10001, sku=BRG-6205-2RS appears again (first on "
            "line 2) for min_quantity 1 with an overlapping validity: 2026-01-01 to open and "
            "2026-06-01 to 2026-06-30",
        ),
        (
            [
                "BRG-6205-2RS,10001,7.45,EUR,,2025-12-31,1",
                "BRG-6205-2RS,10001,7.00,EUR,2025-12-31,,",
            ],
            "prices.csv line 3: customer_number=10001, sku=BRG-6205-2RS appears again (first on "
            "line 2) for min_quantity 1 with an overlapping validity: open to 2025-12-31 and "
            "2025-12-31 to open",
        ),
        (
            ["BRG-6205-2RS,10001,7.45,EUR,2026-02-01,2026-01-31,1"],
            "prices.csv line 2: valid_to 2026-01-31 is before valid_from 2026-02-01",
        ),
        (
            ["BRG-6205-2RS,10001,7.45,EUR,2026-01-01,,0"],
            "prices.csv line 2: min_quantity '0' is not a whole number from 1 to 9999",
        ),
        (
            ["BRG-6205-2RS,10001,7.45,EUR,1.1.2026,,1"],
            "prices.csv line 2: valid_from '1.1.2026' is not a date (YYYY-MM-DD)",
        ),
    ],
)
def test_bad_price_terms_are_named_by_line(
    engine: Engine, demo_copy: Path, rows: list[str], expected: str
) -> None:
    (demo_copy / "prices.csv").write_text("\n".join([PRICE_HEADER, *rows]) + "\n", encoding="utf-8")
    with pytest.raises(ErpImportError) as caught:
        import_erp_directory(engine, demo_copy)
    assert str(caught.value) == expected
    assert _count(engine, ErpCustomerRow) == 0


def test_rows_of_other_breaks_or_adjacent_validity_do_not_overlap(
    engine: Engine, demo_copy: Path
) -> None:
    (demo_copy / "prices.csv").write_text(
        "\n".join(
            [
                PRICE_HEADER,
                "BRG-6205-2RS,10001,7.90,EUR,,2025-12-31,1",
                "BRG-6205-2RS,10001,7.45,EUR,2026-01-01,,1",
                "BRG-6205-2RS,10001,6.95,EUR,,,100",
                "BRG-6205-2RS,10001,6.50,EUR,,,500",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    assert import_erp_directory(engine, demo_copy).rows["prices.csv"] == 4
    assert len(_prices(engine)) == 4
