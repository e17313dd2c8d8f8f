"""Order again: what changed between an order's lines and today's catalogue.

Pure: the order's lines (SKU, quantity, unit price then) and what today's check of the same
lines gave (the price now, or why the line cannot go to the cart) make one :class:`Change` per
line that differs. No database; worded by the presenter.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ChangeKind(StrEnum):
    PRICE = "price"  # the unit price today differs from the order's
    UNAVAILABLE = "unavailable"  # the catalogue no longer sells it (or not to this customer)
    NOT_ADDED = "not_added"  # sold, but the cart could not take it (full, quantity too high)


@dataclass(frozen=True)
class PastLine:
    sku: str
    name: str
    quantity: int
    unit_price_cents: int


@dataclass(frozen=True)
class TodayLine:
    sku: str
    unit_price_cents: int | None  # None: no price today
    available: bool  # in the catalogue for this customer
    added: bool  # went into the cart


@dataclass(frozen=True)
class Change:
    sku: str
    name: str
    kind: ChangeKind
    old_cents: int | None = None
    new_cents: int | None = None


def changes(past: list[PastLine], today: dict[str, TodayLine]) -> list[Change]:
    """One change per past line that is not the same today, in the order's order."""
    result = []
    for line in past:
        now = today.get(line.sku.upper())
        if now is None or not now.available:
            result.append(Change(line.sku, line.name, ChangeKind.UNAVAILABLE))
        elif not now.added:
            result.append(Change(line.sku, line.name, ChangeKind.NOT_ADDED))
        elif now.unit_price_cents is not None and now.unit_price_cents != line.unit_price_cents:
            result.append(
                Change(
                    line.sku,
                    line.name,
                    ChangeKind.PRICE,
                    line.unit_price_cents,
                    now.unit_price_cents,
                )
            )
    return result
