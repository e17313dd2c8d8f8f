"""Stored budgets: validation, precedence, spending summed by status, company scoping."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from customer_center.domain.budgets import Limits, OrderFigures, Spending
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.models.audit import AuditEntry
from customer_center.models.budget import BudgetRule
from customer_center.models.order import Order
from customer_center.services.people import budgets
from tests.factories import actor_for, make_company, make_user, role_id

TODAY = date(2026, 11, 24)
MONTHLY = Limits(period="month", period_budget_cents=1)
QUARTERLY = Limits(period="quarter", period_budget_cents=1)


@pytest.fixture
def main(session):
    return make_company(session)


def _order(session, main, user_id, status, cents, when=datetime(2026, 11, 3, tzinfo=UTC)):
    session.add(
        Order(
            company_id=main.company_id,
            requester_id=user_id,
            status=status,
            total_cents=cents,
            total_quantity=1,
            submitted_at=when,
        )
    )
    session.commit()


def test_a_saved_rule_is_read_back_and_audited(session, main) -> None:
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"])
    budgets.save_rule(
        session,
        main,
        scope="user",
        subject_id=ben.id,
        values={
            "max_quantity": "50",
            "max_order_value": "10,000.00",
            "period": "month",
            "period_budget": "25000",
        },
    )
    session.commit()
    assert budgets.rule_of(session, main, scope="user", subject_id=ben.id) == Limits(
        50, 1_000_000, "month", 2_500_000
    )
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "budget.saved")).one()
    assert entry.before is None and entry.after["max_order_value_cents"] == 1_000_000
    budgets.clear_rule(session, main, scope="user", subject_id=ben.id)
    assert budgets.rule_of(session, main, scope="user", subject_id=ben.id) is None


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"max_quantity": "-1"}, "max_quantity", "budget.error.quantity"),
        ({"max_quantity": "2.5"}, "max_quantity", "budget.error.quantity"),
        ({"max_quantity": "\u00b2"}, "max_quantity", "budget.error.quantity"),
        ({"max_quantity": "1000000001"}, "max_quantity", "budget.error.quantity"),
        ({"max_order_value": "-1"}, "max_order_value", "budget.error.negative"),
        ({"max_order_value": "1.001"}, "max_order_value", "budget.error.decimals"),
        ({"max_order_value": "ten"}, "max_order_value", "budget.error.amount"),
        ({"period": "month", "period_budget": "x"}, "period_budget", "budget.error.amount"),
        ({"period": "month"}, "period_budget", "budget.error.budget_required"),
        ({"period_budget": "100"}, "period", "budget.error.period_required"),
        ({"period": "decade", "period_budget": "100"}, "period", "budget.error.period_required"),
    ],
)
def test_bad_values_are_explained_and_nothing_is_saved(session, main, values, field, code) -> None:
    with pytest.raises(ValidationFailed) as failure:
        budgets.save_rule(session, main, scope="company", subject_id=0, values=values)
    assert failure.value.errors[field][0] == code
    session.rollback()
    assert session.exec(select(BudgetRule)).first() is None


def test_every_wrong_field_is_named_at_once(session, main) -> None:
    with pytest.raises(ValidationFailed) as failure:
        budgets.save_rule(
            session,
            main,
            scope="company",
            subject_id=0,
            values={"max_quantity": "x", "max_order_value": "-3", "period_budget": "7"},
        )
    assert set(failure.value.errors) == {"max_quantity", "max_order_value", "period"}


def test_zero_and_blank_are_different(session, main) -> None:
    """Zero is a limit (every order needs approval); blank is none."""
    budgets.save_rule(
        session,
        main,
        scope="company",
        subject_id=0,
        values={"max_quantity": "0", "max_order_value": "0", "period": ""},
    )
    assert budgets.rule_of(session, main, scope="company", subject_id=0) == Limits(0, 0, None, None)
    budgets.save_rule(session, main, scope="company", subject_id=0, values={"max_quantity": " "})
    assert budgets.rule_of(session, main, scope="company", subject_id=0) == Limits()


def test_changing_a_rule_audits_before_and_after(session, main) -> None:
    budgets.save_rule(session, main, scope="company", subject_id=0, values={"max_quantity": "5"})
    budgets.save_rule(session, main, scope="company", subject_id=0, values={"max_quantity": "7"})
    budgets.clear_rule(session, main, scope="company", subject_id=0)
    session.commit()
    entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    trail = [
        (
            e.action,
            (e.before or {}).get("max_quantity_per_order"),
            (e.after or {}).get("max_quantity_per_order"),
        )
        for e in entries
        if e.action.startswith("budget.")
    ]
    assert trail == [
        ("budget.saved", None, 5),
        ("budget.saved", 5, 7),
        ("budget.cleared", 7, None),
    ]


def test_german_users_type_german_amounts(session, main) -> None:
    main_de = replace(main, language="de")
    budgets.save_rule(
        session, main_de, scope="company", subject_id=0, values={"max_order_value": "1.234,50"}
    )
    assert (
        budgets.rule_of(session, main, scope="company", subject_id=0).max_order_value_cents
        == 123_450
    )


def test_own_rule_then_role_defaults_then_company(session, main) -> None:
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"])
    budgets.save_rule(
        session, main, scope="company", subject_id=0, values={"max_order_value": "100"}
    )
    assert budgets.effective_limits_for(session, main.company_id, ben.id)[1] == "company"
    budgets.save_rule(
        session,
        main,
        scope="role",
        subject_id=role_id(session, main.company_id, "buyer"),
        values={"max_order_value": "200"},
    )
    limits, source = budgets.effective_limits_for(session, main.company_id, ben.id)
    assert (limits.max_order_value_cents, source) == (20_000, "role")
    budgets.save_rule(session, main, scope="user", subject_id=ben.id, values={"max_quantity": "5"})
    limits, source = budgets.effective_limits_for(session, main.company_id, ben.id)
    assert (limits, source) == (Limits(max_quantity_per_order=5), "user")


def test_spending_counts_this_period_by_status(session, main) -> None:
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"])
    anna = make_user(session, main.company_id, "anna@acme.example", ["buyer"])
    _order(session, main, ben.id, "approved", 100_000)
    _order(session, main, ben.id, "pending_approval", 50_000)
    _order(session, main, ben.id, "rejected", 999_999)
    _order(session, main, ben.id, "cancelled", 999_999)
    _order(session, main, ben.id, "approved", 7_000, when=datetime(2026, 10, 31, 22, tzinfo=UTC))
    _order(session, main, anna.id, "approved", 999_999)
    _order(session, main, ben.id, "draft", 999_999)
    _order(session, main, ben.id, "sent", 3_000)  # a later state of ordering: spent
    month = budgets.spending_of(session, main.company_id, ben.id, MONTHLY, TODAY)
    assert (month.spent_cents, month.reserved_cents) == (103_000, 50_000)
    quarter = budgets.spending_of(session, main.company_id, ben.id, QUARTERLY, TODAY)
    assert (quarter.spent_cents, quarter.reserved_cents) == (110_000, 50_000)
    assert budgets.spending_of(session, main.company_id, ben.id, Limits(), TODAY) == Spending()


def test_periods_start_at_local_midnight(session, main) -> None:
    """23:30 UTC on 31 October is already 1 November in Germany (UTC+1 in winter)."""
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"])
    _order(
        session, main, ben.id, "approved", 1_000, when=datetime(2026, 10, 31, 23, 30, tzinfo=UTC)
    )
    _order(session, main, ben.id, "approved", 20, when=datetime(2026, 10, 31, 22, 59, tzinfo=UTC))
    _order(session, main, ben.id, "approved", 300, when=datetime(2026, 11, 30, 23, 1, tzinfo=UTC))
    november = budgets.spending_of(session, main.company_id, ben.id, MONTHLY, TODAY)
    assert november.spent_cents == 1_000


def test_the_situation_and_the_breaches_the_ordering_flow_asks_for(session, main) -> None:
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"])
    budgets.save_rule(
        session,
        main,
        scope="user",
        subject_id=ben.id,
        values={"max_order_value": "1000", "period": "month", "period_budget": "2000"},
    )
    _order(session, main, ben.id, "approved", 150_000)
    situation = budgets.budget_situation(session, main, user_id=ben.id, today=TODAY)
    assert (situation.remaining_cents, situation.period_start) == (50_000, date(2026, 11, 1))
    kinds = [
        b.kind
        for b in budgets.order_breaches(
            session, main.company_id, ben.id, OrderFigures(1, 60_000), TODAY
        )
    ]
    assert kinds == ["period_budget"]
    assert (
        budgets.order_breaches(session, main.company_id, ben.id, OrderFigures(1, 50_000), TODAY)
        == []
    )


def test_the_defaults_page_reads_company_and_role_defaults_at_once(session, main) -> None:
    buyer = role_id(session, main.company_id, "buyer")
    other = make_company(session, "C-2", "Other AG")
    budgets.save_rule(session, other, scope="company", subject_id=0, values={"max_quantity": "9"})
    assert budgets.budget_defaults(session, main).company is None
    budgets.save_rule(session, main, scope="company", subject_id=0, values={"max_quantity": "1"})
    budgets.save_rule(session, main, scope="role", subject_id=buyer, values={"max_quantity": "2"})
    defaults = budgets.budget_defaults(session, main)
    assert defaults.currency == "EUR"
    assert defaults.company == Limits(max_quantity_per_order=1)
    assert defaults.roles == {buyer: Limits(max_quantity_per_order=2)}


def test_users_see_their_own_situation_but_not_others(session, main) -> None:
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"])
    anna = make_user(session, main.company_id, "anna@acme.example", ["buyer"])
    session.commit()
    ben_actor = actor_for(session, ben)
    assert budgets.budget_situation(session, ben_actor, user_id=ben.id, today=TODAY).source is None
    with pytest.raises(ServiceError) as failure:
        budgets.budget_situation(session, ben_actor, user_id=anna.id, today=TODAY)
    assert failure.value.code == "error.permission_denied"
    assert budgets.budget_situation(session, main, user_id=anna.id).period_start is None


def test_subjects_of_another_company_are_not_found(session, main) -> None:
    other = make_company(session, "C-2", "Other AG")
    theirs = make_user(session, other.company_id, "x@other.example", ["buyer"])
    their_role = role_id(session, other.company_id, "buyer")
    session.commit()
    for scope, subject in (("user", theirs.id), ("role", their_role), ("user", 10**9)):
        with pytest.raises(ServiceError) as failure:
            budgets.save_rule(
                session, main, scope=scope, subject_id=subject, values={"max_quantity": "1"}
            )
        assert failure.value.code == "admin.not_found"
        with pytest.raises(ServiceError):
            budgets.rule_of(session, main, scope=scope, subject_id=subject)
        with pytest.raises(ServiceError):
            budgets.clear_rule(session, main, scope=scope, subject_id=subject)
    with pytest.raises(ServiceError):
        budgets.save_rule(session, main, scope="galaxy", subject_id=0, values={"max_quantity": "1"})
    with pytest.raises(ServiceError):
        budgets.budget_situation(session, main, user_id=theirs.id, today=TODAY)
    session.rollback()
    assert session.exec(select(BudgetRule)).first() is None
