"""Punchout connections and visibility: who may set them up, what is kept of the secret, who
sees which company's sessions; a punchout's cart cannot be checked out in the portal."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from customer_center.auth.principals import resolve_principal
from customer_center.auth.tokens import token_hash
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.principals import PunchoutClient
from customer_center.domain.staff import StaffPermission
from customer_center.models.audit import AuditEntry
from customer_center.models.punchout import PunchoutConnection
from customer_center.services.punchout import arrival, connections, start, visibility
from customer_center.services.punchout.arrival import Arrival, PunchoutRefused
from customer_center.services.shop import checkout
from customer_center.services.shop.checkout import CheckoutRequest
from customer_center.settings import get_settings
from tests.factories import actor_for, make_company, make_user
from tests.order_factories import FakeErp
from tests.punchout_buyer import BUYER_ORIGIN, RETURN_URL, connect
from tests.staff_factories import agent_for, make_staff

FORM = connections.ConnectionForm(
    name="Ariba",
    protocol="cxml",
    identity_domain="NetworkID",
    identity="AN01",
    default_role="buyer",
    role_field="CostCenter",
    role_mapping="4711 = approver",
    user_field="",
    origins="https://s1.ariba.com",
)


@pytest.fixture
def world(session: Session):  # type: ignore[no-untyped-def]
    main = make_company(session, "C-1", "Acme GmbH")
    other = make_company(session, "C-2", "Other AG")
    agent = agent_for(session, make_staff(session, "sam@seller.example"))
    return main, other, agent


def test_the_secret_is_shown_once_and_kept_hashed(session, world) -> None:
    main, _other, agent = world
    connection_id, secret = connections.create_connection(
        session, agent, company_id=main.company_id, form=FORM
    )
    row = session.get(PunchoutConnection, connection_id)
    assert row.secret_hash == token_hash(secret) and secret not in row.secret_hash
    assert row.role_mapping == {"4711": "approver"} and row.user_field == "USER_EMAIL"
    audited = session.exec(select(AuditEntry.action)).all()
    assert "punchout.connection_created" in audited


def test_only_staff_with_settings_create_connections(session, world) -> None:
    main, _other, _agent = world
    viewer = agent_for(session, make_staff(session, "vic@seller.example", [StaffPermission.VIEW]))
    with pytest.raises(ServiceError):
        connections.create_connection(session, viewer, company_id=main.company_id, form=FORM)
    assert session.exec(select(PunchoutConnection)).all() == []


def test_bad_fields_are_named(session, world) -> None:
    main, _other, agent = world
    form = connections.ConnectionForm(
        name="",
        protocol="edi",
        identity_domain="",
        identity="has space",
        default_role="main_contact",
        role_field="",
        role_mapping="4711 = nobody",
        user_field="",
        origins="https://s1.ariba.com/path",
    )
    with pytest.raises(ValidationFailed) as failed:
        connections.create_connection(session, agent, company_id=main.company_id, form=form)
    assert set(failed.value.errors) == {
        "name",
        "protocol",
        "identity",
        "default_role",
        "role_mapping",
        "origins",
    }


def test_the_same_sender_cannot_be_registered_twice(session, world) -> None:
    main, other, agent = world
    connections.create_connection(session, agent, company_id=main.company_id, form=FORM)
    with pytest.raises(ValidationFailed) as failed:
        connections.create_connection(session, agent, company_id=other.company_id, form=FORM)
    assert set(failed.value.errors) == {"identity"}


def _arrive(session: Session, client: PunchoutClient, email: str) -> None:
    arrival.welcome(
        session,
        client,
        settings=get_settings(),
        arrival=Arrival(
            operation="create",
            buyer_cookie="c",
            return_url=RETURN_URL,
            email=email,
            name="",
            fields={},
            raw="<cXML/>",
        ),
    )


def test_the_main_contact_sees_the_own_company_only(session, world) -> None:
    main, other, agent = world
    buyer = connect(session, agent, main.company_id)
    client = arrival.authenticate(
        session, protocol="cxml", domain="NetworkID", identity=buyer.identity, secret=buyer.secret
    )
    _arrive(session, client, "paula@acme.example")
    session.commit()
    own = visibility.own_punchouts(session, main)
    assert [s.user_email for s in own.sessions] == ["paula@acme.example"]
    assert visibility.own_punchouts(session, other).sessions == []
    assert [c.identity for c in connections.own_connections(session, main)] == [buyer.identity]
    assert connections.own_connections(session, other) == []
    seen = visibility.company_punchouts(session, agent, company_id=main.company_id)
    assert seen.total == 1
    assert visibility.VIEWED_PUNCHOUT in session.exec(select(AuditEntry.action)).all()


def test_a_user_without_company_manage_sees_nothing(session, world) -> None:
    main, _other, _agent = world
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"])
    session.commit()
    with pytest.raises(ServiceError):
        visibility.own_punchouts(session, actor_for(session, ben))


def test_a_disabled_connection_is_refused(session, world) -> None:
    main, _other, agent = world
    buyer = connect(session, agent, main.company_id)
    row = session.exec(select(PunchoutConnection)).one()
    row.enabled = False
    session.commit()
    with pytest.raises(PunchoutRefused) as refused:
        arrival.authenticate(
            session,
            protocol="cxml",
            domain="NetworkID",
            identity=buyer.identity,
            secret=buyer.secret,
        )
    assert refused.value.status == 403


def test_the_portals_checkout_is_refused_inside_a_punchout(session, world) -> None:
    main, _other, agent = world
    buyer = connect(session, agent, main.company_id, origins=BUYER_ORIGIN)
    client = arrival.authenticate(
        session, protocol="cxml", domain="NetworkID", identity=buyer.identity, secret=buyer.secret
    )
    welcome = arrival.welcome(
        session,
        client,
        settings=get_settings(),
        arrival=Arrival(
            "create", "c", RETURN_URL, "paula@acme.example", "", {"CostCenter": "4711"}, ""
        ),
    )
    session.commit()
    token = welcome.start_url.rpartition("token=")[2]
    started = start.start(session, token=token, erp=FakeErp())
    session.commit()
    principal = resolve_principal(session, started.cookie)
    assert start.punchout_mode(session, principal) is not None
    request = CheckoutRequest("new", {}, "company", "invoice", "standard")
    with pytest.raises(ServiceError) as refused:
        checkout.place_order(
            session, principal, settings=get_settings(), erp=FakeErp(), request=request
        )
    assert refused.value.code == "punchout.error.checkout"


def test_the_console_lists_every_companys_punchouts_for_viewers_only(session, world) -> None:
    main, other, agent = world
    for company, identity, email in (
        (main, "AN-A", "paula@acme.example"),
        (other, "AN-B", "otto@other.example"),
    ):
        buyer = connect(session, agent, company.company_id, identity=identity)
        client = arrival.authenticate(
            session, protocol="cxml", domain="NetworkID", identity=identity, secret=buyer.secret
        )
        _arrive(session, client, email)
    session.commit()
    listing = visibility.every_punchout(session, agent)
    assert [(s.company, s.user_email) for s in listing.sessions] == [
        ("Other AG", "otto@other.example"),
        ("Acme GmbH", "paula@acme.example"),
    ]
    settings_only = agent_for(
        session, make_staff(session, "sue@seller.example", [StaffPermission.SETTINGS])
    )
    with pytest.raises(ServiceError):
        visibility.every_punchout(session, settings_only)
