"""The append-only audit log of every account and administrative change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, event
from sqlmodel import Field, SQLModel

from customer_center.domain.principals import PrincipalKind
from customer_center.models.base import JsonColumn, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_company_created", "company_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    actor_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    # Who acted (``domain.principals.Attribution``): a user, a SCIM token, the portal itself;
    # the user column above names the customer user the change counts for.
    actor_kind: str = Field(
        default=PrincipalKind.SYSTEM, max_length=32, sa_column_kwargs={"server_default": "system"}
    )
    actor_ref: int | None = None
    action: str = Field(max_length=64, index=True)
    target_type: str = Field(default="", max_length=32)
    target_id: str = Field(default="", max_length=64)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JsonColumn))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JsonColumn))
    ip_address: str = Field(default="", max_length=64)
    session_id: int | None = Field(default=None)  # the sign-in session the change came from
    created_at: datetime = Field(default_factory=utcnow, index=True)


class AuditLogIsAppendOnly(RuntimeError):
    pass


def _refuse_change(*_args: object) -> None:
    raise AuditLogIsAppendOnly("audit entries are never changed or deleted")


event.listen(AuditEntry, "before_update", _refuse_change)
event.listen(AuditEntry, "before_delete", _refuse_change)
