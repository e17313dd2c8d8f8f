"""ERP -> portal: contact changes the ERP reports (``POST /erp/contact-changes``) or that a
CSV import brought (``customer-center erp import``), compared with the portal's users.

Who wins: for a contact who is a portal user, the portal (the person and their main contact
maintain name and address in the portal); the ERP's differing values are recorded in the
company's audit log (``erp.contact_conflict``: the ERP's values as ``before``, the portal's
kept values as ``after``), and with the contact sync on the portal's values are sent to the
ERP again. For contacts who are no portal users the ERP is the master: the portal reads them
live (inviting ERP contacts), so nothing is stored here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from customer_center.domain.principals import SYSTEM
from customer_center.integrations.erp.protocol import ErpContact
from customer_center.integrations.erp.tables import canonical_key
from customer_center.models.company import Company
from customer_center.models.user import User
from customer_center.outbox.enqueue import enqueue
from customer_center.services import audit
from customer_center.services.people.erp_contact_sync import (
    ERP_CONTACT_CHANGED,
    contact_payload,
)
from customer_center.settings import Settings

CONTACT_CONFLICT = "erp.contact_conflict"
MAX_CHANGES = 1000

# Outcomes, one per reported contact.
IN_SYNC = "in_sync"  # a portal user with the same name and address
PORTAL_WINS = "portal_wins"  # a portal user with other values: kept, audited, sent again
NOT_A_USER = "not_a_user"  # no portal user: the ERP's contact as it is
UNKNOWN_CUSTOMER = "unknown_customer"  # no company in the portal has this customer number
REJECTED = "rejected"  # not a contact of the contract's shape


@dataclass(frozen=True)
class InboundContact:
    customer_number: str
    contact_id: str
    name: str
    email: str
    previous_email: str = ""


def inbound_of(data: Any) -> InboundContact | None:
    """A pushed contact (JSON object) or ``None`` when it breaks the contract."""
    if not isinstance(data, dict):
        return None
    fields = ("customer_number", "contact_id", "name", "email")
    values = {name: data.get(name) for name in fields}
    values["previous_email"] = data.get("previous_email") or ""
    if not all(isinstance(value, str) for value in values.values()):
        return None
    text = {name: str(value).strip()[:254] for name, value in values.items()}
    if not all(text[name] for name in fields):
        return None
    return InboundContact(**text)


def reconcile_contacts(
    session: Session, *, settings: Settings, contacts: Sequence[InboundContact]
) -> list[str]:
    """One outcome per contact, in the order given (the caller commits)."""
    return [_reconcile(session, settings, contact) for contact in contacts]


def reconcile_company(
    session: Session, *, settings: Settings, company: Company, contacts: Sequence[ErpContact]
) -> list[str]:
    """After a CSV import: the company's ERP contacts against its users, by address."""
    return reconcile_contacts(
        session,
        settings=settings,
        contacts=[
            InboundContact(company.customer_number, c.contact_id, c.name, c.email) for c in contacts
        ],
    )


def _reconcile(session: Session, settings: Settings, contact: InboundContact) -> str:
    company = session.exec(
        select(Company).where(Company.customer_number == canonical_key(contact.customer_number))
    ).first()
    if company is None:
        return UNKNOWN_CUSTOMER
    user = _user(session, company.id, contact.previous_email or contact.email)  # type: ignore[arg-type]
    if user is None and contact.previous_email:
        user = _user(session, company.id, contact.email)  # type: ignore[arg-type]
    if user is None:
        return NOT_A_USER
    theirs = {"name": contact.name, "email": contact.email.lower()}
    ours = {"name": user.name, "email": user.email}
    differing = [key for key in theirs if theirs[key] != ours[key]]
    if not differing:
        return IN_SYNC
    audit.record(
        session,
        CONTACT_CONFLICT,
        company_id=company.id,
        by=SYSTEM,
        target_type="user",
        target_id=user.id,
        before={"erp_contact_id": contact.contact_id, **{k: theirs[k] for k in differing}},
        after={k: ours[k] for k in differing},
    )
    if settings.erp_contact_sync:
        payload = contact_payload(user, "updated", contact.email.lower(), contact.name)
        enqueue(session, ERP_CONTACT_CHANGED, payload)
    return PORTAL_WINS


def _user(session: Session, company_id: int, email: str) -> User | None:
    return session.exec(
        select(User).where(
            User.company_id == company_id, func.lower(col(User.email)) == email.strip().lower()
        )
    ).first()
