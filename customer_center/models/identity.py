"""Company identity: single sign-on through the company's own OpenID Connect provider, the
identities users signed in with, and the bearer tokens of the company's SCIM provisioning."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from customer_center.models.base import JsonColumn, utcnow


class SsoConfig(SQLModel, table=True):
    """One company's OpenID Connect provider. The client secret is stored encrypted."""

    __tablename__ = "sso_config"

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", unique=True, index=True)
    issuer: str = Field(max_length=500)
    client_id: str = Field(max_length=255)
    client_secret_encrypted: str = Field(default="", max_length=2000)
    # The claim whose values name the user's groups, and which portal role each value means.
    role_claim: str = Field(default="groups", max_length=100)
    role_mapping: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonColumn))
    default_role_id: int | None = Field(default=None, foreign_key="role.id")
    enabled: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SsoDomain(SQLModel, table=True):
    """An e-mail domain that belongs to one company's identity provider; never to two."""

    __tablename__ = "sso_domain"

    domain: str = Field(max_length=253, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)


class UserIdentity(SQLModel, table=True):
    """A user's account at the company's identity provider (issuer + subject)."""

    __tablename__ = "user_identity"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    issuer: str = Field(max_length=500)
    subject: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow)
    last_sign_in_at: datetime | None = None


class ScimToken(SQLModel, table=True):
    """A bearer token of the company's SCIM endpoint. Only the SHA-256 of it is stored."""

    __tablename__ = "scim_token"

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    label: str = Field(default="", max_length=100)
    created_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
