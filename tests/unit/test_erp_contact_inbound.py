"""ERP -> portal contact changes: the portal wins for its users and audits the conflict."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from customer_center.http import erp_contacts
from customer_center.integrations.erp.protocol import ErpContact
from customer_center.models.audit import AuditEntry
from customer_center.models.company import Company
from customer_center.models.outbox import OutboxMessage
from customer_center.models.user import User
from customer_center.services.people.erp_contact_inbound import (
    CONTACT_CONFLICT,
    IN_SYNC,
    NOT_A_USER,
    PORTAL_WINS,
    reconcile_company,
)
from customer_center.services.people.erp_contact_sync import ERP_CONTACT_CHANGED
from customer_center.settings import get_settings
from tests.factories import make_company, make_user

TOKEN = "erp-contact-test-token-" + "y" * 20  # noqa: S105


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> TestClient:
    settings = dataclasses.replace(get_settings(), erp_status_token=TOKEN, erp_contact_sync=True)
    monkeypatch.setattr(erp_contacts, "get_settings", lambda: settings)
    return TestClient(Starlette(routes=erp_contacts.routes))


def _post(client: TestClient, body: object, token: str = TOKEN):  # type: ignore[no-untyped-def]
    return client.post(
        "/erp/contact-changes", json=body, headers={"Authorization": f"Bearer {token}"}
    )


def test_a_portal_user_keeps_their_data_and_the_conflict_is_audited(
    session: Session, client: TestClient
) -> None:
    main = make_company(session, "10001", "Müller")
    ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben Bauer")
    session.commit()
    contacts = [
        {
            "customer_number": "10001",
            "contact_id": "K-7",
            "name": "B. Bauer",
            "email": "BEN@mueller.example",
        },
        {
            "customer_number": "10001",
            "contact_id": "K-8",
            "name": "Ben Bauer",
            "email": "ben@mueller.example",
        },
        {
            "customer_number": "10001",
            "contact_id": "K-9",
            "name": "Nobody",
            "email": "nobody@mueller.example",
        },
        {"customer_number": "99999", "contact_id": "K-1", "name": "X", "email": "x@x.example"},
        {"customer_number": "10001", "contact_id": "", "name": "X", "email": "x@x.example"},
    ]
    answer = _post(client, {"contacts": contacts})
    assert answer.status_code == 422
    assert [r["result"] for r in answer.json()["results"]] == [
        "portal_wins",
        "in_sync",
        "not_a_user",
        "unknown_customer",
        "rejected",
    ]
    session.expire_all()
    assert session.get(User, ben.id).name == "Ben Bauer"  # type: ignore[union-attr]
    [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == CONTACT_CONFLICT))
    assert entry.company_id == main.company_id and entry.target_id == str(ben.id)
    assert entry.before == {"erp_contact_id": "K-7", "name": "B. Bauer"}
    assert entry.after == {"name": "Ben Bauer"}
    [resent] = session.exec(select(OutboxMessage).where(OutboxMessage.kind == ERP_CONTACT_CHANGED))
    assert (resent.payload["name"], resent.payload["previous_name"]) == ("Ben Bauer", "B. Bauer")


def test_the_endpoint_needs_the_token(session: Session, client: TestClient) -> None:
    body = {"customer_number": "1", "contact_id": "K", "name": "N", "email": "e@x.example"}
    assert _post(client, body, token="wrong").status_code == 401
    assert _post(client, body).status_code == 200
    assert _post(client, {"contacts": []}).status_code == 400


def test_a_csv_import_compares_the_erps_contacts_with_the_users(session: Session) -> None:
    main = make_company(session, "10001", "Müller")
    ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben Bauer")
    session.commit()
    company = session.get(Company, main.company_id)
    assert company is not None
    contacts = [
        ErpContact("K-7", "10001", "Ben Bauer", "BEN@mueller.example", "Einkauf"),
        ErpContact("K-8", "10001", "Nina Neu", "nina@mueller.example", "Lager"),
    ]
    outcomes = reconcile_company(
        session, settings=get_settings(), company=company, contacts=contacts
    )
    assert outcomes == [IN_SYNC, NOT_A_USER]
    renamed = [dataclasses.replace(contacts[0], name="Benjamin Bauer")]
    outcomes = reconcile_company(
        session, settings=get_settings(), company=company, contacts=renamed
    )
    assert outcomes == [PORTAL_WINS]
    session.commit()
    [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == CONTACT_CONFLICT))
    assert entry.target_id == str(ben.id) and entry.before["name"] == "Benjamin Bauer"  # type: ignore[index]
    # The sync is off by default with the embedded ERP: nothing is sent back.
    assert session.exec(select(OutboxMessage)).all() == []
