"""The price rule: list price, contract price or quantity break, on a day, for a quantity."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from customer_center.domain.prices import (
    ContractTerm,
    PriceSource,
    applicable_term,
    quote,
)

LIST = Decimal("8.90")
OLD = ContractTerm(Decimal("7.90"), "EUR", date(2025, 1, 1), date(2025, 12, 31))
CURRENT = ContractTerm(Decimal("7.45"), "EUR", date(2026, 1, 1), None)
BREAK = ContractTerm(Decimal("6.95"), "EUR", date(2026, 1, 1), None, min_quantity=100)
TERMS = (OLD, CURRENT, BREAK)


def _quote(quantity: int, day: date):
    return quote(LIST, "EUR", TERMS, quantity=quantity, day=day)


def test_the_contract_valid_on_the_day_applies() -> None:
    old = _quote(1, date(2025, 6, 1))
    assert (old.amount, old.source) == (Decimal("7.90"), PriceSource.CONTRACT)
    assert (old.valid_from, old.valid_to, old.min_quantity) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
        1,
    )
    current = _quote(1, date(2026, 2, 10))
    assert (current.amount, current.valid_from, current.valid_to) == (
        Decimal("7.45"),
        date(2026, 1, 1),
        None,
    )


def test_validity_includes_both_ends() -> None:
    assert _quote(1, date(2025, 12, 31)).amount == Decimal("7.90")
    assert _quote(1, date(2026, 1, 1)).amount == Decimal("7.45")
    assert _quote(1, date(2025, 1, 1)).amount == Decimal("7.90")


def test_before_any_contract_the_list_price_applies() -> None:
    listed = _quote(500, date(2024, 12, 31))
    assert (listed.amount, listed.currency, listed.source) == (LIST, "EUR", PriceSource.LIST)
    assert (listed.valid_from, listed.valid_to, listed.min_quantity) == (None, None, None)
    assert not listed.is_contract


def test_a_quantity_break_applies_from_its_minimum_quantity() -> None:
    assert _quote(99, date(2026, 3, 1)).amount == Decimal("7.45")
    at_break = _quote(100, date(2026, 3, 1))
    assert (at_break.amount, at_break.source, at_break.min_quantity) == (
        Decimal("6.95"),
        PriceSource.QUANTITY_BREAK,
        100,
    )
    # In 2025 the break did not exist yet: the old contract, whatever the quantity.
    assert _quote(1000, date(2025, 3, 1)).amount == Decimal("7.90")


def test_a_break_alone_leaves_small_quantities_at_the_list_price() -> None:
    only_break = quote(LIST, "EUR", [BREAK], quantity=5, day=date(2026, 3, 1))
    assert only_break.source is PriceSource.LIST


def test_a_contract_above_the_list_price_still_applies() -> None:
    dear = ContractTerm(Decimal("9.50"), "EUR")
    assert quote(LIST, "EUR", [dear], quantity=1, day=date(2026, 1, 1)).amount == Decimal("9.50")


def test_ties_go_to_the_latest_contract_then_the_lower_price() -> None:
    day = date(2026, 6, 1)
    older = ContractTerm(Decimal("7.00"), "EUR", date(2025, 1, 1), None)
    newer = ContractTerm(Decimal("7.20"), "EUR", date(2026, 1, 1), None)
    assert applicable_term([older, newer], 1, day) == newer
    cheap = ContractTerm(Decimal("6.00"), "EUR", date(2026, 1, 1), None)
    assert applicable_term([newer, cheap], 1, day) == cheap


def test_overlap_of_validities() -> None:
    assert OLD.overlaps(ContractTerm(Decimal(1), "EUR", date(2025, 12, 31), None))
    assert not OLD.overlaps(CURRENT)
    assert ContractTerm(Decimal(1), "EUR").overlaps(OLD)
    assert not ContractTerm(Decimal(1), "EUR", None, date(2024, 12, 31)).overlaps(OLD)


DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
TERM = st.builds(
    lambda price, start, length, open_start, open_end, minimum: ContractTerm(
        Decimal(price) / 100,
        "EUR",
        None if open_start else start,
        None if open_end else start + timedelta(days=length),
        minimum,
    ),
    st.integers(1, 100_000),
    DAYS,
    st.integers(0, 400),
    st.booleans(),
    st.booleans(),
    st.sampled_from([1, 1, 10, 50, 100]),
)


@given(st.lists(TERM, max_size=6), st.integers(1, 500), DAYS)
def test_the_chosen_row_applies_and_no_applicable_row_has_a_higher_minimum(
    terms: list[ContractTerm], quantity: int, day: date
) -> None:
    result = quote(LIST, "EUR", terms, quantity=quantity, day=day)
    applicable = [t for t in terms if t.valid_on(day) and t.min_quantity <= quantity]
    if not applicable:
        assert (result.amount, result.source) == (LIST, PriceSource.LIST)
        return
    chosen = ContractTerm(
        result.amount, result.currency, result.valid_from, result.valid_to, result.min_quantity or 0
    )
    assert chosen in applicable
    assert chosen.valid_on(day) and chosen.min_quantity <= quantity
    assert all(t.min_quantity <= chosen.min_quantity for t in applicable)
    expected = PriceSource.QUANTITY_BREAK if chosen.min_quantity > 1 else PriceSource.CONTRACT
    assert result.source is expected


@given(st.lists(TERM, max_size=6), st.integers(1, 500), st.integers(1, 500), DAYS)
def test_among_one_days_rows_a_larger_quantity_never_uses_a_smaller_break(
    terms: list[ContractTerm], small: int, extra: int, day: date
) -> None:
    first = quote(LIST, "EUR", terms, quantity=small, day=day)
    more = quote(LIST, "EUR", terms, quantity=small + extra, day=day)
    assert (more.min_quantity or 0) >= (first.min_quantity or 0)
