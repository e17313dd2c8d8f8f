"""Acting on a customer's behalf: an agent's acting sessions and the users' consents."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from customer_center.models.base import utcnow


class ActingSession(SQLModel, table=True):
    """An agent of the seller acting for one customer user, within one staff sign-in session.
    Live while ``ended_at`` is empty and the last activity is recent enough."""

    __tablename__ = "acting_session"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff_member.id", index=True)
    staff_session_id: int = Field(foreign_key="staff_session.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    started_at: datetime = Field(default_factory=utcnow)
    last_activity_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None
    end_reason: str = Field(default="", max_length=16)  # ended, idle, signed_out, replaced


class ActingConsent(SQLModel, table=True):
    """An agent's request to act for a user under the policy "consent", and the user's answer:
    accepted, it lets the agent start acting until ``valid_until``."""

    __tablename__ = "acting_consent"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff_member.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    requested_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    decision: str = Field(default="", max_length=16)  # "", accepted, declined
    valid_until: datetime | None = None
