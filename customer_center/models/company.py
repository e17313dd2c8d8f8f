"""A customer company that has activated the portal."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from customer_center.domain.staff import ActingPolicy
from customer_center.models.base import utcnow


class Company(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    customer_number: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=200)
    street: str = Field(default="", max_length=200)
    postal_code: str = Field(default="", max_length=20)
    city: str = Field(default="", max_length=100)
    country: str = Field(default="", max_length=2)
    currency: str = Field(default="EUR", max_length=3)
    language: str = Field(default="en", max_length=5)
    password_sign_in_enabled: bool = True
    activated_at: datetime = Field(default_factory=utcnow)
    # Whether the seller's agents may act for the company's users (set by its main contact).
    acting_policy: str = Field(
        default=ActingPolicy.NEVER, max_length=16, sa_column_kwargs={"server_default": "never"}
    )
