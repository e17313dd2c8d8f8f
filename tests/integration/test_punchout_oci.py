"""OCI punchout over HTTP: the procurement system's fields, the user created on the way in,
the form back to HOOK_URL with the NEW_ITEM fields and the echoed ~OkCode/~TARGET/~CALLER."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from customer_center.auth.principals import resolve_principal
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.db import session_scope
from customer_center.domain.errors import ServiceError
from customer_center.domain.punchout import SessionStatus
from customer_center.http import punchout_browser, punchout_oci
from customer_center.models.punchout import PunchoutMessage, PunchoutSession
from customer_center.models.user import User
from customer_center.services.people.users import role_codes_of
from customer_center.services.punchout import transfer as transfer_service
from customer_center.services.shop import cart
from customer_center.services.wiring import erp_client
from tests.factories import make_company
from tests.punchout_buyer import BUYER_ORIGIN, connect, seed_erp
from tests.staff_factories import agent_for, make_staff

pytestmark = pytest.mark.usefixtures("db")
PORTAL = "http://portal.test"
HOOK = f"{BUYER_ORIGIN}/sap/bc/gui/sap/its/oci_hook"


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = Starlette(routes=punchout_oci.routes + punchout_browser.routes)
    with TestClient(app, base_url=PORTAL) as test_client:
        yield test_client


@pytest.fixture
def oci(session: Session):  # type: ignore[no-untyped-def]
    main = make_company(session, "C-1", "Acme GmbH")
    seed_erp(session, "C-1")
    agent = agent_for(session, make_staff(session, "sam@seller.example"))
    return connect(session, agent, main.company_id, protocol="oci", identity="SRM_ACME")


def _fields(oci, **extra: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "USERNAME": oci.identity,
        "PASSWORD": oci.secret,
        "HOOK_URL": HOOK,
        "~OkCode": "ADDI",
        "~TARGET": "_top",
        "~CALLER": "CTLG",
        "USER_EMAIL": "olaf@acme.example",
        "USER_NAME": "Olaf Oci",
        "COST_CENTER": "4711",
        **extra,
    }


def test_oci_punchout_returns_the_cart_to_the_hook_url(client, oci, session) -> None:
    arrived = client.post("/punchout/oci", data=_fields(oci), follow_redirects=False)
    assert arrived.status_code == 303
    opened = client.get(arrived.headers["location"], follow_redirects=False)
    assert opened.headers["location"] == "/catalogue"
    user = session.exec(select(User).where(User.email == "olaf@acme.example")).one()
    assert role_codes_of(session, user.id) == ["buyer"]
    principal = resolve_principal(session, client.cookies.get(SESSION_COOKIE))
    session.commit()  # the sign-in's touch: as in the portal, before the ERP is asked
    cart.add_to_cart(session, principal, erp=erp_client(), sku="BOLT-10", quantity=12)
    session.commit()

    page = client.post("/punchout/transfer", headers={"origin": PORTAL})
    assert page.status_code == 200
    assert html.unescape(re.search(r"action='([^']*)'", page.text).group(1)) == HOOK
    fields = dict(re.findall(r"name='([^']*)' value='([^']*)'", page.text))
    assert fields["~OkCode"] == "ADDI" and fields["~CALLER"] == "CTLG"
    assert (fields["NEW_ITEM-VENDORMAT[1]"], fields["NEW_ITEM-QUANTITY[1]"]) == ("BOLT-10", "12")
    assert (fields["NEW_ITEM-PRICE[1]"], fields["NEW_ITEM-CURRENCY[1]"]) == ("1.20", "EUR")
    assert (fields["NEW_ITEM-UNIT[1]"], fields["NEW_ITEM-PRICEUNIT[1]"]) == ("PC", "1")
    assert fields["NEW_ITEM-DESCRIPTION[1]"] == "Hex bolt M10"
    assert "target='_top'" in page.text
    logged = session.exec(select(PunchoutMessage)).one()
    assert oci.secret not in logged.raw and "PASSWORD=***" in logged.raw


def test_a_wrong_password_is_refused(client, oci, session) -> None:
    answer = client.get("/punchout/oci", params=_fields(oci, PASSWORD="guess"))
    assert answer.status_code == 401
    assert session.exec(select(User).where(User.email == "olaf@acme.example")).first() is None


def test_a_hook_url_on_another_origin_is_refused(client, oci, session) -> None:
    answer = client.get("/punchout/oci", params=_fields(oci, HOOK_URL="https://evil.example/hook"))
    assert answer.status_code == 400 and "return_url_origin" in answer.text
    assert session.exec(select(User).where(User.email == "olaf@acme.example")).first() is None


def test_a_plain_http_hook_url_is_refused_outside_dev(client, oci) -> None:
    answer = client.get(
        "/punchout/oci", params=_fields(oci, HOOK_URL="http://buyer.ariba.example/hook")
    )
    assert answer.status_code == 400 and "return_url_not_https" in answer.text


def test_validate_prices_one_product_without_a_user(client, oci, session) -> None:
    fields = _fields(oci, FUNCTION="VALIDATE", PRODUCTID="nut-10", QUANTITY="25")
    page = client.post("/punchout/oci", data=fields, follow_redirects=False)
    assert page.status_code == 200
    found = dict(re.findall(r"name='([^']*)' value='([^']*)'", page.text))
    assert (found["NEW_ITEM-VENDORMAT[1]"], found["NEW_ITEM-QUANTITY[1]"]) == ("NUT-10", "25")
    assert (found["NEW_ITEM-PRICE[1]"], found["~OkCode"]) == ("0.35", "ADDI")
    assert f"frame-ancestors 'self' {BUYER_ORIGIN}" in page.headers["content-security-policy"]
    assert session.exec(select(User).where(User.email == "olaf@acme.example")).first() is None
    unknown = client.post("/punchout/oci", data={**fields, "PRODUCTID": "NOPE"})
    assert unknown.status_code == 400 and "unknown_item" in unknown.text
    wrong = client.post("/punchout/oci", data={**fields, "PASSWORD": "guess"})
    assert wrong.status_code == 401


class _AnotherTabAdds:
    """The ERP, while the transfer asks it for prices, and meanwhile another tab of the
    user adds a product to the cart (in its own unit of work)."""

    def __init__(self, engine, principal, sku: str) -> None:  # type: ignore[no-untyped-def]
        self.engine, self.principal, self.sku = engine, principal, sku
        self.inner = erp_client()

    def get_offers(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with Session(self.engine) as other_tab:
            cart.put_many(other_tab, self.principal, quantities={self.sku: 1})
            other_tab.commit()
        return self.inner.get_offers(*args, **kwargs)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.inner, name)


def test_a_cart_changed_while_it_is_priced_is_not_sent(client, oci, session) -> None:
    arrived = client.post("/punchout/oci", data=_fields(oci), follow_redirects=False)
    client.get(arrived.headers["location"], follow_redirects=False)
    principal = resolve_principal(session, client.cookies.get(SESSION_COOKIE))
    session.commit()
    cart.add_to_cart(session, principal, erp=erp_client(), sku="BOLT-10", quantity=12)
    session.commit()
    erp = _AnotherTabAdds(session.get_bind(), principal, "NUT-10")
    with pytest.raises(ServiceError) as refused, session_scope() as unit:
        transfer_service.transfer(unit, principal, erp=erp)  # type: ignore[arg-type]
    assert refused.value.code == "punchout.error.cart_changed"
    assert cart.cart_quantities(session, principal) == {"BOLT-10": 12, "NUT-10": 1}
    found = session.exec(select(PunchoutSession)).one()
    assert found.status == SessionStatus.OPEN  # nothing sent: the user sends it again
