"""What both sides of a support case share: writing a timeline entry (with who acted and for
whom), reading the timeline as data, the followers, and the e-mails a message sends them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from customer_center.domain import routes
from customer_center.domain.cases import (
    CASES_PER_PAGE,
    INTERNAL_KINDS,
    CaseEntryKind,
    case_mail_ref,
    case_number,
    open_for_messages,
    response_time,
)
from customer_center.domain.orders import order_number
from customer_center.domain.people import UserStatus
from customer_center.domain.principals import Attribution, PrincipalKind
from customer_center.domain.returns import return_number
from customer_center.domain.staff import StaffStatus
from customer_center.domain.timeline import TimelineEntry
from customer_center.models.base import utcnow
from customer_center.models.case import CaseEntry, CaseFollower, SupportCase
from customer_center.models.company import Company
from customer_center.models.order import Order
from customer_center.models.staff import AccountTeamMember, StaffMember
from customer_center.models.user import User
from customer_center.services import emails
from customer_center.services.cases import attachments
from customer_center.services.cases.attachments import FileInfo
from customer_center.services.paging import recent_page
from customer_center.services.timeline_entries import timeline_entries
from customer_center.settings import Settings


@dataclass(frozen=True)
class CaseRow:
    id: int
    number: str
    subject: str
    category: str
    status: str
    opened_by: str
    company_id: int
    company: str
    assignee: str
    created_at: Any
    updated_at: Any


@dataclass(frozen=True)
class CasePage:
    rows: list[CaseRow]
    total: int
    page: int
    page_count: int


@dataclass(frozen=True)
class CaseView:
    """One case as a side may see it (the customer's side: no internal entries)."""

    row: CaseRow
    description: str
    order_id: int | None
    order_number: str
    return_id: int | None
    return_number: str
    followers: list[str]
    entries: list[TimelineEntry]
    first_answer: timedelta | None
    total_time: timedelta | None
    open: bool
    entry_ids: list[int]  # of ``entries``, in the same order
    files: list[FileInfo]


def add_entry(
    session: Session,
    case: SupportCase,
    kind: CaseEntryKind,
    by: Attribution,
    *,
    body: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEntry:
    entry = CaseEntry(
        case_id=case.id or 0,
        company_id=case.company_id,
        kind=kind,
        actor_kind=by.actor_kind,
        actor_ref=by.actor_id,
        actor_id=by.user_id,
        body=body,
        data=data or {},
    )
    session.add(entry)
    case.updated_at = utcnow()
    session.add(case)
    return entry


def follower_ids(session: Session, case: SupportCase) -> list[int]:
    rows = session.exec(select(CaseFollower.user_id).where(CaseFollower.case_id == case.id)).all()
    return sorted({case.opened_by_id, *rows})


def follow(session: Session, case: SupportCase, user_id: int) -> bool:
    """Make ``user_id`` a follower; False if they already follow (or opened the case)."""
    if user_id in follower_ids(session, case):
        return False
    session.add(CaseFollower(case_id=case.id or 0, user_id=user_id))
    return True


def notify_followers(
    session: Session,
    settings: Settings,
    case: SupportCase,
    *,
    author: str,
    body: str,
    by: Attribution,
) -> None:
    """E-mail a message to every follower but its author, with a link to the case."""
    link = routes.link(settings.base_url, routes.case_path(case.id or 0))
    for user_id in follower_ids(session, case):
        if by.actor_kind == PrincipalKind.CUSTOMER_USER and user_id == by.user_id:
            continue
        user = session.get(User, user_id)
        if user is None or user.status != UserStatus.ACTIVE:
            continue
        emails.queue(
            session,
            to=user.email,
            lang=user.language,
            template="case_message",
            link=link,
            refers_to=case_mail_ref(case.id or 0),
            name=user.name,
            number=case_number(case.id or 0),
            subject=case.subject,
            author=author,
            message=body,
        )


def notify_team(
    session: Session, settings: Settings, case: SupportCase, *, author: str, body: str
) -> None:
    """E-mail a customer's message to the case's agent, or, while nobody has the case, to
    every active member of the company's account team; with a link to the seller's page."""
    link = routes.link(settings.base_url, routes.seller_case_path(case.id or 0))
    query = select(StaffMember).where(StaffMember.status == StaffStatus.ACTIVE)
    if case.assignee_id is not None:
        query = query.where(StaffMember.id == case.assignee_id)
    else:
        team = select(AccountTeamMember.staff_id).where(
            AccountTeamMember.company_id == case.company_id
        )
        query = query.where(col(StaffMember.id).in_(team))
    company = session.get(Company, case.company_id)
    for member in session.exec(query.order_by(col(StaffMember.id))).all():
        emails.queue(
            session,
            to=member.email,
            lang=member.language,
            template="case_message_staff",
            link=link,
            refers_to=case_mail_ref(case.id or 0),
            name=member.name,
            number=case_number(case.id or 0),
            subject=case.subject,
            company=company.name if company else "",
            author=author,
            message=body,
        )


def actor_name(session: Session, by: Attribution) -> str:
    if by.actor_kind == PrincipalKind.SELLER_AGENT and by.user_id is None:
        staff = session.get(StaffMember, by.actor_id) if by.actor_id else None
        return staff.name if staff else ""
    user = session.get(User, by.user_id) if by.user_id else None
    return user.name if user else ""


def entries_of(session: Session, case: SupportCase, *, internal: bool) -> list[CaseEntry]:
    """The case's entries, oldest first; the seller's internal ones only if ``internal``."""
    query = select(CaseEntry).where(CaseEntry.case_id == case.id)
    if not internal:
        query = query.where(col(CaseEntry.kind).not_in(list(INTERNAL_KINDS)))
    return list(session.exec(query.order_by(col(CaseEntry.created_at), col(CaseEntry.id))).all())


def timeline(session: Session, entries: list[CaseEntry], *, seller: str) -> list[TimelineEntry]:
    """The entries as the shared timeline's data."""
    return timeline_entries(session, entries, seller=seller)


def case_page(session: Session, query: Any, *, page: int) -> CasePage:
    """One page of cases (newest activity first) of ``query``: a select of SupportCase
    already scoped by the caller."""
    found = recent_page(session, query, SupportCase, page=page, per_page=CASES_PER_PAGE)
    rows = [case_row(session, c) for c in found.rows]
    return CasePage(rows, found.total, found.page, found.page_count)


def case_row(session: Session, case: SupportCase) -> CaseRow:
    opener = session.get(User, case.opened_by_id)
    company = session.get(Company, case.company_id)
    assignee = session.get(StaffMember, case.assignee_id) if case.assignee_id else None
    return CaseRow(
        id=case.id or 0,
        number=case_number(case.id or 0),
        subject=case.subject,
        category=case.category,
        status=case.status,
        opened_by=opener.name if opener else "",
        company_id=case.company_id,
        company=company.name if company else "",
        assignee=assignee.name if assignee else "",
        created_at=case.created_at,
        updated_at=case.updated_at,
    )


def case_view(session: Session, case: SupportCase, *, internal: bool, seller: str) -> CaseView:
    rows = entries_of(session, case, internal=internal)
    entries = timeline(session, rows, seller=seller)
    opened = next((e for e in entries if e.kind == CaseEntryKind.OPENED), None)
    order = session.get(Order, case.order_id) if case.order_id else None
    followers = [
        u.name for u in (session.get(User, uid) for uid in follower_ids(session, case)) if u
    ]
    return CaseView(
        row=case_row(session, case),
        description=opened.body if opened else "",
        order_id=case.order_id,
        order_number=order_number(order) if order is not None else "",
        return_id=case.return_id,
        return_number=return_number(case.return_id) if case.return_id else "",
        followers=followers,
        entries=entries,
        first_answer=response_time(case.created_at, case.first_answer_at),
        total_time=response_time(case.created_at, case.solved_at),
        open=open_for_messages(case.status),
        entry_ids=[row.id or 0 for row in rows],
        files=attachments.of_case(session, case.id or 0, internal=internal),
    )
