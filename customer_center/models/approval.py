"""Approver chains (for a user, a role's default or the company's default) and absences."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from customer_center.models.base import JsonColumn, utcnow


class ApprovalChain(SQLModel, table=True):
    """The ordered levels of one scope (``scope``/``subject_id`` as in ``BudgetRule``).

    ``levels`` is a list of ``{"rule": "any"|"all", "min_order_value_cents": int|None,
    "approvers": [{"user_id": int} | {"role_id": int}, ...]}``, validated by
    ``domain.chains`` before it is stored.
    """

    __tablename__ = "approval_chain"
    __table_args__ = (UniqueConstraint("company_id", "scope", "subject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    scope: str = Field(max_length=8)
    subject_id: int = Field(default=0)
    levels: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JsonColumn))
    updated_at: datetime = Field(default_factory=utcnow)


class Absence(SQLModel, table=True):
    """One planned absence of an approver: approvals due to them go to the substitute
    meanwhile. A person may plan several (``services.absences`` refuses overlapping ones)."""

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    substitute_id: int = Field(foreign_key="user_account.id", index=True)
    starts_on: date
    ends_on: date
    updated_at: datetime = Field(default_factory=utcnow)
