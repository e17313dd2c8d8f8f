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


PROOF_ERP = "erp"  # the seller's ERP lists the domain for the company's customer number
PROOF_DNS = "dns"  # the company published the TXT record the portal asked for


class SsoDomain(SQLModel, table=True):
    """An e-mail domain proven to be one company's: only these route a sign-in to the
    company's identity provider. A domain belongs to one company only."""

    __tablename__ = "sso_domain"

    domain: str = Field(max_length=253, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    proof: str = Field(default=PROOF_ERP, max_length=8)
    proven_at: datetime = Field(default_factory=utcnow)


class SsoDomainClaim(SQLModel, table=True):
    """A domain a company entered that is not proven yet: it waits for the TXT record with
    ``txt_value`` (random, one per company and domain). It routes nothing and keeps nobody
    else from claiming or proving the domain."""

    __tablename__ = "sso_domain_claim"
    __table_args__ = (UniqueConstraint("company_id", "domain"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    domain: str = Field(max_length=253)
    txt_value: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    checked_at: datetime | None = None


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
