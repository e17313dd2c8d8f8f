"""The catalogue: the company's prices, who sees prices and data sheets, search, pages."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customer_center.domain.errors import ServiceError
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.protocol import (
    ErpProduct,
    ErpProductOffer,
    ErpUnavailable,
)
from customer_center.services import catalogue
from customer_center.services.catalogue import catalogue_page, safe_datasheet_url
from tests.factories import actor_for, make_company, make_user


class FakeErp:
    """The catalogue part of the ERP port in memory; ``down`` makes every call fail."""

    def __init__(self, count: int = 3, customer_prices: dict[str, Decimal] | None = None) -> None:
        self.products = [
            ErpProduct(
                sku=f"SKU-{n:03d}",
                name=f"Product {n:03d}",
                description=f"Description {n}",
                unit="pc",
                list_price=Decimal(f"{n}.50"),
                currency="EUR",
                datasheet_url=f"/datasheets/SKU-{n:03d}.pdf",
            )
            for n in range(1, count + 1)
        ]
        self.customer_prices = customer_prices or {}
        self.customer_numbers: list[str] = []
        self.down = False
        self.calls = 0

    def _offer(self, product: ErpProduct) -> ErpProductOffer:
        own = self.customer_prices.get(product.sku)
        return ErpProductOffer(product, own or product.list_price, "EUR", own is not None)

    def _check(self, customer_number: str) -> None:
        self.calls += 1
        self.customer_numbers.append(customer_number)
        if self.down:
            raise ErpUnavailable("down")

    def _matching(self, search: str) -> list[ErpProduct]:
        term = search.strip().lower()
        return [
            p
            for p in self.products
            if not term or any(term in text.lower() for text in (p.name, p.sku, p.description))
        ]

    def list_products(
        self, customer_number: str, search: str = "", offset: int = 0, limit: int = 50
    ) -> list[ErpProductOffer]:
        self._check(customer_number)
        return [self._offer(p) for p in self._matching(search)[offset : offset + limit]]

    def count_products(self, customer_number: str, search: str = "") -> int:
        self._check(customer_number)
        return len(self._matching(search))

    def get_offers(self, customer_number: str, skus: Sequence[str]) -> dict[str, ErpProductOffer]:
        self._check(customer_number)
        wanted = {s.strip().upper() for s in skus}
        return {p.sku: self._offer(p) for p in self.products if p.sku in wanted}


@pytest.fixture
def acme(session):
    main = make_company(session, "10001", "Acme GmbH")
    company = main.company_id
    users = {
        code: make_user(session, company, f"{code}@acme.example", [code])
        for code in ("buyer", "technician", "controller")
    }
    session.commit()
    actors = {code: actor_for(session, user) for code, user in users.items()}
    return {"main": main, **actors}


def test_a_buyer_sees_the_companys_own_prices_and_data_sheets(session, acme) -> None:
    erp = FakeErp(customer_prices={"SKU-002": Decimal("1.99")})
    page = catalogue_page(session, acme["buyer"], erp)
    assert (page.show_prices, page.can_order, page.can_view_documents) == (True, True, True)
    by_sku = {p.sku: p for p in page.products}
    assert by_sku["SKU-001"].price == Decimal("1.50")
    assert not by_sku["SKU-001"].is_customer_price
    assert by_sku["SKU-002"].price == Decimal("1.99")
    assert by_sku["SKU-002"].is_customer_price
    assert by_sku["SKU-001"].datasheet_url == "/datasheets/SKU-001.pdf"
    assert set(erp.customer_numbers) == {"10001"}  # the company's own number, nothing else


def test_a_technician_sees_products_and_data_sheets_but_no_prices(session, acme) -> None:
    erp = FakeErp(customer_prices={"SKU-002": Decimal("1.99")})
    page = catalogue_page(session, acme["technician"], erp)
    assert (page.show_prices, page.can_order, page.can_view_documents) == (False, False, True)
    assert [p.price for p in page.products] == [None, None, None]
    assert not any(p.is_customer_price for p in page.products)
    assert all(p.datasheet_url for p in page.products)


def test_a_controller_sees_prices_without_ordering(session, acme) -> None:
    page = catalogue_page(session, acme["controller"], FakeErp())
    assert (page.show_prices, page.can_order) == (True, False)


def test_without_documents_or_ordering_rights_the_catalogue_is_refused(session, acme) -> None:
    nobody = make_user(session, acme["main"].company_id, "nobody@acme.example", [])
    session.commit()
    erp = FakeErp()
    with pytest.raises(ServiceError) as refused:
        catalogue_page(session, actor_for(session, nobody), erp)
    assert refused.value.code == "error.permission_denied"
    assert erp.calls == 0


def test_search_and_pages_are_cut_by_the_erp(session, acme) -> None:
    erp = FakeErp(count=45)
    first = catalogue_page(session, acme["buyer"], erp)
    assert (first.total, first.page, first.page_count) == (45, 0, 3)
    assert len(first.products) == catalogue.PAGE_SIZE
    last = catalogue_page(session, acme["buyer"], erp, page=99)
    assert (last.page, [p.sku for p in last.products]) == (
        2,
        [f"SKU-{n:03d}" for n in (41, 42, 43, 44, 45)],
    )
    found = catalogue_page(session, acme["buyer"], erp, search="  sku-04  ")
    assert [p.sku for p in found.products] == [f"SKU-04{n}" for n in range(6)]
    assert found.total == 6
    assert catalogue_page(session, acme["buyer"], erp, page=-3).page == 0


def test_an_unreachable_erp_is_a_message_not_a_crash(session, acme) -> None:
    erp = FakeErp()
    erp.down = True
    with pytest.raises(ServiceError) as refused:
        catalogue_page(session, acme["buyer"], erp)
    assert refused.value.code == "shop.error.erp_unavailable"


def test_the_embedded_erp_prices_the_demo_catalogue(session, db) -> None:
    import_erp_directory(db, demo_data_dir())
    mueller = make_company(session, "10001", "Müller Maschinenbau GmbH")
    page = catalogue_page(session, mueller, EmbeddedErpClient(db), search="bearing")
    bearing = next(p for p in page.products if p.sku == "BRG-6205-2RS")
    assert (bearing.price, bearing.is_customer_price) == (Decimal("7.45"), True)
    hoses = catalogue_page(session, mueller, EmbeddedErpClient(db), search="HYD-HOSE")
    hose = hoses.products[0]  # 10002's own price, not 10001's: the list price here
    assert (hose.price, hose.is_customer_price) == (Decimal("46.50"), False)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://seller.example/ds/1.pdf", "https://seller.example/ds/1.pdf"),
        ("HTTP://seller.example/ds/1.pdf", "HTTP://seller.example/ds/1.pdf"),
        ("/datasheets/1.pdf", "/datasheets/1.pdf"),
        ("  /datasheets/1.pdf ", "/datasheets/1.pdf"),
        ("javascript:alert(1)", ""),
        (" JavaScript:alert(1)", ""),
        ("data:text/html,<script>", ""),
        ("//evil.example/x", ""),
        ("datasheets/1.pdf", ""),
        (None, ""),
        ("", ""),
    ],
)
def test_only_web_addresses_and_site_paths_become_data_sheet_links(url, shown) -> None:
    assert safe_datasheet_url(url) == shown


@given(st.text(max_size=40))
def test_a_data_sheet_link_is_never_a_script(url: str) -> None:
    shown = safe_datasheet_url(url)
    assert shown == "" or shown.lower().startswith(("http://", "https://", "/"))
    assert not shown.startswith("//")
