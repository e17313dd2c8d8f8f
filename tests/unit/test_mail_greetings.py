"""E-mails greet their reader by name, never by address; the activation mail by the name
the ERP holds for the contact."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.mail.templates import render
from customer_center.models.outbox import OutboxMessage
from customer_center.services.identity import activation
from customer_center.services.identity.activation import ActivationRequest
from customer_center.settings import get_settings


@pytest.fixture
def erp(db):  # type: ignore[no-untyped-def]
    import_erp_directory(db, demo_data_dir())
    return EmbeddedErpClient(db)


def _activation_mail(session: Session, erp, email: str, lang: str) -> str:  # type: ignore[no-untyped-def]
    request = ActivationRequest("10001", "2026-10001-001", email, "10.0.0.1", lang)
    activation.request_activation(session, erp, get_settings(), request)
    session.commit()
    mail = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "email")).one()
    return mail.payload["text"]


def test_the_activation_mail_greets_the_erp_contact_by_name(session, erp) -> None:  # type: ignore[no-untyped-def]
    text = _activation_mail(session, erp, "anna.mueller@mueller-maschinenbau.example", "en")
    assert text.startswith("Hello Anna Müller,")


def test_an_address_admitted_by_its_domain_gets_a_greeting_without_the_address(
    session, erp
) -> None:  # type: ignore[no-untyped-def]
    text = _activation_mail(session, erp, "new.person@mueller-maschinenbau.example", "de")
    assert text.startswith("Guten Tag,")
    assert "new.person@" not in text.splitlines()[0]


@pytest.mark.parametrize(
    ("name", "greeting"),
    [("Ben Buyer", "Hello Ben Buyer,"), ("ben@acme.example", "Hello,"), ("", "Hello,")],
)
def test_the_greeting_never_shows_an_address(name: str, greeting: str) -> None:
    mail = render("en", "order_approved", link="https://x.example", name=name, by="Anna",
                  number="PO-000001", total_cents=100, currency="EUR")  # fmt: skip
    assert mail.text.splitlines()[0] == greeting
