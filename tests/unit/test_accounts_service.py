"""Sign-in, lockout, tickets, sessions and password reset."""

from __future__ import annotations

import pytest
from sqlmodel import select

from customer_center.auth.browser_key import binding_of, new_browser_key
from customer_center.auth.passwords import hash_password
from customer_center.auth.principals import resolve_principal
from customer_center.domain.errors import ServiceError
from customer_center.domain.people import UserStatus
from customer_center.models.audit import AuditEntry
from customer_center.models.company import Company
from customer_center.models.outbox import OutboxMessage
from customer_center.models.user import User
from customer_center.services.identity import accounts
from customer_center.settings import get_settings

EMAIL = "ben@example.test"
PASSWORD = "Kettle-moon-arrives-late"
BROWSER_KEY = new_browser_key()  # the key of the browser that signs in


@pytest.fixture
def user(session) -> User:
    company = Company(customer_number="1", name="Test GmbH")
    session.add(company)
    session.flush()
    user = User(
        company_id=company.id, email=EMAIL, name="Ben", password_hash=hash_password(PASSWORD)
    )
    session.add(user)
    session.commit()
    return user


def _attempt(password=PASSWORD, email=EMAIL):
    return accounts.SignInAttempt(
        email=email, password=password, ip_address="10.0.0.1", browser=binding_of(BROWSER_KEY)
    )


def _fail(session, attempt) -> str:
    with pytest.raises(ServiceError) as refused:
        accounts.sign_in(session, attempt)
    if refused.value.code == "sign_in.invalid":
        accounts.record_sign_in_failure(session, attempt)
        session.commit()
    return refused.value.code


def test_unknown_email_and_wrong_password_get_the_same_answer(session, user) -> None:
    assert _fail(session, _attempt(password="wrong-password!")) == "sign_in.invalid"
    assert _fail(session, _attempt(email="nobody@example.test")) == "sign_in.invalid"


def test_deactivated_user_cannot_sign_in(session, user) -> None:
    user.status = UserStatus.INACTIVE
    session.add(user)
    session.commit()
    assert _fail(session, _attempt()) == "sign_in.invalid"


def test_lockout_grows_and_refuses_even_the_right_password(session, user) -> None:
    for _ in range(5):
        assert _fail(session, _attempt(password="wrong-password!")) == "sign_in.invalid"
    assert _fail(session, _attempt()) == "sign_in.locked"


def test_ticket_opens_one_session_that_sign_out_revokes(session, user) -> None:
    ticket = accounts.sign_in(session, _attempt())
    cookie = accounts.redeem_sign_in_ticket(
        session, ticket, browser_key=BROWSER_KEY, days=14, ip_address="", user_agent=""
    )
    session.commit()
    actor = resolve_principal(session, cookie)
    assert actor is not None and actor.user_id == user.id
    with pytest.raises(ServiceError):
        accounts.redeem_sign_in_ticket(
            session, ticket, browser_key=BROWSER_KEY, days=14, ip_address="", user_agent=""
        )
    accounts.sign_out(session, cookie)
    session.commit()
    assert resolve_principal(session, cookie) is None


def test_deactivation_ends_sessions_at_once(session, user) -> None:
    ticket = accounts.sign_in(session, _attempt())
    cookie = accounts.redeem_sign_in_ticket(
        session, ticket, browser_key=BROWSER_KEY, days=14, ip_address="", user_agent=""
    )
    user.status = UserStatus.INACTIVE
    session.add(user)
    session.commit()
    assert resolve_principal(session, cookie) is None


def test_password_reset_works_once_and_ends_other_sessions(session, user) -> None:
    old_cookie = accounts.redeem_sign_in_ticket(
        session,
        accounts.sign_in(session, _attempt()),
        browser_key=BROWSER_KEY,
        days=14,
        ip_address="",
        user_agent="",
    )
    accounts.request_password_reset(
        session, get_settings(), email=EMAIL.upper(), ip_address="10.0.0.1", language="en"
    )
    session.commit()
    mail = session.exec(select(OutboxMessage)).one()
    token = mail.payload["text"].split("token=", 1)[1].split()[0]
    new = "Another-long-passphrase-42"
    accounts.reset_password(
        session, raw_token=token, password=new, password_repeat=new, ip_address=""
    )
    session.commit()
    assert resolve_principal(session, old_cookie) is None
    accounts.sign_in(session, _attempt(password=new))
    with pytest.raises(ServiceError) as used:
        accounts.reset_password(
            session, raw_token=token, password=new, password_repeat=new, ip_address=""
        )
    assert used.value.code == "link.used"
    actors = {a.action: a.actor_user_id for a in session.exec(select(AuditEntry)).all()}
    assert actors["user.password_reset_requested"] is None
    assert actors["user.password_reset"] == actors["user.signed_in"] == user.id


def test_reset_for_unknown_address_sends_nothing(session, user) -> None:
    accounts.request_password_reset(
        session, get_settings(), email="nobody@example.test", ip_address="1.1.1.1", language="en"
    )
    session.commit()
    assert session.exec(select(OutboxMessage)).first() is None
