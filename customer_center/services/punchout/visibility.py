"""Who punched out when, what came in and what went back: the seller's agents (every company,
each look audited) and the main contact (their own company) read the same views."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, func, select

from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser, SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.models.company import Company
from customer_center.models.punchout import PunchoutConnection, PunchoutMessage, PunchoutSession
from customer_center.models.user import User
from customer_center.services.seller.looks import company_to_view, record_look

PAGE_SIZE = 10  # each session carries its raw messages (cut) to the page
VIEWED_PUNCHOUT = "seller.viewed_punchout"


@dataclass(frozen=True)
class MessageView:
    kind: str
    status: int
    error: str
    raw: str
    at: datetime


@dataclass(frozen=True)
class SessionView:
    session_id: int
    at: datetime
    connection: str
    protocol: str
    operation: str
    user_email: str
    user_created: bool
    status: str
    transferred: dict
    setup_request: str
    transfer_message: str
    order_id: int | None
    messages: list[MessageView] = field(default_factory=list)
    company: str = ""  # in the list across all companies


@dataclass(frozen=True)
class PunchoutPage:
    sessions: list[SessionView]
    total: int
    errors: list[MessageView]  # refused messages of the company's connections, latest first


def _message(row: PunchoutMessage) -> MessageView:
    return MessageView(row.kind, row.status, row.error, row.raw, row.created_at)


def _page(session: Session, company_id: int | None, page: int) -> PunchoutPage:
    """A page of sessions, newest first: of one company, or of all (``company_id`` None)."""
    page = max(0, min(page, 10_000))
    scope = [] if company_id is None else [PunchoutSession.company_id == company_id]
    total = session.exec(select(func.count()).select_from(PunchoutSession).where(*scope)).one()
    rows = session.exec(
        select(PunchoutSession, PunchoutConnection, User.email, Company.name)
        .join(PunchoutConnection, col(PunchoutConnection.id) == PunchoutSession.connection_id)
        .join(Company, col(Company.id) == PunchoutSession.company_id)
        .outerjoin(User, col(User.id) == PunchoutSession.user_id)
        .where(*scope)
        .order_by(col(PunchoutSession.id).desc())
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    ids = [s.id for s, _c, _e, _n in rows]
    messages: dict[int, list[MessageView]] = {}
    for m in session.exec(
        select(PunchoutMessage)
        .where(col(PunchoutMessage.session_id).in_(ids))
        .order_by(col(PunchoutMessage.id))
    ):
        messages.setdefault(m.session_id or 0, []).append(_message(m))
    refused = [PunchoutMessage.status >= 400]
    if company_id is not None:
        refused.append(PunchoutMessage.company_id == company_id)
    errors = session.exec(
        select(PunchoutMessage)
        .where(*refused)
        .order_by(col(PunchoutMessage.id).desc())
        .limit(PAGE_SIZE)
    ).all()
    return PunchoutPage(
        sessions=[
            SessionView(
                session_id=s.id,  # type: ignore[arg-type]
                at=s.created_at,
                connection=c.name,
                protocol=c.protocol,
                operation=s.operation,
                user_email=email or "",
                user_created=s.user_created,
                status=s.status,
                transferred=dict(s.transferred),
                setup_request=s.setup_request,
                transfer_message=s.transfer_message,
                order_id=s.order_id,
                messages=messages.get(s.id or 0, []),
                company=company_name if company_id is None else "",
            )
            for s, c, email, company_name in rows
        ],
        total=total,
        errors=[_message(m) for m in errors],
    )


def company_punchouts(
    session: Session, principal: SellerAgent, *, company_id: object, page: int = 0
) -> PunchoutPage:
    """An agent's look at a company's punchout sessions (recorded in its audit log)."""
    company = company_to_view(session, principal, company_id=company_id)
    assert company.id is not None
    record_look(session, principal, company_id=company.id, action=VIEWED_PUNCHOUT)
    return _page(session, company.id, page)


def own_punchouts(session: Session, principal: CustomerUser, *, page: int = 0) -> PunchoutPage:
    """The main contact's view of the company's punchout sessions."""
    principal.require(Permission.COMPANY_MANAGE)
    return _page(session, principal.company_id, page)


def every_punchout(session: Session, principal: SellerAgent, *, page: int = 0) -> PunchoutPage:
    """The console's list of every punchout session of every company, newest first."""
    principal.require(StaffPermission.VIEW)
    return _page(session, None, page)
