"""The pure budget rules: which limits apply, which an order exceeds, and the words for it."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customer_center.domain.budgets import (
    MAX_CENTS,
    NO_LIMITS,
    AmountError,
    LimitBreach,
    Limits,
    OrderFigures,
    Spending,
    combine_role_limits,
    effective_limits,
    format_amount,
    limit_breaches,
    parse_money,
    period_bounds,
    remaining_cents,
)
from customer_center.presenters.breaches import describe_breach

LIMITS = Limits(
    max_quantity_per_order=100,
    max_order_value_cents=1_000_000,
    period="month",
    period_budget_cents=5_000_000,
)


def kinds(order: OrderFigures, limits: Limits = LIMITS, spending: Spending = Spending()):  # type: ignore[no-untyped-def]
    return [b.kind for b in limit_breaches(order, limits, spending)]


@pytest.mark.parametrize(
    ("quantity", "cents", "expected"),
    [
        (100, 1_000_000, []),  # exactly at both limits
        (101, 1_000_000, ["quantity"]),
        (100, 1_000_001, ["order_value"]),
        (101, 1_000_001, ["quantity", "order_value"]),
        (0, 0, []),
    ],
)
def test_per_order_limits_allow_the_limit_itself(quantity, cents, expected) -> None:
    assert kinds(OrderFigures(quantity, cents)) == expected


@pytest.mark.parametrize(
    ("spent", "reserved", "cents", "exceeded"),
    [
        (4_000_000, 0, 1_000_000, False),  # fills the budget exactly
        (4_000_000, 0, 1_000_001, True),
        (3_000_000, 1_000_000, 1_000_000, False),  # reserved counts like spent
        (3_000_000, 1_000_001, 1_000_000, True),
        (5_000_000, 0, 0, False),  # an empty order never breaks a full budget
        (6_000_000, 0, 1, True),  # already overspent
    ],
)
def test_the_period_budget_counts_spent_and_reserved(spent, reserved, cents, exceeded) -> None:
    found = kinds(OrderFigures(1, cents), spending=Spending(spent, reserved))
    assert ("period_budget" in found) is exceeded


def test_no_limits_never_breach() -> None:
    assert limit_breaches(OrderFigures(10**6, 10**12), NO_LIMITS, Spending(10**12, 10**12)) == []


def test_a_breach_carries_its_figures() -> None:
    [breach] = limit_breaches(
        OrderFigures(1, 2_000_000),
        Limits(period="quarter", period_budget_cents=5_000_000),
        Spending(3_500_000, 500_000),
    )
    assert breach == LimitBreach(
        "period_budget", 2_000_000, 5_000_000, already_used=4_000_000, period="quarter"
    )
    assert breach.code == "budget.breach.period_budget"


def test_reasons_in_words_in_both_languages() -> None:
    value = LimitBreach("order_value", 1_240_000, 1_000_000)
    assert describe_breach(value, "en", "EUR") == (
        "order value €12,400.00 exceeds the per-order limit of €10,000.00"
    )
    assert describe_breach(value, "de", "EUR") == (
        "Bestellwert 12.400,00\xa0€ überschreitet das Limit je Bestellung von 10.000,00\xa0€"
    )
    quantity = describe_breach(LimitBreach("quantity", 120, 100), "en", "EUR")
    assert quantity == "quantity 120 exceeds the per-order maximum of 100"
    period = describe_breach(
        LimitBreach("period_budget", 200_000, 500_000, 400_000, "quarter"), "en", "EUR"
    )
    assert period == (
        "order value €2,000.00 on top of €4,000.00 already spent or reserved this quarter "
        "exceeds the quarterly budget of €5,000.00"
    )
    german = describe_breach(
        LimitBreach("period_budget", 200_000, 500_000, 400_000, "year"), "de", "CHF"
    )
    assert german == (
        "Bestellwert 2.000,00\xa0CHF zusätzlich zu bereits ausgegebenen oder reservierten "
        "4.000,00\xa0CHF in diesem Jahr überschreitet das Jahresbudget von 5.000,00\xa0CHF"
    )


@pytest.mark.parametrize("kind", ["quantity", "order_value", "period_budget"])
@pytest.mark.parametrize("period", ["month", "quarter", "year", None])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_reason_has_words_in_every_language(kind, period, lang) -> None:
    text = describe_breach(LimitBreach(kind, 12_345, 10_000, 500, period), lang, "EUR")
    assert "budget." not in text and "{" not in text
    assert ("123" in text) and ("100" in text)


@pytest.mark.parametrize(
    ("period", "today", "start", "end"),
    [
        ("month", date(2026, 11, 24), date(2026, 11, 1), date(2026, 12, 1)),
        ("month", date(2026, 12, 31), date(2026, 12, 1), date(2027, 1, 1)),
        ("quarter", date(2026, 11, 24), date(2026, 10, 1), date(2027, 1, 1)),
        ("quarter", date(2026, 1, 1), date(2026, 1, 1), date(2026, 4, 1)),
        ("quarter", date(2026, 6, 30), date(2026, 4, 1), date(2026, 7, 1)),
        ("year", date(2026, 2, 28), date(2026, 1, 1), date(2027, 1, 1)),
    ],
)
def test_period_bounds(period, today, start, end) -> None:
    assert period_bounds(period, today) == (start, end)


def test_the_users_own_rule_wins_over_roles_and_company() -> None:
    own = Limits(max_order_value_cents=1)
    roles = [Limits(max_order_value_cents=5)]
    company = Limits(max_order_value_cents=9)
    assert effective_limits(own, roles, company) == (own, "user")
    assert effective_limits(None, roles, company) == (roles[0], "role")
    assert effective_limits(None, [], company) == (company, "company")
    assert effective_limits(None, [], None) == (NO_LIMITS, None)


def test_several_roles_give_the_most_generous_value_per_field() -> None:
    combined = combine_role_limits(
        [
            Limits(
                max_quantity_per_order=10,
                max_order_value_cents=None,
                period="year",
                period_budget_cents=200_000,
            ),
            Limits(
                max_quantity_per_order=50,
                max_order_value_cents=500,
                period="month",
                period_budget_cents=10_000,
            ),
        ]
    )
    assert combined.max_quantity_per_order == 50
    assert combined.max_order_value_cents is None
    assert (combined.period, combined.period_budget_cents) == ("year", 200_000)
    assert (
        combine_role_limits(
            [Limits(period="month", period_budget_cents=1), Limits()]
        ).period_budget_cents
        is None
    )


def test_remaining_budget() -> None:
    assert remaining_cents(LIMITS, Spending(1_000_000, 500_000)) == 3_500_000
    assert remaining_cents(NO_LIMITS, Spending(1, 1)) is None


@pytest.mark.parametrize(
    ("text", "lang", "cents"),
    [
        ("10000", "en", 1_000_000),
        ("10,000.00", "en", 1_000_000),
        ("10,000.5", "en", 1_000_050),
        ("0.99", "en", 99),
        ("10.000,00", "de", 1_000_000),
        ("10000,5", "de", 1_000_050),
        (" 1 234,56 ", "de", 123_456),
    ],
)
def test_amounts_are_read_as_the_language_writes_them(text, lang, cents) -> None:
    assert parse_money(text, lang) == cents
    assert parse_money(format_amount(cents, lang), lang) == cents


@pytest.mark.parametrize(
    ("text", "lang", "code"),
    [
        ("-5", "en", "budget.error.negative"),
        ("-0,01", "de", "budget.error.negative"),
        ("0.123", "en", "budget.error.decimals"),
        ("10.001", "en", "budget.error.decimals"),
        ("1,005", "de", "budget.error.decimals"),
        ("abc", "en", "budget.error.amount"),
        ("1.2.3", "en", "budget.error.amount"),
        ("1,5", "en", "budget.error.amount"),  # a German decimal comma in English
        ("1,5.00", "en", "budget.error.amount"),  # a thousands group of one digit
        ("", "en", "budget.error.amount"),
        ("1e5", "en", "budget.error.amount"),
        ("+5", "en", "budget.error.amount"),
        ("\u0661\u0662", "en", "budget.error.amount"),  # digits of another script
        ("5 €", "de", "budget.error.amount"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(text, lang, code) -> None:
    with pytest.raises(AmountError) as failure:
        parse_money(text, lang)
    assert failure.value.code == code == str(failure.value)


def test_absurd_amounts_are_refused() -> None:
    with pytest.raises(ValueError, match="budget.error.too_large"):
        parse_money("999999999999999", "en")


optional = st.one_of(st.none(), st.integers(min_value=0, max_value=10**9))
limits_strategy = st.builds(
    Limits,
    max_quantity_per_order=optional,
    max_order_value_cents=optional,
    period=st.sampled_from(["month", "quarter", "year"]),
    period_budget_cents=optional,
)
orders = st.builds(
    OrderFigures,
    total_quantity=st.integers(min_value=0, max_value=10**6),
    total_cents=st.integers(min_value=0, max_value=10**10),
)
spendings = st.builds(
    Spending,
    spent_cents=st.integers(min_value=0, max_value=10**10),
    reserved_cents=st.integers(min_value=0, max_value=10**10),
)


@given(orders, limits_strategy, spendings)
def test_no_breach_exactly_when_every_figure_is_within_its_limit(order, limits, spending) -> None:
    within = (
        (
            limits.max_quantity_per_order is None
            or order.total_quantity <= limits.max_quantity_per_order
        )
        and (
            limits.max_order_value_cents is None
            or order.total_cents <= limits.max_order_value_cents
        )
        and (
            limits.period_budget_cents is None
            or spending.spent_cents + spending.reserved_cents + order.total_cents
            <= limits.period_budget_cents
        )
    )
    assert (limit_breaches(order, limits, spending) == []) is within


@given(orders, limits_strategy, spendings)
def test_every_breach_names_a_figure_above_its_limit(order, limits, spending) -> None:
    for breach in limit_breaches(order, limits, spending):
        assert breach.actual + breach.already_used > breach.limit


@given(st.lists(limits_strategy, min_size=1, max_size=4), orders)
def test_combining_roles_is_never_stricter_than_any_single_role(role_limits, order) -> None:
    combined = combine_role_limits(role_limits)
    per_order = {"quantity", "order_value"}
    combined_kinds = {b.kind for b in limit_breaches(order, combined, Spending())} & per_order
    for single in role_limits:
        single_kinds = {b.kind for b in limit_breaches(order, single, Spending())} & per_order
        assert combined_kinds <= single_kinds


@given(st.lists(limits_strategy, min_size=1, max_size=4))
def test_combining_roles_does_not_depend_on_their_order(role_limits) -> None:
    assert combine_role_limits(role_limits) == combine_role_limits(list(reversed(role_limits)))


@given(st.integers(min_value=0, max_value=MAX_CENTS), st.sampled_from(["en", "de"]))
def test_amounts_survive_a_round_trip_through_the_form(cents, lang) -> None:
    assert parse_money(format_amount(cents, lang), lang) == cents


@given(orders, limits_strategy, spendings)
def test_each_limit_is_judged_on_its_own(order, limits, spending) -> None:
    """The breaches of all limits together are those of each limit alone, in a fixed order."""
    alone = [
        Limits(max_quantity_per_order=limits.max_quantity_per_order),
        Limits(max_order_value_cents=limits.max_order_value_cents),
        Limits(period=limits.period, period_budget_cents=limits.period_budget_cents),
    ]
    separately = [b for single in alone for b in limit_breaches(order, single, spending)]
    assert limit_breaches(order, limits, spending) == separately


@given(st.lists(limits_strategy, min_size=1, max_size=4))
def test_combining_roles_keeps_a_budget_only_if_every_role_has_one(role_limits) -> None:
    combined = combine_role_limits(role_limits)
    every_role_has_one = all(r.period_budget_cents is not None for r in role_limits)
    assert (combined.period_budget_cents is not None) is every_role_has_one
    if every_role_has_one:
        assert (combined.period, combined.period_budget_cents) in {
            (r.period, r.period_budget_cents) for r in role_limits
        }


@given(
    st.dates(date(2000, 1, 1), date(2200, 12, 31)), st.sampled_from(["month", "quarter", "year"])
)
def test_a_period_contains_its_day_and_the_next_starts_where_it_ends(today, period) -> None:
    start, end = period_bounds(period, today)
    assert start <= today < end and start.day == 1 and end.day == 1
    assert period_bounds(period, end)[0] == end
