"""The OrderRequest that follows a punchout: the customer's procurement system approved it, so
the order is placed approved (no budget, no approver chain) and handed to the ERP through the
outbox. Once per payloadID and per orderID: a repeated request answers with the same order."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import or_
from sqlmodel import Session, select

from customer_center.auth.principals import rights_of
from customer_center.domain.email_address import is_valid_email, normalize_email
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.people import UserStatus
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import PunchoutBuyer, PunchoutClient
from customer_center.domain.punchout import SessionStatus
from customer_center.domain.punchout_cxml import Address, OrderRequest
from customer_center.integrations.erp.protocol import ErpClient
from customer_center.models.company import Company
from customer_center.models.punchout import PunchoutOrder, PunchoutSession
from customer_center.models.user import User
from customer_center.services.orders.ordering import Checkout, LineRequest, submit_order
from customer_center.services.punchout.arrival import PunchoutRefused
from customer_center.settings import Settings


@dataclass(frozen=True)
class TakenOrder:
    order_id: int
    repeated: bool  # the same request came before: nothing new was created


def _earlier(session: Session, principal: PunchoutClient, request: OrderRequest) -> int | None:
    found = session.exec(
        select(PunchoutOrder.order_id).where(
            PunchoutOrder.connection_id == principal.connection_id,
            or_(
                PunchoutOrder.payload_id == request.payload_id,  # type: ignore[arg-type]
                PunchoutOrder.buyer_order_id == request.order_id,  # type: ignore[arg-type]
            ),
        )
    ).first()
    return found


def _punchout_of(
    session: Session, principal: PunchoutClient, request: OrderRequest
) -> PunchoutSession | None:
    """The punchout the lines came from: our cart reference is their auxiliary id."""
    references = {item.auxiliary_id for item in request.items if item.auxiliary_id}
    if not references:
        return None
    return session.exec(
        select(PunchoutSession).where(
            PunchoutSession.connection_id == principal.connection_id,
            PunchoutSession.reference.in_(sorted(references)[:5]),  # type: ignore[attr-defined]
        )
    ).first()


def _requester(
    session: Session,
    principal: PunchoutClient,
    request: OrderRequest,
    found: PunchoutSession | None,
) -> User:
    user = session.get(User, found.user_id) if found and found.user_id else None
    if user is None and is_valid_email(request.email):
        user = session.exec(
            select(User).where(User.email == normalize_email(request.email))
        ).first()
    if user is None or user.company_id != principal.company_id:
        raise PunchoutRefused(400, "user", principal.company_id, principal.connection_id)
    if user.status != UserStatus.ACTIVE:
        raise PunchoutRefused(403, "user_inactive", principal.company_id, principal.connection_id)
    return user


def _address(address: Address, fallback: dict[str, str]) -> dict[str, str]:
    given = {k: v for k, v in asdict(address).items() if v}
    return {**fallback, **given} if given else fallback


def _company_address(session: Session, company_id: int) -> dict[str, str]:
    company = session.get(Company, company_id)
    assert company is not None
    return {
        "name": company.name,
        "street": company.street,
        "postal_code": company.postal_code,
        "city": company.city,
        "country": company.country,
    }


def _refusal_of(failed: ValidationFailed, principal: PunchoutClient) -> PunchoutRefused:
    codes = {code for code, _params in failed.errors.values()}
    code = "unknown_item" if "orders.error.unknown_sku" in codes else "order_invalid"
    return PunchoutRefused(400, code, principal.company_id, principal.connection_id)


def take_order(
    session: Session,
    principal: PunchoutClient,
    *,
    settings: Settings,
    request: OrderRequest,
    erp: ErpClient | None = None,
) -> TakenOrder:
    """Place the order the procurement system sends, approved, or answer the earlier one."""
    earlier = _earlier(session, principal, request)
    if earlier is not None:
        return TakenOrder(earlier, repeated=True)
    if request.order_type != "new":
        raise PunchoutRefused(400, "order_type", principal.company_id, principal.connection_id)
    if not request.order_id or not request.payload_id or not request.items:
        raise PunchoutRefused(400, "order_invalid", principal.company_id, principal.connection_id)
    found = _punchout_of(session, principal, request)
    user = _requester(session, principal, request, found)
    buyer = PunchoutBuyer(
        user_id=user.id,  # type: ignore[arg-type]
        company_id=user.company_id,
        rights=rights_of(session, user.id, user.company_id),  # type: ignore[arg-type]
        language=user.language,
        connection_id=principal.connection_id,
    )
    if not buyer.may(Permission.ORDERS_CREATE):
        raise PunchoutRefused(403, "user_rights", principal.company_id, principal.connection_id)
    company_address = _company_address(session, principal.company_id)
    try:
        outcome = submit_order(
            session,
            buyer,
            settings=settings,
            lines=[LineRequest(item.sku.upper(), item.quantity) for item in request.items],
            checkout=Checkout(
                delivery_address=_address(request.ship_to, company_address),
                billing_address=_address(request.bill_to, company_address),
                payment_method="invoice",
                shipping_method="standard",
                reference=request.order_id[:100],
                comment="",
            ),
            erp=erp,
            approved_elsewhere=True,
        )
    except ValidationFailed as failed:
        raise _refusal_of(failed, principal) from failed
    except ServiceError as error:
        raise PunchoutRefused(503, "erp", principal.company_id, principal.connection_id) from error
    session.add(
        PunchoutOrder(
            company_id=principal.company_id,
            connection_id=principal.connection_id,
            payload_id=request.payload_id,
            buyer_order_id=request.order_id,
            order_id=outcome.order_id,
            session_id=found.id if found else None,
        )
    )
    if found is not None:
        found.status, found.order_id = SessionStatus.ORDERED, outcome.order_id
        session.add(found)
    session.flush()
    return TakenOrder(outcome.order_id, repeated=False)


def session_of_order(session: Session, principal: PunchoutClient, *, order_id: int) -> int | None:
    """The punchout session an order taken through the connection came from, if any."""
    return session.exec(
        select(PunchoutOrder.session_id).where(
            PunchoutOrder.connection_id == principal.connection_id,
            PunchoutOrder.order_id == order_id,
        )
    ).first()
