"""Budget states through Reflex's real event pipeline: access rules, validation, what is shown."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from customer_center.components.budget_editor import my_budget_card, user_budget_section
from customer_center.domain.permissions import Permission
from customer_center.models.budget import BudgetRule
from customer_center.models.order import Order
from customer_center.models.user import Role, RolePermission, User, UserRole
from customer_center.pages.budgets import budgets_page
from customer_center.services.people import budgets
from customer_center.services.people.budgets import local_today
from customer_center.state.access import Access, access_of
from customer_center.state.budgets import BudgetDefaultsState, MyBudgetState, UserBudgetState
from customer_center.state.middleware import handler_functions
from tests.factories import make_company, make_user, role_id, signed_in_cookie
from tests.state.test_forged_events import dispatch

pytestmark = pytest.mark.usefixtures("db")

_tokens = itertools.count()
GOOD = {"max_quantity": "50", "max_order_value": "10,000.00", "period": ""}


def _token() -> str:
    return f"budget-state-{next(_tokens)}"


class Acme:
    """A company with its main contact, a buyer, and an HR user who manages users only."""

    def __init__(self, session: Session) -> None:
        self.main = make_company(session)
        self.ben = make_user(session, self.main.company_id, "ben@acme.example", ["buyer"])
        hr_role = Role(company_id=self.main.company_id, code="hr", name="HR")
        session.add(hr_role)
        session.flush()
        session.add(RolePermission(role_id=hr_role.id, permission=Permission.USERS_MANAGE))  # type: ignore[arg-type]
        self.hr = make_user(session, self.main.company_id, "hr@acme.example", [])
        session.add(UserRole(user_id=self.hr.id, role_id=hr_role.id))  # type: ignore[arg-type]
        session.commit()
        self.session = session

    def cookie(self, user: User | None = None) -> str:
        return signed_in_cookie(self.session, user or self.session.get(User, self.main.user_id))  # type: ignore[arg-type]

    def rules(self) -> list[BudgetRule]:
        self.session.expire_all()
        return list(self.session.exec(select(BudgetRule)).all())


@pytest.fixture
def acme(session: Session) -> Acme:
    return Acme(session)


def _name(state: type, handler: str) -> str:
    return f"{state.get_full_name()}.{handler}"


async def _send(cookie: str, state: type, handler: str, payload: dict, query: dict, token: str):  # type: ignore[no-untyped-def]
    return await dispatch(token, cookie, _name(state, handler), payload, query)


@pytest.mark.parametrize(
    ("state", "handler", "access"),
    [
        (UserBudgetState, "load", Access(permission=Permission.USERS_MANAGE)),
        (UserBudgetState, "save", Access(permission=Permission.BUDGETS_MANAGE)),
        (UserBudgetState, "clear", Access(permission=Permission.BUDGETS_MANAGE)),
        (MyBudgetState, "load", Access()),
        (BudgetDefaultsState, "load", Access(permission=Permission.BUDGETS_MANAGE)),
        (BudgetDefaultsState, "edit", Access(permission=Permission.BUDGETS_MANAGE)),
        (BudgetDefaultsState, "cancel", Access(permission=Permission.BUDGETS_MANAGE)),
        (BudgetDefaultsState, "save", Access(permission=Permission.BUDGETS_MANAGE)),
        (BudgetDefaultsState, "clear", Access(permission=Permission.BUDGETS_MANAGE)),
    ],
)
def test_handlers_carry_the_intended_access_rule(state, handler, access) -> None:
    assert access_of(handler_functions()[_name(state, handler)]) == access


def test_the_budget_states_have_no_other_handlers() -> None:
    ours = {
        name
        for name, fn in handler_functions().items()
        if fn.__module__ == "customer_center.state.budgets"
    }
    assert len(ours) == 9


async def test_save_explains_wrong_values_next_to_the_fields_and_saves_nothing(acme) -> None:
    cookie, token, query = acme.cookie(), _token(), {"user_id": str(acme.ben.id)}
    await _send(cookie, UserBudgetState, "load", {}, query, token)
    form = {"max_quantity": "-2", "max_order_value": "12.3.4", "period": "", "period_budget": "5"}
    state = await _send(cookie, UserBudgetState, "save", {"form": form}, query, token)
    assert state.errors == {
        "max_quantity": "Please enter a whole number (0 or more).",
        "max_order_value": "Please enter an amount such as 10,000.00.",
        "period": "Choose the period the budget applies to.",
    }
    assert state.saved == "" and not state.has_own_rule
    assert acme.rules() == []


async def test_save_gives_the_user_an_own_budget_and_clear_removes_it(acme) -> None:
    cookie, token, query = acme.cookie(), _token(), {"user_id": str(acme.ben.id)}
    state = await _send(cookie, UserBudgetState, "load", {}, query, token)
    assert not state.has_own_rule and state.source == "No budget is set"
    form = {**GOOD, "period": "month", "period_budget": "25000"}
    state = await _send(cookie, UserBudgetState, "save", {"form": form}, query, token)
    assert state.errors == {} and state.saved == "The budget is saved."
    assert state.has_own_rule and state.source == "Set for this user"
    assert state.values == {
        "max_quantity": "50",
        "max_order_value": "10,000.00",
        "period": "month",
        "period_budget": "25,000.00",
    }
    assert state.limit_lines == [
        "At most 50 pieces per order",
        "At most €10,000.00 per order",
        "€25,000.00 per month",
    ]
    [rule] = acme.rules()
    assert (rule.scope, rule.subject_id, rule.period_budget_cents) == (
        "user",
        acme.ben.id,
        2_500_000,
    )
    state = await _send(cookie, UserBudgetState, "clear", {}, query, token)
    assert not state.has_own_rule and state.saved == "The user now follows the defaults."
    assert acme.rules() == []


async def test_the_section_shows_spent_reserved_and_remaining(acme, session) -> None:
    budgets.save_rule(
        session,
        acme.main,
        scope="user",
        subject_id=acme.ben.id,
        values={"period": "month", "period_budget": "1000"},
    )
    today = local_today()
    when = datetime(today.year, today.month, 1, 12, tzinfo=UTC)
    for status, cents in (("approved", 40_000), ("pending_approval", 20_000)):
        session.add(
            Order(
                company_id=acme.main.company_id,
                requester_id=acme.ben.id,
                status=status,
                total_cents=cents,
                submitted_at=when,
            )
        )
    session.commit()
    state = await _send(
        acme.cookie(), UserBudgetState, "load", {}, {"user_id": str(acme.ben.id)}, _token()
    )
    assert state.has_period
    assert (state.spent, state.reserved, state.remaining) == ("€400.00", "€200.00", "€400.00")
    assert state.used_percent == 60 and not state.over_budget
    assert state.period_label.startswith("This period: ")


async def test_a_user_manager_sees_the_budget_but_cannot_change_it(acme) -> None:
    cookie, token, query = acme.cookie(acme.hr), _token(), {"user_id": str(acme.ben.id)}
    state = await _send(cookie, UserBudgetState, "load", {}, query, token)
    assert state.budget_user_id == acme.ben.id and state.source == "No budget is set"
    await _send(cookie, UserBudgetState, "save", {"form": GOOD}, query, token)
    assert acme.rules() == []


async def test_a_user_of_another_company_shows_nothing(acme, session) -> None:
    other = make_company(session, "C-2", "Other AG")
    stranger = make_user(session, other.company_id, "x@other.example", ["buyer"])
    session.commit()
    cookie, token, query = acme.cookie(), _token(), {"user_id": str(stranger.id)}
    state = await _send(cookie, UserBudgetState, "load", {}, query, token)
    assert state.budget_user_id == 0 and state.limit_lines == []
    state = await _send(cookie, UserBudgetState, "save", {"form": GOOD}, query, token)
    assert "" in state.errors
    assert acme.rules() == []


async def test_my_budget_shows_the_defaults_that_apply_to_me(acme, session) -> None:
    budgets.save_rule(
        session,
        acme.main,
        scope="role",
        subject_id=role_id(session, acme.main.company_id, "buyer"),
        values={"max_order_value": "500"},
    )
    session.commit()
    state = await _send(acme.cookie(acme.ben), MyBudgetState, "load", {}, {}, _token())
    assert state.limit_lines == ["At most €500.00 per order"]
    assert state.source == "Default of the user's roles" and not state.has_period


async def test_the_defaults_page_edits_the_company_and_role_defaults(acme, session) -> None:
    cookie, token = acme.cookie(), _token()
    state = await _send(cookie, BudgetDefaultsState, "load", {}, {}, token)
    keys = [row["key"] for row in state.rows]
    buyer = f"role:{role_id(session, acme.main.company_id, 'buyer')}"
    assert keys[0] == "company:0" and buyer in keys and len(keys) == 7  # 5 built-in, HR
    assert {row["summary"] for row in state.rows} == {"No default"}
    state = await _send(cookie, BudgetDefaultsState, "edit", {"key": buyer}, {}, token)
    assert state.editing_key == buyer and state.editing_label == "Buyer"
    bad = {"max_order_value": "-1"}
    state = await _send(cookie, BudgetDefaultsState, "save", {"form": bad}, {}, token)
    assert state.errors == {"max_order_value": "The amount cannot be negative."}
    assert state.editing_key == buyer and acme.rules() == []
    state = await _send(cookie, BudgetDefaultsState, "save", {"form": GOOD}, {}, token)
    assert state.errors == {} and state.editing_key == ""
    row = next(row for row in state.rows if row["key"] == buyer)
    assert row["summary"] == "At most 50 pieces per order · At most €10,000.00 per order"
    [rule] = acme.rules()
    assert (rule.scope, f"role:{rule.subject_id}") == ("role", buyer)


async def test_the_defaults_page_ignores_keys_it_did_not_offer(acme, session) -> None:
    other = make_company(session, "C-2", "Other AG")
    foreign = f"role:{role_id(session, other.company_id, 'buyer')}"
    cookie, token = acme.cookie(), _token()
    await _send(cookie, BudgetDefaultsState, "load", {}, {}, token)
    state = await _send(cookie, BudgetDefaultsState, "edit", {"key": foreign}, {}, token)
    assert state.editing_key == ""
    await _send(cookie, BudgetDefaultsState, "save", {"form": GOOD}, {}, token)
    assert acme.rules() == []


def test_the_budget_components_build() -> None:
    for component in (user_budget_section(), my_budget_card(), budgets_page()):
        assert component.render()
