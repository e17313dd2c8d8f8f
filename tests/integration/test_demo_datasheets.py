"""The demo's data sheets: after ``erp import-demo`` every product's link opens a real PDF
for a Technician, over HTTP on a real server; without ``documents.view`` it is refused."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import Session

from customer_center import cli
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.http.datasheets import routes
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.services.shop.catalogue import catalogue_page
from tests.factories import actor_for, make_company, make_user, signed_in_cookie
from tests.live_server import live_server
from tests.pdf_check import page_text, pdf_objects


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    with live_server(routes) as found:
        yield found


@pytest.fixture
def demo(db, session: Session):  # type: ignore[no-untyped-def]
    cli.main(["erp", "import-demo"])
    main = make_company(session, "10001", "Müller Maschinenbau GmbH")
    technician = make_user(session, main.company_id, "tina@mueller.example", ["technician"])
    nobody = make_user(session, main.company_id, "nora@mueller.example", [])
    session.commit()
    return EmbeddedErpClient(db), technician, nobody


def test_every_demo_data_sheet_opens_as_a_pdf_with_the_products_facts(
    demo, session, address
) -> None:
    erp, technician, _ = demo
    page = catalogue_page(session, actor_for(session, technician), erp=erp)
    assert page.total == 8
    cookie = {SESSION_COOKIE: signed_in_cookie(session, technician)}
    for product in page.products:
        assert product.datasheet_url.startswith("/datasheets/")
        response = httpx.get(address + product.datasheet_url, cookies=cookie)
        assert response.status_code == 200, product.sku
        assert response.headers["content-type"] == "application/pdf"
        text = page_text(pdf_objects(response.content))
        for fact in (product.name, product.sku, product.description, product.unit):
            assert fact in text, (product.sku, fact)
        assert "EUR" not in text and "€" not in text  # a data sheet, not a price list


def test_a_user_without_documents_view_is_refused_the_demo_data_sheets(
    demo, session, address
) -> None:
    _, _, nobody = demo
    cookie = {SESSION_COOKIE: signed_in_cookie(session, nobody)}
    response = httpx.get(f"{address}/datasheets/BRG-6205-2RS.pdf", cookies=cookie)
    assert response.status_code == 403
    assert not response.content.startswith(b"%PDF")
    assert httpx.get(f"{address}/datasheets/BRG-6205-2RS.pdf").status_code == 401
