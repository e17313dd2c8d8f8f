"""The embedded ERP client answering from the demo data."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from customer_center.db import make_engine
from customer_center.domain.prices import PriceSource
from customer_center.integrations.erp import build_erp_client
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.protocol import ErpClient
from customer_center.integrations.erp.tables import ErpActivationNoticeRow
from customer_center.settings import get_settings


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine("sqlite:///" + str(tmp_path / "t.db"))
    SQLModel.metadata.create_all(engine)
    import_erp_directory(engine, demo_data_dir())
    return engine


@pytest.fixture
def erp(engine: Engine) -> ErpClient:
    return EmbeddedErpClient(engine)


def _notices(engine: Engine) -> list[ErpActivationNoticeRow]:
    with Session(engine) as session:
        return list(session.exec(select(ErpActivationNoticeRow)))


def test_customer_lookup_returns_master_data(erp: ErpClient) -> None:
    customer = erp.get_customer("10001")

    assert customer is not None
    assert customer.name == "Müller Maschinenbau GmbH"
    assert customer.allowed is True
    assert customer.email_domains == ("mueller-maschinenbau.example",)
    assert (customer.currency, customer.language) == ("EUR", "de")
    assert (customer.street, customer.postal_code, customer.city, customer.country) == (
        "Industriestraße 12",
        "70565",
        "Stuttgart",
        "DE",
    )


def test_not_allowed_and_unknown_customers(erp: ErpClient) -> None:
    northwind = erp.get_customer("10003")
    assert northwind is not None and northwind.allowed is False
    assert northwind.city == "Zürich"
    assert erp.get_customer("99999") is None
    assert erp.get_customer("") is None


@pytest.mark.parametrize("typed", [" 10002 ", "10002\t", "\n10002"])
def test_customer_number_ignores_surrounding_whitespace(erp: ErpClient, typed: str) -> None:
    customer = erp.get_customer(typed)
    assert customer is not None and customer.name == "Acme Industrial Supply Ltd"


def test_invoice_lookup_is_case_and_whitespace_insensitive(erp: ErpClient) -> None:
    invoice = erp.get_invoice("  2026-10001-002 ")

    assert invoice is not None
    assert invoice.customer_number == "10001"
    assert invoice.issued_on == date(2026, 10, 21)
    assert invoice.total == Decimal("3215.00")
    assert erp.get_invoice("2026-10001-999") is None


def test_keys_with_letters_match_in_any_case(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "customers.csv").write_text(
        "customer_number,name,allowed,email_domains,currency,language,"
        "street,postal_code,city,country\n"
        "K-77,Kappa AG,yes,kappa.example,EUR,de,Weg 1,12345,Berlin,DE\n",
        encoding="utf-8",
    )
    (folder / "invoices.csv").write_text(
        "invoice_number,customer_number,issued_on,total,currency\n"
        "RE-2026-A1,k-77,2026-01-05,10.00,EUR\n",
        encoding="utf-8",
    )
    import_erp_directory(engine, folder)
    erp = EmbeddedErpClient(engine)

    invoice = erp.get_invoice(" re-2026-a1 ")

    assert invoice is not None and invoice.customer_number == "K-77"
    customer = erp.get_customer("k-77")
    assert customer is not None and customer.name == "Kappa AG"


def test_contacts_of_a_customer(erp: ErpClient) -> None:
    contacts = erp.list_contacts(" 10001 ")

    assert [c.name for c in contacts] == ["Anna Müller", "Ben Schmidt", "Clara Weber"]
    anna = contacts[0]
    assert anna.email == "anna.mueller@mueller-maschinenbau.example"
    assert anna.role.lower() == "purchasing lead"
    assert [c.email for c in erp.list_contacts("10002")] == ["jane.doe@acme-industrial.example"]
    assert erp.list_contacts("99999") == []


def test_addresses_of_a_customer(erp: ErpClient) -> None:
    addresses = erp.list_addresses("10001")

    assert sorted(a.kind for a in addresses) == ["billing", "delivery", "delivery"]
    assert {a.customer_number for a in addresses} == {"10001"}
    delivery_defaults = [a for a in addresses if a.kind == "delivery" and a.is_default]
    assert len(delivery_defaults) == 1
    assert sorted(a.kind for a in erp.list_addresses("10002")) == ["billing", "delivery"]
    assert [a.country for a in erp.list_addresses("10002")] == ["GB", "GB"]


def test_customer_price_replaces_list_price(erp: ErpClient) -> None:
    offers = {o.product.sku: o for o in erp.list_products("10001")}

    bearing = offers["BRG-6205-2RS"]
    assert bearing.is_customer_price is True
    assert bearing.price == Decimal("7.45")
    assert bearing.product.list_price == Decimal("8.90")
    hose = offers["HYD-HOSE-12-2M"]
    assert hose.is_customer_price is False
    assert hose.price == hose.product.list_price == Decimal("46.50")
    assert sum(o.is_customer_price for o in offers.values()) == 3
    assert all(isinstance(o.price, Decimal) for o in offers.values())


def test_customer_prices_do_not_leak_to_other_customers(erp: ErpClient) -> None:
    acme = {o.product.sku: o for o in erp.list_products("10002")}

    assert acme["HYD-HOSE-12-2M"].price == Decimal("42.00")
    assert acme["BRG-6205-2RS"].price == Decimal("8.90")
    assert [sku for sku, o in acme.items() if o.is_customer_price] == ["HYD-HOSE-12-2M"]


def test_products_carry_datasheet_and_unit(erp: ErpClient) -> None:
    (gloves,) = erp.list_products("10001", search="GLV-CUT5-9")

    assert gloves.product.datasheet_url == "/datasheets/GLV-CUT5-9.pdf"
    assert gloves.product.unit == "pair"
    assert gloves.currency == "EUR"


def test_pages_cover_the_catalogue_once_in_name_order(erp: ErpClient) -> None:
    pages = [erp.list_products("10001", offset=offset, limit=3) for offset in (0, 3, 6, 9)]

    assert [len(page) for page in pages] == [3, 3, 2, 0]
    names = [o.product.name for page in pages for o in page]
    assert names == sorted(names)
    assert len(set(names)) == 8
    assert erp.count_products("10001") == 8


@pytest.mark.parametrize(
    ("search", "skus"),
    [
        ("bearing", ["BRG-6205-2RS"]),  # name, other case
        ("hyd-hose", ["HYD-HOSE-12-2M"]),  # SKU, other case
        ("NITRILE", ["GLV-CUT5-9"]),  # description
        ("  din ", ["BLT-M12-80-89", "CHN-08B1-5M"]),  # trimmed, two hits
        ("%", []),  # a wildcard typed by the user matches itself only
        ("no such thing", []),
    ],
)
def test_search_on_name_sku_and_description(erp: ErpClient, search: str, skus: list[str]) -> None:
    offers = erp.list_products("10001", search=search)

    assert sorted(o.product.sku for o in offers) == skus
    assert erp.count_products("10001", search=search) == len(skus)


def test_search_and_paging_combine(erp: ErpClient) -> None:
    first = erp.list_products("10001", search="din", limit=1)
    second = erp.list_products("10001", search="din", offset=1, limit=1)

    assert len(first) == len(second) == 1
    assert first[0].product.sku != second[0].product.sku


def test_notify_company_activated_records_each_message_once(engine: Engine, erp: ErpClient) -> None:
    erp.notify_company_activated("10001", "Anna.Mueller@mueller-maschinenbau.example", "m-1")
    erp.notify_company_activated("10001", "anna.mueller@mueller-maschinenbau.example", "m-1")

    (notice,) = _notices(engine)
    assert notice.message_id == "m-1"
    assert notice.customer_number == "10001"
    assert notice.email == "anna.mueller@mueller-maschinenbau.example"
    assert notice.erp_reference.startswith("ACT-")

    erp.notify_company_activated("10002", "jane.doe@acme-industrial.example", "m-2")
    assert sorted(n.message_id for n in _notices(engine)) == ["m-1", "m-2"]


def test_build_erp_client_picks_embedded(engine: Engine) -> None:
    settings = dataclasses.replace(get_settings(), erp="embedded")

    erp = build_erp_client(settings, engine)

    assert isinstance(erp, EmbeddedErpClient)
    assert erp.get_customer("10001") is not None


def test_build_erp_client_refuses_unknown_kind(engine: Engine) -> None:
    settings = dataclasses.replace(get_settings(), erp="soap")

    with pytest.raises(ValueError, match=r"CC_ERP='soap' is not supported"):
        build_erp_client(settings, engine)


def test_build_erp_client_over_http_needs_the_erps_address(engine: Engine) -> None:
    settings = dataclasses.replace(get_settings(), erp="http", erp_url="")

    with pytest.raises(ValueError, match=r"CC_ERP_URL"):
        build_erp_client(settings, engine)


def test_find_contact_matches_the_address_in_any_case(erp: ErpClient) -> None:
    found = erp.find_contact(" 10001 ", "  Anna.Mueller@Mueller-Maschinenbau.EXAMPLE ")
    assert found is not None and found.name == "Anna Müller"
    assert erp.find_contact("10002", "anna.mueller@mueller-maschinenbau.example") is None


def test_offers_for_skus_in_one_call_with_the_customers_own_prices(erp: ErpClient) -> None:
    offers = erp.get_offers("10001", [" brg-6205-2rs", "HYD-HOSE-12-2M", "NO-SUCH-SKU"])

    assert set(offers) == {"BRG-6205-2RS", "HYD-HOSE-12-2M"}
    bearing, hose = offers["BRG-6205-2RS"], offers["HYD-HOSE-12-2M"]
    assert (bearing.price, bearing.is_customer_price) == (Decimal("7.45"), True)
    assert (hose.price, hose.is_customer_price) == (Decimal("46.50"), False)
    assert erp.get_offers("10002", ["HYD-HOSE-12-2M"])["HYD-HOSE-12-2M"].price == Decimal("42.00")
    assert erp.get_offers("10001", []) == {}


def test_offers_follow_the_contract_of_the_day_and_the_quantity(erp: ErpClient) -> None:
    def bearing(quantity: int, day: date):
        offers = erp.get_offers(
            "10001", ["BRG-6205-2RS"], quantities={"brg-6205-2rs ": quantity}, day=day
        )
        return offers["BRG-6205-2RS"]

    old = bearing(1, date(2025, 6, 1))
    assert (old.price, old.source, old.quote.valid_to) == (
        Decimal("7.90"),
        PriceSource.CONTRACT,
        date(2025, 12, 31),
    )
    assert bearing(99, date(2026, 2, 10)).price == Decimal("7.45")
    at_break = bearing(100, date(2026, 2, 10))
    assert (at_break.price, at_break.source, at_break.quote.min_quantity) == (
        Decimal("6.95"),
        PriceSource.QUANTITY_BREAK,
        100,
    )
    assert at_break.is_customer_price
    before = bearing(100, date(2024, 12, 31))
    assert (before.price, before.source, before.is_customer_price) == (
        Decimal("8.90"),
        PriceSource.LIST,
        False,
    )
    # Another customer never gets Müller's contract.
    acme = erp.get_offers("10002", ["BRG-6205-2RS"], quantities={"BRG-6205-2RS": 100})
    assert acme["BRG-6205-2RS"].source is PriceSource.LIST


def test_the_catalogue_prices_one_piece_on_the_day_given(erp: ErpClient) -> None:
    (in_2025,) = erp.list_products("10001", search="BRG-6205", day=date(2025, 3, 1))
    (in_2026,) = erp.list_products("10001", search="BRG-6205", day=date(2026, 3, 1))
    assert (in_2025.price, in_2026.price) == (Decimal("7.90"), Decimal("7.45"))


def test_contract_prices_lists_every_row_of_the_customer_and_product(erp: ErpClient) -> None:
    rows = erp.list_contract_prices(" 10001", "brg-6205-2rs")
    assert [(r.price, r.valid_from, r.valid_to, r.min_quantity) for r in rows] == [
        (Decimal("7.90"), date(2025, 1, 1), date(2025, 12, 31), 1),
        (Decimal("7.45"), date(2026, 1, 1), None, 1),
        (Decimal("6.95"), date(2026, 1, 1), None, 100),
    ]
    assert erp.list_contract_prices("10002", "BRG-6205-2RS") == []
    assert erp.list_contract_prices("10001", "NO-SUCH-SKU") == []
