"""Support cases: a case of a customer company, its timeline (messages both ways, the
seller's internal notes, status changes) and who follows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from customer_center.domain.cases import CaseStatus
from customer_center.domain.principals import PrincipalKind
from customer_center.models.base import JsonColumn, utcnow


class SupportCase(SQLModel, table=True):
    __tablename__ = "support_case"
    __table_args__ = (Index("ix_support_case_company_created", "company_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id")
    opened_by_id: int = Field(foreign_key="user_account.id", index=True)
    subject: str = Field(max_length=200)
    category: str = Field(max_length=16)
    status: str = Field(default=CaseStatus.NEW, max_length=16, index=True)
    order_id: int | None = Field(default=None, foreign_key="customer_order.id")
    return_id: int | None = Field(default=None, foreign_key="return_request.id", index=True)
    assignee_id: int | None = Field(default=None, foreign_key="staff_member.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    first_answer_at: datetime | None = None  # the seller's first message to the customer
    solved_at: datetime | None = None


class CaseEntry(SQLModel, table=True):
    """One entry of a case's timeline; ``kind`` is a ``domain.cases.CaseEntryKind``."""

    __tablename__ = "case_entry"
    __table_args__ = (Index("ix_case_entry_case_created", "case_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="support_case.id")
    company_id: int = Field(foreign_key="company.id", index=True)
    kind: str = Field(max_length=32)
    # Who acted (``domain.principals.Attribution``): kind and id of the actor (a user or a
    # staff member), and the customer user the act counts for (None: the seller's own act).
    actor_kind: str = Field(default=PrincipalKind.SYSTEM, max_length=32)
    actor_ref: int | None = None
    actor_id: int | None = Field(default=None, foreign_key="user_account.id")
    body: str = Field(default="", max_length=4000)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonColumn))
    created_at: datetime = Field(default_factory=utcnow)


class CaseFollower(SQLModel, table=True):
    __tablename__ = "case_follower"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="support_case.id", index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class CaseAttachment(SQLModel, table=True):
    """A file attached to a case's entry. Uploaded first (``entry_id`` None: staged by its
    uploader, shown to nobody), then attached with the message or note it came with."""

    __tablename__ = "case_attachment"

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="support_case.id", index=True)
    entry_id: int | None = Field(default=None, foreign_key="case_entry.id", index=True)
    # Who uploaded it: ``domain.principals.PrincipalKind`` and the user's or staff member's id.
    uploader_kind: str = Field(max_length=32)
    uploader_ref: int
    filename: str = Field(max_length=120)
    media_type: str = Field(max_length=100)
    size: int
    created_at: datetime = Field(default_factory=utcnow)


class CaseAttachmentBlob(SQLModel, table=True):
    """The bytes of an attachment, apart so that lists never load them; in the database so
    that every worker serves them."""

    __tablename__ = "case_attachment_blob"

    attachment_id: int = Field(foreign_key="case_attachment.id", primary_key=True)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
