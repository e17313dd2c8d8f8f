"""Portal users, company roles and the rights a role grants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from customer_center.domain.people import UserStatus
from customer_center.models.base import utcnow


class User(SQLModel, table=True):
    __tablename__ = "user_account"
    __table_args__ = (
        Index("ix_user_company_name", "company_id", "name"),
        Index("ix_user_company_external_id", "company_id", "external_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    # Stored lower-cased: the sign-in name, unique across all companies.
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=200)
    language: str = Field(default="en", max_length=5)
    password_hash: str | None = Field(default=None, max_length=255)
    is_main_contact: bool = Field(default=False)
    status: str = Field(default=UserStatus.ACTIVE, max_length=16, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    # Set on every change of the row (SCIM's lastModified).
    updated_at: datetime = Field(default_factory=utcnow, sa_column_kwargs={"onupdate": utcnow})
    last_sign_in_at: datetime | None = None
    # The id the company's own systems give this user (SCIM externalId).
    external_id: str | None = Field(default=None, max_length=255)


class Role(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    code: str = Field(max_length=64)
    name: str = Field(max_length=100)
    is_builtin: bool = Field(default=False)
    # The id the company's own systems give this role as a SCIM group.
    external_id: str | None = Field(default=None, max_length=255)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, sa_column_kwargs={"onupdate": utcnow})


class RolePermission(SQLModel, table=True):
    __tablename__ = "role_permission"

    role_id: int = Field(foreign_key="role.id", primary_key=True)
    permission: str = Field(max_length=64, primary_key=True)


class UserRole(SQLModel, table=True):
    __tablename__ = "user_role"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True)
    role_id: int = Field(foreign_key="role.id", primary_key=True, index=True)
