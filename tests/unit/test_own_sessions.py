"""My account: my sessions (list, end one, end all others) and changing my password."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from customer_center.auth.principals import load_principal, resolve_principal
from customer_center.auth.sessions import SESSION_COOKIE, open_session
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.models.audit import AuditEntry
from customer_center.models.auth import AuthSession
from customer_center.models.outbox import OutboxMessage
from customer_center.models.user import User
from customer_center.services.identity import own_sessions
from customer_center.settings import get_settings
from tests.factories import PASSWORD, make_company, make_user

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
NEW_PASSWORD = "Lantern-orbit-quietly-77"


@pytest.fixture
def ben(session):
    main = make_company(session)
    user = make_user(session, main.company_id, "ben@acme.example", ["buyer"], name="Ben Buyer")
    session.commit()
    return user


def _signed_in(session, user: User, agent: str = FIREFOX, ip: str = "10.0.0.1"):
    raw = open_session(session, user, days=1, ip_address=ip, user_agent=agent)
    session.commit()
    principal = load_principal(f"{SESSION_COOKIE}={raw}")  # as an event is identified
    assert principal is not None
    return raw, principal


def test_my_sessions_lists_mine_this_one_first_with_browser_and_device(session, ben):
    _phone_raw, _phone = _signed_in(session, ben, IPHONE, "10.0.0.2")
    _raw, here = _signed_in(session, ben)
    other = make_user(session, ben.company_id, "eva@acme.example", ["buyer"])
    _signed_in(session, other)

    found = own_sessions.my_sessions(session, here)

    assert [s.current for s in found] == [True, False]
    assert (found[0].device.browser, found[0].device.system) == ("Firefox", "Windows")
    assert (found[1].device.browser, found[1].device.kind) == ("Safari", "phone")
    assert found[1].ip_address == "10.0.0.2"
    assert found[0].last_used_at is not None  # resolving the cookie noted the use


def test_ending_another_session_signs_that_browser_out_only(session, ben):
    phone_raw, phone = _signed_in(session, ben, IPHONE)
    here_raw, here = _signed_in(session, ben)

    own_sessions.end_session(session, here, session_id=str(phone.session_id))
    session.commit()

    assert resolve_principal(session, phone_raw) is None
    assert resolve_principal(session, here_raw) is not None
    actions = session.exec(select(AuditEntry.action)).all()
    assert "user.session_ended" in actions


def test_a_session_of_someone_else_or_this_one_cannot_be_ended_here(session, ben):
    _raw, here = _signed_in(session, ben)
    other = make_user(session, ben.company_id, "eva@acme.example", ["buyer"])
    other_raw, other_principal = _signed_in(session, other)

    with pytest.raises(ServiceError) as refused:
        own_sessions.end_session(session, here, session_id=str(other_principal.session_id))
    assert refused.value.code == "myaccount.sessions.gone"
    with pytest.raises(ServiceError) as current:
        own_sessions.end_session(session, here, session_id=str(here.session_id))
    assert current.value.code == "myaccount.sessions.is_current"
    with pytest.raises(ServiceError):
        own_sessions.end_session(session, here, session_id="1 OR 1=1")
    assert resolve_principal(session, other_raw) is not None


def test_signing_out_everywhere_else_keeps_this_session(session, ben):
    first_raw, _first = _signed_in(session, ben, IPHONE)
    second_raw, _second = _signed_in(session, ben)
    here_raw, here = _signed_in(session, ben)

    assert own_sessions.end_other_sessions(session, here) == 2
    session.commit()

    assert resolve_principal(session, first_raw) is None
    assert resolve_principal(session, second_raw) is None
    assert resolve_principal(session, here_raw) is not None


def _change(session, principal, current=PASSWORD, new=NEW_PASSWORD, repeat=None):
    return own_sessions.change_password(
        session,
        principal,
        settings=get_settings(),
        current=current,
        password=new,
        password_repeat=new if repeat is None else repeat,
    )


def test_changing_the_password_ends_other_sessions_and_tells_the_user(session, ben):
    phone_raw, _phone = _signed_in(session, ben, IPHONE)
    here_raw, here = _signed_in(session, ben)
    old_hash = ben.password_hash

    assert _change(session, here) == 1
    session.commit()

    session.refresh(ben)
    assert ben.password_hash != old_hash
    assert resolve_principal(session, phone_raw) is None
    assert resolve_principal(session, here_raw) is not None
    mails = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    notice = [m.payload for m in mails if m.payload.get("to") == "ben@acme.example"]
    assert [m["subject"] for m in notice] == ["Your Customer Center password was changed"]
    assert "Hello Ben Buyer" in notice[0]["text"]
    assert session.exec(
        select(AuditEntry).where(AuditEntry.action == "user.password_changed")
    ).first()


def test_a_wrong_current_password_changes_nothing(session, ben):
    phone_raw, _phone = _signed_in(session, ben, IPHONE)
    _raw, here = _signed_in(session, ben)
    old_hash = ben.password_hash

    with pytest.raises(ValidationFailed) as refused:
        _change(session, here, current="not-my-password")
    session.rollback()

    assert refused.value.errors["current"][0] == "myaccount.password.wrong_current"
    session.refresh(ben)
    assert ben.password_hash == old_hash
    assert resolve_principal(session, phone_raw) is not None


def test_the_new_password_follows_the_policy(session, ben):
    _raw, here = _signed_in(session, ben)
    with pytest.raises(ValidationFailed) as weak:
        _change(session, here, new="short")
    assert "password" in weak.value.errors
    with pytest.raises(ValidationFailed) as mismatch:
        _change(session, here, repeat="Something-else-entirely-9")
    assert "password_repeat" in mismatch.value.errors


def test_guessing_the_current_password_is_limited(session, ben):
    _raw, here = _signed_in(session, ben)
    for _ in range(own_sessions.CHANGE_LIMIT.max_failures):
        own_sessions.record_change_failure(session, here)
    session.commit()
    with pytest.raises(ServiceError) as locked:
        _change(session, here)
    assert locked.value.code == "sign_in.locked"


def test_last_use_is_written_at_most_once_a_minute(session, ben):
    raw, here = _signed_in(session, ben)
    row = session.get(AuthSession, here.session_id)
    first = row.last_used_at
    assert first is not None
    assert load_principal(f"{SESSION_COOKIE}={raw}") is not None
    session.refresh(row)
    assert row.last_used_at == first
    row.last_used_at = first - timedelta(minutes=2)  # a use noted two minutes ago
    session.add(row)
    session.commit()
    assert load_principal(f"{SESSION_COOKIE}={raw}") is not None
    session.refresh(row)
    assert row.last_used_at > first - timedelta(minutes=1)
