"""Who punched out when, what came in and what went back: the seller's agents (every company,
each look audited) and the main contact (their own company) read the same views."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, func, select

from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser, SellerAgent
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


@dataclass(frozen=True)
class PunchoutPage:
    sessions: list[SessionView]
    total: int
    errors: list[MessageView]  # refused messages of the company's connections, latest first


def _message(row: PunchoutMessage) -> MessageView:
    return MessageView(row.kind, row.status, row.error, row.raw, row.created_at)


def _page(session: Session, company_id: int, page: int) -> PunchoutPage:
    page = max(0, min(page, 10_000))
    total = session.exec(select(func.count()).where(PunchoutSession.company_id == company_id)).one()
    rows = session.exec(
        select(PunchoutSession, PunchoutConnection, User.email)
        .join(PunchoutConnection, col(PunchoutConnection.id) == PunchoutSession.connection_id)
        .outerjoin(User, col(User.id) == PunchoutSession.user_id)
        .where(PunchoutSession.company_id == company_id)
        .order_by(col(PunchoutSession.id).desc())
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    ids = [s.id for s, _c, _e in rows]
    messages: dict[int, list[MessageView]] = {}
    for m in session.exec(
        select(PunchoutMessage)
        .where(col(PunchoutMessage.session_id).in_(ids))
        .order_by(col(PunchoutMessage.id))
    ):
        messages.setdefault(m.session_id or 0, []).append(_message(m))
    errors = session.exec(
        select(PunchoutMessage)
        .where(PunchoutMessage.company_id == company_id, PunchoutMessage.status >= 400)
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
            )
            for s, c, email in rows
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
