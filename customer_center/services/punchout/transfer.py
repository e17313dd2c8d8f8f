"""Back to the procurement system: the cart, priced, as a PunchOutOrderMessage (cXML) or the
OCI form for HOOK_URL. The punchout's sign-in ends with it; the cart is empty afterwards (an
``edit`` punchout brings it back)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, select

from customer_center.auth.tokens import new_token
from customer_center.domain import punchout_cxml
from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.domain.punchout import (
    Operation,
    Protocol,
    SessionStatus,
    TransferLine,
    oci_fields,
)
from customer_center.domain.punchout_cxml import Credential, OrderMessage
from customer_center.integrations.erp.protocol import ErpClient
from customer_center.models.auth import AuthSession
from customer_center.models.base import utcnow
from customer_center.models.punchout import PunchoutConnection, PunchoutSession
from customer_center.services.shop import cart
from customer_center.services.shop.catalogue import ERP_UNAVAILABLE


@dataclass(frozen=True)
class Transfer:
    protocol: str
    return_url: str
    fields: list[tuple[str, str]]  # the form posted to ``return_url``


def _open_punchout(
    session: Session, principal: CustomerUser, *, lock: bool = True
) -> tuple[PunchoutSession, PunchoutConnection]:
    query = (
        select(PunchoutSession, PunchoutConnection)
        .join(PunchoutConnection, PunchoutConnection.id == PunchoutSession.connection_id)  # type: ignore[arg-type]
        .where(
            PunchoutSession.auth_session_id == principal.session_id,
            PunchoutSession.user_id == principal.user_id,
            PunchoutSession.company_id == principal.company_id,
            PunchoutSession.status == SessionStatus.OPEN,
        )
    )
    row = session.exec(query.with_for_update() if lock else query).first()
    if row is None or not principal.session_id:
        raise ServiceError("punchout.error.no_session")
    return row[0], row[1]


def _lines(session: Session, principal: CustomerUser, erp: ErpClient) -> list[TransferLine]:
    view = cart.cart_view(session, principal, erp=erp)
    if not view.prices_known or any(line.unit_price_cents is None for line in view.lines):
        raise ServiceError(ERP_UNAVAILABLE)
    return [
        TransferLine(
            sku=line.sku,
            name=line.name,
            description=line.name,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=Decimal(line.unit_price_cents or 0) / 100,
            currency=line.currency,
        )
        for line in view.lines
    ]


def _cxml_fields(found: PunchoutSession, lines: list[TransferLine], currency: str) -> str:
    echo = found.echo
    supplier = [Credential(*c) for c in echo.get("supplier", [])][:1]
    document = punchout_cxml.order_message(
        OrderMessage(
            payload_id=f"{new_token()[:24]}@customer-center",
            now=utcnow(),
            supplier=supplier[0] if supplier else Credential("NetworkID", "customer-center"),
            buyer=[Credential(*c) for c in echo.get("buyer", [])],
            buyer_cookie=found.buyer_cookie,
            reference=found.reference,
            currency=currency,
            operation_allowed="inspect" if found.operation == Operation.INSPECT else "edit",
            lines=lines,
        )
    )
    return document


def _record(found: PunchoutSession, lines: list[TransferLine], currency: str, raw: str) -> None:
    total = sum((line.unit_price * line.quantity for line in lines), Decimal(0))
    found.transferred = {
        "currency": currency,
        "total": f"{total:.2f}",
        "lines": [
            {"sku": x.sku, "name": x.name, "quantity": x.quantity, "price": f"{x.unit_price:.2f}"}
            for x in lines
        ],
    }
    found.transfer_message = raw
    found.status, found.transferred_at = SessionStatus.TRANSFERRED, utcnow()


def transfer(session: Session, principal: CustomerUser, *, erp: ErpClient) -> Transfer:
    """The form that takes the cart back; the punchout's sign-in ends with it."""
    principal.require(Permission.ORDERS_CREATE)
    _open_punchout(session, principal, lock=False)  # refused before the ERP is asked
    lines = _lines(session, principal, erp)  # the ERP's prices, before anything is locked
    if not lines:
        raise ServiceError("shop.error.cart_empty")
    found, connection = _open_punchout(session, principal)
    if cart.cart_quantities(session, principal) != {x.sku.upper(): x.quantity for x in lines}:
        raise ServiceError("punchout.error.cart_changed")  # another tab changed it meanwhile
    currency = lines[0].currency
    if connection.protocol == Protocol.CXML:
        document = _cxml_fields(found, lines, currency)
        fields = [("cxml-urlencoded", document)]
        raw = document
    else:
        echo = {k: str(v) for k, v in found.echo.items() if k.startswith("~")}
        fields = oci_fields(lines, found.reference, echo)
        raw = "\n".join(f"{k}={v}" for k, v in fields)
    _record(found, lines, currency, raw)
    session.add(found)
    cart.empty_cart(session, principal)
    auth = session.get(AuthSession, principal.session_id)
    if auth is not None and auth.revoked_at is None:  # back in the procurement system
        auth.revoked_at = utcnow()
        session.add(auth)
    return Transfer(protocol=connection.protocol, return_url=found.return_url, fields=fields)
