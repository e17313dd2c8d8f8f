"""Company activation: ERP evidence -> verification e-mail -> password -> company + main contact."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from sqlmodel import Session, select

from customer_center.auth.passwords import hash_password
from customer_center.domain import routes
from customer_center.domain.email_address import is_valid_email, normalize_email
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.languages import normalize_language
from customer_center.domain.password_policy import new_password_errors
from customer_center.domain.permissions import BUILTIN_ROLES, MAIN_CONTACT_ROLE
from customer_center.domain.principals import by_user
from customer_center.integrations.erp.protocol import ErpClient, ErpCustomer, ErpUnavailable
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.user import Role, RolePermission, User, UserRole
from customer_center.outbox.enqueue import enqueue
from customer_center.outbox.handlers import ERP_COMPANY_ACTIVATED
from customer_center.services import audit
from customer_center.services.identity import one_time_tokens
from customer_center.services.identity.rate_limit import (
    Limit,
    failures_since,
    minutes_blocked,
    record_attempt,
)
from customer_center.settings import Settings

# Failures lock per (customer number, client address) and per client address, never per
# customer alone: otherwise anyone could lock the genuine main contact out. Failures for one
# customer from many addresses only slow every further attempt for it down.
ACTIVATION_LIMIT = Limit(kind="activation", max_failures=5, window=timedelta(minutes=15))
ACTIVATION_ADDRESS_LIMIT = Limit(
    kind="activation_address", max_failures=20, window=timedelta(minutes=15)
)
ACTIVATION_CUSTOMER_SLOWDOWN = Limit(
    kind="activation_customer", max_failures=10, window=timedelta(minutes=15)
)
SLOWDOWN_SECONDS = 3.0
ACTIVATION_LINK_TTL = timedelta(hours=24)
POLICY_CONTACT_ONLY = "contact_only"


@dataclass(frozen=True)
class ActivationRequest:
    customer_number: str
    invoice_number: str
    email: str
    ip_address: str
    language: str


@dataclass(frozen=True)
class PendingActivation:
    """What the confirmation page shows before the password is chosen."""

    company_name: str
    email: str
    suggested_name: str


def validate_request_fields(request: ActivationRequest) -> None:
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    for field in ("customer_number", "invoice_number", "email"):
        if not getattr(request, field).strip():
            errors[field] = ("form.required", {})
    if "email" not in errors and not is_valid_email(request.email):
        errors["email"] = ("form.email_invalid", {})
    if errors:
        raise ValidationFailed(errors)


def request_activation(
    session: Session, erp: ErpClient, settings: Settings, request: ActivationRequest
) -> None:
    """Check the details against the ERP and e-mail a verification link.

    Raises ServiceError; a mismatch is recorded as a failed attempt, which the caller must
    commit even though the request was refused (see :func:`record_failure`).
    """
    validate_request_fields(request)
    wait = max(
        minutes_blocked(session, ACTIVATION_LIMIT, [_pair_key(request)], utcnow()),
        minutes_blocked(session, ACTIVATION_ADDRESS_LIMIT, [_address_key(request)], utcnow()),
    )
    if wait:
        raise ServiceError("activation.rate_limited", minutes=wait)
    match = _erp_answer(_match, erp, settings, request)
    if match is None:
        raise ServiceError("activation.mismatch")
    customer = match.customer
    if _company_exists(session, customer.customer_number):
        raise ServiceError("activation.already_active")
    email = normalize_email(request.email)
    record_attempt(session, ACTIVATION_LIMIT.kind, [_pair_key(request)], succeeded=True)
    one_time_tokens.send_link(
        session,
        purpose=one_time_tokens.ACTIVATION,
        ttl=ACTIVATION_LINK_TTL,
        base_url=settings.base_url,
        path=routes.ACTIVATE_CONFIRM,
        payload={
            "customer_number": customer.customer_number,
            "email": email,
            "name": match.contact_name,
            "language": normalize_language(request.language),
        },
        to=email,
        lang=request.language,
        template="activation",
        company=customer.name,
        name=match.contact_name,  # the ERP contact's name; none: a greeting without a name
    )


def record_failure(session: Session, request: ActivationRequest) -> None:
    """Count a refused attempt; called in its own transaction after a refusal."""
    record_attempt(session, ACTIVATION_LIMIT.kind, [_pair_key(request)], succeeded=False)
    record_attempt(session, ACTIVATION_ADDRESS_LIMIT.kind, [_address_key(request)], False)
    record_attempt(session, ACTIVATION_CUSTOMER_SLOWDOWN.kind, [_customer_key(request)], False)


def slowdown_seconds(session: Session, request: ActivationRequest) -> float:
    """How long to hold an attempt for a customer that many addresses got wrong lately.

    Never a refusal: the caller with the right details still gets through, only later.
    """
    since = utcnow() - ACTIVATION_CUSTOMER_SLOWDOWN.window
    kind, key = ACTIVATION_CUSTOMER_SLOWDOWN.kind, _customer_key(request)
    failures = failures_since(session, kind, key, since)
    return SLOWDOWN_SECONDS if len(failures) >= ACTIVATION_CUSTOMER_SLOWDOWN.max_failures else 0.0


ERP_UNAVAILABLE = "activation.erp_unavailable"
T = TypeVar("T")


def _erp_answer(ask: Callable[..., T], *args: Any) -> T:
    """The ERP's answer; while it cannot be reached, "try again shortly" (nothing is counted
    as a failed attempt and the link stays valid)."""
    try:
        return ask(*args)
    except ErpUnavailable as error:
        raise ServiceError(ERP_UNAVAILABLE) from error


@dataclass(frozen=True)
class _Match:
    customer: ErpCustomer
    contact_name: str  # "" when the address is admitted by its domain only


def _match(erp: ErpClient, settings: Settings, request: ActivationRequest) -> _Match | None:
    """The customer these details prove, or None; each detail is one ERP lookup."""
    customer = erp.get_customer(request.customer_number.strip())
    if customer is None or not customer.allowed:
        return None
    invoice = erp.get_invoice(request.invoice_number.strip())
    if invoice is None or invoice.customer_number != customer.customer_number:
        return None
    email = normalize_email(request.email)
    contact = erp.find_contact(customer.customer_number, email)
    if contact is None and not _domain_admits(settings, customer, email):
        return None
    return _Match(customer, contact.name if contact else "")


def _domain_admits(settings: Settings, customer: ErpCustomer, email: str) -> bool:
    if settings.activation_email_policy == POLICY_CONTACT_ONLY:
        return False
    domain = email.rsplit("@", 1)[-1]
    return domain in {d.strip().lower() for d in customer.email_domains}


def customer_key(customer_number: str) -> str:
    """The attempt key of a customer number (alone, and the first half of a pair key)."""
    return f"customer:{customer_number.strip().lower()}"


def _customer_key(request: ActivationRequest) -> str:
    return customer_key(request.customer_number)


def _address_key(request: ActivationRequest) -> str:
    return f"ip:{request.ip_address}"


def _pair_key(request: ActivationRequest) -> str:
    return f"{_customer_key(request)}|{_address_key(request)}"


def _company_exists(session: Session, customer_number: str) -> bool:
    found = session.exec(
        select(Company.id).where(Company.customer_number == customer_number)
    ).first()
    return found is not None


def pending_activation(session: Session, erp: ErpClient, raw_token: str) -> PendingActivation:
    """Validate the link (without using it up) and say what it will activate."""
    token = one_time_tokens.peek(session, one_time_tokens.ACTIVATION, raw_token)
    payload = token.payload
    if _company_exists(session, payload["customer_number"]):
        raise ServiceError("activation.already_active")
    customer = _erp_answer(erp.get_customer, payload["customer_number"])
    if customer is None or not customer.allowed:
        raise ServiceError("activation.mismatch")
    return PendingActivation(
        company_name=customer.name,
        email=payload["email"],
        suggested_name=payload.get("name", ""),
    )


def complete_activation(
    session: Session,
    erp: ErpClient,
    *,
    raw_token: str,
    name: str,
    password: str,
    password_repeat: str,
    ip_address: str = "",
) -> User:
    """Use the link: create the company, its roles and its main contact in one transaction."""
    token = one_time_tokens.peek(session, one_time_tokens.ACTIVATION, raw_token)
    payload = token.payload
    _validate_account_fields(name, password, password_repeat, payload["email"])
    customer = _erp_answer(erp.get_customer, payload["customer_number"])
    if customer is None or not customer.allowed:
        raise ServiceError("activation.mismatch")
    if _company_exists(session, customer.customer_number):
        raise ServiceError("activation.already_active")
    one_time_tokens.consume(session, one_time_tokens.ACTIVATION, raw_token)
    company = _create_company(session, customer)
    user = _create_main_contact(session, company, payload, name.strip(), password)
    audit.record(
        session,
        "company.activated",
        company_id=company.id,
        by=by_user(user.id),
        target_type="company",
        target_id=company.id,
        after={"customer_number": company.customer_number, "main_contact": user.email},
        ip_address=ip_address,
    )
    enqueue(
        session,
        ERP_COMPANY_ACTIVATED,
        {"customer_number": company.customer_number, "main_contact_email": user.email},
        dedup_key=f"{ERP_COMPANY_ACTIVATED}:{company.customer_number}",
    )
    return user


def _validate_account_fields(name: str, password: str, repeat: str, email: str) -> None:
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    if not name.strip():
        errors["name"] = ("form.required", {})
    elif len(name.strip()) > 200:
        errors["name"] = ("form.too_long", {"max": 200})
    errors.update(new_password_errors(password, repeat, email))
    if errors:
        raise ValidationFailed(errors)


def _create_company(session: Session, customer: ErpCustomer) -> Company:
    company = Company(
        customer_number=customer.customer_number,
        name=customer.name,
        street=customer.street,
        postal_code=customer.postal_code,
        city=customer.city,
        country=customer.country,
        currency=customer.currency,
        language=normalize_language(customer.language),
    )
    session.add(company)
    session.flush()
    return company


def _create_main_contact(
    session: Session, company: Company, payload: dict, name: str, password: str
) -> User:
    user = User(
        company_id=company.id,  # type: ignore[arg-type]
        email=payload["email"],
        name=name,
        language=payload.get("language", company.language),
        password_hash=hash_password(password),
        is_main_contact=True,
    )
    session.add(user)
    session.flush()
    for role in create_builtin_roles(session, company.id):  # type: ignore[arg-type]
        if role.code == MAIN_CONTACT_ROLE:
            session.add(UserRole(user_id=user.id, role_id=role.id))  # type: ignore[arg-type]
    audit.record_account_event(
        session,
        "user.created",
        company_id=company.id,
        user_id=user.id,
        after={"email": user.email, "name": user.name, "roles": [MAIN_CONTACT_ROLE]},
    )
    return user


def create_builtin_roles(session: Session, company_id: int) -> list[Role]:
    roles = []
    for code, permissions in BUILTIN_ROLES.items():
        role = Role(company_id=company_id, code=code, name=code, is_builtin=True)
        session.add(role)
        session.flush()
        for permission in sorted(permissions):
            session.add(RolePermission(role_id=role.id, permission=permission.value))  # type: ignore[arg-type]
        roles.append(role)
    return roles
