"""The token behind an approval e-mail's link: one approver, one order, single use.

Kept apart from :mod:`approval_links` (which decides through :mod:`approvals`) so that the
order e-mails can issue links without depending on the approval flow that sends them.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from customer_center.domain import routes
from customer_center.models.order import Order
from customer_center.services.identity import one_time_tokens
from customer_center.settings import Settings

APPROVAL_LINK = "approval_link"
LINK_TTL = timedelta(days=14)


def issue_link(session: Session, settings: Settings, order: Order, approver_id: int) -> str:
    """The address for ``approver_id`` to decide ``order`` from the e-mail."""
    raw = one_time_tokens.issue(
        session, APPROVAL_LINK, LINK_TTL, user_id=approver_id, payload={"order_id": order.id}
    )
    return routes.link(settings.base_url, routes.APPROVE, token=raw)
