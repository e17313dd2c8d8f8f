"""Which e-mails a user wants: the account page's choices, and the filter the senders ask.

No row means the user wants the kind (everyone receives everything until they turn it off).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from customer_center.domain.errors import ServiceError
from customer_center.domain.notifications import NOTIFICATION_KINDS, NotificationKind, parse_kind
from customer_center.domain.principals import CustomerUser
from customer_center.models.account import NotificationChoice
from customer_center.models.base import utcnow
from customer_center.services import audit


def wanted_by(session: Session, *, user_ids: Iterable[int], kind: NotificationKind) -> set[int]:
    """Those of ``user_ids`` who want e-mails of ``kind`` (one query for all of them)."""
    ids = set(user_ids)
    if not ids:
        return set()
    refused = session.exec(
        select(NotificationChoice.user_id).where(
            col(NotificationChoice.user_id).in_(ids),
            NotificationChoice.kind == kind.value,
            col(NotificationChoice.wanted).is_(False),
        )
    ).all()
    return ids - set(refused)


def wants(session: Session, *, user_id: int, kind: NotificationKind) -> bool:
    return bool(wanted_by(session, user_ids=[user_id], kind=kind))


def my_choices(session: Session, principal: CustomerUser) -> dict[NotificationKind, bool]:
    """Every kind with whether the signed-in user wants it."""
    rows = session.exec(
        select(NotificationChoice.kind, NotificationChoice.wanted).where(
            NotificationChoice.user_id == principal.user_id
        )
    ).all()
    stored = {kind: wanted for kind, wanted in rows}
    return {kind: stored.get(kind.value, True) for kind in NOTIFICATION_KINDS}


def set_my_choices(
    session: Session, principal: CustomerUser, *, wanted: Iterable[object]
) -> dict[NotificationKind, bool]:
    """Keep exactly the kinds in ``wanted`` (the ticked boxes); anything not a kind is
    refused. The change is audited with the kinds before and after."""
    kinds = [parse_kind(value) for value in wanted]
    if any(kind is None for kind in kinds):
        raise ServiceError("error.invalid_input")
    chosen = {kind for kind in kinds if kind is not None}
    before = my_choices(session, principal)
    after = {kind: kind in chosen for kind in NOTIFICATION_KINDS}
    if before == after:
        return after
    rows = {
        row.kind: row
        for row in session.exec(
            select(NotificationChoice).where(NotificationChoice.user_id == principal.user_id)
        ).all()
    }
    for kind, want in after.items():
        row = rows.get(kind.value) or NotificationChoice(user_id=principal.user_id, kind=kind)
        row.wanted, row.changed_at = want, utcnow()
        session.add(row)
    audit.record(
        session,
        "user.notifications_changed",
        company_id=principal.company_id,
        by=principal.attribution,
        target_type="user",
        target_id=principal.user_id,
        before={"off": sorted(k.value for k, v in before.items() if not v)},
        after={"off": sorted(k.value for k, v in after.items() if not v)},
    )
    return after
