"""Handing over the main-contact role: password, link to the target, exactly one main contact."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from customer_center.auth.principals import rights_of
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.people import UserStatus
from customer_center.domain.principals import CustomerUser
from customer_center.models.audit import AuditEntry
from customer_center.models.auth import OneTimeToken
from customer_center.models.base import utcnow
from customer_center.models.outbox import OutboxMessage
from customer_center.models.user import User
from customer_center.services.people import handover
from customer_center.services.people.handover import (
    HANDOVER,
    accept_handover,
    cancel_handover,
    handover_offer,
    pending_handover,
    record_password_failure,
    request_handover,
)
from customer_center.services.people.users import role_codes_of
from customer_center.settings import get_settings
from tests.factories import PASSWORD, actor_for, make_company, make_user

SETTINGS = get_settings()


class Acme:
    def __init__(self, session: Session) -> None:
        self.main = make_company(session)
        self.ben = make_user(session, self.main.company_id, "ben@acme.example", ["buyer"])
        self.anna = make_user(
            session, self.main.company_id, "anna@acme.example", ["approver", "controller"]
        )
        session.commit()
        self.session = session

    @property
    def main_user(self) -> User:
        return self.session.get(User, self.main.user_id)  # type: ignore[return-value]

    def actor(self, user: User) -> CustomerUser:
        return actor_for(self.session, user)

    def request(
        self, target: User, password: str = PASSWORD, actor: CustomerUser | None = None
    ) -> None:
        request_handover(
            self.session,
            actor or self.main,
            settings=SETTINGS,
            target_user_id=target.id,
            password=password,
        )  # type: ignore[arg-type]
        self.session.commit()

    def accept(self, token: str, user: User | None) -> None:
        accept_handover(self.session, SETTINGS, token, self.actor(user) if user else None)
        self.session.commit()

    def main_contacts(self) -> list[str]:
        self.session.expire_all()
        return list(
            self.session.exec(
                select(User.email).where(
                    User.company_id == self.main.company_id,
                    User.is_main_contact == True,  # noqa: E712
                )
            ).all()
        )

    def role_holders(self, code: str) -> list[str]:
        users = self.session.exec(select(User).where(User.company_id == self.main.company_id))
        return sorted(u.email for u in users if code in role_codes_of(self.session, u.id))  # type: ignore[arg-type]


@pytest.fixture
def acme(session: Session) -> Acme:
    return Acme(session)


def _mails(session: Session) -> list[dict]:
    rows = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()  # type: ignore[arg-type]
    return [row.payload for row in rows]


def _token(session: Session) -> str:
    found = re.search(r"/handover\?token=([\w-]+)", _mails(session)[-1]["text"])
    assert found is not None
    return found.group(1)


def test_the_role_moves_to_the_target_and_exactly_one_main_contact_remains(acme) -> None:
    acme.request(acme.anna)
    assert acme.main_contacts() == ["main@c-1.example"]
    acme.accept(_token(acme.session), acme.anna)
    assert acme.main_contacts() == ["anna@acme.example"]
    assert acme.role_holders("main_contact") == ["anna@acme.example"]
    assert set(role_codes_of(acme.session, acme.anna.id)) == {  # type: ignore[arg-type]
        "approver",
        "controller",
        "main_contact",
    }


def test_the_previous_main_contact_without_other_roles_becomes_an_approver(acme) -> None:
    acme.request(acme.ben)
    acme.accept(_token(acme.session), acme.ben)
    assert role_codes_of(acme.session, acme.main.user_id) == ["approver"]
    assert "users.manage" not in rights_of(acme.session, acme.main.user_id, acme.main.company_id)


def test_the_previous_main_contact_keeps_their_other_roles(acme, session) -> None:
    buyer = make_user(session, acme.main.company_id, "x@acme.example", ["buyer"])
    session.commit()
    # Hand over to Ben and back: the first main contact had only the main role.
    acme.request(acme.ben)
    acme.accept(_token(session), acme.ben)
    acme.request(acme.main_user, actor=acme.actor(acme.ben))
    acme.accept(_token(session), acme.main_user)
    assert sorted(role_codes_of(session, acme.ben.id)) == ["buyer"]  # type: ignore[arg-type]
    assert sorted(role_codes_of(session, acme.main.user_id)) == ["approver", "main_contact"]
    assert acme.main_contacts() == ["main@c-1.example"]
    assert role_codes_of(session, buyer.id) == ["buyer"]  # type: ignore[arg-type]


def test_the_link_goes_to_the_target_and_both_are_told_afterwards(acme) -> None:
    acme.request(acme.anna)
    request_mail = _mails(acme.session)[-1]
    assert request_mail["to"] == "anna@acme.example"
    assert "Acme GmbH" in request_mail["subject"]
    acme.accept(_token(acme.session), acme.anna)
    told = {mail["to"]: mail for mail in _mails(acme.session)[-2:]}
    assert set(told) == {"anna@acme.example", "main@c-1.example"}
    assert "Anna" in told["main@c-1.example"]["subject"]


def test_request_and_handover_are_audited(acme) -> None:
    acme.request(acme.anna)
    acme.accept(_token(acme.session), acme.anna)
    entries = {
        e.action: e
        for e in acme.session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()  # type: ignore[arg-type]
        if e.action.startswith("main_contact.")
    }
    requested = entries["main_contact.handover_requested"]
    assert (requested.actor_user_id, requested.target_id) == (
        acme.main.user_id,
        str(acme.anna.id),
    )
    done = entries["main_contact.handed_over"]
    assert done.actor_user_id == acme.anna.id
    assert done.before == {"main_contact": "main@c-1.example", "previous_roles": ["main_contact"]}
    assert done.after == {"main_contact": "anna@acme.example", "previous_roles": ["approver"]}


def test_a_wrong_password_is_a_field_error_and_nothing_is_sent(acme) -> None:
    with pytest.raises(ValidationFailed) as refused:
        acme.request(acme.anna, password="wrong")
    assert refused.value.errors == {"password": ("account.handover.error.wrong_password", {})}
    acme.session.rollback()
    assert _mails(acme.session) == []
    assert pending_handover(acme.session, acme.main) is None


def test_wrong_passwords_lock_the_request_for_a_while(acme) -> None:
    for _ in range(handover.PASSWORD_LIMIT.max_failures):
        with pytest.raises(ValidationFailed):
            acme.request(acme.anna, password="wrong")
        acme.session.rollback()
        record_password_failure(acme.session, acme.main)
        acme.session.commit()
    with pytest.raises(ServiceError) as refused:
        acme.request(acme.anna)  # even the right password waits
    assert refused.value.code == "account.handover.error.locked"
    assert refused.value.field == "password"


def test_only_the_main_contact_may_hand_over(acme) -> None:
    with pytest.raises(ServiceError) as refused:
        acme.request(acme.ben, actor=acme.actor(acme.anna))
    assert refused.value.code == "account.handover.error.not_main_contact"


def test_the_target_must_be_another_active_user_of_the_company(acme, session) -> None:
    with pytest.raises(ServiceError) as itself:
        acme.request(acme.main_user)
    assert itself.value.code == "account.handover.error.self"
    acme.ben.status = UserStatus.INACTIVE
    session.add(acme.ben)
    session.commit()
    with pytest.raises(ServiceError) as inactive:
        acme.request(acme.ben)
    assert inactive.value.code == "account.handover.error.target_inactive"
    other = make_company(session, "C-2", "Other AG")
    with pytest.raises(ServiceError) as foreign:
        acme.request(session.get(User, other.user_id))
    assert foreign.value.code == "admin.not_found"


def test_only_the_target_signed_in_can_accept(acme) -> None:
    acme.request(acme.anna)
    token = _token(acme.session)
    with pytest.raises(ServiceError) as anonymous:
        acme.accept(token, None)
    assert anonymous.value.code == "account.handover.error.sign_in_required"
    with pytest.raises(ServiceError) as someone_else:
        acme.accept(token, acme.ben)
    assert someone_else.value.code == "account.handover.error.wrong_user"
    acme.session.rollback()
    assert acme.main_contacts() == ["main@c-1.example"]
    acme.accept(token, acme.anna)  # the refusals did not use up the link
    assert acme.main_contacts() == ["anna@acme.example"]


def test_the_link_works_once(acme) -> None:
    acme.request(acme.anna)
    token = _token(acme.session)
    acme.accept(token, acme.anna)
    with pytest.raises(ServiceError) as refused:
        acme.accept(token, acme.anna)
    assert refused.value.code == "link.used"


def test_an_expired_link_moves_nothing(acme) -> None:
    acme.request(acme.anna)
    token = _token(acme.session)
    row = acme.session.exec(select(OneTimeToken).where(OneTimeToken.purpose == HANDOVER)).one()
    assert timedelta(hours=71, minutes=59) < row.expires_at - utcnow() <= timedelta(hours=72)
    row.expires_at = utcnow() - timedelta(seconds=1)
    acme.session.add(row)
    acme.session.commit()
    with pytest.raises(ServiceError) as refused:
        acme.accept(token, acme.anna)
    assert refused.value.code == "link.expired"
    assert acme.main_contacts() == ["main@c-1.example"]


def test_a_target_deactivated_meanwhile_cannot_accept(acme, session) -> None:
    acme.request(acme.anna)
    token = _token(session)
    acme.anna.status = UserStatus.INACTIVE
    session.add(acme.anna)
    session.commit()
    with pytest.raises(ServiceError) as refused:
        # Her sessions ended with the deactivation; an actor as it was just before.
        anna = CustomerUser(acme.anna.id, acme.main.company_id, frozenset())  # type: ignore[arg-type]
        accept_handover(session, SETTINGS, token, anna)
    assert refused.value.code == "account.handover.error.target_inactive"


def test_an_earlier_link_is_dead_after_a_later_handover(acme) -> None:
    acme.request(acme.anna)
    stale = _token(acme.session)
    acme.request(acme.ben)
    acme.accept(_token(acme.session), acme.ben)
    with pytest.raises(ServiceError) as refused:
        handover_offer(acme.session, stale, acme.actor(acme.anna))
    assert refused.value.code == "link.used"  # the newer request retired the older link


def test_the_initiator_must_still_be_main_contact(acme, session) -> None:
    acme.request(acme.anna)
    token = _token(session)
    main_user = acme.main_user
    main_user.is_main_contact = False  # as if moved by another path
    session.add(main_user)
    session.commit()
    with pytest.raises(ServiceError) as refused:
        acme.accept(token, acme.anna)
    assert refused.value.code == "account.handover.error.initiator_changed"


def test_a_newer_request_replaces_the_pending_one(acme) -> None:
    acme.request(acme.anna)
    first = _token(acme.session)
    acme.request(acme.ben)
    pending = pending_handover(acme.session, acme.main)
    assert pending is not None and pending.target_email == "ben@acme.example"
    with pytest.raises(ServiceError) as refused:
        acme.accept(first, acme.anna)
    assert refused.value.code == "link.used"


def test_cancel_withdraws_the_link(acme) -> None:
    acme.request(acme.anna)
    token = _token(acme.session)
    assert cancel_handover(acme.session, acme.main) is True
    acme.session.commit()
    assert pending_handover(acme.session, acme.main) is None
    assert cancel_handover(acme.session, acme.main) is False
    with pytest.raises(ServiceError) as refused:
        acme.accept(token, acme.anna)
    assert refused.value.code == "link.used"
    assert acme.session.exec(
        select(AuditEntry).where(AuditEntry.action == "main_contact.handover_cancelled")
    ).one()


def test_only_the_main_contact_sees_or_cancels_the_pending_handover(acme) -> None:
    acme.request(acme.anna)
    assert pending_handover(acme.session, acme.actor(acme.anna)) is None
    with pytest.raises(ServiceError):
        cancel_handover(acme.session, acme.actor(acme.ben))
    assert pending_handover(acme.session, acme.main) is not None


def test_a_pending_handover_of_another_company_stays_invisible(acme, session) -> None:
    acme.request(acme.anna)
    other = make_company(session, "C-2", "Other AG")
    assert pending_handover(session, other) is None
    assert cancel_handover(session, other) is False
    assert pending_handover(session, acme.main) is not None


def test_the_offer_says_who_hands_over_what_to_whom(acme) -> None:
    acme.request(acme.anna)
    token = _token(acme.session)
    offer = handover_offer(acme.session, token, acme.actor(acme.anna))
    assert (offer.company_name, offer.from_name, offer.to_email) == (
        "Acme GmbH",
        "Main",
        "anna@acme.example",
    )
    assert offer.for_this_actor is True
    assert handover_offer(acme.session, token, None).for_this_actor is False
    assert handover_offer(acme.session, token, acme.actor(acme.ben)).for_this_actor is False
