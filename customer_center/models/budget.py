"""Spending limits: for one user, as the default of a role, or as the company's default."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from customer_center.models.base import utcnow


class BudgetRule(SQLModel, table=True):
    """Limits of one scope. ``subject_id`` is the role or user id, 0 for the company.

    Money is in minor units (cents) of the company currency; ``None`` means no limit.
    """

    __tablename__ = "budget_rule"
    __table_args__ = (UniqueConstraint("company_id", "scope", "subject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    scope: str = Field(max_length=8)
    subject_id: int = Field(default=0)
    max_quantity_per_order: int | None = None
    max_order_value_cents: int | None = None
    period: str | None = Field(default=None, max_length=8)  # month | quarter | year
    period_budget_cents: int | None = None
    updated_at: datetime = Field(default_factory=utcnow)
