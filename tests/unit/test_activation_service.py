"""Activation rules against the embedded ERP with the demo data."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from customer_center.auth.principals import rights_of
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.models.audit import AuditEntry
from customer_center.models.company import Company
from customer_center.models.outbox import OutboxMessage
from customer_center.models.user import User
from customer_center.services.identity import activation
from customer_center.services.identity.activation import ActivationRequest
from customer_center.settings import get_settings

ANNA = "anna.mueller@mueller-maschinenbau.example"
PASSWORD = "Kettle-moon-arrives-late"


@pytest.fixture
def erp(db):
    import_erp_directory(db, demo_data_dir())
    return EmbeddedErpClient(db)


def _request(customer="10001", invoice="2026-10001-001", email=ANNA, ip="10.0.0.1"):
    return ActivationRequest(customer, invoice, email, ip, "de")


def _activation_link_token(session: Session) -> str:
    mail = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "email")).one()
    return mail.payload["text"].split("token=", 1)[1].split()[0]


def _request_ok(session, erp, request=None) -> str:
    activation.request_activation(session, erp, get_settings(), request or _request())
    session.commit()
    return _activation_link_token(session)


def test_matching_details_queue_a_link_in_the_requesters_language(session, erp) -> None:
    _request_ok(session, erp)
    mail = session.exec(select(OutboxMessage)).one()
    assert mail.payload["to"] == ANNA
    assert "Freischaltung" in mail.payload["subject"]
    assert session.exec(select(Company)).first() is None


def test_domain_policy_accepts_an_unlisted_colleague(session, erp) -> None:
    token = _request_ok(session, erp, _request(email="New.Person@mueller-maschinenbau.example"))
    pending = activation.pending_activation(session, erp, token)
    assert (pending.email, pending.suggested_name) == (
        "new.person@mueller-maschinenbau.example",
        "",
    )


def test_a_known_contact_gets_their_erp_name_suggested(session, erp) -> None:
    token = _request_ok(session, erp, _request(email=ANNA.upper()))
    assert activation.pending_activation(session, erp, token).suggested_name == "Anna Müller"


@pytest.mark.parametrize(
    "request_",
    [
        _request(invoice="2026-10002-001"),
        _request(customer="10003", invoice="2026-10003-001", email="max.meier@northwind.example"),
        _request(email="anna@other.example"),
        _request(customer="nope"),
        _request(invoice="unknown"),
    ],
)
def test_mismatches_share_one_message(session, erp, request_) -> None:
    with pytest.raises(ServiceError) as refused:
        activation.request_activation(session, erp, get_settings(), request_)
    assert refused.value.code == "activation.mismatch"


def test_empty_and_malformed_fields_are_named(session, erp) -> None:
    with pytest.raises(ValidationFailed) as refused:
        activation.request_activation(session, erp, get_settings(), _request("", "", "not-mail"))
    assert set(refused.value.errors) == {"customer_number", "invoice_number", "email"}


def test_lockout_after_five_failures_per_customer_and_address(session, erp) -> None:
    for _ in range(5):
        activation.record_failure(session, _request(ip="10.0.0.1"))
    session.commit()
    with pytest.raises(ServiceError) as refused:
        activation.request_activation(session, erp, get_settings(), _request(ip="10.0.0.1"))
    assert refused.value.code == "activation.rate_limited"


def test_failures_from_many_addresses_slow_the_customer_down_but_never_lock_it(
    session, erp
) -> None:
    for attempt in range(9):
        activation.record_failure(session, _request(ip=f"10.0.0.{attempt}"))
    session.commit()
    assert activation.slowdown_seconds(session, _request(ip="10.9.9.9")) == 0
    for attempt in range(30):
        activation.record_failure(session, _request(ip=f"10.0.1.{attempt}"))
    session.commit()
    assert activation.slowdown_seconds(session, _request(ip="10.9.9.9")) > 0
    assert activation.slowdown_seconds(session, _request(customer="10002")) == 0
    _request_ok(session, erp, _request(ip="10.9.9.9"))


def test_completion_creates_company_main_contact_roles_audit_and_erp_message(session, erp) -> None:
    token = _request_ok(session, erp)
    user = activation.complete_activation(
        session,
        erp,
        raw_token=token,
        name="Anna Müller",
        password=PASSWORD,
        password_repeat=PASSWORD,
    )
    session.commit()
    company = session.exec(select(Company)).one()
    assert (company.name, company.city) == ("Müller Maschinenbau GmbH", "Stuttgart")
    assert user.is_main_contact and user.password_hash and PASSWORD not in user.password_hash
    assert "users.manage" in rights_of(session, user.id, company.id)
    kinds = {m.kind for m in session.exec(select(OutboxMessage)).all()}
    assert "erp.company_activated" in kinds
    actions = {a.action for a in session.exec(select(AuditEntry)).all()}
    assert {"company.activated", "user.created"} <= actions


def test_weak_password_saves_nothing_and_keeps_the_link(session, erp) -> None:
    token = _request_ok(session, erp)
    with pytest.raises(ValidationFailed) as refused:
        activation.complete_activation(
            session,
            erp,
            raw_token=token,
            name="Anna",
            password="short",
            password_repeat="short",
        )
    assert refused.value.errors["password"][0] == "password.too_short"
    session.rollback()
    assert session.exec(select(User)).first() is None
    activation.pending_activation(session, erp, token)  # still usable


def test_a_link_works_once_and_the_company_only_once(session, erp) -> None:
    token = _request_ok(session, erp)
    kwargs = dict(name="Anna", password=PASSWORD, password_repeat=PASSWORD)
    activation.complete_activation(session, erp, raw_token=token, **kwargs)
    session.commit()
    with pytest.raises(ServiceError) as used:
        activation.complete_activation(session, erp, raw_token=token, **kwargs)
    assert used.value.code == "link.used"
    with pytest.raises(ServiceError) as active:
        activation.request_activation(session, erp, get_settings(), _request())
    assert active.value.code == "activation.already_active"
