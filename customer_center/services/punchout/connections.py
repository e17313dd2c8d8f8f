"""A company's punchout connections, set up by the seller's staff: the credential the
procurement system sends, the secret (shown once, kept as its SHA-256), the default role, the
role mapping and the origins allowed to frame the catalogue and receive the cart."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from customer_center.auth.tokens import new_token, token_hash
from customer_center.domain import punchout
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.permissions import MAIN_CONTACT_ROLE, Permission
from customer_center.domain.principals import CustomerUser, SellerAgent
from customer_center.domain.punchout import Protocol
from customer_center.domain.staff import StaffPermission
from customer_center.models.punchout import PunchoutConnection
from customer_center.models.user import Role
from customer_center.services import audit
from customer_center.services.seller.looks import company_to_view

_IDENT_RE = re.compile(r"^[A-Za-z0-9_.@:/+-]{1,100}$")
MAX_CONNECTIONS = 20


@dataclass(frozen=True)
class ConnectionForm:
    name: str
    protocol: str
    identity_domain: str  # cXML: the Sender credential's domain (NetworkID, DUNS, ...)
    identity: str  # cXML: the Sender identity; OCI: the USERNAME
    default_role: str  # a role code of the company
    role_field: str
    role_mapping: str  # "value = role_code" per line
    user_field: str
    origins: str


@dataclass(frozen=True)
class ConnectionView:
    connection_id: int
    name: str
    protocol: str
    identity_domain: str
    identity: str
    default_role: str
    role_field: str
    role_mapping: dict[str, str]
    user_field: str
    allowed_origins: list[str]
    enabled: bool


def _mapping(text: str, roles: set[str]) -> tuple[dict[str, str], list[str]]:
    mapping: dict[str, str] = {}
    bad: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        value, sep, role = line.partition("=")
        if not sep or not value.strip() or role.strip() not in roles:
            bad.append(line.strip()[:100])
            continue
        mapping[value.strip()[:200]] = role.strip()
    return dict(list(mapping.items())[:50]), bad


def _checked(
    session: Session, company_id: int, form: ConnectionForm
) -> tuple[PunchoutConnection, dict[str, tuple[str, dict[str, object]]]]:
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    roles = {
        r.code: r.id
        for r in session.exec(select(Role).where(Role.company_id == company_id))
        if r.code != MAIN_CONTACT_ROLE
    }
    if not form.name.strip() or len(form.name.strip()) > 100:
        errors["name"] = ("form.required", {})
    if form.protocol not in set(Protocol):
        errors["protocol"] = ("punchout.error.protocol", {})
    if not _IDENT_RE.match(form.identity.strip()):
        errors["identity"] = ("punchout.error.identity", {})
    if form.protocol == Protocol.CXML and not _IDENT_RE.match(form.identity_domain.strip()):
        errors["identity_domain"] = ("punchout.error.identity", {})
    if form.default_role not in roles:
        errors["default_role"] = ("punchout.error.role", {})
    mapping, bad = _mapping(form.role_mapping, set(roles))
    if bad:
        errors["role_mapping"] = ("punchout.error.mapping", {"line": bad[0]})
    origins, refused = punchout.parse_origins(form.origins)
    if refused or not origins:
        errors["origins"] = ("punchout.error.origins", {"origin": refused[0] if refused else ""})
    row = PunchoutConnection(
        company_id=company_id,
        name=form.name.strip()[:100],
        protocol=form.protocol,
        identity_domain=form.identity_domain.strip() if form.protocol == Protocol.CXML else "",
        identity=form.identity.strip(),
        secret_hash="",
        default_role_id=roles.get(form.default_role),
        role_field=form.role_field.strip()[:100],
        role_mapping=mapping,
        user_field=(form.user_field.strip() or "USER_EMAIL")[:100],
        allowed_origins=origins,
    )
    return row, errors


def create_connection(
    session: Session, principal: SellerAgent, *, company_id: object, form: ConnectionForm
) -> tuple[int, str]:
    """Add a connection; returns (id, the secret to show once)."""
    principal.require(StaffPermission.SETTINGS)
    company = company_to_view(session, principal, company_id=company_id)
    assert company.id is not None
    row, errors = _checked(session, company.id, form)
    if errors:
        raise ValidationFailed(errors)
    count = len(
        session.exec(
            select(PunchoutConnection.id).where(PunchoutConnection.company_id == company.id)
        ).all()
    )
    if count >= MAX_CONNECTIONS:
        raise ServiceError("punchout.error.too_many")
    secret = new_token()
    row.secret_hash, row.created_by_staff_id = token_hash(secret), principal.agent_id
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as error:
        raise ValidationFailed({"identity": ("punchout.error.identity_taken", {})}) from error
    audit.record(
        session,
        "punchout.connection_created",
        company_id=company.id,
        by=principal.attribution,
        target_type="punchout_connection",
        target_id=row.id,
        after={"name": row.name, "protocol": row.protocol, "identity": row.identity},
    )
    return row.id, secret  # type: ignore[return-value]


def _views(session: Session, company_id: int) -> list[ConnectionView]:
    rows = session.exec(
        select(PunchoutConnection, Role.code)
        .outerjoin(Role, col(Role.id) == PunchoutConnection.default_role_id)
        .where(PunchoutConnection.company_id == company_id)
        .order_by(col(PunchoutConnection.id))
    ).all()
    return [
        ConnectionView(
            connection_id=c.id,  # type: ignore[arg-type]
            name=c.name,
            protocol=c.protocol,
            identity_domain=c.identity_domain,
            identity=c.identity,
            default_role=code or "",
            role_field=c.role_field,
            role_mapping=dict(c.role_mapping),
            user_field=c.user_field,
            allowed_origins=list(c.allowed_origins),
            enabled=c.enabled,
        )
        for c, code in rows
    ]


def company_connections(
    session: Session, principal: SellerAgent, *, company_id: object
) -> list[ConnectionView]:
    company = company_to_view(session, principal, company_id=company_id)
    return _views(session, company.id)  # type: ignore[arg-type]


def own_connections(session: Session, principal: CustomerUser) -> list[ConnectionView]:
    """The main contact's view of the company's connections (no secret: none is kept)."""
    principal.require(Permission.COMPANY_MANAGE)
    return _views(session, principal.company_id)


def roles_to_choose(
    session: Session, principal: SellerAgent, *, company_id: object
) -> list[tuple[str, str]]:
    """(code, name) of the company's roles a connection may give (not the main contact's)."""
    company = company_to_view(session, principal, company_id=company_id)
    rows = session.exec(
        select(Role.code, Role.name)
        .where(Role.company_id == company.id, Role.code != MAIN_CONTACT_ROLE)
        .order_by(col(Role.name))
    ).all()
    return [(code, name) for code, name in rows]
