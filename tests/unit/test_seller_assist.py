"""An agent's help without acting: the invitation again, a reset link, lifting a sign-in or
activation lockout; the customer's own rules hold, each action is audited in the company
with the agent as actor, and agents without ``seller.view`` are refused."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.people import UserStatus
from customer_center.domain.principals import PrincipalKind, SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.models.audit import AuditEntry
from customer_center.models.auth import OneTimeToken
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.outbox import OutboxMessage
from customer_center.models.user import User
from customer_center.services.identity.accounts import RESET_LIMIT, SIGN_IN_LIMIT
from customer_center.services.identity.activation import ACTIVATION_LIMIT
from customer_center.services.identity.rate_limit import minutes_blocked, record_attempt
from customer_center.services.seller import assist
from customer_center.settings import get_settings
from tests.factories import make_company, make_user

AGENT = SellerAgent(agent_id=7, rights=frozenset({StaffPermission.VIEW}))
NO_VIEW = SellerAgent(agent_id=8, rights=frozenset({StaffPermission.SETTINGS}))


@pytest.fixture
def company(session: Session):  # type: ignore[no-untyped-def]
    main = make_company(session, "C-77", "Müller Maschinenbau")
    ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben")
    session.commit()
    return main, ben


def _mails(session: Session, to: str) -> list[OutboxMessage]:
    return [m for m in session.exec(select(OutboxMessage)).all() if to in str(m.payload)]


def _entries(session: Session, action: str) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)).all())


def test_a_reset_link_goes_to_the_user_and_is_audited(session: Session, company) -> None:
    main, ben = company
    sent_to = assist.send_password_reset(
        session, AGENT, settings=get_settings(), company_id=main.company_id, user_id=ben.id
    )
    assert sent_to == "ben@mueller.example"
    assert len(_mails(session, "ben@mueller.example")) == 1
    [entry] = _entries(session, assist.RESET_LINK_SENT)
    assert (entry.company_id, entry.target_type, entry.target_id) == (
        main.company_id,
        "user",
        str(ben.id),
    )
    assert (entry.actor_kind, entry.actor_ref, entry.actor_user_id) == (
        PrincipalKind.SELLER_AGENT,
        7,
        None,
    )


def test_reset_links_keep_the_customers_limit(session: Session, company) -> None:
    main, ben = company
    for _ in range(RESET_LIMIT.max_failures):
        assist.send_password_reset(
            session, AGENT, settings=get_settings(), company_id=main.company_id, user_id=ben.id
        )
    with pytest.raises(ServiceError) as refused:
        assist.send_password_reset(
            session, AGENT, settings=get_settings(), company_id=main.company_id, user_id=ben.id
        )
    assert refused.value.code == "forgot.rate_limited"
    assert len(_mails(session, "ben@mueller.example")) == RESET_LIMIT.max_failures


def test_no_reset_link_for_an_inactive_user_or_a_company_without_passwords(
    session: Session, company
) -> None:
    main, ben = company
    ben.status = UserStatus.INACTIVE
    session.add(ben)
    with pytest.raises(ServiceError, match="seller.assist.not_active"):
        assist.send_password_reset(
            session, AGENT, settings=get_settings(), company_id=main.company_id, user_id=ben.id
        )
    ben.status = UserStatus.ACTIVE
    firm = session.get(Company, main.company_id)
    assert firm is not None
    firm.password_sign_in_enabled = False
    session.add(firm)
    with pytest.raises(ServiceError, match="sign_in.password_off"):
        assist.send_password_reset(
            session, AGENT, settings=get_settings(), company_id=main.company_id, user_id=ben.id
        )
    assert _mails(session, "ben@mueller.example") == []


def test_another_companys_user_and_agents_without_the_right_are_refused(
    session: Session, company
) -> None:
    main, ben = company
    other = make_company(session, "C-88", "Other AG")
    with pytest.raises(ServiceError, match="admin.not_found"):
        assist.send_password_reset(
            session, AGENT, settings=get_settings(), company_id=other.company_id, user_id=ben.id
        )
    for call in (
        lambda: assist.send_password_reset(
            session, NO_VIEW, settings=get_settings(), company_id=main.company_id, user_id=ben.id
        ),
        lambda: assist.resend_invitation(
            session, NO_VIEW, settings=get_settings(), company_id=main.company_id, user_id=ben.id
        ),
        lambda: assist.lift_sign_in_lockout(
            session, NO_VIEW, company_id=main.company_id, user_id=ben.id, reason="because"
        ),
        lambda: assist.lift_activation_lockout(
            session, NO_VIEW, company_id=main.company_id, reason="because"
        ),
    ):
        with pytest.raises(ServiceError, match="error.permission_denied"):
            call()
    assert (
        session.exec(select(AuditEntry).where(col(AuditEntry.action).startswith("seller."))).all()
        == []
    )
    assert _mails(session, "ben@mueller.example") == []


def test_the_invitation_again_replaces_the_earlier_link(session: Session, company) -> None:
    main, ben = company
    ines = make_user(session, main.company_id, "ines@mueller.example", ["buyer"], name="Ines")
    ines.status = UserStatus.INVITED
    session.add(ines)
    session.commit()
    for _ in range(2):
        assist.resend_invitation(
            session, AGENT, settings=get_settings(), company_id=main.company_id, user_id=ines.id
        )
    tokens = session.exec(select(OneTimeToken).where(OneTimeToken.user_id == ines.id)).all()
    assert [t.used_at is None for t in tokens].count(True) == 1
    assert len(_mails(session, "ines@mueller.example")) == 2
    assert len(_entries(session, assist.INVITATION_RESENT)) == 2
    with pytest.raises(ServiceError, match="users.error.not_invited"):
        assist.resend_invitation(
            session, AGENT, settings=get_settings(), company_id=main.company_id, user_id=ben.id
        )


def test_lifting_a_sign_in_lockout_needs_a_reason_and_a_lockout(session: Session, company) -> None:
    main, ben = company
    lift = {"company_id": main.company_id, "user_id": ben.id}
    with pytest.raises(ServiceError, match="seller.assist.not_locked"):
        assist.lift_sign_in_lockout(session, AGENT, **lift, reason="Called, ID checked")
    for _ in range(SIGN_IN_LIMIT.max_failures + 2):
        record_attempt(session, SIGN_IN_LIMIT.kind, ["email:ben@mueller.example"], False)
    assert assist.sign_in_lock_minutes(session, "ben@mueller.example") > 0
    for reason, code in (
        ("", "seller.assist.reason_required"),
        ("x" * 501, "seller.assist.reason_too_long"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            assist.lift_sign_in_lockout(session, AGENT, **lift, reason=reason)
        assert refused.value.errors["reason"][0] == code
    assist.lift_sign_in_lockout(session, AGENT, **lift, reason="  Called, ID checked ")
    assert assist.sign_in_lock_minutes(session, "ben@mueller.example") == 0
    [entry] = _entries(session, assist.SIGN_IN_LOCKOUT_LIFTED)
    assert entry.after == {"reason": "Called, ID checked"}
    assert entry.actor_ref == 7
    user = session.get(User, ben.id)
    assert user is not None and user.password_hash == ben.password_hash  # no password touched


def test_lifting_the_activation_lockout_of_the_customer_number(session: Session, company) -> None:
    main, _ben = company
    key = "customer:c-77|ip:10.1.2.3"
    for _ in range(ACTIVATION_LIMIT.max_failures):
        record_attempt(session, ACTIVATION_LIMIT.kind, [key], False)
    other = "customer:c-770|ip:10.1.2.3"  # another customer number that starts alike
    for _ in range(ACTIVATION_LIMIT.max_failures):
        record_attempt(session, ACTIVATION_LIMIT.kind, [other], False)
    assert minutes_blocked(session, ACTIVATION_LIMIT, [key], utcnow()) > 0
    assist.lift_activation_lockout(session, AGENT, company_id=main.company_id, reason="ERP fixed")
    assert minutes_blocked(session, ACTIVATION_LIMIT, [key], utcnow()) == 0
    assert minutes_blocked(session, ACTIVATION_LIMIT, [other], utcnow()) > 0
    [entry] = _entries(session, assist.ACTIVATION_LOCKOUT_LIFTED)
    assert (entry.company_id, entry.target_type) == (main.company_id, "company")
    with pytest.raises(ServiceError, match="seller.assist.not_locked"):
        assist.lift_activation_lockout(session, AGENT, company_id=main.company_id, reason="again")
