"""Which acting session a staff sign-in session is in, if any (for resolving the principal of
a customer-side event sent by an agent acting for a user)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from customer_center.models.acting import ActingSession
from customer_center.models.base import utcnow

# Writing the last activity on every event would cost a write per click: once per window
# (a quarter of the idle time when that is shorter, as in tests).
ACTIVITY_WRITE_EVERY = timedelta(seconds=30)


@dataclass(frozen=True)
class LiveActing:
    acting_session_id: int
    company_id: int
    user_id: int
    ends_at: datetime  # when it ends unless the agent does something


def open_rows(session: Session, staff_session_id: int) -> list[ActingSession]:
    """The staff session's acting sessions not ended yet (idle ones included)."""
    return list(
        session.exec(
            select(ActingSession)
            .where(
                ActingSession.staff_session_id == staff_session_id,
                col(ActingSession.ended_at).is_(None),
            )
            .order_by(col(ActingSession.id))
        ).all()
    )


def is_idle(row: ActingSession, idle_minutes: float, now: datetime | None = None) -> bool:
    return row.last_activity_at + timedelta(minutes=idle_minutes) <= (now or utcnow())


def live_acting(
    session: Session, staff_session_id: int, *, idle_minutes: float, refresh: bool
) -> LiveActing | None:
    """The staff session's live acting session (none once idle too long: the services end
    it). ``refresh``: the event counts as activity (the session check's polling does not)."""
    rows = open_rows(session, staff_session_id)
    if not rows:
        return None
    row = rows[-1]
    now = utcnow()
    if is_idle(row, idle_minutes, now):
        return None
    every = min(ACTIVITY_WRITE_EVERY, timedelta(minutes=idle_minutes) / 4)
    if refresh and now - row.last_activity_at >= every:
        row.last_activity_at = now
        session.add(row)
    assert row.id is not None
    ends_at = row.last_activity_at + timedelta(minutes=idle_minutes)
    return LiveActing(row.id, row.company_id, row.user_id, ends_at)
