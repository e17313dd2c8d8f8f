"""Controlling figures: spend per month, user and role, budget use per user, waiting approvals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from customer_center.domain.errors import ServiceError
from customer_center.domain.order_states import OrderStatus, StepStatus
from customer_center.domain.people import RuleScope, UserStatus
from customer_center.models.budget import BudgetRule
from customer_center.models.order import ApprovalStep
from customer_center.presenters import controlling as controlling_words
from customer_center.services.budget_use import budget_use_page
from customer_center.services.controlling import approval_report, range_bounds, spend_report
from tests.factories import actor_for, make_company, make_user, role_id
from tests.journey_factory import make_order

TODAY = date(2026, 5, 20)
NOW = datetime(2026, 5, 20, 10, 0, tzinfo=UTC)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class Acme:
    def __init__(self, session: Session) -> None:
        self.main = make_company(session)
        company = self.main.company_id
        self.session = session
        self.ben = make_user(session, company, "ben@acme.example", ["buyer"], name="Ben")
        self.anna = make_user(
            session, company, "anna@acme.example", ["approver", "buyer"], name="Anna"
        )
        carla = make_user(session, company, "carla@acme.example", ["controller"], name="Carla")
        gone = make_user(
            session,
            company,
            "gone@acme.example",
            ["buyer"],
            name="Gone",
            status=UserStatus.INACTIVE,
        )
        buyer = make_user(session, company, "tom@acme.example", ["buyer"], name="Tom")
        other = make_company(session, "C-2", "Other AG")
        self.order(other.user_id, at(date(2026, 5, 2)), 99_999_00, company=other.company_id)
        self.order(self.ben.id, at(date(2026, 5, 2)), 100_00)
        self.order(self.ben.id, at(date(2026, 4, 15)), 50_00, status=OrderStatus.DELIVERED)
        self.order(self.ben.id, at(date(2026, 5, 3)), 70_00, status=OrderStatus.PENDING_APPROVAL)
        self.order(self.ben.id, at(date(2026, 5, 4)), 1000_00, status=OrderStatus.CANCELLED)
        self.order(self.anna.id, at(date(2025, 6, 1)), 30_00)  # 12th month back
        self.order(self.anna.id, at(date(2025, 5, 20)), 40_00)  # a year ago to the day: out
        self.order(gone.id, at(date(2026, 1, 10)), 20_00)
        self.as_main = self.main
        self.as_carla = actor_for(session, carla)
        self.as_buyer = actor_for(session, buyer)

    def order(self, requester_id, submitted_at, cents, status="approved", company=None):  # type: ignore[no-untyped-def]
        return make_order(
            self.session,
            company or self.main.company_id,
            requester_id,
            status=status,
            lines=(("A", "Bolt", 1, cents),),
            submitted_at=submitted_at,
        )


@pytest.fixture
def acme(session: Session) -> Acme:
    return Acme(session)


def test_ranges() -> None:
    assert range_bounds("12m", TODAY) == (date(2025, 5, 21), date(2026, 5, 21))
    # In December the last twelve months are not this calendar year.
    assert range_bounds("12m", date(2026, 12, 5)) == (date(2025, 12, 6), date(2026, 12, 6))
    assert range_bounds("12m", date(2028, 2, 29)) == (date(2027, 3, 1), date(2028, 3, 1))
    assert range_bounds("month", TODAY) == (date(2026, 5, 1), date(2026, 6, 1))
    assert range_bounds("quarter", TODAY) == (date(2026, 4, 1), date(2026, 7, 1))
    assert range_bounds("year", date(2026, 12, 31)) == (date(2026, 1, 1), date(2027, 1, 1))


def test_spend_per_month_user_and_role(acme: Acme, session: Session) -> None:
    report = spend_report(session, acme.as_carla, range_code="12m", today=TODAY)
    assert [m.label for m in report.months][0] == "2025-06-01"
    by_month = {m.label: m.cents for m in report.months}
    assert len(by_month) == 12
    assert by_month["2026-05-01"] == 100_00  # pending is reserved, cancelled counts nothing
    assert by_month["2026-04-01"] == 50_00 and by_month["2025-06-01"] == 30_00
    assert by_month["2026-01-01"] == 20_00
    assert (report.spent_cents, report.reserved_cents) == (200_00, 70_00)
    assert [(u.label, u.cents) for u in report.users] == [
        ("Ben", 150_00),
        ("Anna", 30_00),
        ("Gone", 20_00),
    ]
    roles = {r.role.code: r.cents for r in report.roles}
    assert roles == {"buyer": 200_00, "approver": 30_00}  # Anna counts in both of her roles
    assert report.roles[0].role.is_builtin
    assert controlling_words.spend(report, "de")["roles"][0]["label"] == "Einkäufer"


def test_the_range_narrows_users_and_roles_not_the_months(acme: Acme, session: Session) -> None:
    report = spend_report(session, acme.as_carla, range_code="month", today=TODAY)
    assert [(u.label, u.cents) for u in report.users] == [("Ben", 100_00)]
    assert len(report.months) == 12 and report.spent_cents == 100_00
    assert spend_report(
        session, acme.as_carla, range_code="nonsense", today=TODAY
    ).range_start == date(2025, 5, 21)


def test_local_months(acme: Acme, session: Session) -> None:
    # 22:30 UTC on 31 May is 1 June in Berlin: it belongs to June.
    acme.order(acme.ben.id, datetime(2026, 5, 31, 22, 30, tzinfo=UTC), 5_00)
    report = spend_report(session, acme.as_carla, range_code="12m", today=date(2026, 6, 2))
    by_month = {m.label: m.cents for m in report.months}
    assert by_month["2026-06-01"] == 5_00 and by_month["2026-05-01"] == 100_00


def test_only_reports_view_may_see_the_figures(acme: Acme, session: Session) -> None:
    for report in (spend_report, approval_report, budget_use_page):
        with pytest.raises(ServiceError):
            report(session, acme.as_buyer)  # type: ignore[operator]
    assert spend_report(session, acme.as_main, range_code="12m", today=TODAY).spent_cents == 200_00


def test_budget_use_per_user_in_each_user_s_own_period(acme: Acme, session: Session) -> None:
    company = acme.main.company_id
    session.add(
        BudgetRule(
            company_id=company, scope=RuleScope.COMPANY, subject_id=0, period="year",
            period_budget_cents=1000_00,
        )
    )  # fmt: skip
    session.add(
        BudgetRule(
            company_id=company, scope=RuleScope.USER, subject_id=acme.ben.id, period="month",
            period_budget_cents=150_00,
        )
    )  # fmt: skip
    controller = role_id(session, company, "controller")
    session.add(
        BudgetRule(
            company_id=company, scope=RuleScope.ROLE, subject_id=controller,
            max_order_value_cents=10_00,
        )
    )  # fmt: skip
    session.commit()
    page = budget_use_page(session, acme.as_carla, page=0, today=TODAY)
    rows = {row.name: row for row in page.rows}
    assert "Gone" not in rows and page.total == 5 and page.currency == "EUR"
    ben = rows["Ben"]
    assert (ben.period, ben.budget_cents, ben.spent_cents, ben.reserved_cents) == (
        "month",
        150_00,
        100_00,
        70_00,
    )
    assert ben.remaining_cents == -20_00  # reserved orders count against the budget
    anna = rows["Anna"]  # the company's yearly default: nothing ordered this year
    assert (anna.period, anna.budget_cents, anna.spent_cents, anna.remaining_cents) == (
        "year",
        1000_00,
        0,
        1000_00,
    )
    carla = rows["Carla"]  # her role's default has no period budget
    assert (carla.period, carla.budget_cents, carla.remaining_cents) == (None, None, None)


def test_waiting_approvals_by_age(acme: Acme, session: Session) -> None:
    company = acme.main.company_id
    orders = [
        acme.order(
            acme.ben.id, NOW - timedelta(days=days), 10_00, status=OrderStatus.PENDING_APPROVAL
        )
        for days in (0, 2, 5, 9)
    ]
    for order, days in zip(orders, (0.5, 2, 5, 9), strict=True):
        session.add(
            ApprovalStep(
                company_id=company, order_id=order.id, revision=1, level=0, rule="any",
                approver_id=acme.anna.id, status=StepStatus.WAITING,
                due_since=NOW - timedelta(days=days),
            )
        )  # fmt: skip
    session.add(
        ApprovalStep(
            company_id=company, order_id=orders[3].id, revision=1, level=0, rule="all",
            approver_id=acme.main.user_id, status=StepStatus.WAITING,
            due_since=NOW - timedelta(days=9),
        )
    )  # fmt: skip
    for status in (StepStatus.QUEUED, StepStatus.APPROVED):
        session.add(
            ApprovalStep(
                company_id=company, order_id=orders[0].id, revision=1, level=1, rule="any",
                approver_id=acme.anna.id, status=status, due_since=NOW - timedelta(days=30),
            )
        )  # fmt: skip
    session.commit()
    report = approval_report(session, acme.as_carla, now=NOW)
    assert report.orders_waiting == 4
    assert report.steps_by_age == [("under_1", 1), ("1_3", 1), ("3_7", 1), ("over_7", 2)]
    oldest = report.oldest[0]
    assert (oldest.order_id, oldest.requester) == (orders[3].id, "Ben")
    assert oldest.number == f"PO-{orders[3].id:06d}"
    assert [w.order_id for w in report.oldest][-1] == orders[0].id
