"""Controlling's view of returns: the value credited per month over the last twelve months
(by the day the ERP's credit note was recorded), one conditional sum per month in SQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from customer_center.domain.permissions import Permission
from customer_center.domain.portal_time import start_of_local_day
from customer_center.domain.principals import CustomerUser
from customer_center.models.returns import ReturnRequest
from customer_center.services.controlling import MONTHS, Spend
from customer_center.services.people.budgets import local_today


def _month_start(day: date, back: int) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def returned_per_month(
    session: Session, principal: CustomerUser, *, today: date | None = None
) -> list[Spend]:
    """The company's credited returns and credit requests per month, oldest first."""
    principal.require(Permission.REPORTS_VIEW)
    today = today or local_today()
    starts = [_month_start(today, back) for back in range(MONTHS - 1, -2, -1)]
    bounds = [start_of_local_day(day) for day in starts]
    credited = col(ReturnRequest.credited_at)
    sums = [
        func.coalesce(
            func.sum(
                case((and_(credited >= low, credited < high), ReturnRequest.credit_cents), else_=0)
            ),
            0,
        )
        for low, high in zip(bounds, bounds[1:], strict=False)
    ]
    row = session.execute(
        sa_select(*sums).where(
            col(ReturnRequest.company_id) == principal.company_id,
            credited >= bounds[0],
            credited < bounds[-1],
        )
    ).one()
    return [Spend(day.isoformat(), int(cents)) for day, cents in zip(starts, row, strict=False)]
