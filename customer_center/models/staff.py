"""The seller's customer-care staff: members, their sign-in sessions, and account teams."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from customer_center.domain.staff import StaffStatus
from customer_center.models.base import JsonColumn, utcnow


class StaffMember(SQLModel, table=True):
    """A member of the seller's staff. Rights are a list of ``StaffPermission`` values."""

    __tablename__ = "staff_member"

    id: int | None = Field(default=None, primary_key=True)
    # Stored lower-cased: the sign-in name of the seller's side (customers' are apart).
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=200)
    password_hash: str | None = Field(default=None, max_length=255)
    rights: list[str] = Field(default_factory=list, sa_column=Column(JsonColumn, nullable=False))
    status: str = Field(default=StaffStatus.INVITED, max_length=16, index=True)
    language: str = Field(default="en", max_length=5)
    last_sign_in_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, sa_column_kwargs={"onupdate": utcnow})


class StaffSession(SQLModel, table=True):
    """A browser signed in on the seller's side. Only the SHA-256 of the cookie is stored."""

    __tablename__ = "staff_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    staff_id: int = Field(foreign_key="staff_member.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    ip_address: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=300)


class AccountTeamMember(SQLModel, table=True):
    """A staff member looking after a customer company, in a team role."""

    __tablename__ = "account_team_member"
    __table_args__ = (UniqueConstraint("company_id", "staff_id"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    staff_id: int = Field(foreign_key="staff_member.id", index=True)
    team_role: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow)
