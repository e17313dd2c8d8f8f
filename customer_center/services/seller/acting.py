"""An agent of the seller acting for a customer user: starting, keeping alive and ending an
acting session, under the company's policy and its account team.

Who may act: an agent holding ``seller.act_on_behalf``; if the company has an account team,
only its members (a supervisor, holding ``seller.manage_staff``, is excepted: they stand in
for an absent team). Whom: an active user of the company, when the company's policy is
"always", or "consent" and the user accepted a request of this agent that is still valid.
One live acting session per staff session: starting another ends the previous one.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from customer_center.auth.acting import is_idle, open_rows
from customer_center.domain.errors import ServiceError
from customer_center.domain.people import UserStatus
from customer_center.domain.principals import Attribution, PrincipalKind, SellerAgent
from customer_center.domain.staff import ActingPolicy, StaffPermission
from customer_center.models.acting import ActingConsent, ActingSession
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.staff import AccountTeamMember
from customer_center.models.user import User
from customer_center.services import audit
from customer_center.services.seller.acting_summary import send_summary
from customer_center.services.seller.looks import company_to_view, row_id

STARTED = "seller.acting_started"
ENDED = "seller.acting_ended"
NOT_ALLOWED = "acting.error.not_allowed"  # the policy (or a missing consent) forbids it
NOT_IN_TEAM = "acting.error.not_in_team"
USER_NOT_FOUND = "acting.error.user_not_found"


class EndReason:
    ENDED = "ended"  # the agent pressed "End"
    IDLE = "idle"
    REPLACED = "replaced"  # the agent started acting for someone else


def acting_attribution(agent_id: int, user_id: int) -> Attribution:
    return Attribution(PrincipalKind.SELLER_AGENT, agent_id, user_id)


def may_act_in(session: Session, agent: SellerAgent, company_id: int) -> bool:
    """The team rule: a company with an account team admits its members (and supervisors)."""
    if not agent.may(StaffPermission.ACT_ON_BEHALF):
        return False
    if agent.may(StaffPermission.MANAGE_STAFF):
        return True
    team = session.exec(
        select(AccountTeamMember.staff_id).where(AccountTeamMember.company_id == company_id)
    ).all()
    return not team or agent.agent_id in team


def valid_consent(
    session: Session, agent_id: int, user_id: int, now: datetime | None = None
) -> ActingConsent | None:
    """The agent's accepted, still valid consent to act for the user, if there is one."""
    return session.exec(
        select(ActingConsent)
        .where(
            ActingConsent.staff_id == agent_id,
            ActingConsent.user_id == user_id,
            ActingConsent.decision == "accepted",
            col(ActingConsent.valid_until) > (now or utcnow()),
        )
        .order_by(col(ActingConsent.id).desc())
    ).first()


def acting_company(session: Session, agent: SellerAgent, *, company_id: object) -> Company:
    """The company an agent wants to act in, after the right and the team rule."""
    agent.require(StaffPermission.ACT_ON_BEHALF)
    company = company_to_view(session, agent, company_id=company_id)
    assert company.id is not None
    if not may_act_in(session, agent, company.id):
        raise ServiceError(NOT_IN_TEAM)
    return company


def company_user(session: Session, company_id: int, user_id: object) -> User:
    wanted = row_id(user_id)
    user = session.get(User, wanted) if wanted is not None else None
    if user is None or user.company_id != company_id or user.status != UserStatus.ACTIVE:
        raise ServiceError(USER_NOT_FOUND)
    return user


def may_start(session: Session, agent: SellerAgent, company: Company, user_id: int) -> bool:
    if company.acting_policy == ActingPolicy.ALWAYS:
        return True
    return (
        company.acting_policy == ActingPolicy.CONSENT
        and valid_consent(session, agent.agent_id, user_id) is not None
    )


def start_acting(
    session: Session, agent: SellerAgent, *, company_id: object, user_id: object
) -> int:
    """Open an acting session for the agent's staff session; its id."""
    company = acting_company(session, agent, company_id=company_id)
    assert company.id is not None
    user = company_user(session, company.id, user_id)
    assert user.id is not None
    if not may_start(session, agent, company, user.id):
        raise ServiceError(NOT_ALLOWED)
    for previous in live_rows(session, agent.session_id):
        close(session, previous, EndReason.REPLACED)
    row = ActingSession(
        staff_id=agent.agent_id,
        staff_session_id=agent.session_id,
        company_id=company.id,
        user_id=user.id,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    audit.record(
        session,
        STARTED,
        company_id=company.id,
        by=acting_attribution(agent.agent_id, user.id),
        target_type="user",
        target_id=user.id,
        after={"policy": company.acting_policy},
    )
    return row.id


def live_rows(session: Session, staff_session_id: int) -> list[ActingSession]:
    return open_rows(session, staff_session_id)


def end_idle(session: Session, staff_session_id: int, *, idle_minutes: float) -> None:
    """End the staff session's acting sessions idle too long (reason idle, with the summary)."""
    for row in open_rows(session, staff_session_id):
        if is_idle(row, idle_minutes):
            close(session, row, EndReason.IDLE)


def extend_acting(session: Session, staff_session_id: int) -> None:
    """The banner's "Extend": the idle time starts again now."""
    for row in live_rows(session, staff_session_id):
        row.last_activity_at = utcnow()
        session.add(row)


def end_acting(session: Session, staff_session_id: int) -> int | None:
    """The agent ends acting; the company it was in (to return to its console page)."""
    company_id = None
    for row in live_rows(session, staff_session_id):
        close(session, row, EndReason.ENDED)
        company_id = row.company_id
    return company_id


def last_acting_company(session: Session, staff_session_id: int) -> int | None:
    """The company of the staff session's most recent acting session (ended or not)."""
    return session.exec(
        select(ActingSession.company_id)
        .where(ActingSession.staff_session_id == staff_session_id)
        .order_by(col(ActingSession.id).desc())
    ).first()


def close(session: Session, row: ActingSession, reason: str) -> None:
    row.ended_at = utcnow()
    row.end_reason = reason
    session.add(row)
    audit.record(
        session,
        ENDED,
        company_id=row.company_id,
        by=acting_attribution(row.staff_id, row.user_id),
        target_type="user",
        target_id=row.user_id,
        after={"reason": reason},
    )
    send_summary(session, row)
