"""The catalogue: the company's prices, who sees prices and data sheets, search, pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.domain.errors import ServiceError
from customer_center.domain.prices import PriceQuote, PriceSource, list_quote
from customer_center.http import datasheets
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.protocol import (
    ErpProduct,
    ErpProductOffer,
    ErpUnavailable,
)
from customer_center.models.user import User
from customer_center.services.shop import catalogue
from customer_center.services.shop.catalogue import catalogue_page, safe_datasheet_url
from tests.factories import actor_for, make_company, make_user, signed_in_cookie


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

    def get_vat_rate(self, customer_number: str) -> Decimal | None:
        """The one tax rate of every customer here (not counted in ``calls``: those count
        the catalogue's price lookups)."""
        if self.down:
            raise ErpUnavailable("down")
        return Decimal("19.00")

    def _offer(self, product: ErpProduct) -> ErpProductOffer:
        own = self.customer_prices.get(product.sku)
        if own is None:
            return ErpProductOffer(product, list_quote(product.list_price, "EUR"))
        return ErpProductOffer(product, PriceQuote(own, "EUR", PriceSource.CONTRACT))

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
        self,
        customer_number: str,
        search: str = "",
        offset: int = 0,
        limit: int = 50,
        *,
        day: date | None = None,
        category: str = "",
        sort: str = "name",
    ) -> list[ErpProductOffer]:
        self._check(customer_number)
        found = [p for p in self._matching(search) if not category or p.category == category]
        return [self._offer(p) for p in found[offset : offset + limit]]

    def count_products(self, customer_number: str, search: str = "", *, category: str = "") -> int:
        self._check(customer_number)
        return len([p for p in self._matching(search) if not category or p.category == category])

    def list_categories(self, customer_number: str) -> list[str]:
        """Not counted in ``calls`` (those count the catalogue's page lookups)."""
        if self.down:
            raise ErpUnavailable("down")
        return sorted({p.category for p in self.products if p.category})

    def get_offers(
        self,
        customer_number: str,
        skus: Sequence[str],
        *,
        quantities: Mapping[str, int] | None = None,
        day: date | None = None,
    ) -> dict[str, ErpProductOffer]:
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
    page = catalogue_page(session, acme["buyer"], erp=erp)
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
    page = catalogue_page(session, acme["technician"], erp=erp)
    assert (page.show_prices, page.can_order, page.can_view_documents) == (False, False, True)
    assert [p.price for p in page.products] == [None, None, None]
    assert not any(p.is_customer_price for p in page.products)
    assert all(p.datasheet_url for p in page.products)


def test_a_controller_sees_prices_without_ordering(session, acme) -> None:
    page = catalogue_page(session, acme["controller"], erp=FakeErp())
    assert (page.show_prices, page.can_order) == (True, False)


def test_without_documents_or_ordering_rights_the_catalogue_is_refused(session, acme) -> None:
    nobody = make_user(session, acme["main"].company_id, "nobody@acme.example", [])
    session.commit()
    erp = FakeErp()
    with pytest.raises(ServiceError) as refused:
        catalogue_page(session, actor_for(session, nobody), erp=erp)
    assert refused.value.code == "error.permission_denied"
    assert erp.calls == 0


def test_search_and_pages_are_cut_by_the_erp(session, acme) -> None:
    erp = FakeErp(count=45)
    first = catalogue_page(session, acme["buyer"], erp=erp)
    assert (first.total, first.page, first.page_count) == (45, 0, 3)
    assert len(first.products) == catalogue.PAGE_SIZE
    last = catalogue_page(session, acme["buyer"], erp=erp, page=99)
    assert (last.page, [p.sku for p in last.products]) == (
        2,
        [f"SKU-{n:03d}" for n in (41, 42, 43, 44, 45)],
    )
    found = catalogue_page(session, acme["buyer"], erp=erp, search="  sku-04  ")
    assert [p.sku for p in found.products] == [f"SKU-04{n}" for n in range(6)]
    assert found.total == 6
    assert catalogue_page(session, acme["buyer"], erp=erp, page=-3).page == 0


def test_an_unreachable_erp_is_a_message_not_a_crash(session, acme) -> None:
    erp = FakeErp()
    erp.down = True
    with pytest.raises(ServiceError) as refused:
        catalogue_page(session, acme["buyer"], erp=erp)
    assert refused.value.code == "shop.error.erp_unavailable"


def test_the_embedded_erp_prices_the_demo_catalogue(session, db) -> None:
    import_erp_directory(db, demo_data_dir())
    mueller = make_company(session, "10001", "Müller Maschinenbau GmbH")
    page = catalogue_page(session, mueller, erp=EmbeddedErpClient(db), search="bearing")
    bearing = next(p for p in page.products if p.sku == "BRG-6205-2RS")
    assert (bearing.price, bearing.is_customer_price) == (Decimal("7.45"), True)
    hoses = catalogue_page(session, mueller, erp=EmbeddedErpClient(db), search="HYD-HOSE")
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


# --- the data sheet route ------------------------------------------------------------------


@pytest.fixture
def sheets(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    folder = tmp_path / "datasheets"
    folder.mkdir()
    (folder / "GLV-CUT5-9.pdf").write_bytes(b"%PDF-1.4 gloves")
    (tmp_path / "secret.txt").write_text("outside the folder")
    monkeypatch.setattr(datasheets, "datasheet_folder", lambda: folder)
    return TestClient(Starlette(routes=datasheets.routes))


def _get(client: TestClient, path: str, cookie: str = "") -> tuple[int, str]:
    headers = {"cookie": f"{SESSION_COOKIE}={cookie}"} if cookie else {}
    response = client.get(path, headers=headers)
    return response.status_code, response.text


def test_data_sheets_open_for_holders_of_documents_view_only(session, acme, sheets) -> None:
    users = {u.email.split("@")[0]: u for u in session.exec(select(User)).all()}
    technician = signed_in_cookie(session, users["technician"])
    response = sheets.get(
        "/datasheets/GLV-CUT5-9.pdf", headers={"cookie": f"{SESSION_COOKIE}={technician}"}
    )
    assert response.status_code == 200 and response.content == b"%PDF-1.4 gloves"
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert _get(sheets, "/datasheets/GLV-CUT5-9.pdf") == (
        401,
        "Please sign in to open this data sheet.",
    )
    nobody = make_user(session, acme["main"].company_id, "nobody@acme.example", [])
    status, text = _get(sheets, "/datasheets/GLV-CUT5-9.pdf", signed_in_cookie(session, nobody))
    assert (status, text) == (403, "You do not have the right to open data sheets.")


@pytest.mark.parametrize(
    "path",
    [
        "/datasheets/MISSING.pdf",
        "/datasheets/..%2Fsecret.txt",
        "/datasheets/%2E%2E%2Fsecret.txt",
        "/datasheets/.hidden",
        "/datasheets/a%00b.pdf",
    ],
)
def test_only_plain_names_of_files_in_the_folder_are_served(session, acme, sheets, path) -> None:
    users = {u.email.split("@")[0]: u for u in session.exec(select(User)).all()}
    status, text = _get(sheets, path, signed_in_cookie(session, users["buyer"]))
    assert status == 404
    assert "outside the folder" not in text
