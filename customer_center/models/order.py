"""Orders: header, lines per revision, approval steps, the timeline, carts.

An order is never edited in place once submitted: a change by an approver or a resubmission
by the requester writes a new revision (new lines with the next ``revision`` number, a new
``OrderRevision`` row) and bumps ``Order.revision``; ``Order.version`` is bumped by every
write and guards against concurrent decisions (optimistic locking).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Index, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from customer_center.domain.order_states import (
    OrderStatus,
    StepStatus,
)
from customer_center.domain.principals import PrincipalKind
from customer_center.models.base import JsonColumn, utcnow


class Order(SQLModel, table=True):
    __tablename__ = "customer_order"
    __table_args__ = (
        Index("ix_order_company_requester_submitted", "company_id", "requester_id", "submitted_at"),
        Index("ix_order_company_status_submitted", "company_id", "status", "submitted_at"),
        Index("ix_order_company_submitted", "company_id", "submitted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    requester_id: int = Field(foreign_key="user_account.id")
    status: str = Field(default=OrderStatus.DRAFT, max_length=24, index=True)
    currency: str = Field(default="EUR", max_length=3)
    total_cents: int = 0
    total_quantity: int = 0
    version: int = 1
    revision: int = 1
    reference: str = Field(default="", max_length=100)  # the company's own order reference
    delivery_address: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonColumn))
    billing_address: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonColumn))
    payment_method: str = Field(default="", max_length=32)
    shipping_method: str = Field(default="", max_length=32)
    erp_order_number: str | None = Field(default=None, max_length=64, index=True)
    # The VAT rate (percent) the ERP named for the company when the order was placed, like
    # the lines' prices a snapshot: the invoice totals in e-mails and on the order page.
    vat_rate: Decimal | None = Field(default=None, sa_column=Column(Numeric(5, 2), nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    decided_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class OrderLine(SQLModel, table=True):
    """One line of one revision; the current lines are those of ``Order.revision``."""

    __tablename__ = "order_line"
    __table_args__ = (Index("ix_order_line_order_revision", "order_id", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="customer_order.id")
    revision: int
    position: int
    sku: str = Field(max_length=64)
    name: str = Field(max_length=200)
    unit: str = Field(default="", max_length=16)
    quantity: int
    unit_price_cents: int
    line_total_cents: int


class OrderRevision(SQLModel, table=True):
    """Who made revision ``number`` of an order, why, and the header it had."""

    __tablename__ = "order_revision"
    __table_args__ = (UniqueConstraint("order_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="customer_order.id", index=True)
    number: int
    author_id: int = Field(foreign_key="user_account.id")
    reason: str = Field(max_length=24)  # submitted | changed | resubmitted
    comment: str = Field(default="", max_length=2000)
    header: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonColumn))
    total_cents: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class ApprovalStep(SQLModel, table=True):
    """One approver's part in one level of one revision's approval.

    ``approver_id`` is the designated approver; a substitute acting for them is resolved when
    the inbox is read (absences change over time) and recorded in ``decided_by_id``.
    """

    __tablename__ = "approval_step"
    __table_args__ = (
        Index("ix_step_company_approver_status", "company_id", "approver_id", "status"),
        Index("ix_step_order_revision", "order_id", "revision"),
        Index("ix_step_status_due", "status", "due_since"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id")
    order_id: int = Field(foreign_key="customer_order.id")
    revision: int
    level: int  # 0-based position in the route
    rule: str = Field(max_length=4)  # any | all
    approver_id: int = Field(foreign_key="user_account.id")
    status: str = Field(default=StepStatus.QUEUED, max_length=12)
    due_since: datetime | None = None  # when the step became waiting
    decided_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    decided_at: datetime | None = None
    reminded_at: datetime | None = None
    escalated_at: datetime | None = None


class OrderEvent(SQLModel, table=True):
    """The order's one timeline: submissions, decisions, changes, comments, ERP updates.

    ``external_key`` makes an update from the ERP idempotent (one event per key and order).
    """

    __tablename__ = "order_event"
    __table_args__ = (
        UniqueConstraint("order_id", "external_key"),
        Index("ix_order_event_order_created", "order_id", "created_at"),
        # a company's submissions of a month (the controller's dashboard)
        Index("ix_order_event_company_kind_created", "company_id", "kind", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    order_id: int = Field(foreign_key="customer_order.id")
    kind: str = Field(max_length=32)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id")
    # Who acted (``domain.principals.Attribution``): a user, a SCIM token, the portal itself;
    # ``actor_id`` names the customer user the change counts for.
    actor_kind: str = Field(
        default=PrincipalKind.SYSTEM, max_length=32, sa_column_kwargs={"server_default": "system"}
    )
    actor_ref: int | None = None
    revision: int | None = None
    body: str = Field(default="", max_length=4000)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonColumn))
    external_key: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=utcnow)


class CartItem(SQLModel, table=True):
    """A product in a user's cart; prices are taken from the ERP when the order is placed."""

    __tablename__ = "cart_item"
    __table_args__ = (UniqueConstraint("user_id", "sku"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    sku: str = Field(max_length=64)
    quantity: int
    added_at: datetime = Field(default_factory=utcnow)
