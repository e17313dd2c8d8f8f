"""SSO domains must be proven before they route anyone: by the seller's ERP (the demo ERP data,
one domain per customer) or by a TXT record, looked up with dnspython in a DNS server this test
runs on a loopback port. Everything goes through the settings page's and the sign-in page's
handlers in Reflex's real event pipeline."""

from __future__ import annotations

import itertools
import socket
from collections.abc import Iterator
from dataclasses import replace

import pytest
from dnslib import QTYPE, RR, TXT
from dnslib.server import BaseResolver, DNSServer
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex_base.event import Event
from reflex_base.event.processor import BaseStateEventProcessor
from sqlalchemy import create_engine, text
from sqlmodel import Session

import customer_center.customer_center as portal_app
from customer_center.auth import oidc
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.integrations import dns_txt
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.migrations import alembic_config
from customer_center.models.identity import SsoDomain
from customer_center.models.user import User
from customer_center.services import wiring
from customer_center.settings import get_settings
from customer_center.state.company_sso import CompanySsoState
from customer_center.state.sign_in import SignInState
from tests.factories import make_company, role_id, signed_in_cookie
from tests.sso_factories import fake_discover

pytestmark = pytest.mark.usefixtures("db")
_tabs = itertools.count()


class _Zone(BaseResolver):
    """Answers TXT questions from a dict the test fills; everything else: no such name."""

    def __init__(self) -> None:
        self.records: dict[str, str] = {}

    def resolve(self, request, handler):  # type: ignore[no-untyped-def]
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        if request.q.qtype == QTYPE.TXT and name in self.records:
            reply.add_answer(RR(request.q.qname, QTYPE.TXT, rdata=TXT(self.records[name]), ttl=60))
        else:
            reply.header.rcode = 3  # NXDOMAIN
        return reply


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def zone(monkeypatch) -> Iterator[_Zone]:  # type: ignore[no-untyped-def]
    """A DNS server on 127.0.0.1, named by the settings the portal resolves with."""
    resolver = _Zone()
    port = _free_udp_port()
    server = DNSServer(resolver, address="127.0.0.1", port=port)
    server.start_thread()
    settings = replace(get_settings(), dns_nameserver="127.0.0.1", dns_port=port)
    monkeypatch.setattr(wiring, "get_settings", lambda: settings)
    try:
        yield resolver
    finally:
        server.stop()


@pytest.fixture
def demo_erp(engine) -> None:  # type: ignore[no-untyped-def]
    """The demo ERP: Müller (10001) lists mueller-maschinenbau.example, Acme (10002)
    acme-industrial.example."""
    import_erp_directory(engine, demo_data_dir())


async def send(cookie: str, handler: str, payload: dict | None = None):  # type: ignore[no-untyped-def]
    token = f"domain-proof-{next(_tabs)}"
    manager = StateManagerMemory()
    router_data = {
        "headers": {"cookie": f"{SESSION_COOKIE}={cookie}" if cookie else ""},
        "pathname": "/company/sign-in",
        "query": {},
        "ip": "10.2.2.2",
    }
    processor = BaseStateEventProcessor(middleware=portal_app.app)
    async with processor.configure(state_manager=manager):
        future = await processor.enqueue(
            token, Event(name=handler, payload=payload or {}, router_data=router_data)
        )
        await future
    state_cls = SignInState if handler.startswith(SignInState.get_full_name()) else CompanySsoState
    root = await manager.get_state(BaseStateToken(ident=token, cls=state_cls))
    return await root.get_state(state_cls)


SAVE = f"{CompanySsoState.get_full_name()}.save"
CHECK = f"{CompanySsoState.get_full_name()}.check_domains"
OFFER = f"{SignInState.get_full_name()}.check_email"


def _form(session: Session, company_id: int, domains: str) -> dict:
    return {
        "issuer": "https://login.example.net",
        "client_id": "portal",
        "client_secret": "s3cret",
        "domains": domains,
        "role_claim": "groups",
        "default_role": str(role_id(session, company_id, "buyer")),
        "enabled": "on",
    }


def _manager_cookie(session: Session, actor) -> str:  # type: ignore[no-untyped-def]
    return signed_in_cookie(session, session.get(User, actor.user_id))  # type: ignore[arg-type]


def _rows(state) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    return {row["domain"]: row for row in state.domain_rows}


async def _offered(email: str) -> bool:
    return (await send("", OFFER, {"value": email})).sso_offer


async def test_another_customers_domain_is_not_taken_and_never_offered(
    session: Session, demo_erp, zone: _Zone, monkeypatch
) -> None:
    monkeypatch.setattr(oidc, "discover", lambda issuer, **_: fake_discover(issuer))
    mueller = make_company(session, "10001", "Müller Maschinenbau GmbH")
    acme = make_company(session, "10002", "Acme Industrial Supply Ltd")
    mueller_cookie = _manager_cookie(session, mueller)
    form = _form(
        session, mueller.company_id, "mueller-maschinenbau.example, acme-industrial.example"
    )
    state = await send(mueller_cookie, SAVE, {"form": form})
    assert state.errors == {}
    rows = _rows(state)
    assert rows["mueller-maschinenbau.example"]["state"] == "erp"
    assert rows["mueller-maschinenbau.example"]["label"] == (
        "Proven: listed for your company in our records"
    )
    assert rows["acme-industrial.example"]["state"] == "waiting"
    assert rows["acme-industrial.example"]["txt_name"] == "_customer-center.acme-industrial.example"
    assert await _offered("anna@mueller-maschinenbau.example")
    assert not await _offered("jane.doe@acme-industrial.example")  # never Müller's provider
    # Checking finds no proof: the ERP lists it for Acme, and Acme's DNS says nothing.
    state = await send(mueller_cookie, CHECK)
    assert _rows(state)["acme-industrial.example"]["state"] == "waiting"
    assert state.domain_notice.startswith("No proof found yet")
    assert not await _offered("jane.doe@acme-industrial.example")

    # Acme can still set up its own single sign-on with its domain (proven by the ERP).
    acme_form = _form(session, acme.company_id, "acme-industrial.example")
    state = await send(_manager_cookie(session, acme), SAVE, {"form": acme_form})
    assert state.errors == {} and _rows(state)["acme-industrial.example"]["state"] == "erp"
    session.expire_all()
    owner = session.get(SsoDomain, "acme-industrial.example")
    assert owner is not None and owner.company_id == acme.company_id
    state = await send(mueller_cookie, f"{CompanySsoState.get_full_name()}.load")
    assert _rows(state)["acme-industrial.example"]["state"] == "taken"
    # From now on, claiming it is refused next to the field.
    state = await send(mueller_cookie, SAVE, {"form": form})
    assert state.errors["domains"] == (
        '"acme-industrial.example" already belongs to another company. Contact us if it is yours.'
    )


async def test_a_domain_is_proven_by_its_txt_record_in_dns(
    session: Session, demo_erp, zone: _Zone, monkeypatch
) -> None:
    monkeypatch.setattr(oidc, "discover", lambda issuer, **_: fake_discover(issuer))
    mueller = make_company(session, "10001", "Müller Maschinenbau GmbH")
    cookie = _manager_cookie(session, mueller)
    form = _form(session, mueller.company_id, "mueller-maschinenbau.example, mueller-group.example")
    row = _rows(await send(cookie, SAVE, {"form": form}))["mueller-group.example"]
    assert row["state"] == "waiting" and not await _offered("x@mueller-group.example")
    # A record with another value (another company's, or a guess) proves nothing.
    zone.records[row["txt_name"]] = "customer-center-domain-proof=someone-elses"
    state = await send(cookie, CHECK)
    assert _rows(state)["mueller-group.example"]["state"] == "waiting"
    zone.records[row["txt_name"]] = row["txt_value"]
    state = await send(cookie, CHECK)
    assert _rows(state)["mueller-group.example"]["state"] == "dns"
    assert state.domain_notice == "Proven now: mueller-group.example."
    assert await _offered("x@mueller-group.example")


def test_the_resolver_reads_the_configured_server(zone: _Zone) -> None:
    zone.records["_customer-center.example.org"] = "customer-center-domain-proof=abc"
    settings = wiring.get_settings()
    assert dns_txt.txt_values(settings, "_customer-center.example.org") == frozenset(
        {"customer-center-domain-proof=abc"}
    )
    assert dns_txt.txt_values(settings, "_customer-center.nowhere.example") == frozenset()


def test_the_migration_keeps_erp_listed_domains_and_lets_the_others_wait(tmp_path) -> None:
    from alembic import command

    url = f"sqlite:///{tmp_path / 'upgrade.db'}"
    command.upgrade(alembic_config(url), "0006")
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in (
            "INSERT INTO company (id, customer_number, name, password_sign_in_enabled, currency,"
            " language, street, postal_code, city, country, activated_at) VALUES"
            " (1, '10001', 'Müller', 0, 'EUR', 'de', '', '', '', 'DE', '2026-01-01'),"
            " (2, '10009', 'Squatter', 0, 'EUR', 'de', '', '', '', 'DE', '2026-01-01')",
            "INSERT INTO user_account (company_id, email, name, language, is_main_contact,"
            " status, created_at) VALUES"
            " (1, 'anna@mueller.example', 'Anna', 'de', 1, 'active', '2026-01-01'),"
            " (2, 'sam@acme.example', 'Sam', 'de', 1, 'active', '2026-01-01')",
            "INSERT INTO erp_customer (customer_number, name, allowed, email_domains, currency,"
            " language, street, postal_code, city, country) VALUES"
            " ('10001', 'Müller', 1, 'mueller.example', 'EUR', 'de', '', '', '', 'DE')",
            "INSERT INTO sso_domain (domain, company_id) VALUES ('mueller.example', 1),"
            " ('other.example', 1), ('acme.example', 2)",
        ):
            connection.execute(text(statement))
    command.upgrade(alembic_config(url), "head")
    with engine.connect() as connection:
        proven = connection.execute(text("SELECT domain, company_id, proof FROM sso_domain"))
        assert proven.all() == [("mueller.example", 1, "erp")]
        waiting = connection.execute(
            text("SELECT domain, company_id FROM sso_domain_claim ORDER BY domain")
        )
        assert waiting.all() == [("acme.example", 2), ("other.example", 1)]
        # Müller's main contact keeps a proven domain; the other company would be locked
        # out with passwords off and no proven domain, so it gets password sign-in back.
        switches = connection.execute(
            text("SELECT id, password_sign_in_enabled FROM company ORDER BY id")
        )
        assert [(i, bool(on)) for i, on in switches] == [(1, False), (2, True)]
