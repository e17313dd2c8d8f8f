"""The e-mail to a customer user when an agent's acting session for them ends: what was done
on their behalf (the orders the agent placed, from the session's audit entries)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from customer_center.domain import routes
from customer_center.domain.orders import number_of
from customer_center.domain.principals import PrincipalKind
from customer_center.models.acting import ActingSession
from customer_center.models.audit import AuditEntry
from customer_center.models.staff import StaffMember
from customer_center.models.user import User
from customer_center.services import emails
from customer_center.services.shop.checkout import ORDER_PLACED_FOR_USER
from customer_center.settings import get_settings


def orders_placed(session: Session, row: ActingSession) -> list[int]:
    """The ids of the orders the agent placed for the user during the acting session."""
    ids = session.exec(
        select(AuditEntry.target_id)
        .where(
            AuditEntry.company_id == row.company_id,
            AuditEntry.action == ORDER_PLACED_FOR_USER,
            AuditEntry.actor_kind == PrincipalKind.SELLER_AGENT,
            AuditEntry.actor_ref == row.staff_id,
            AuditEntry.actor_user_id == row.user_id,
            col(AuditEntry.created_at) >= row.started_at,
        )
        .order_by(col(AuditEntry.id))
    ).all()
    return [int(value) for value in ids if str(value).isdigit()]


def send_summary(session: Session, row: ActingSession) -> None:
    """Queue the summary e-mail to the user (the outbox sends it)."""
    user = session.get(User, row.user_id)
    member = session.get(StaffMember, row.staff_id)
    if user is None or member is None or row.ended_at is None:
        return
    settings = get_settings()
    emails.queue(
        session,
        to=user.email,
        lang=user.language,
        template="acting_summary",
        link=routes.link(settings.base_url, routes.ORDERS),
        dedup_key=f"acting-summary:{row.id}",
        name=user.name,
        agent=member.name,
        seller=settings.seller_name,
        started_at=row.started_at,
        ended_at=row.ended_at,
        acting_orders=[number_of(order_id) for order_id in orders_placed(session, row)],
    )
