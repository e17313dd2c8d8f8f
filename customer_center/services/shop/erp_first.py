"""Asking the ERP before a transaction writes (issue 20: no ERP call while one is open).

Checkout locks the cart, then prices and places the order in one transaction. The ERP's
answers it needs (the company's addresses, the cart's offers, the VAT rate) are asked for
first, while only reads have happened (the transaction guard ends that read transaction),
and :class:`ErpAnswers` gives them to the locked part as if it asked the ERP. A question it
has no answer for (the cart changed between the two reads, e.g. another tab added a line)
goes to the ERP after all, which the guard reports as an error: rare, and still correct.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from customer_center.integrations.erp.protocol import (
    ErpAddress,
    ErpClient,
    ErpProductOffer,
    ErpUnavailable,
)


@dataclass(frozen=True)
class _Offers:
    customer: str
    quantities: dict[str, int]
    offers: dict[str, ErpProductOffer] | None  # None: the ERP could not be reached


class ErpAnswers:
    """The ERP for the locked part of a checkout: answers asked for beforehand, anything
    else from the ERP itself. Only these three questions are answered ahead."""

    def __init__(self, erp: ErpClient, customer_number: str) -> None:
        self._erp, self._customer = erp, customer_number
        self._addresses: list[ErpAddress] | None = None
        self._vat: tuple[Decimal | None] | None = None
        self._offers: _Offers | None = None

    def ask(self, quantities: Mapping[str, int]) -> ErpAnswers:
        """Ask the ERP now (no transaction may be open that wrote) what checkout will need."""
        try:
            self._addresses = self._erp.list_addresses(self._customer)
        except ErpUnavailable:
            self._addresses = None
        try:
            self._vat = (self._erp.get_vat_rate(self._customer),)
        except ErpUnavailable:
            self._vat = None
        wanted = dict(quantities)
        try:
            offers: dict[str, ErpProductOffer] | None = self._erp.get_offers(
                self._customer, list(wanted), quantities=wanted
            )
        except ErpUnavailable:
            offers = None
        self._offers = _Offers(self._customer, wanted, offers)
        return self

    def list_addresses(self, customer_number: str) -> list[ErpAddress]:
        if customer_number != self._customer:
            return self._erp.list_addresses(customer_number)
        if self._addresses is None:
            raise ErpUnavailable("the ERP did not answer before checkout")
        return list(self._addresses)

    def get_vat_rate(self, customer_number: str) -> Decimal | None:
        if customer_number != self._customer:
            return self._erp.get_vat_rate(customer_number)
        if self._vat is None:
            raise ErpUnavailable("the ERP did not answer before checkout")
        return self._vat[0]

    def get_offers(
        self,
        customer_number: str,
        skus: Sequence[str],
        *,
        quantities: Mapping[str, int] | None = None,
        day: date | None = None,
    ) -> dict[str, ErpProductOffer]:
        known = self._offers
        asked = dict(quantities or {})
        if (
            known is None
            or day is not None
            or customer_number != known.customer
            or asked != known.quantities
            or set(skus) != set(known.quantities)
        ):
            return self._erp.get_offers(customer_number, skus, quantities=quantities, day=day)
        if known.offers is None:
            raise ErpUnavailable("the ERP did not answer before checkout")
        return dict(known.offers)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._erp, name)
