"""The start link: used once, within minutes, it signs the punchout's user in (a session of
its own, no password involved) and, for ``edit``/``inspect``, puts the transferred lines back
into the cart."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from customer_center.auth import sessions
from customer_center.auth.principals import resolve_principal
from customer_center.auth.tokens import token_hash
from customer_center.domain import inputs, punchout
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import MAX_LINE_QUANTITY
from customer_center.domain.people import UserStatus
from customer_center.domain.principals import CustomerUser
from customer_center.domain.punchout import Operation, SessionStatus
from customer_center.integrations.erp.protocol import ErpClient, ErpProductOffer, ErpUnavailable
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.punchout import PunchoutConnection, PunchoutSession
from customer_center.models.user import User
from customer_center.services.identity import one_time_tokens
from customer_center.services.punchout.arrival import PUNCHOUT_START
from customer_center.services.shop import cart
from customer_center.services.shop.catalogue import offers_for


@dataclass(frozen=True)
class Started:
    cookie: str  # the raw session cookie of the punchout's user
    allowed_origins: list[str]  # who may frame the catalogue
    reopened: bool = False  # edit/inspect: the cart holds the lines that came back


def _items(found: PunchoutSession) -> list[tuple[str, int]]:
    """The lines the procurement system sent back (``ItemOut``) that can be lines at all."""
    items = []
    for entry in list(found.echo.get("items", []))[: punchout.MAX_ITEMS]:
        sku, quantity = (entry + [None, None])[:2] if isinstance(entry, list) else (None, None)
        amount = inputs.parse_quantity(quantity)
        if cart.clean_sku(sku) and amount is not None:
            items.append((cart.clean_sku(sku).upper(), amount))
    return items


def _offers_first(session: Session, token: str, erp: ErpClient) -> dict[str, ErpProductOffer]:
    """For ``edit``/``inspect``: the ERP's offers for the lines coming back, asked before
    anything is written (no ERP call inside a transaction that wrote); ``{}`` otherwise, or
    while the ERP cannot be reached (the cart then starts empty, as for unknown products)."""
    try:
        row = one_time_tokens.peek(session, PUNCHOUT_START, token[:100] or None)
    except ServiceError:
        return {}  # start() refuses it in a moment
    found = session.get(PunchoutSession, int(row.payload.get("session", 0)))
    user = session.get(User, found.user_id) if found is not None else None
    company = session.get(Company, user.company_id) if user is not None else None
    if found is None or company is None or found.operation == Operation.CREATE:
        return {}
    try:
        return offers_for(erp, company.customer_number, [sku for sku, _ in _items(found)])
    except ErpUnavailable:
        return {}


def _reopen_cart(
    session: Session,
    principal: CustomerUser,
    items: list[tuple[str, int]],
    offers: dict[str, ErpProductOffer],
) -> None:
    """The lines that came back, as the cart: a product the catalogue no longer has, or a
    line beyond the cart's bounds, is left out."""
    cart.clear_cart(session, principal)
    quantities: dict[str, int] = {}
    for sku, quantity in items:
        total = quantities.get(sku, 0) + quantity
        known = sku in offers
        fits = sku in quantities or len(quantities) < cart.MAX_CART_LINES
        if known and fits and total <= MAX_LINE_QUANTITY:
            quantities[sku] = total
    if quantities:
        try:
            cart.put_many(session, principal, quantities=quantities)
        except ServiceError:  # e.g. the user may not order (any more): the cart stays empty
            return


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
    offers = _offers_first(session, token, erp)
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
        _reopen_cart(session, principal, _items(found), offers)
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
