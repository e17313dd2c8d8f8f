"""Returns and credit requests: a request about lines of one delivered order, its lines, its
timeline (who acted and for whom), and the return window the seller set for a company."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from customer_center.domain.principals import PrincipalKind
from customer_center.domain.returns import ReturnState
from customer_center.models.base import JsonColumn, utcnow


class ReturnRequest(SQLModel, table=True):
    """``kind`` is a ``domain.returns.ReturnKind``, ``state`` a ``ReturnState``."""

    __tablename__ = "return_request"
    __table_args__ = (
        Index("ix_return_request_company_created", "company_id", "created_at"),
        Index("ix_return_request_company_credited", "company_id", "credited_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id")
    order_id: int = Field(foreign_key="customer_order.id", index=True)
    requested_by_id: int = Field(foreign_key="user_account.id", index=True)
    kind: str = Field(max_length=16)
    state: str = Field(default=ReturnState.REQUESTED, max_length=16, index=True)
    reason: str = Field(max_length=24)
    condition: str = Field(default="", max_length=16)
    outcome: str = Field(max_length=16)
    comment: str = Field(default="", max_length=1000)
    currency: str = Field(default="EUR", max_length=3)
    credit_cents: int = 0  # what the credit note is asked for (accepted lines once received)
    rma_number: str = Field(default="", max_length=32)
    rejection_reason: str = Field(default="", max_length=500)
    credit_note_number: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    credit_requested_at: datetime | None = None  # asked of the ERP through the outbox
    credited_at: datetime | None = None


class ReturnLine(SQLModel, table=True):
    __tablename__ = "return_line"

    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="return_request.id", index=True)
    order_line_id: int = Field(foreign_key="order_line.id", index=True)
    position: int
    sku: str = Field(max_length=64)
    name: str = Field(max_length=200)
    quantity: int
    unit_credit_cents: int  # the unit price (a return, a short delivery) or the difference
    accepted_quantity: int | None = None  # recorded on receipt


class ReturnEntry(SQLModel, table=True):
    """One entry of a return's timeline; ``kind`` is ``return.<state>`` or ``return.note``."""

    __tablename__ = "return_entry"
    __table_args__ = (Index("ix_return_entry_return_created", "return_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="return_request.id")
    company_id: int = Field(foreign_key="company.id", index=True)
    kind: str = Field(max_length=32)
    # Who acted (``domain.principals.Attribution``): kind and id of the actor (a user or a
    # staff member), and the customer user the act counts for (None: the seller's own act).
    actor_kind: str = Field(default=PrincipalKind.SYSTEM, max_length=32)
    actor_ref: int | None = None
    actor_id: int | None = Field(default=None, foreign_key="user_account.id")
    body: str = Field(default="", max_length=1000)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonColumn))
    created_at: datetime = Field(default_factory=utcnow)


class ReturnPolicy(SQLModel, table=True):
    """The return window the seller set for one company (absent: the portal's default)."""

    __tablename__ = "return_policy"

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", unique=True)
    window_days: int
    set_by_id: int | None = Field(default=None, foreign_key="staff_member.id")
    updated_at: datetime = Field(default_factory=utcnow)
