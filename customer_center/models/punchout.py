"""Punchout: a customer's procurement system (cXML or OCI) opens the catalogue for one of its
users and takes the cart back. Connections (credentials stored hashed), the sessions they
open, and every message that came in or went out (raw, for the seller's agents)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from customer_center.models.base import JsonColumn, utcnow


class PunchoutConnection(SQLModel, table=True):
    """One procurement system of one company. cXML names it by the Sender credential
    (``identity_domain``, ``identity``), OCI by the ``USERNAME`` field (``identity``); the
    shared secret (cXML) or password (OCI) is kept as its SHA-256 only."""

    __tablename__ = "punchout_connection"
    __table_args__ = (UniqueConstraint("protocol", "identity_domain", "identity"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    name: str = Field(max_length=100)
    protocol: str = Field(max_length=8)  # cxml | oci
    identity_domain: str = Field(default="", max_length=100)
    identity: str = Field(max_length=200)
    secret_hash: str = Field(max_length=64)
    default_role_id: int | None = Field(default=None, foreign_key="role.id")
    # Which extrinsic (cXML) or form field (OCI) names the user's role, and what each value means.
    role_field: str = Field(default="", max_length=100)
    role_mapping: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonColumn))
    user_field: str = Field(default="USER_EMAIL", max_length=100)  # OCI: the user's e-mail field
    allowed_origins: list[str] = Field(default_factory=list, sa_column=Column(JsonColumn))
    enabled: bool = Field(default=True)
    created_by_staff_id: int | None = Field(default=None, foreign_key="staff_member.id")
    created_at: datetime = Field(default_factory=utcnow)


class PunchoutSession(SQLModel, table=True):
    """One punchout: the setup request, the user it came for, what went back and the order
    that followed. ``reference`` is our cart reference (SupplierPartAuxiliaryID)."""

    __tablename__ = "punchout_session"

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    connection_id: int = Field(foreign_key="punchout_connection.id", index=True)
    reference: str = Field(max_length=40, unique=True, index=True)
    operation: str = Field(default="create", max_length=8)  # create | edit | inspect
    buyer_cookie: str = Field(default="", max_length=500)
    return_url: str = Field(default="", max_length=2000)  # BrowserFormPost/URL or HOOK_URL
    echo: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonColumn))
    user_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    user_created: bool = Field(default=False)
    auth_session_id: int | None = Field(default=None, foreign_key="auth_session.id", index=True)
    status: str = Field(default="set_up", max_length=16)
    setup_request: str = Field(default="", sa_column=Column(Text, nullable=False))
    transferred: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonColumn))
    transfer_message: str = Field(default="", sa_column=Column(Text, nullable=False))
    order_id: int | None = Field(default=None, foreign_key="customer_order.id")
    created_at: datetime = Field(default_factory=utcnow, index=True)
    opened_at: datetime | None = None
    transferred_at: datetime | None = None


class PunchoutMessage(SQLModel, table=True):
    """A message a procurement system sent (setup, order) with our answer: kept raw (cut at
    :data:`RAW_MAX` characters) so an agent sees exactly what came and what went wrong."""

    __tablename__ = "punchout_message"

    id: int | None = Field(default=None, primary_key=True)
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    connection_id: int | None = Field(default=None, foreign_key="punchout_connection.id")
    session_id: int | None = Field(default=None, foreign_key="punchout_session.id", index=True)
    kind: str = Field(max_length=16)  # setup | order | oci_setup
    status: int = Field(default=200)  # the HTTP / cXML status we answered
    error: str = Field(default="", max_length=64)
    raw: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)


class PunchoutOrder(SQLModel, table=True):
    """An OrderRequest taken: once per connection and payloadID, and once per orderID."""

    __tablename__ = "punchout_order"
    __table_args__ = (
        UniqueConstraint("connection_id", "payload_id"),
        UniqueConstraint("connection_id", "buyer_order_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    connection_id: int = Field(foreign_key="punchout_connection.id")
    payload_id: str = Field(max_length=250)
    buyer_order_id: str = Field(max_length=100)
    order_id: int = Field(foreign_key="customer_order.id")
    session_id: int | None = Field(default=None, foreign_key="punchout_session.id")
    created_at: datetime = Field(default_factory=utcnow)


RAW_MAX = 200_000
