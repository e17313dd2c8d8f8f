"""The rows of a case's or a return's timeline as the shared timeline's data: who acted
(the customer user's name, or the seller's agent and the seller's name), what, when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session, col, select

from customer_center.domain.principals import PrincipalKind
from customer_center.domain.timeline import TimelineEntry
from customer_center.models.staff import StaffMember
from customer_center.models.user import User


class EntryRow(Protocol):
    """A timeline row (``CaseEntry``, ``ReturnEntry``): kind, actor, body, data, time."""

    kind: str
    actor_kind: str
    actor_ref: int | None
    actor_id: int | None
    body: str
    data: dict[str, Any]
    created_at: datetime


def timeline_entries(
    session: Session, entries: Sequence[EntryRow], *, seller: str
) -> list[TimelineEntry]:
    """The entries, in their order, with the names of who acted (two queries)."""
    users = _names(session, User, {e.actor_id for e in entries})
    staff = _names(session, StaffMember, {e.actor_ref for e in entries if _by_staff(e)})
    return [
        TimelineEntry(
            kind=e.kind,
            when=e.created_at,
            actor=users.get(e.actor_id or 0, ""),
            actor_kind=e.actor_kind,
            data=dict(e.data or {}),
            body=e.body,
            agent=staff.get(e.actor_ref or 0, "") if _by_staff(e) else "",
            seller=seller if _by_staff(e) else "",
        )
        for e in entries
    ]


def _by_staff(entry: EntryRow) -> bool:
    return entry.actor_kind == PrincipalKind.SELLER_AGENT


def _names(session: Session, table: Any, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    rows = session.exec(select(table.id, table.name).where(col(table.id).in_(wanted))).all()
    return {row_id: name for row_id, name in rows}
