"""The embedded ERP's side of contact changes from the portal: the ``erp_contact`` rows.

A portal user is matched to the customer's contact by e-mail address (the previous one for a
changed address); a user the ERP does not know yet becomes contact ``P-<user id>``. The
embedded tables have no "inactive" flag, so a deactivated user's contact row is removed (a
real ERP marks it inactive instead).
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from customer_center.integrations.erp.protocol import ErpContactChange, ErpContactReceipt
from customer_center.integrations.erp.tables import (
    ErpContactRow,
    ErpCustomerRow,
    canonical_key,
)

PORTAL_CONTACT_PREFIX = "P-"


class UnknownCustomer(LookupError):
    """The change names a customer the ERP does not have."""


def apply_contact_change(session: Session, change: ErpContactChange) -> ErpContactReceipt:
    """Apply ``change`` in ``session`` (the caller commits)."""
    customer_number = canonical_key(change.customer_number)
    if session.get(ErpCustomerRow, customer_number) is None:
        raise UnknownCustomer(customer_number)
    row = _find(session, customer_number, change.previous_email or change.email)
    if row is None and change.previous_email:
        row = _find(session, customer_number, change.email)
    contact_id = row.contact_id if row else f"{PORTAL_CONTACT_PREFIX}{change.portal_user_id}"
    overwritten = _overwritten(row, change) if row is not None else {}
    if change.change == "deactivated":
        if row is not None:
            session.delete(row)
        return ErpContactReceipt(contact_id)
    if row is None:
        row = ErpContactRow(
            contact_id=contact_id, customer_number=customer_number, name="", email=""
        )
    row.name = change.name
    row.email = change.email.strip().lower()
    session.add(row)
    return ErpContactReceipt(contact_id, overwritten)


def _overwritten(row: ErpContactRow, change: ErpContactChange) -> dict[str, str]:
    """What the ERP had that the portal neither sends now nor had sent before."""
    found = {}
    if row.name not in (change.name, change.previous_name or change.name):
        found["name"] = row.name
    known = {change.email.strip().lower(), change.previous_email.strip().lower()}
    if row.email.strip().lower() not in known:
        found["email"] = row.email
    return found


def _find(session: Session, customer_number: str, email: str) -> ErpContactRow | None:
    query = select(ErpContactRow).where(
        ErpContactRow.customer_number == customer_number,
        func.lower(ErpContactRow.email) == email.strip().lower(),
    )
    return session.exec(query).first()
