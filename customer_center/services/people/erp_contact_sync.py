"""Portal users -> ERP contacts: every user created, renamed, given a new e-mail address,
deactivated or reactivated becomes an outbox message for the ERP (``erp.contact_changed``).

One hook for every path that changes users (the main contact's pages, SCIM, SSO, activation,
the e-mail change link): after each flush, the changed ``User`` rows are queued in the same
transaction, so a change that rolls back sends nothing. On with ``CC_ERP_CONTACT_SYNC`` (the
default with ``CC_ERP=http``). Who wins on conflict: the portal, for its users' names and
addresses; the ERP reports what it had before and the handler records that overwrite in the
company's audit log (``erp.contact_overwritten``).
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import UOWTransaction
from sqlmodel import Session

from customer_center.db import session_scope
from customer_center.domain.people import UserStatus
from customer_center.domain.principals import SYSTEM
from customer_center.integrations.erp.protocol import (
    ContactChangeKind,
    ErpContactChange,
    ErpContactReceipt,
)
from customer_center.models.company import Company
from customer_center.models.user import User
from customer_center.outbox.enqueue import enqueue
from customer_center.outbox.relay import Handler
from customer_center.services import audit
from customer_center.settings import get_settings

ERP_CONTACT_CHANGED = "erp.contact_changed"
CONTACT_OVERWRITTEN = "erp.contact_overwritten"
_WATCHED = ("name", "email", "status")


def _previous(user: User, attribute: str) -> Any:
    history = inspect(user).attrs[attribute].history
    return history.deleted[0] if history.deleted else getattr(user, attribute)


def _is_contact(status: str) -> bool:
    """Active and invited users are the company's people; deactivated ones are not."""
    return status != UserStatus.INACTIVE


def _change_of(user: User, is_new: bool) -> tuple[ContactChangeKind, str, str] | None:
    """The contact change a flushed user makes, with the address the ERP knew, or ``None``."""
    if is_new:
        return ("created", "", "") if _is_contact(user.status) else None
    state = inspect(user)
    if not any(state.attrs[name].history.has_changes() for name in _WATCHED):
        return None
    previous_email, previous_name = _previous(user, "email"), _previous(user, "name")
    was_active = _is_contact(_previous(user, "status"))
    is_active = _is_contact(user.status)
    if was_active and not is_active:
        return "deactivated", previous_email, previous_name
    if is_active and not was_active:
        return "created", previous_email, previous_name
    if not is_active:
        return None  # an inactive user's details are no contact of the ERP's
    return "updated", previous_email, previous_name


def contact_payload(
    user: User, change: ContactChangeKind, previous_email: str, previous_name: str
) -> dict[str, Any]:
    return {
        "company_id": user.company_id,
        "user_id": user.id,
        "change": change,
        "name": user.name,
        "email": user.email,
        "previous_email": previous_email if previous_email != user.email else "",
        "previous_name": previous_name if previous_name != user.name else "",
        "language": user.language,
    }


def queue_contact_changes(session: OrmSession, _flush: UOWTransaction) -> None:
    """The ``after_flush`` hook (the flushed rows' history is still readable here)."""
    if not get_settings().erp_contact_sync:
        return
    users = [(u, True) for u in session.new if isinstance(u, User)]
    users += [(u, False) for u in session.dirty if isinstance(u, User)]
    for user, is_new in users:
        found = _change_of(user, is_new)
        if found is not None:
            enqueue(session, ERP_CONTACT_CHANGED, contact_payload(user, *found))  # type: ignore[arg-type]


def install() -> None:
    """Register the hook on every session (idempotent)."""
    if not event.contains(OrmSession, "after_flush", queue_contact_changes):
        event.listen(OrmSession, "after_flush", queue_contact_changes)


# --- delivery by the relay -------------------------------------------------------------------


class ContactReceiver(Protocol):
    """The one method of ``ErpClient`` the delivery needs (any ErpClient satisfies it)."""

    def apply_contact_change(
        self, change: ErpContactChange, message_id: str
    ) -> ErpContactReceipt: ...


def contact_change_handler(erp: ContactReceiver, engine: Engine) -> Handler:
    """The outbox handler of :data:`ERP_CONTACT_CHANGED`: no transaction is open while the
    ERP is called; an overwrite the ERP reports is recorded afterwards."""

    def deliver(payload: dict[str, Any], message_id: str) -> None:
        with session_scope(engine) as session:
            company = session.get(Company, payload["company_id"])
            if company is None:
                return  # the company is gone: nothing to tell the ERP
            change = ErpContactChange(
                change=payload["change"],
                customer_number=company.customer_number,
                portal_user_id=payload["user_id"],
                name=payload["name"],
                email=payload["email"],
                previous_email=payload.get("previous_email", ""),
                language=payload.get("language", ""),
                previous_name=payload.get("previous_name", ""),
            )
        receipt = erp.apply_contact_change(change, message_id)
        if receipt.overwritten:
            with session_scope(engine) as session:
                _record_overwrite(session, payload, receipt)

    return deliver


def _record_overwrite(
    session: Session, payload: dict[str, Any], receipt: ErpContactReceipt
) -> None:
    """The portal won a conflict: the ERP's values it replaced, in the company's audit log."""
    audit.record(
        session,
        CONTACT_OVERWRITTEN,
        company_id=payload["company_id"],
        by=SYSTEM,
        target_type="user",
        target_id=payload["user_id"],
        before={"erp_contact_id": receipt.contact_id, **receipt.overwritten},
        after={k: payload[k] for k in receipt.overwritten if k in ("name", "email")},
    )
