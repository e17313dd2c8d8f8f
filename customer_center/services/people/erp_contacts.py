"""Taking over employees the ERP already knows as contacts of the company."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from customer_center.domain.email_address import normalize_email
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.inputs import parse_id
from customer_center.domain.principals import CustomerUser
from customer_center.integrations.erp.protocol import ErpClient, ErpContact
from customer_center.models.company import Company
from customer_center.services.people.inviting import invite_users
from customer_center.services.people.user_import import addresses_in_use
from customer_center.services.people.users import NewUser
from customer_center.settings import Settings

MAX_SELECTED = 200
PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class ContactView:
    contact_id: str
    name: str
    email: str
    role: str


@dataclass(frozen=True)
class ContactPage:
    contacts: list[ContactView]
    total: int
    page: int
    page_count: int


def _company_contacts(
    session: Session, principal: CustomerUser, erp: ErpClient
) -> list[ErpContact]:
    """The ERP contacts of the principal's own company: its customer number, never one sent in."""
    company = session.get(Company, principal.company_id)
    assert company is not None
    return erp.list_contacts(company.customer_number)


def erp_contacts_not_yet_users(
    session: Session,
    principal: CustomerUser,
    *,
    erp: ErpClient,
    search: str = "",
    page: int = 0,
    page_size: int | None = None,
) -> ContactPage:
    """One page of the company's ERP contacts whose address is no portal user yet, by name,
    filtered by ``search`` in name or address. The ERP hands over a customer's contacts in one
    list, so the filter and the page are cut here; only the page leaves this function."""
    contacts = [c for c in _company_contacts(session, principal, erp) if c.email.strip()]
    taken = addresses_in_use(session, [normalize_email(c.email) for c in contacts])
    needle = search.strip().lower()
    wanted = [
        ContactView(c.contact_id, c.name, c.email, c.role)
        for c in sorted(contacts, key=lambda c: (c.name.lower(), c.contact_id))
        if normalize_email(c.email) not in taken
        and (not needle or needle in c.name.lower() or needle in c.email.lower())
    ]
    size = min(max(page_size or PAGE_SIZE, 1), MAX_PAGE_SIZE)
    page_count = max(1, -(-len(wanted) // size))
    page = min(max(page, 0), page_count - 1)
    return ContactPage(wanted[page * size : (page + 1) * size], len(wanted), page, page_count)


def invite_erp_contacts(
    session: Session,
    principal: CustomerUser,
    *,
    settings: Settings,
    erp: ErpClient,
    contact_ids: Sequence[str],
    role_ids: tuple[int, ...],
    language: str,
    roles_by_contact: Mapping[str, tuple[int, ...]] | None = None,
) -> list[int]:
    """Invite the chosen contacts; names and addresses come from the ERP, not the browser.
    Each gets the roles chosen for them (``roles_by_contact``), or else ``role_ids``."""
    wanted = list(dict.fromkeys(contact_ids))
    if not wanted:
        raise ValidationFailed({"contacts": ("erp_contacts.none_selected", {})})
    if len(wanted) > MAX_SELECTED:
        raise ValidationFailed({"contacts": ("erp_contacts.too_many", {"max": MAX_SELECTED})})
    known = {c.contact_id: c for c in _company_contacts(session, principal, erp)}
    if any(contact_id not in known for contact_id in wanted):
        raise ServiceError("erp_contacts.unknown")
    chosen = [known[contact_id] for contact_id in wanted]
    try:
        return invite_users(
            session,
            principal,
            settings=settings,
            users=[
                NewUser(
                    c.name,
                    c.email,
                    language,
                    (roles_by_contact or {}).get(c.contact_id) or role_ids,
                )
                for c in chosen
            ],
        )
    except ValidationFailed as failure:
        raise ValidationFailed(_by_contact(failure, chosen)) from failure


def _by_contact(
    failure: ValidationFailed, chosen: list[ErpContact]
) -> dict[str, tuple[str, dict[str, object]]]:
    """Row errors named after the contact; role and language errors concern the whole form."""
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    for key, (code, params) in failure.errors.items():
        index, _, field = key.partition(".")
        row = parse_id(index)
        if field in ("roles", "language") or row is None or row >= len(chosen):
            errors[field or key] = (code, params)
        else:
            contact = chosen[row]
            errors["contacts"] = (
                "erp_contacts.row_problem",
                {"name": contact.name, "email": contact.email},
            )
    return errors
