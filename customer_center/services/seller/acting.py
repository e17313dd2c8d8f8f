"""An agent of the seller acting for a customer user: starting, keeping alive and ending an
acting session, under the company's policy and its account team.

Who may act: an agent holding ``seller.act_on_behalf``; if the company has an account team,
only its members (a supervisor, holding ``seller.manage_staff``, is excepted: they stand in
for an absent team). Whom: an active user of the company, when the company's policy is
"always", or "consent" and the user accepted a request of this agent that is still valid.
One live acting session per staff session: starting another ends the previous one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from customer_center.auth.acting import is_idle, open_rows
from customer_center.domain.errors import ServiceError
from customer_center.domain.people import UserStatus
from customer_center.domain.principals import ActingAgent, Attribution, PrincipalKind, SellerAgent
from customer_center.domain.staff import ActingPolicy, StaffPermission
from customer_center.models.acting import ActingConsent, ActingSession
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.staff import AccountTeamMember
from customer_center.models.user import User
from customer_center.services import audit
from customer_center.services.people.user_list import UserQuery, company_users_page
from customer_center.services.seller.acting_summary import send_summary
from customer_center.services.seller.looks import company_to_view, row_id

STARTED = "seller.acting_started"
ENDED = "seller.acting_ended"
NOT_ALLOWED = "acting.error.not_allowed"  # the policy (or a missing consent) forbids it
NOT_IN_TEAM = "acting.error.not_in_team"
USER_NOT_FOUND = "acting.error.user_not_found"

# A user answers a request for consent within this time; an accepted one lets the agent
# start acting within the next.
CONSENT_ANSWER_WITHIN = timedelta(hours=24)
CONSENT_VALID_FOR = timedelta(minutes=60)


class EndReason:
    ENDED = "ended"  # the agent pressed "End"
    IDLE = "idle"
    REPLACED = "replaced"  # the agent started acting for someone else


def acting_attribution(agent_id: int, user_id: int) -> Attribution:
    return Attribution(PrincipalKind.SELLER_AGENT, agent_id, user_id)


def may_act_in(session: Session, principal: SellerAgent, *, company_id: int) -> bool:
    """The team rule: a company with an account team admits its members (and supervisors)."""
    if not principal.may(StaffPermission.ACT_ON_BEHALF):
        return False
    if principal.may(StaffPermission.MANAGE_STAFF):
        return True
    team = session.exec(
        select(AccountTeamMember.staff_id).where(AccountTeamMember.company_id == company_id)
    ).all()
    return not team or principal.agent_id in team


def valid_consent(
    session: Session, agent_id: int, user_id: int, now: datetime | None = None
) -> ActingConsent | None:
    """The agent's accepted, still valid consent to act for the user, if there is one."""
    return session.exec(
        select(ActingConsent)
        .where(
            ActingConsent.staff_id == agent_id,
            ActingConsent.user_id == user_id,
            ActingConsent.decision == ACCEPTED,
            col(ActingConsent.valid_until) > (now or utcnow()),
        )
        .order_by(col(ActingConsent.id).desc())
    ).first()


def acting_company(session: Session, principal: SellerAgent, *, company_id: object) -> Company:
    """The company an agent wants to act in, after the right and the team rule."""
    principal.require(StaffPermission.ACT_ON_BEHALF)
    company = company_to_view(session, principal, company_id=company_id)
    assert company.id is not None
    if not may_act_in(session, principal, company_id=company.id):
        raise ServiceError(NOT_IN_TEAM)
    return company


def company_user(session: Session, company_id: int, user_id: object) -> User:
    wanted = row_id(user_id)
    user = session.get(User, wanted) if wanted is not None else None
    if user is None or user.company_id != company_id or user.status != UserStatus.ACTIVE:
        raise ServiceError(USER_NOT_FOUND)
    return user


def may_start(session: Session, principal: SellerAgent, *, company: Company, user_id: int) -> bool:
    if company.acting_policy == ActingPolicy.ALWAYS:
        return True
    return (
        company.acting_policy == ActingPolicy.CONSENT
        and valid_consent(session, principal.agent_id, user_id) is not None
    )


def start_acting(
    session: Session, principal: SellerAgent, *, company_id: object, user_id: object
) -> int:
    """Open an acting session for the agent's staff session; its id."""
    company = acting_company(session, principal, company_id=company_id)
    assert company.id is not None
    user = company_user(session, company.id, user_id)
    assert user.id is not None
    if not may_start(session, principal, company=company, user_id=user.id):
        raise ServiceError(NOT_ALLOWED)
    for previous in live_rows(session, principal.session_id):
        close(session, previous, EndReason.REPLACED)
    row = ActingSession(
        staff_id=principal.agent_id,
        staff_session_id=principal.session_id,
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
        by=acting_attribution(principal.agent_id, user.id),
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


def _own_row(session: Session, principal: ActingAgent) -> ActingSession | None:
    row = session.get(ActingSession, principal.acting_session_id)
    if row is None or row.staff_id != principal.agent_id or row.ended_at is not None:
        return None
    return row


def extend_acting(session: Session, principal: ActingAgent) -> None:
    """The banner's "Extend": the idle time starts again now."""
    row = _own_row(session, principal)
    if row is not None:
        row.last_activity_at = utcnow()
        session.add(row)


def end_acting(session: Session, principal: ActingAgent) -> int | None:
    """The agent ends acting (the banner's "End"); the company it was in, to return to its
    page in the console."""
    row = _own_row(session, principal)
    if row is None:
        return None
    close(session, row, EndReason.ENDED)
    return row.company_id


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


@dataclass(frozen=True)
class ActUser:
    user_id: int
    name: str
    email: str
    may_start: bool  # the policy allows it now (always, or a valid consent)
    consent: str  # the agent's latest request: "", requested, accepted, declined, expired


@dataclass(frozen=True)
class ActPage:
    company_id: int
    company_name: str
    policy: str
    users: list[ActUser]
    total: int
    page: int
    page_count: int
    acting_user_id: int | None  # whom the agent acts for in this company now, if anyone


def act_page(session: Session, principal: SellerAgent, *, company_id: object, page: int) -> ActPage:
    """The console's "act as" page: the company's policy and one page of its active users,
    each with whether the agent may start acting for them now."""
    company = acting_company(session, principal, company_id=company_id)
    assert company.id is not None
    listed = company_users_page(
        session, company.id, query=UserQuery(status=UserStatus.ACTIVE, page=max(0, page))
    )
    ids = [row.id for row in listed.rows]
    consents = latest_consents(session, principal.agent_id, ids)
    users = [
        ActUser(
            row.id,
            row.name,
            row.email,
            company.acting_policy == ActingPolicy.ALWAYS
            or (company.acting_policy == ActingPolicy.CONSENT and consents.get(row.id) == ACCEPTED),
            consents.get(row.id, ""),
        )
        for row in listed.rows
    ]
    current = [row.user_id for row in live_rows(session, principal.session_id)]
    return ActPage(
        company.id,
        company.name,
        company.acting_policy,
        users,
        listed.total,
        listed.page,
        listed.page_count,
        current[-1] if current else None,
    )


ACCEPTED = "accepted"
DECLINED = "declined"
REQUESTED = "requested"
EXPIRED = "expired"


def consent_state(row: ActingConsent, now: datetime) -> str:
    if row.decision == ACCEPTED:
        return ACCEPTED if row.valid_until and row.valid_until > now else EXPIRED
    if row.decision == DECLINED:
        return DECLINED
    return REQUESTED if row.requested_at + CONSENT_ANSWER_WITHIN > now else EXPIRED


def latest_consents(session: Session, agent_id: int, user_ids: list[int]) -> dict[int, str]:
    """The state of the agent's latest request to each user."""
    if not user_ids:
        return {}
    rows = session.exec(
        select(ActingConsent)
        .where(ActingConsent.staff_id == agent_id, col(ActingConsent.user_id).in_(user_ids))
        .order_by(col(ActingConsent.id))
    ).all()
    now = utcnow()
    return {row.user_id: consent_state(row, now) for row in rows}


@dataclass(frozen=True)
class BannerFacts:
    user_name: str
    company_name: str
    ends_at: datetime


def banner_facts(session: Session, principal: ActingAgent, *, idle_minutes: float) -> BannerFacts:
    """What the banner says while acting: for whom, of which company, until when."""
    row = session.get(ActingSession, principal.acting_session_id)
    user = session.get(User, principal.user_id)
    company = session.get(Company, principal.company_id)
    assert row is not None and user is not None and company is not None
    return BannerFacts(
        user.name, company.name, row.last_activity_at + timedelta(minutes=idle_minutes)
    )


def after_acting(session: Session, principal: SellerAgent, *, idle_minutes: float) -> int | None:
    """An agent's customer page found its acting session over: end it if it went idle (with
    its summary), and name the company to return to in the console."""
    end_idle(session, principal.session_id, idle_minutes=idle_minutes)
    return last_acting_company(session, principal.session_id)
