"""The order header that budgets count against (lines, revisions and events come with ordering)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from customer_center.models.base import utcnow

STATUS_DRAFT = "draft"
STATUS_PENDING_APPROVAL = "pending_approval"
STATUS_APPROVED = "approved"
STATUS_REJECTED = "rejected"
STATUS_CANCELLED = "cancelled"

# Orders in these states do not use budget; pending ones reserve it; every other state spends.
NOT_COUNTED_STATUSES = frozenset({STATUS_DRAFT, STATUS_REJECTED, STATUS_CANCELLED})
RESERVING_STATUSES = frozenset({STATUS_PENDING_APPROVAL})


class Order(SQLModel, table=True):
    __tablename__ = "customer_order"
    __table_args__ = (
        Index("ix_order_company_requester_submitted", "company_id", "requester_id", "submitted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    requester_id: int = Field(foreign_key="user_account.id")
    status: str = Field(default=STATUS_DRAFT, max_length=24, index=True)
    currency: str = Field(default="EUR", max_length=3)
    total_cents: int = 0
    total_quantity: int = 0
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
