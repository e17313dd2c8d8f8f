"""The token behind an approval e-mail's link: one approver, one order, single use.

Kept apart from :mod:`approval_links` (which decides through :mod:`approvals`) so that the
order e-mails can issue links without depending on the approval flow that sends them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session

from customer_center.domain import routes
from customer_center.models.order import Order
from customer_center.services.identity import one_time_tokens
from customer_center.settings import Settings

APPROVAL_LINK = "approval_link"
LINK_TTL = timedelta(days=14)


def issue_links(
    session: Session, settings: Settings, order: Order, approver_ids: list[int]
) -> dict[int, str]:
    """The addresses for each of ``approver_ids`` to decide ``order``, in one flush."""
    holders: list[tuple[int | None, dict[str, Any]]] = [
        (approver_id, {"order_id": order.id}) for approver_id in approver_ids
    ]
    raws = one_time_tokens.issue_all(session, APPROVAL_LINK, LINK_TTL, holders)
    return {
        approver_id: routes.link(settings.base_url, routes.APPROVE, token=raw)
        for approver_id, raw in zip(approver_ids, raws, strict=True)
    }
