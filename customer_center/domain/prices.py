"""The price a customer pays: list price, contract price or quantity break, on a given day.

A customer's contract prices for one product are rows (:class:`ContractTerm`): a price, the
days it is valid (either end open) and the smallest quantity it applies from (1 for the plain
contract price, more for a quantity break). For a quantity on a day, the applicable rows are
those valid on the day whose minimum quantity the quantity reaches; of those the one with the
highest minimum quantity wins (a quantity break beats the plain contract price), ties going to
the most recent contract (the latest ``valid_from``), then to the lower price. Without an
applicable row the list price applies. A contract price is never compared with the list
price: the contract is what the customer agreed to, even where it is higher.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class PriceSource(StrEnum):
    LIST = "list"
    CONTRACT = "contract"
    QUANTITY_BREAK = "quantity_break"


@dataclass(frozen=True)
class ContractTerm:
    """One contract price row of a customer for a product."""

    price: Decimal
    currency: str
    valid_from: date | None = None  # None: since ever
    valid_to: date | None = None  # None: until further notice (inclusive otherwise)
    min_quantity: int = 1

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def applies(self, quantity: int, day: date) -> bool:
        return self.min_quantity <= quantity and self.valid_on(day)

    def overlaps(self, other: ContractTerm) -> bool:
        """Whether both rows are valid on at least one common day."""
        starts_before_other_ends = (
            self.valid_from is None or other.valid_to is None or self.valid_from <= other.valid_to
        )
        ends_after_other_starts = (
            self.valid_to is None or other.valid_from is None or other.valid_from <= self.valid_to
        )
        return starts_before_other_ends and ends_after_other_starts


@dataclass(frozen=True)
class PriceQuote:
    """The unit price for a quantity on a day, and where it comes from.

    For a contract price or quantity break, ``valid_from``/``valid_to``/``min_quantity`` are
    the chosen row's; for the list price they are ``None``.
    """

    amount: Decimal
    currency: str
    source: PriceSource
    valid_from: date | None = None
    valid_to: date | None = None
    min_quantity: int | None = None

    @property
    def is_contract(self) -> bool:
        return self.source is not PriceSource.LIST


def list_quote(list_price: Decimal, currency: str) -> PriceQuote:
    return PriceQuote(list_price, currency, PriceSource.LIST)


def _preference(term: ContractTerm) -> tuple[int, date, Decimal]:
    return (term.min_quantity, term.valid_from or date.min, -term.price)


def applicable_term(terms: Iterable[ContractTerm], quantity: int, day: date) -> ContractTerm | None:
    """The contract row that prices ``quantity`` on ``day``, if any (see the module doc)."""
    candidates = [term for term in terms if term.applies(quantity, day)]
    return max(candidates, key=_preference) if candidates else None


def quote(
    list_price: Decimal,
    currency: str,
    terms: Iterable[ContractTerm],
    *,
    quantity: int,
    day: date,
) -> PriceQuote:
    """The unit price of ``quantity`` pieces on ``day`` for a customer with ``terms``."""
    term = applicable_term(terms, max(quantity, 1), day)
    if term is None:
        return list_quote(list_price, currency)
    return PriceQuote(
        amount=term.price,
        currency=term.currency,
        source=PriceSource.QUANTITY_BREAK if term.min_quantity > 1 else PriceSource.CONTRACT,
        valid_from=term.valid_from,
        valid_to=term.valid_to,
        min_quantity=term.min_quantity,
    )
