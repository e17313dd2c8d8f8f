"""Portal users reach the ERP as contacts: created, renamed, new address, deactivated; the
portal wins a conflict and the audit log says what it overwrote."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from customer_center.domain.principals import ScimClient
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.tables import ErpContactRow, ErpCustomerRow
from customer_center.models.audit import AuditEntry
from customer_center.models.outbox import OutboxMessage
from customer_center.models.user import User
from customer_center.outbox.relay import OutboxRelay
from customer_center.services.identity import provisioning
from customer_center.services.people import erp_contact_sync, users
from customer_center.services.people.erp_contact_sync import (
    CONTACT_OVERWRITTEN,
    ERP_CONTACT_CHANGED,
    contact_change_handler,
)
from customer_center.settings import get_settings
from tests.factories import make_company, make_user

NUMBER = "10001"


@pytest.fixture
def sync_on(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = dataclasses.replace(get_settings(), erp_contact_sync=True)
    monkeypatch.setattr(erp_contact_sync, "get_settings", lambda: settings)


@pytest.fixture
def erp_customer(db: Engine) -> None:
    with Session(db) as session:
        session.add(
            ErpCustomerRow(
                customer_number=NUMBER,
                name="Müller",
                allowed=True,
                email_domains="",
                currency="EUR",
                language="de",
                street="",
                postal_code="",
                city="",
                country="DE",
            )
        )
        session.commit()


def _changes(session: Session) -> list[dict]:
    query = select(OutboxMessage).where(OutboxMessage.kind == ERP_CONTACT_CHANGED)
    return [m.payload for m in session.exec(query.order_by(OutboxMessage.id))]


def _deliver(db: Engine) -> int:
    relay = OutboxRelay(
        db, {ERP_CONTACT_CHANGED: contact_change_handler(EmbeddedErpClient(db), db)}
    )
    return relay.run_once()


def test_nothing_is_sent_while_the_sync_is_off(session: Session) -> None:
    main = make_company(session, NUMBER)
    make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben")
    session.commit()
    assert _changes(session) == []


def test_a_user_created_renamed_readdressed_and_deactivated(session: Session, sync_on) -> None:
    main = make_company(session, NUMBER)
    ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben")
    session.commit()
    users.update_profile(session, main, user_id=ben.id, name="Ben Bauer", language="de")
    session.commit()
    ben.email = "ben.bauer@mueller.example"  # as the verified e-mail change sets it
    session.add(ben)
    session.commit()
    users.deactivate_user(session, main, user_id=ben.id)
    session.commit()
    mine = [c for c in _changes(session) if c["user_id"] == ben.id]
    assert [(c["change"], c["name"], c["email"]) for c in mine] == [
        ("created", "Ben", "ben@mueller.example"),
        ("updated", "Ben Bauer", "ben@mueller.example"),
        ("updated", "Ben Bauer", "ben.bauer@mueller.example"),
        ("deactivated", "Ben Bauer", "ben.bauer@mueller.example"),
    ]
    assert mine[1]["previous_name"] == "Ben" and mine[1]["previous_email"] == ""
    assert mine[2]["previous_email"] == "ben@mueller.example"


def test_a_change_that_rolls_back_sends_nothing(session: Session, sync_on) -> None:
    main = make_company(session, NUMBER)
    session.commit()
    before = len(_changes(session))
    make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben")
    session.rollback()
    assert len(_changes(session)) == before


def test_scim_provisioning_is_sent_too(session: Session, sync_on) -> None:
    main = make_company(session, NUMBER)
    session.commit()
    scim = ScimClient(token_id=1, company_id=main.company_id, label="Okta")
    fields = provisioning.UserFields("eva@mueller.example", "Eva", "en", "ext-1", True)
    user_id = provisioning.create_user(session, scim, fields=fields)
    session.commit()
    provisioning.deactivate(session, scim, user_id=user_id)
    session.commit()
    mine = [c["change"] for c in _changes(session) if c["user_id"] == user_id]
    assert mine == ["created", "deactivated"]


def test_the_erp_gets_the_contact_and_an_overwrite_is_audited(
    db: Engine, session: Session, sync_on, erp_customer
) -> None:
    main = make_company(session, NUMBER)
    session.add(
        ErpContactRow(
            contact_id="K-7",
            customer_number=NUMBER,
            name="B. Bauer (Einkauf)",
            email="ben@mueller.example",
            role="Einkauf",
        )
    )
    ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben Bauer")
    eva = make_user(session, main.company_id, "eva@mueller.example", ["buyer"], name="Eva")
    session.commit()
    assert _deliver(db) == len(_changes(session))
    with Session(db) as check:
        contacts = {c.email: c for c in check.exec(select(ErpContactRow))}
        assert contacts["ben@mueller.example"].contact_id == "K-7"
        assert contacts["ben@mueller.example"].name == "Ben Bauer"  # the portal wins
        assert contacts["eva@mueller.example"].contact_id == f"P-{eva.id}"
        [entry] = check.exec(select(AuditEntry).where(AuditEntry.action == CONTACT_OVERWRITTEN))
    assert entry.company_id == main.company_id and entry.target_id == str(ben.id)
    assert entry.before == {"erp_contact_id": "K-7", "name": "B. Bauer (Einkauf)"}
    assert entry.after == {"name": "Ben Bauer"}
    assert entry.actor_kind == "system"
    users.deactivate_user(session, main, user_id=eva.id)
    session.commit()
    _deliver(db)
    with Session(db) as check:
        emails = {c.email for c in check.exec(select(ErpContactRow))}
    assert "eva@mueller.example" not in emails and "ben@mueller.example" in emails
    assert session.get(User, ben.id) is not None
