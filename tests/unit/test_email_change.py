"""Changing a sign-in address: verified by a link to the new address, old one kept until then."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.people import UserStatus
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.models.audit import AuditEntry
from customer_center.models.auth import OneTimeToken
from customer_center.models.base import utcnow
from customer_center.models.outbox import OutboxMessage
from customer_center.models.user import Role, RolePermission, User, UserRole
from customer_center.services.identity.accounts import SignInAttempt, check_sign_in
from customer_center.services.identity.email_change import (
    EMAIL_CHANGE,
    confirm_email_change,
    pending_email_of,
    request_email_change,
)
from customer_center.settings import get_settings
from tests.factories import PASSWORD, actor_for, make_company, make_user

SETTINGS = get_settings()


class Acme:
    def __init__(self, session: Session) -> None:
        self.main = make_company(session)
        self.ben = make_user(session, self.main.company_id, "ben@acme.example", ["buyer"])
        self.anna = make_user(session, self.main.company_id, "anna@acme.example", ["approver"])
        session.commit()
        self.session = session

    def actor(self, user: User) -> CustomerUser:
        return actor_for(self.session, user)

    def hr(self) -> User:
        """A user who manages users and nothing else."""
        role = Role(company_id=self.main.company_id, code="hr", name="HR")
        self.session.add(role)
        self.session.flush()
        self.session.add(RolePermission(role_id=role.id, permission=Permission.USERS_MANAGE))  # type: ignore[arg-type]
        hr = make_user(self.session, self.main.company_id, "hr@acme.example", [])
        self.session.add(UserRole(user_id=hr.id, role_id=role.id))  # type: ignore[arg-type]
        self.session.commit()
        return hr


@pytest.fixture
def acme(session: Session) -> Acme:
    return Acme(session)


def _request(acme: Acme, actor: CustomerUser, user: User, new_email: str) -> str:
    result = request_email_change(
        acme.session, actor, settings=SETTINGS, user_id=user.id, new_email=new_email
    )  # type: ignore[arg-type]
    acme.session.commit()
    return result


def _last_mail(session: Session) -> dict:
    mail = session.exec(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()  # type: ignore[union-attr]
    assert mail is not None
    return mail.payload


def _token_of(mail: dict) -> str:
    found = re.search(r"/verify-email\?token=([\w-]+)", mail["text"])
    assert found is not None
    return found.group(1)


def _signs_in(session: Session, email: str) -> bool:
    try:
        check_sign_in(session, SignInAttempt(email=email, password=PASSWORD, ip_address="1.1.1.1"))
    except ServiceError:
        return False
    return True


def test_the_link_goes_to_the_new_address_and_the_old_one_stays_until_confirmed(acme) -> None:
    ben = acme.ben
    assert _request(acme, acme.actor(ben), ben, "  Ben.New@Example.COM ") == "ben.new@example.com"
    mail = _last_mail(acme.session)
    assert mail["to"] == "ben.new@example.com"
    assert "ben@acme.example" in mail["text"]
    acme.session.expire_all()
    assert acme.session.get(User, ben.id).email == "ben@acme.example"
    assert _signs_in(acme.session, "ben@acme.example")
    assert not _signs_in(acme.session, "ben.new@example.com")
    assert pending_email_of(acme.session, acme.actor(ben), user_id=ben.id) == "ben.new@example.com"

    assert confirm_email_change(acme.session, SETTINGS, _token_of(mail)) == "ben.new@example.com"
    acme.session.commit()
    acme.session.expire_all()
    assert acme.session.get(User, ben.id).email == "ben.new@example.com"
    assert _signs_in(acme.session, "ben.new@example.com")
    assert not _signs_in(acme.session, "ben@acme.example")
    assert pending_email_of(acme.session, acme.actor(ben), user_id=ben.id) is None


def test_the_old_address_is_told_after_confirmation(acme) -> None:
    _request(acme, acme.actor(acme.ben), acme.ben, "ben.new@example.com")
    token = _token_of(_last_mail(acme.session))
    confirm_email_change(acme.session, SETTINGS, token)
    acme.session.commit()
    notice = _last_mail(acme.session)
    assert notice["to"] == "ben@acme.example"
    assert "ben.new@example.com" in notice["text"]


def test_the_link_works_once(acme) -> None:
    _request(acme, acme.actor(acme.ben), acme.ben, "ben.new@example.com")
    token = _token_of(_last_mail(acme.session))
    confirm_email_change(acme.session, SETTINGS, token)
    acme.session.commit()
    with pytest.raises(ServiceError) as refused:
        confirm_email_change(acme.session, SETTINGS, token)
    assert refused.value.code == "link.used"


def test_an_expired_link_changes_nothing(acme) -> None:
    _request(acme, acme.actor(acme.ben), acme.ben, "ben.new@example.com")
    token = _token_of(_last_mail(acme.session))
    row = acme.session.exec(select(OneTimeToken).where(OneTimeToken.purpose == EMAIL_CHANGE)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    acme.session.add(row)
    acme.session.commit()
    with pytest.raises(ServiceError) as refused:
        confirm_email_change(acme.session, SETTINGS, token)
    assert refused.value.code == "link.expired"
    assert acme.session.get(User, acme.ben.id).email == "ben@acme.example"
    assert pending_email_of(acme.session, acme.actor(acme.ben), user_id=acme.ben.id) is None


def test_the_link_expires_after_24_hours(acme) -> None:
    _request(acme, acme.actor(acme.ben), acme.ben, "ben.new@example.com")
    row = acme.session.exec(select(OneTimeToken).where(OneTimeToken.purpose == EMAIL_CHANGE)).one()
    assert timedelta(hours=23, minutes=59) < row.expires_at - utcnow() <= timedelta(hours=24)


def test_a_newer_request_replaces_the_pending_one(acme) -> None:
    actor = acme.actor(acme.ben)
    _request(acme, actor, acme.ben, "first@example.com")
    first = _token_of(_last_mail(acme.session))
    _request(acme, actor, acme.ben, "second@example.com")
    assert pending_email_of(acme.session, actor, user_id=acme.ben.id) == "second@example.com"
    with pytest.raises(ServiceError) as refused:
        confirm_email_change(acme.session, SETTINGS, first)
    assert refused.value.code == "link.used"
    assert acme.session.get(User, acme.ben.id).email == "ben@acme.example"


@pytest.mark.parametrize(
    ("new_email", "code"),
    [
        ("", "form.required"),
        ("not-an-address", "form.email_invalid"),
        ("BEN@acme.example", "account.email.error.unchanged"),
        ("Anna@ACME.example", "account.email.error.in_use"),
    ],
)
def test_the_new_address_must_be_valid_new_and_free(acme, new_email, code) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _request(acme, acme.actor(acme.ben), acme.ben, new_email)
    assert refused.value.errors == {"new_email": (code, {})}
    acme.session.rollback()
    assert acme.session.exec(select(OneTimeToken)).all() == []


def test_an_address_of_another_company_is_in_use_without_saying_where(acme, session) -> None:
    make_company(session, "C-2", "Other AG")
    with pytest.raises(ValidationFailed) as refused:
        _request(acme, acme.actor(acme.ben), acme.ben, "main@c-2.example")
    assert refused.value.errors == {"new_email": ("account.email.error.in_use", {})}


def test_an_address_taken_before_confirmation_is_refused_at_confirmation(acme, session) -> None:
    _request(acme, acme.actor(acme.ben), acme.ben, "shared@example.com")
    ben_token = _token_of(_last_mail(session))
    _request(acme, acme.actor(acme.anna), acme.anna, "shared@example.com")
    confirm_email_change(session, SETTINGS, _token_of(_last_mail(session)))
    session.commit()
    with pytest.raises(ServiceError) as refused:
        confirm_email_change(session, SETTINGS, ben_token)
    assert refused.value.code == "account.email.error.in_use"
    session.rollback()
    assert session.get(User, acme.ben.id).email == "ben@acme.example"


def test_the_main_contact_changes_the_address_of_a_user_of_the_company(acme) -> None:
    _request(acme, acme.main, acme.ben, "ben.new@example.com")
    assert pending_email_of(acme.session, acme.main, user_id=acme.ben.id) == "ben.new@example.com"
    entry = acme.session.exec(
        select(AuditEntry).where(AuditEntry.action == "user.email_change_requested")
    ).one()
    assert (entry.actor_user_id, entry.target_id, entry.session_id) == (
        acme.main.user_id,
        str(acme.ben.id),
        acme.main.session_id,
    )
    assert entry.before == {"email": "ben@acme.example"}
    assert entry.after == {"pending_email": "ben.new@example.com"}


def test_confirmation_is_audited_with_before_and_after(acme) -> None:
    _request(acme, acme.actor(acme.ben), acme.ben, "ben.new@example.com")
    confirm_email_change(acme.session, SETTINGS, _token_of(_last_mail(acme.session)))
    acme.session.commit()
    entry = acme.session.exec(
        select(AuditEntry).where(AuditEntry.action == "user.email_changed")
    ).one()
    assert (entry.company_id, entry.target_id) == (acme.main.company_id, str(acme.ben.id))
    assert (entry.before, entry.after) == (
        {"email": "ben@acme.example"},
        {"email": "ben.new@example.com"},
    )


def test_a_user_without_the_right_cannot_change_another_users_address(acme) -> None:
    with pytest.raises(ServiceError) as refused:
        _request(acme, acme.actor(acme.ben), acme.anna, "anna.new@example.com")
    assert refused.value.code == "admin.not_found"
    with pytest.raises(ServiceError):
        pending_email_of(acme.session, acme.actor(acme.ben), user_id=acme.anna.id)  # type: ignore[arg-type]


def test_a_user_of_another_company_is_not_found(acme, session) -> None:
    other = make_company(session, "C-2", "Other AG")
    with pytest.raises(ServiceError) as refused:
        _request(acme, other, acme.ben, "ben.new@example.com")
    assert refused.value.code == "admin.not_found"
    with pytest.raises(ServiceError) as peeked:
        pending_email_of(session, other, user_id=acme.ben.id)  # type: ignore[arg-type]
    assert peeked.value.code == "admin.not_found"


def test_a_user_manager_cannot_redirect_a_stronger_account(acme) -> None:
    """Otherwise a password reset to the new address would take over the main contact."""
    hr_actor = acme.actor(acme.hr())
    main_user = acme.session.get(User, acme.main.user_id)
    with pytest.raises(ServiceError) as refused:
        _request(acme, hr_actor, main_user, "takeover@example.com")
    assert refused.value.code == "account.email.error.beyond_own_rights"
    with pytest.raises(ServiceError):
        _request(acme, hr_actor, acme.ben, "ben.new@example.com")  # a buyer may order; HR may not


def test_a_user_manager_changes_the_address_of_a_user_with_fewer_rights(acme) -> None:
    hr = acme.hr()
    clerk = make_user(acme.session, acme.main.company_id, "clerk@acme.example", [])
    acme.session.commit()
    assert _request(acme, acme.actor(hr), clerk, "clerk.new@example.com") == "clerk.new@example.com"


def test_a_deactivated_user_keeps_their_address(acme) -> None:
    acme.ben.status = UserStatus.INACTIVE
    acme.session.add(acme.ben)
    acme.session.commit()
    with pytest.raises(ServiceError) as refused:
        _request(acme, acme.main, acme.ben, "ben.new@example.com")
    assert refused.value.code == "account.email.error.user_inactive"


def test_a_link_of_a_user_deactivated_meanwhile_is_refused(acme) -> None:
    _request(acme, acme.main, acme.ben, "ben.new@example.com")
    token = _token_of(_last_mail(acme.session))
    acme.ben.status = UserStatus.INACTIVE
    acme.session.add(acme.ben)
    acme.session.commit()
    with pytest.raises(ServiceError) as refused:
        confirm_email_change(acme.session, SETTINGS, token)
    assert refused.value.code == "link.invalid"


def test_requests_are_limited_so_nobody_floods_a_mailbox(acme) -> None:
    actor = acme.actor(acme.ben)
    for number in range(5):
        _request(acme, actor, acme.ben, f"try{number}@example.com")
    with pytest.raises(ServiceError) as refused:
        _request(acme, actor, acme.ben, "try5@example.com")
    assert refused.value.code == "account.email.error.rate_limited"
    assert refused.value.field == "new_email"


@pytest.mark.parametrize("token", ["", "nonsense", None])
def test_an_unknown_link_is_invalid(acme, token) -> None:
    with pytest.raises(ServiceError) as refused:
        confirm_email_change(acme.session, SETTINGS, token)  # type: ignore[arg-type]
    assert refused.value.code == "link.invalid"
