"""Checkout: ordering the cart as it is, with addresses from the ERP or a new delivery address.

The browser names addresses only by choice (``erp:<address id>`` or ``new``); the addresses
themselves are looked up again here among the ERP addresses of the principal's own company, so a
forged id of another customer's address finds nothing. Placing the order and emptying the cart
happen in one transaction: when ``submit_order`` refuses, the cart and everything else stay
as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlmodel import Session

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.orders import ADDRESS_FIELDS, merge_lines
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser, PrincipalKind
from customer_center.integrations.erp.protocol import ErpAddress, ErpClient, ErpUnavailable
from customer_center.models.company import Company
from customer_center.services import audit
from customer_center.services.orders.ordering import (
    Checkout,
    LineRequest,
    SubmitOutcome,
    submit_order,
)
from customer_center.services.punchout.start import punchout_mode
from customer_center.services.shop.cart import cart_items, empty_cart, lock_cart
from customer_center.services.shop.catalogue import ERP_UNAVAILABLE, company_customer_number
from customer_center.services.shop.erp_first import ErpAnswers
from customer_center.settings import Settings

Errors = dict[str, tuple[str, dict[str, object]]]
NEW_ADDRESS = "new"
COMPANY_ADDRESS = "company"
ERP_PREFIX = "erp:"


@dataclass(frozen=True)
class AddressChoice:
    key: str  # erp:<id> | company
    address: dict[str, str]
    is_default: bool


@dataclass(frozen=True)
class CheckoutOptions:
    delivery: list[AddressChoice]
    billing: list[AddressChoice]
    default_delivery: str  # a key of ``delivery``, or "new" when the ERP has none
    default_billing: str
    erp_reachable: bool


def _address(address: ErpAddress) -> dict[str, str]:
    return {name: getattr(address, name) for name in ADDRESS_FIELDS}


def _company_address(company: Company) -> dict[str, str]:
    return {
        "name": company.name,
        "street": company.street,
        "postal_code": company.postal_code,
        "city": company.city,
        "country": company.country,
    }


def _choices(addresses: list[ErpAddress], kind: str) -> list[AddressChoice]:
    return [
        AddressChoice(f"{ERP_PREFIX}{a.address_id}", _address(a), a.is_default)
        for a in addresses
        if a.kind == kind
    ]


def _default(choices: list[AddressChoice], fallback: str) -> str:
    chosen = next((c for c in choices if c.is_default), choices[0] if choices else None)
    return chosen.key if chosen else fallback


def _options(session: Session, principal: CustomerUser, erp: ErpClient) -> CheckoutOptions:
    company = session.get(Company, principal.company_id)
    assert company is not None
    try:
        addresses = erp.list_addresses(company.customer_number)
        reachable = True
    except ErpUnavailable:
        addresses, reachable = [], False
    delivery = _choices(addresses, "delivery")
    billing = _choices(addresses, "billing")
    if not billing and company.street:
        # No billing address in the ERP: the company's own address, as the ERP gave it at
        # activation, is where invoices go.
        billing = [AddressChoice(COMPANY_ADDRESS, _company_address(company), True)]
    return CheckoutOptions(
        delivery=delivery,
        billing=billing,
        default_delivery=_default(delivery, NEW_ADDRESS),
        default_billing=_default(billing, ""),
        erp_reachable=reachable,
    )


def checkout_options(
    session: Session, principal: CustomerUser, *, erp: ErpClient
) -> CheckoutOptions:
    """The company's delivery and billing addresses, defaults first chosen."""
    principal.require(Permission.ORDERS_CREATE)
    return _options(session, principal, erp)


@dataclass(frozen=True)
class CheckoutRequest:
    """The checkout form as the browser sent it; every value is checked again."""

    delivery_choice: str
    new_delivery: dict[str, str]
    billing_choice: str
    payment_method: str
    shipping_method: str
    reference: str = ""
    comment: str = ""


def _chosen(choices: list[AddressChoice], key: str) -> dict[str, str] | None:
    found = next((c for c in choices if c.key == key), None)
    return found.address if found else None


def _regroup(errors: Errors, choice_errors: Errors, new_delivery: bool) -> Errors:
    """Problems of a chosen address belong next to its choice, not to fields not shown."""
    grouped: Errors = {}
    for key, problem in errors.items():
        if key.startswith("billing_address."):
            grouped.setdefault("billing_choice", ("shop.error.address_incomplete", {}))
        elif key.startswith("delivery_address.") and not new_delivery:
            grouped.setdefault("delivery_choice", ("shop.error.address_incomplete", {}))
        else:
            grouped[key] = problem
    return {**grouped, **choice_errors}


# An order an agent of the seller placed acting for a user: in the customer's audit log too.
ORDER_PLACED_FOR_USER = "order.placed_for_user"


def _ask_erp_first(session: Session, principal: CustomerUser, erp: ErpClient) -> ErpClient:
    """The ERP's answers for the cart as it is now, asked before anything is written."""
    quantities = dict(merge_lines([(i.sku, i.quantity) for i in cart_items(session, principal)]))
    customer = company_customer_number(session, principal)
    return cast(ErpClient, ErpAnswers(erp, customer).ask(quantities))


def place_order(
    session: Session,
    principal: CustomerUser,
    *,
    settings: Settings,
    erp: ErpClient,
    request: CheckoutRequest,
) -> SubmitOutcome:
    """Order the principal's cart; on success the cart is empty, in the same transaction.

    Errors are keyed by the form's fields: ``delivery_choice``, ``billing_choice``,
    ``delivery_address.<field>`` (the new address), ``payment_method``, ``shipping_method``,
    ``reference``, ``comment``, ``lines``.
    """
    principal.require(Permission.ORDERS_CREATE)
    if punchout_mode(session, principal) is not None:  # the procurement system orders
        raise ServiceError("punchout.error.checkout")
    erp = _ask_erp_first(session, principal, erp)  # no ERP call once the cart is locked
    lock_cart(session, principal)  # a second checkout of the same cart waits, then finds it empty
    items = cart_items(session, principal)
    if not items:
        raise ServiceError("shop.error.cart_empty")
    options = _options(session, principal, erp)
    if not options.erp_reachable:
        raise ServiceError(ERP_UNAVAILABLE)
    choice_errors: Errors = {}
    new_delivery = request.delivery_choice == NEW_ADDRESS
    delivery = (
        request.new_delivery if new_delivery else _chosen(options.delivery, request.delivery_choice)
    )
    if delivery is None:
        choice_errors["delivery_choice"] = ("shop.error.address_choice", {})
    billing = _chosen(options.billing, request.billing_choice)
    if billing is None:
        choice_errors["billing_choice"] = ("shop.error.address_choice", {})
    try:
        outcome = submit_order(
            session,
            principal,
            settings=settings,
            lines=[LineRequest(item.sku, item.quantity) for item in items],
            checkout=Checkout(
                delivery_address=delivery or {},
                billing_address=billing or {},
                payment_method=request.payment_method,
                shipping_method=request.shipping_method,
                reference=request.reference,
                comment=request.comment,
            ),
            erp=erp,
        )
    except ValidationFailed as failed:
        raise ValidationFailed(_regroup(failed.errors, choice_errors, new_delivery)) from failed
    if choice_errors:  # an empty address never passes the checks above; kept as a guard
        raise ValidationFailed(choice_errors)
    empty_cart(session, principal)
    if principal.kind == PrincipalKind.SELLER_AGENT:  # an agent acting for the user
        audit.record(
            session,
            ORDER_PLACED_FOR_USER,
            company_id=principal.company_id,
            by=principal.attribution,
            target_type="order",
            target_id=outcome.order_id,
            after={"status": outcome.status},
        )
    return outcome
