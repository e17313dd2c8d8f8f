"""The JSON of the ERP contract (``docs/erp-openapi.yaml``) to and from the port's values.

One module for both sides, so the client and the reference service cannot disagree. Money
travels as decimal strings (``"12.50"``), days as ISO dates, absent optional values as null.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, cast

from customer_center.domain.prices import PriceQuote, PriceSource
from customer_center.integrations.erp.protocol import (
    DOCUMENT_KINDS,
    AddressKind,
    ContactChangeKind,
    DocumentFilter,
    DocumentKind,
    ErpAddress,
    ErpContact,
    ErpContactChange,
    ErpContactReceipt,
    ErpCreditLine,
    ErpCreditRequest,
    ErpCustomer,
    ErpDocument,
    ErpInvoice,
    ErpOrderAddress,
    ErpOrderLine,
    ErpOrderRequest,
    ErpPrice,
    ErpProduct,
    ErpProductOffer,
)

Json = dict[str, Any]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def customer_json(customer: ErpCustomer) -> Json:
    return {**dataclasses.asdict(customer), "email_domains": list(customer.email_domains)}


def customer_of(data: Json) -> ErpCustomer:
    return ErpCustomer(**{**data, "email_domains": tuple(data["email_domains"])})


def invoice_json(invoice: ErpInvoice) -> Json:
    return {
        **dataclasses.asdict(invoice),
        "issued_on": invoice.issued_on.isoformat(),
        "total": str(invoice.total),
    }


def invoice_of(data: Json) -> ErpInvoice:
    return ErpInvoice(
        invoice_number=data["invoice_number"],
        customer_number=data["customer_number"],
        issued_on=date.fromisoformat(data["issued_on"]),
        total=Decimal(data["total"]),
        currency=data["currency"],
    )


def contact_json(contact: ErpContact) -> Json:
    return dataclasses.asdict(contact)


def contact_of(data: Json) -> ErpContact:
    return ErpContact(**data)


def address_json(address: ErpAddress) -> Json:
    return dataclasses.asdict(address)


def address_of(data: Json) -> ErpAddress:
    return ErpAddress(**{**data, "kind": cast(AddressKind, data["kind"])})


def product_json(product: ErpProduct) -> Json:
    return {**dataclasses.asdict(product), "list_price": str(product.list_price)}


def product_of(data: Json) -> ErpProduct:
    """Fields added to the contract later (category, stock, lead days, picture) may be
    absent (an ERP from before them): the product then has the protocol's defaults."""
    return ErpProduct(**{**_known(ErpProduct, data), "list_price": Decimal(data["list_price"])})


def _known(cls: type, data: Json) -> Json:
    """Only the fields ``cls`` has: a client ignores fields it does not know."""
    names = {f.name for f in dataclasses.fields(cls)}
    return {key: value for key, value in data.items() if key in names}


def offer_json(offer: ErpProductOffer) -> Json:
    quote = offer.quote
    return {
        "product": product_json(offer.product),
        "price": {
            "amount": str(quote.amount),
            "currency": quote.currency,
            "source": quote.source.value,
            "valid_from": _iso(quote.valid_from),
            "valid_to": _iso(quote.valid_to),
            "min_quantity": quote.min_quantity,
        },
    }


def offer_of(data: Json) -> ErpProductOffer:
    price = data["price"]
    quote = PriceQuote(
        amount=Decimal(price["amount"]),
        currency=price["currency"],
        source=PriceSource(price["source"]),
        valid_from=_day(price.get("valid_from")),
        valid_to=_day(price.get("valid_to")),
        min_quantity=price.get("min_quantity"),
    )
    return ErpProductOffer(product=product_of(data["product"]), quote=quote)


def contract_price_json(price: ErpPrice) -> Json:
    return {
        **dataclasses.asdict(price),
        "price": str(price.price),
        "valid_from": _iso(price.valid_from),
        "valid_to": _iso(price.valid_to),
    }


def contract_price_of(data: Json) -> ErpPrice:
    return ErpPrice(
        **{
            **data,
            "price": Decimal(data["price"]),
            "valid_from": _day(data.get("valid_from")),
            "valid_to": _day(data.get("valid_to")),
        }
    )


def order_json(order: ErpOrderRequest) -> Json:
    data = dataclasses.asdict(order)
    data["total"] = str(order.total)
    data["lines"] = [
        {
            **dataclasses.asdict(line),
            "unit_price": str(line.unit_price),
            "line_total": str(line.line_total),
        }
        for line in order.lines
    ]
    return data


def order_of(data: Json) -> ErpOrderRequest:
    return ErpOrderRequest(
        **{
            **data,
            "total": Decimal(data["total"]),
            "delivery_address": ErpOrderAddress(**data["delivery_address"]),
            "billing_address": ErpOrderAddress(**data["billing_address"]),
            "lines": tuple(
                ErpOrderLine(
                    **{
                        **line,
                        "unit_price": Decimal(line["unit_price"]),
                        "line_total": Decimal(line["line_total"]),
                    }
                )
                for line in data["lines"]
            ),
        }
    )


def contact_change_json(change: ErpContactChange) -> Json:
    return dataclasses.asdict(change)


def contact_change_of(data: Json) -> ErpContactChange:
    return ErpContactChange(**{**data, "change": cast(ContactChangeKind, data["change"])})


def contact_receipt_json(receipt: ErpContactReceipt) -> Json:
    return {"contact_id": receipt.contact_id, "overwritten": dict(receipt.overwritten)}


def contact_receipt_of(data: Json) -> ErpContactReceipt:
    overwritten = data.get("overwritten") or {}
    return ErpContactReceipt(str(data["contact_id"]), {k: str(v) for k, v in overwritten.items()})


# --- Documents and tax rates (issue 16) -------------------------------------------------


def vat_rate_json(customer_number: str, rate: Decimal) -> Json:
    return {"customer_number": customer_number, "vat_rate": str(rate)}


def vat_rate_of(data: Json) -> Decimal:
    return Decimal(data["vat_rate"])


def document_json(document: ErpDocument) -> Json:
    return {**dataclasses.asdict(document), "issued_on": document.issued_on.isoformat()}


def document_of(data: Json) -> ErpDocument:
    return ErpDocument(
        **{
            **_known(ErpDocument, data),
            "kind": cast(DocumentKind, data["kind"]),
            "issued_on": date.fromisoformat(data["issued_on"]),
        }
    )


def document_filter_params(wanted: DocumentFilter) -> dict[str, str | list[str]]:
    """The filter as query parameters (``kind`` repeated; absent ones left out)."""
    params: dict[str, str | list[str]] = {}
    if wanted.kinds:
        params["kind"] = list(wanted.kinds)
    if wanted.issued_from:
        params["issued_from"] = wanted.issued_from.isoformat()
    if wanted.issued_to:
        params["issued_to"] = wanted.issued_to.isoformat()
    if wanted.order_number and wanted.order_number.strip():
        params["order_number"] = wanted.order_number.strip()
    if wanted.also_kinds and wanted.also_orders:
        params["also_kind"] = list(wanted.also_kinds)
        params["also_order"] = list(wanted.also_orders)
    return params


def _kinds_of(kinds: Sequence[str]) -> tuple[DocumentKind, ...]:
    unknown = [kind for kind in kinds if kind not in DOCUMENT_KINDS]
    if unknown:
        raise ValueError(f"unknown document kind {unknown[0]!r}")
    return tuple(cast(DocumentKind, kind) for kind in dict.fromkeys(kinds))


def document_filter_of(
    kinds: Sequence[str],
    params: Mapping[str, str],
    also_kinds: Sequence[str] = (),
    also_orders: Sequence[str] = (),
) -> DocumentFilter:
    """The filter from query parameters; raises ``ValueError`` for an unknown kind or day."""
    return DocumentFilter(
        kinds=_kinds_of(kinds),
        issued_from=_day(params.get("issued_from")),
        issued_to=_day(params.get("issued_to")),
        order_number=params.get("order_number") or None,
        also_kinds=_kinds_of(also_kinds),
        also_orders=tuple(dict.fromkeys(n for n in also_orders if n.strip())),
    )


# --- Credit notes (issue 18) ------------------------------------------------------------


def credit_request_json(request: ErpCreditRequest) -> Json:
    data = dataclasses.asdict(request)
    data["lines"] = [
        {**dataclasses.asdict(line), "unit_net": str(line.unit_net)} for line in request.lines
    ]
    return data


def credit_request_of(data: Json) -> ErpCreditRequest:
    """Raises ``KeyError``, ``TypeError`` or ``ValueError`` for a body off the contract."""
    lines = data["lines"]
    if not isinstance(lines, list):
        raise TypeError("lines must be a list")
    return ErpCreditRequest(
        customer_number=str(data["customer_number"]),
        request_number=str(data["request_number"]),
        order_number=str(data["order_number"]),
        erp_order_number=data.get("erp_order_number") or None,
        reason=str(data["reason"]),
        currency=str(data["currency"]),
        lines=tuple(_credit_line_of(line) for line in lines),
    )


def _credit_line_of(data: Json) -> ErpCreditLine:
    quantity = data["quantity"]
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise TypeError("quantity must be a whole number")
    try:
        unit_net = Decimal(str(data["unit_net"]))
    except ArithmeticError as error:  # decimal.InvalidOperation
        raise ValueError("unit_net must be a decimal string") from error
    if not unit_net.is_finite():
        raise ValueError("unit_net must be a decimal string")
    return ErpCreditLine(sku=str(data["sku"]), quantity=quantity, unit_net=unit_net)


def credit_note_json(document_number: str) -> Json:
    return {"document_number": document_number}


def credit_note_of(data: Json) -> str:
    return str(data["document_number"])
