"""E-mails delivered into the dev mailbox when no SMTP server is configured."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from customer_center.models.base import utcnow


class DevMail(SQLModel, table=True):
    __tablename__ = "dev_mail"

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(max_length=200, unique=True)
    to_address: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=300)
    text_body: str
    html_body: str
    created_at: datetime = Field(default_factory=utcnow, index=True)
