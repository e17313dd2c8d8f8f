"""The start link: used once, within minutes, it signs the punchout's user in (a session of
its own, no password involved) and, for ``edit``/``inspect``, puts the transferred lines back
into the cart."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from customer_center.auth import sessions
from customer_center.auth.principals import resolve_principal
from customer_center.auth.tokens import token_hash
from customer_center.domain import punchout
from customer_center.domain.errors import ServiceError
from customer_center.domain.people import UserStatus
from customer_center.domain.principals import CustomerUser
from customer_center.domain.punchout import Operation, SessionStatus
from customer_center.integrations.erp.protocol import ErpClient
from customer_center.models.base import utcnow
from customer_center.models.punchout import PunchoutConnection, PunchoutSession
from customer_center.models.user import User
from customer_center.services.identity import one_time_tokens
from customer_center.services.punchout.arrival import PUNCHOUT_START
from customer_center.services.shop import cart


@dataclass(frozen=True)
class Started:
    cookie: str  # the raw session cookie of the punchout's user
    allowed_origins: list[str]  # who may frame the catalogue
    reopened: bool = False  # edit/inspect: the cart holds the lines that came back


def _reopen_cart(session: Session, principal: CustomerUser, items: list, erp: ErpClient) -> None:
    """The lines the procurement system sent back (``ItemOut``), as the cart: a product the
    catalogue no longer has is left out."""
    cart.clear_cart(session, principal)
    for sku, quantity in items[: punchout.MAX_ITEMS]:
        try:
            cart.add_to_cart(session, principal, erp=erp, sku=sku, quantity=quantity)
        except ServiceError:
            continue


def start(
    session: Session,
    *,
    token: str,
    erp: ErpClient,
    ip_address: str = "",
    user_agent: str = "",
) -> Started:
    """Use up the start link (a replayed or expired one is refused: ``link.used``,
    ``link.expired``, ``link.invalid``) and sign its user in."""
    row = one_time_tokens.consume(session, PUNCHOUT_START, token[:100] or None)
    found = session.get(PunchoutSession, int(row.payload.get("session", 0)))
    if found is None or found.status != SessionStatus.SET_UP:
        raise ServiceError("link.invalid")
    if row.payload.get("cookie") != token_hash(found.buyer_cookie):
        raise ServiceError("link.invalid")
    user = session.get(User, found.user_id)
    connection = session.get(PunchoutConnection, found.connection_id)
    if user is None or user.status != UserStatus.ACTIVE or connection is None:
        raise ServiceError("link.invalid")
    cookie = sessions.open_session(
        session, user, days=1, ip_address=ip_address, user_agent=user_agent
    )
    session.flush()
    principal = resolve_principal(session, cookie)
    assert principal is not None
    found.status, found.opened_at = SessionStatus.OPEN, utcnow()
    found.auth_session_id = principal.session_id
    session.add(found)
    if found.operation in (Operation.EDIT, Operation.INSPECT):
        _reopen_cart(session, principal, list(found.echo.get("items", [])), erp)
    return Started(
        cookie=cookie,
        allowed_origins=list(connection.allowed_origins),
        reopened=found.operation != Operation.CREATE,
    )


@dataclass(frozen=True)
class PunchoutMode:
    """What the cart page shows in a punchout session."""

    protocol: str
    operation: str
    connection_name: str


def punchout_mode(session: Session, principal: CustomerUser) -> PunchoutMode | None:
    """The open punchout of the principal's sign-in session, if it came through one."""
    if not principal.session_id:
        return None
    row = session.exec(
        select(PunchoutSession, PunchoutConnection)
        .join(PunchoutConnection, PunchoutConnection.id == PunchoutSession.connection_id)  # type: ignore[arg-type]
        .where(
            PunchoutSession.auth_session_id == principal.session_id,
            PunchoutSession.user_id == principal.user_id,
            PunchoutSession.status == SessionStatus.OPEN,
        )
    ).first()
    if row is None:
        return None
    found, connection = row
    return PunchoutMode(connection.protocol, found.operation, connection.name)
