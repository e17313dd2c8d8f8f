"""cXML punchout end to end over HTTP, driven by the buyer simulator: setup request (Ariba-
and Coupa-shaped), the user created on the way in, the single-use start link, the transfer
back (validated against the cXML DTD), the OrderRequest reaching the embedded ERP once, and
every refusal the issue names."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from customer_center.auth.principals import resolve_principal
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.background import build_relay
from customer_center.domain.order_states import OrderStatus
from customer_center.http import punchout_browser, punchout_cxml
from customer_center.integrations.erp.tables import ErpOrderRow
from customer_center.models.auth import OneTimeToken
from customer_center.models.base import utcnow
from customer_center.models.order import Order
from customer_center.models.punchout import PunchoutMessage, PunchoutSession
from customer_center.models.user import User
from customer_center.services.people.users import role_codes_of
from customer_center.services.shop import cart
from customer_center.services.wiring import erp_client
from customer_center.settings import get_settings
from tests.factories import make_company, make_user
from tests.punchout_buyer import (
    BUYER_ORIGIN,
    Buyer,
    connect,
    seed_erp,
    start_url,
    status_of,
    validated,
)
from tests.staff_factories import agent_for, make_staff

pytestmark = pytest.mark.usefixtures("db")
PORTAL = "http://portal.test"
NEW_USER = "paula@acme.example"


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = Starlette(
        routes=punchout_cxml.routes + punchout_browser.routes,
        middleware=[punchout_browser.frame_ancestors_middleware],
    )
    with TestClient(app, base_url=PORTAL) as test_client:
        yield test_client


class World:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.main = make_company(session, "C-1", "Acme GmbH")
        seed_erp(session, "C-1")
        self.agent = agent_for(session, make_staff(session, "sam@seller.example"))
        self.buyer = connect(session, self.agent, self.main.company_id)


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _post(client: TestClient, path: str, body: bytes):  # type: ignore[no-untyped-def]
    return client.post(path, content=body, headers={"content-type": "text/xml"})


def _punch_in(client: TestClient, buyer: Buyer, **kwargs: object) -> str:
    answer = _post(client, "/punchout/cxml", buyer.setup(email=NEW_USER, **kwargs))  # type: ignore[arg-type]
    assert answer.status_code == 200, answer.text
    return start_url(answer.content)


def _open(client: TestClient, url: str):  # type: ignore[no-untyped-def]
    return client.get(url, follow_redirects=False)


def _transfer(client: TestClient):  # type: ignore[no-untyped-def]
    return client.post("/punchout/transfer", headers={"origin": PORTAL})


def _form(page: str) -> tuple[str, dict[str, str]]:
    action = html.unescape(re.search(r"action='([^']*)'", page).group(1))  # type: ignore[union-attr]
    fields = {
        html.unescape(n): html.unescape(v)
        for n, v in re.findall(r"name='([^']*)' value='([^']*)'", page)
    }
    return action, fields


def _fill_cart(session: Session, cookie: str, items: dict[str, int]) -> None:
    principal = resolve_principal(session, cookie)
    assert principal is not None
    session.commit()  # the sign-in's touch: as in the portal, before the ERP is asked
    for sku, quantity in items.items():  # one unit of work each, as the catalogue's clicks
        cart.add_to_cart(session, principal, erp=erp_client(), sku=sku, quantity=quantity)
        session.commit()


def test_the_whole_cxml_punchout_reaches_the_erp_once(client, world, session, engine) -> None:
    url = _punch_in(client, world.buyer, cookie="ariba-cookie-1")
    user = session.exec(select(User).where(User.email == NEW_USER)).one()
    assert (user.name, user.password_hash) == ("Paula Procure", None)
    assert role_codes_of(session, user.id) == ["buyer"]  # CostCenter 4711 maps to buyer

    opened = _open(client, url)
    assert opened.status_code == 303 and opened.headers["location"] == "/catalogue"
    cookie = client.cookies.get(SESSION_COOKIE)
    _fill_cart(session, cookie, {"BOLT-10": 100, "NUT-10": 40})

    page = _transfer(client)
    assert page.status_code == 200
    assert "form-action https://buyer.ariba.example" in page.headers["content-security-policy"]
    action, fields = _form(page.text)
    assert action == world.buyer.return_url
    message = validated(fields["cxml-urlencoded"])
    assert message.findtext("Message/PunchOutOrderMessage/BuyerCookie") == "ariba-cookie-1"
    total = message.find("Message/PunchOutOrderMessage/PunchOutOrderMessageHeader/Total/Money")
    assert (total.text, total.get("currency")) == ("134.00", "EUR")  # 100 x 1.20 + 40 x 0.35
    items = message.findall("Message/PunchOutOrderMessage/ItemIn")
    assert [(i.get("quantity"), i.findtext("ItemID/SupplierPartID")) for i in items] == [
        ("100", "BOLT-10"),
        ("40", "NUT-10"),
    ]
    reference = items[0].findtext("ItemID/SupplierPartAuxiliaryID")
    assert reference and reference.startswith("PO-")
    assert items[0].findtext("ItemDetail/UnitPrice/Money") == "1.20"
    assert resolve_principal(session, cookie) is None  # the punchout's sign-in has ended

    order = world.buyer.order(
        email=NEW_USER,
        order_id="PO-4500001",
        payload_id="order-1@ariba",
        lines=[("BOLT-10", 100, reference, "1.20"), ("NUT-10", 40, reference, "0.35")],
    )
    for _attempt in range(2):  # a procurement system that retries gets the same answer
        answer = _post(client, "/punchout/cxml/order", order)
        assert answer.status_code == 200 and status_of(answer.content)[0] == "200"
    placed = session.exec(select(Order)).all()
    assert [(o.status, o.reference, o.total_cents) for o in placed] == [
        (OrderStatus.APPROVED, "PO-4500001", 13400)
    ]
    relay = build_relay()
    assert relay.run_once() == 1 and relay.run_once() == 0
    session.expire_all()
    assert len(session.exec(select(ErpOrderRow)).all()) == 1
    found = session.exec(select(PunchoutSession)).one()
    assert world.buyer.secret not in found.setup_request
    assert "<SharedSecret>***</SharedSecret>" in found.setup_request
    assert (found.status, found.order_id, found.transferred["total"]) == (
        "ordered",
        placed[0].id,
        "134.00",
    )


def test_a_coupa_user_who_exists_keeps_the_account_and_gets_the_mapped_role(
    client, world, session
) -> None:
    make_user(session, world.main.company_id, NEW_USER, ["technician"], name="Paula P.")
    session.commit()
    _punch_in(client, world.buyer, fixture="coupa_setup.xml", cost_center="9000")
    session.expire_all()
    user = session.exec(select(User).where(User.email == NEW_USER)).one()
    assert user.name == "Paula P."
    # Coupa names the cost centre "BusinessUnit": the mapped field is CostCenter, so the
    # connection's default role (technician) applies.
    assert role_codes_of(session, user.id) == ["technician"]


def test_edit_reopens_the_transferred_lines_in_the_cart(client, world, session) -> None:
    url = _punch_in(
        client, world.buyer, operation="edit", items=[("BOLT-10", 7, "PO-x"), ("GONE-1", 1, "")]
    )
    opened = _open(client, url)
    assert opened.headers["location"] == "/cart"
    principal = resolve_principal(session, client.cookies.get(SESSION_COOKIE))
    assert [(i.sku, i.quantity) for i in cart.cart_items(session, principal)] == [("BOLT-10", 7)]


def test_a_wrong_shared_secret_is_refused_and_shown_to_the_agents(client, world, session) -> None:
    answer = _post(client, "/punchout/cxml", world.buyer.setup(email=NEW_USER, secret="guess"))
    assert answer.status_code == 401
    assert status_of(answer.content)[0] == "401"
    assert session.exec(select(User).where(User.email == NEW_USER)).first() is None
    logged = session.exec(select(PunchoutMessage)).one()
    assert (logged.status, logged.error, logged.company_id) == (401, "credentials", 1)
    assert "<SharedSecret>***</SharedSecret>" in logged.raw and "guess" not in logged.raw


def test_an_unknown_sender_is_refused(client, world) -> None:
    stranger = Buyer("NetworkID", "AN-UNKNOWN", world.buyer.secret)
    answer = _post(client, "/punchout/cxml", stranger.setup(email=NEW_USER))
    assert answer.status_code == 401


def test_a_start_link_works_once(client, world) -> None:
    url = _punch_in(client, world.buyer)
    assert _open(client, url).status_code == 303
    replay = _open(client, url)
    assert replay.status_code == 403 and "used already" in replay.text


def test_an_expired_start_link_is_refused(client, world, session) -> None:
    url = _punch_in(client, world.buyer)
    token = session.exec(select(OneTimeToken)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    session.add(token)
    session.commit()
    answer = _open(client, url)
    assert answer.status_code == 403 and "expired" in answer.text
    assert SESSION_COOKIE not in client.cookies


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE cXML [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<cXML payloadID="x" timestamp="2026-12-05T10:00:00Z"><Header>&d;</Header></cXML>"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE cXML [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<cXML payloadID="x" timestamp="2026-12-05T10:00:00Z"><Header>&secret;</Header></cXML>"""


@pytest.mark.parametrize("body", [BOMB, EXTERNAL], ids=["xml-bomb", "external-entity"])
def test_entities_are_refused(client, world, body) -> None:
    answer = _post(client, "/punchout/cxml", body)
    assert answer.status_code == 400
    assert "root:" not in answer.text
    assert status_of(answer.content) == ("400", "Bad Request: entities")


def test_an_oversize_body_is_refused(client, world) -> None:
    body = world.buyer.setup(email=NEW_USER).replace(
        b"<Extrinsic", b" " * 600_000 + b"<Extrinsic", 1
    )
    assert _post(client, "/punchout/cxml", body).status_code == 413


def test_a_return_address_on_another_origin_is_refused(client, world, session) -> None:
    evil = Buyer(
        world.buyer.domain, world.buyer.identity, world.buyer.secret, "https://evil.example/x"
    )
    answer = _post(client, "/punchout/cxml", evil.setup(email=NEW_USER))
    assert answer.status_code == 400
    assert status_of(answer.content)[1].endswith("return_url_origin")
    assert session.exec(select(User).where(User.email == NEW_USER)).first() is None


def test_a_user_of_another_company_is_refused(client, world, session) -> None:
    other = make_company(session, "C-2", "Other AG")
    make_user(session, other.company_id, NEW_USER, ["buyer"])
    session.commit()
    answer = _post(client, "/punchout/cxml", world.buyer.setup(email=NEW_USER))
    assert answer.status_code == 403


def test_the_main_contact_cannot_be_named_by_a_procurement_system(client, world, session) -> None:
    setup = world.buyer.setup(email="main@c-1.example")
    answer = _post(client, "/punchout/cxml", setup)
    assert answer.status_code == 403
    assert status_of(answer.content)[1].endswith("user_main_contact")


def test_a_transfer_from_another_site_is_refused(client, world, session) -> None:
    _open(client, _punch_in(client, world.buyer))
    answer = client.post("/punchout/transfer", headers={"origin": "https://evil.example"})
    assert answer.status_code == 403


def test_order_requests_with_bad_credentials_or_unknown_items_get_clear_statuses(
    client, world, session
) -> None:
    _punch_in(client, world.buyer)
    bad = world.buyer.order(
        email=NEW_USER,
        order_id="PO-1",
        payload_id="p-1",
        lines=[("BOLT-10", 1, "", "1.20")],
        secret="wrong",
    )
    assert _post(client, "/punchout/cxml/order", bad).status_code == 401
    unknown = world.buyer.order(
        email=NEW_USER, order_id="PO-2", payload_id="p-2", lines=[("NOPE-1", 1, "", "9.99")]
    )
    answer = _post(client, "/punchout/cxml/order", unknown)
    assert answer.status_code == 400 and status_of(answer.content)[1].endswith("unknown_item")
    assert session.exec(select(Order)).all() == []


def test_pages_may_be_framed_only_by_the_connections_origins(client, world) -> None:
    plain = client.get("/punchout/start?token=nothing")
    assert plain.headers["content-security-policy"] == "frame-ancestors 'self'"
    _open(client, _punch_in(client, world.buyer))
    framed = client.get("/punchout/start?token=nothing")
    assert framed.headers["content-security-policy"] == f"frame-ancestors 'self' {BUYER_ORIGIN}"


def test_on_https_the_cookies_work_inside_the_procurement_systems_iframe(
    client, world, monkeypatch
) -> None:
    secure = dataclasses.replace(get_settings(), secure_cookies=True)
    monkeypatch.setattr(punchout_browser, "get_settings", lambda: secure)
    opened = _open(client, _punch_in(client, world.buyer))
    cookies = opened.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith(f"{SESSION_COOKIE}="))
    assert "SameSite=none" in session_cookie and "Secure" in session_cookie
    assert "HttpOnly" in session_cookie
