"""GET /documents/files/<number>.pdf on a real server: a Controller downloads an invoice as
an attachment; a Technician, another company (a forged address) and a signed-out browser are
refused; a Technician still gets the delivery note."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import Session

from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.domain import routes as addresses
from customer_center.http.documents import routes
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.models.user import User
from tests.document_factories import order_in_erp
from tests.factories import actor_for, make_company, make_user, signed_in_cookie
from tests.live_server import live_server
from tests.pdf_check import page_text, pdf_objects


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    with live_server(routes) as found:
        yield found


@pytest.fixture
def invoiced(db, session: Session):  # type: ignore[no-untyped-def]
    import_erp_directory(db, demo_data_dir())
    main = make_company(session, "10001", "Müller Maschinenbau GmbH")
    controller = make_user(session, main.company_id, "clara@mueller.example", ["controller"])
    technician = make_user(session, main.company_id, "teo@mueller.example", ["technician"])
    other = make_company(session, "10002", "Acme Industrial Supply Ltd")
    session.commit()
    _, number = order_in_erp(session, db, main, {"BRG-6205-2RS": 3})
    stranger = session.get(User, other.user_id)
    return number.removeprefix("SO-"), controller, technician, stranger


def _get(session: Session, address: str, user: User | None, number: str) -> httpx.Response:
    cookies = {SESSION_COOKIE: signed_in_cookie(session, user)} if user else {}
    return httpx.get(address + addresses.document_file(number), cookies=cookies)


def test_a_controller_downloads_the_invoice_others_are_refused(
    invoiced, session: Session, address: str
) -> None:
    digits, controller, technician, stranger = invoiced
    invoice = f"INV-{digits}"
    response = _get(session, address, controller, invoice)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'attachment; filename="{invoice}.pdf"'
    assert "no-store" in response.headers["cache-control"]
    text = page_text(pdf_objects(response.content))
    assert "Invoice" in text and "22.35 EUR" in text
    assert "6.13 EUR" in text and "38.38 EUR" in text  # (22.35 + 9.90) * 1.19
    for user in (technician, stranger):
        refused = _get(session, address, user, invoice)
        assert refused.status_code == 403
        assert not refused.content.startswith(b"%PDF")
        assert "not available to you" in refused.text
    signed_out = _get(session, address, None, invoice)
    assert signed_out.status_code == 401


def test_a_technician_gets_the_delivery_note_a_stranger_nothing(
    invoiced, session: Session, address: str
) -> None:
    digits, _, technician, stranger = invoiced
    note = _get(session, address, technician, f"DN-{digits}")
    assert note.status_code == 200 and note.content.startswith(b"%PDF-1.4")
    assert _get(session, address, stranger, f"DN-{digits}").status_code == 403
    for forged in ("NO-SUCH-DOC", "..%2F..%2Fetc%2Fpasswd", "x" * 300):
        assert _get(session, address, technician, forged).status_code == 403


def test_a_buyer_downloads_the_invoice_of_their_own_order_not_a_colleagues(
    db, session: Session, address: str
) -> None:
    import_erp_directory(db, demo_data_dir())
    main = make_company(session, "10001", "Müller Maschinenbau GmbH")
    ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"])
    bea = make_user(session, main.company_id, "bea@mueller.example", ["buyer"])
    session.commit()
    _, own = order_in_erp(session, db, actor_for(session, ben), {"BRG-6205-2RS": 1})
    _, theirs = order_in_erp(session, db, actor_for(session, bea), {"BRG-6205-2RS": 2})
    mine = _get(session, address, ben, own.replace("SO-", "INV-"))
    assert mine.status_code == 200 and mine.content.startswith(b"%PDF-1.4")
    assert mine.headers["content-disposition"].startswith("attachment;")
    for forged in (theirs.replace("SO-", "INV-"), theirs.replace("SO-", "CN-")):
        refused = _get(session, address, ben, forged)
        assert refused.status_code == 403
        assert refused.text == _get(session, address, ben, "NO-SUCH-DOC").text
    assert _get(session, address, bea, theirs.replace("SO-", "INV-")).status_code == 200
