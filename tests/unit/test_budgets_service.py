"""Stored budgets: validation, precedence, spending summed by status, company scoping."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from customer_center.domain.budgets import Limits, OrderFigures
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.models.audit import AuditEntry
from customer_center.models.budget import BudgetRule
from customer_center.models.order import Order
from customer_center.services import budgets
from tests.factories import actor_for, make_company, make_user, role_id

TODAY = date(2026, 11, 24)


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
        "user",
        ben.id,
        {
            "max_quantity": "50",
            "max_order_value": "10,000.00",
            "period": "month",
            "period_budget": "25000",
        },
    )
    session.commit()
    assert budgets.rule_of(session, main, "user", ben.id) == Limits(
        50, 1_000_000, "month", 2_500_000
    )
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "budget.saved")).one()
    assert entry.before is None and entry.after["max_order_value_cents"] == 1_000_000
    budgets.clear_rule(session, main, "user", ben.id)
    assert budgets.rule_of(session, main, "user", ben.id) is None


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"max_quantity": "0"}, "max_quantity", "budget.error.quantity"),
        ({"max_quantity": "2.5"}, "max_quantity", "budget.error.quantity"),
        ({"max_order_value": "-1"}, "max_order_value", "budget.error.amount"),
        ({"period": "month"}, "period_budget", "budget.error.budget_required"),
        ({"period_budget": "100"}, "period", "budget.error.period_required"),
        ({"period": "decade", "period_budget": "100"}, "period", "budget.error.period_required"),
    ],
)
def test_bad_values_are_explained_and_nothing_is_saved(session, main, values, field, code) -> None:
    with pytest.raises(ValidationFailed) as failure:
        budgets.save_rule(session, main, "company", 0, values)
    assert failure.value.errors[field][0] == code
    session.rollback()
    assert session.exec(select(BudgetRule)).first() is None


def test_german_users_type_german_amounts(session, main) -> None:
    main_de = main.__class__(main.user_id, main.company_id, main.session_id, "de")
    budgets.save_rule(session, main_de, "company", 0, {"max_order_value": "1.234,50"})
    assert budgets.rule_of(session, main, "company", 0).max_order_value_cents == 123_450


def test_own_rule_then_role_defaults_then_company(session, main) -> None:
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"])
    budgets.save_rule(session, main, "company", 0, {"max_order_value": "100"})
    assert budgets.effective_limits_for(session, main.company_id, ben.id)[1] == "company"
    budgets.save_rule(
        session,
        main,
        "role",
        role_id(session, main.company_id, "buyer"),
        {"max_order_value": "200"},
    )
    limits, source = budgets.effective_limits_for(session, main.company_id, ben.id)
    assert (limits.max_order_value_cents, source) == (20_000, "role")
    budgets.save_rule(session, main, "user", ben.id, {"max_quantity": "5"})
    limits, source = budgets.effective_limits_for(session, main.company_id, ben.id)
    assert (limits, source) == (Limits(max_quantity_per_order=5), "user")


def test_spending_counts_this_period_by_status(session, main) -> None:
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"])
    anna = make_user(session, main.company_id, "anna@acme.example", ["buyer"])
    _order(session, main, ben.id, "approved", 100_000)
    _order(session, main, ben.id, "pending_approval", 50_000)
    _order(session, main, ben.id, "rejected", 999_999)
    _order(session, main, ben.id, "cancelled", 999_999)
    _order(session, main, ben.id, "approved", 7_000, when=datetime(2026, 10, 31, 23, tzinfo=UTC))
    _order(session, main, anna.id, "approved", 999_999)
    month = budgets.spending_of(session, main.company_id, ben.id, "month", TODAY)
    assert (month.spent_cents, month.reserved_cents) == (100_000, 50_000)
    quarter = budgets.spending_of(session, main.company_id, ben.id, "quarter", TODAY)
    assert quarter.spent_cents == 107_000


def test_the_situation_and_the_breaches_the_ordering_flow_asks_for(session, main) -> None:
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"])
    budgets.save_rule(
        session,
        main,
        "user",
        ben.id,
        {"max_order_value": "1000", "period": "month", "period_budget": "2000"},
    )
    _order(session, main, ben.id, "approved", 150_000)
    situation = budgets.budget_situation(session, main, ben.id, TODAY)
    assert (situation.remaining_cents, situation.period_start) == (50_000, date(2026, 11, 1))
    kinds = [
        b.kind
        for b in budgets.order_breaches(
            session, main.company_id, ben.id, OrderFigures(1, 60_000), TODAY
        )
    ]
    assert kinds == ["period_budget"]


def test_users_see_their_own_situation_but_not_others(session, main) -> None:
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"])
    anna = make_user(session, main.company_id, "anna@acme.example", ["buyer"])
    session.commit()
    ben_actor = actor_for(session, ben)
    assert budgets.budget_situation(session, ben_actor, ben.id, TODAY).source is None
    with pytest.raises(ServiceError):
        budgets.budget_situation(session, ben_actor, anna.id, TODAY)


def test_subjects_of_another_company_are_not_found(session, main) -> None:
    other = make_company(session, "C-2", "Other AG")
    theirs = make_user(session, other.company_id, "x@other.example", ["buyer"])
    their_role = role_id(session, other.company_id, "buyer")
    session.commit()
    for scope, subject in (("user", theirs.id), ("role", their_role)):
        with pytest.raises(ServiceError) as failure:
            budgets.save_rule(session, main, scope, subject, {"max_quantity": "1"})
        assert failure.value.code == "admin.not_found"
    with pytest.raises(ServiceError):
        budgets.budget_situation(session, main, theirs.id, TODAY)
    session.rollback()
    assert session.exec(select(BudgetRule)).first() is None
