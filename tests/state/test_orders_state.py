"""The order list and controlling states through Reflex's real event pipeline."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import Session

from customer_center.domain.order_states import OrderStatus
from customer_center.models.user import User
from customer_center.state.access import Access, access_of
from customer_center.state.controlling import ControllingState
from customer_center.state.middleware import handler_functions
from customer_center.state.orders import OrderListState
from tests.factories import make_company, make_user, signed_in_cookie
from tests.journey_factory import make_order
from tests.state.test_forged_events import dispatch

pytestmark = pytest.mark.usefixtures("db")

_tokens = itertools.count()
SIGNED_IN = Access()
LIST = OrderListState


class Acme:
    """Ben (buyer) with two orders, Clara (buyer) with one, Carla the controller, Tom the
    technician; the main contact of another company with an order of its own."""

    def __init__(self, session: Session) -> None:
        self.main = make_company(session)
        company = self.main.company_id
        self.ben = make_user(session, company, "ben@acme.example", ["buyer"], name="Ben")
        self.clara = make_user(session, company, "clara@acme.example", ["buyer"], name="Clara")
        self.carla = make_user(session, company, "carla@acme.example", ["controller"], name="Carla")
        self.tom = make_user(session, company, "tom@acme.example", ["technician"], name="Tom")
        other = make_company(session, "C-2", "Other AG")
        self.other_main = session.get(User, other.user_id)
        self.foreign = make_order(session, other.company_id, other.user_id, reference="FOREIGN")
        self.ben_small = make_order(
            session, company, self.ben.id, lines=(("A", "Bolt", 1, 1000),), reference="small"
        )
        self.ben_big = make_order(
            session,
            company,
            self.ben.id,
            status=OrderStatus.SHIPPED,
            lines=(("A", "Bolt", 1, 250000),),
            reference="big",
        )
        self.clara_order = make_order(session, company, self.clara.id, reference="clara")
        self.session = session
        self.token = f"orders-state-{next(_tokens)}"
        self._cookies: dict[int, str] = {}

    def cookie(self, user: User | None) -> str:
        """One sign-in per user, kept like a browser keeps it (a new session would empty the
        tab's state)."""
        if user is None:
            return ""
        if user.id not in self._cookies:
            self._cookies[user.id] = signed_in_cookie(self.session, user)  # type: ignore[index]
        return self._cookies[user.id]  # type: ignore[index]

    async def send(self, user: User, handler: str, payload=None, query=None):  # type: ignore[no-untyped-def]
        cookie = self.cookie(user)
        name = f"{LIST.get_full_name()}.{handler}"
        return await dispatch(self.token, cookie, name, payload or {}, query or {})


@pytest.fixture
def acme(session: Session) -> Acme:
    return Acme(session)


def references(state) -> list[str]:  # type: ignore[no-untyped-def]
    return [row["reference"] for row in state.rows]


@pytest.mark.parametrize(
    "handler",
    [
        "load",
        "set_scope",
        "set_status",
        "search_requester",
        "set_requester",
        "set_date_from",
        "set_date_to",
        "set_min_value",
        "set_max_value",
        "sort_by",
        "reset_filters",
        "next_page",
        "previous_page",
    ],
)
def test_list_handlers_are_for_signed_in_users_the_service_decides_the_rest(handler) -> None:
    assert access_of(handler_functions()[f"{LIST.get_full_name()}.{handler}"]) == SIGNED_IN


def test_the_order_state_has_no_other_handlers() -> None:
    ours = [
        f for f in handler_functions().values() if f.__module__ == "customer_center.state.orders"
    ]
    assert len(ours) == 13


async def test_a_buyer_sees_their_own_orders_and_cannot_widen_the_scope(acme: Acme) -> None:
    state = await acme.send(acme.ben, "load")
    assert state.allowed and not state.can_view_all
    assert references(state) == ["big", "small"]
    assert state.rows[0]["status_label"] == "Shipped"
    assert state.rows[0]["total"] == "€2,500.00"
    assert state.rows[0]["href"] == f"/orders/{acme.ben_big.id}"
    state = await acme.send(acme.ben, "set_scope", {"value": "all"})
    assert state.scope == "mine" and references(state) == ["big", "small"]
    forged = await acme.send(acme.ben, "load", query={"scope": "all"})
    assert references(forged) == ["big", "small"]
    state = await acme.send(acme.ben, "set_requester", {"value": str(acme.clara.id)})
    assert references(state) == ["big", "small"]  # a requester filter never leaves "mine"


async def test_a_controller_lists_the_company_with_filters_from_the_address(acme: Acme) -> None:
    state = await acme.send(acme.carla, "load", query={"scope": "all", "status": "shipped"})
    assert state.can_view_all and state.scope == "all" and references(state) == ["big"]
    assert state.export_href == "/export/orders.csv?scope=all&status=shipped"
    state = await acme.send(acme.carla, "set_status", {"value": "all"})
    assert sorted(references(state)) == ["big", "clara", "small"]
    assert "FOREIGN" not in references(state)
    state = await acme.send(acme.carla, "search_requester", {"value": "cla"})
    assert [o["label"] for o in state.requester_options] == ["Clara"]
    state = await acme.send(acme.carla, "set_requester", {"value": str(acme.clara.id)})
    assert references(state) == ["clara"]
    state = await acme.send(acme.carla, "reset_filters")
    assert len(state.rows) == 3 and state.requester == "all"


async def test_amounts_are_read_in_the_user_s_language_and_errors_shown_at_the_field(
    acme: Acme,
) -> None:
    await acme.send(acme.ben, "load")
    state = await acme.send(acme.ben, "set_min_value", {"value": "1,000.50"})
    assert references(state) == ["big"] and state.export_href.endswith("min=100050")
    state = await acme.send(acme.ben, "set_max_value", {"value": "ten"})
    assert "max_value" in state.errors and state.rows == []
    state = await acme.send(acme.ben, "set_max_value", {"value": "500"})
    assert state.errors == {"max_value": "The upper limit is below the lower one."}
    state = await acme.send(acme.ben, "set_max_value", {"value": ""})
    assert state.errors == {} and references(state) == ["big"]


async def test_sorting_and_a_date_range_that_ends_before_it_starts(acme: Acme) -> None:
    await acme.send(acme.ben, "load")
    state = await acme.send(acme.ben, "sort_by", {"column": "total"})
    assert references(state) == ["big", "small"] and state.descending
    state = await acme.send(acme.ben, "sort_by", {"column": "total"})
    assert references(state) == ["small", "big"]
    state = await acme.send(acme.ben, "sort_by", {"column": "password_hash"})
    assert state.sort == "total"
    await acme.send(acme.ben, "set_date_from", {"value": "2030-01-02"})
    state = await acme.send(acme.ben, "set_date_to", {"value": "2030-01-01"})
    assert state.errors == {"date_to": "The end date is before the start date."}


async def test_no_right_no_session_and_another_company_see_nothing_of_acme(acme: Acme) -> None:
    state = await acme.send(acme.tom, "load")
    assert not state.allowed and state.rows == []
    state = await acme.send(acme.tom, "set_scope", {"value": "all"})
    assert state.rows == []
    anonymous = await acme.send(None, "set_status", {"value": "shipped"})  # type: ignore[arg-type]
    assert anonymous.rows == []
    stranger = await acme.send(acme.other_main, "load", query={"scope": "all"})
    assert references(stranger) == ["FOREIGN"]
    stranger = await acme.send(acme.other_main, "set_requester", {"value": str(acme.ben.id)})
    assert stranger.rows == []
    stranger = await acme.send(acme.other_main, "search_requester", {"value": "ben"})
    assert stranger.requester_options == []


# --- controlling -----------------------------------------------------------------------------

REPORTS = Access(permission="reports.view")


@pytest.mark.parametrize(
    "handler", ["load", "set_range", "next_budget_page", "previous_budget_page"]
)
def test_controlling_handlers_need_reports_view(handler) -> None:
    name = f"{ControllingState.get_full_name()}.{handler}"
    assert access_of(handler_functions()[name]) == REPORTS


async def _controlling(acme: Acme, user: User, handler: str, payload=None):  # type: ignore[no-untyped-def]
    cookie = signed_in_cookie(acme.session, user) if user is not None else ""
    name = f"{ControllingState.get_full_name()}.{handler}"
    return await dispatch(acme.token, cookie, name, payload or {}, {})


async def test_the_controller_sees_the_company_s_figures(acme: Acme) -> None:
    state = await _controlling(acme, acme.carla, "load")
    assert state.problem == ""
    assert state.spent == "€2,524.50" and state.waiting == "0"
    assert len(state.months) == 12 and state.months[-1]["amount"] == 2524.5
    assert [(u["label"], u["text"]) for u in state.users] == [
        ("Ben", "€2,510.00"),
        ("Clara", "€14.50"),
    ]
    assert [r["label"] for r in state.roles] == ["Buyer"]
    assert {row["name"] for row in state.budgets} >= {"Ben", "Clara", "Carla"}
    ben = next(row for row in state.budgets if row["name"] == "Ben")
    assert (ben["budget"], ben["spent"], ben["remaining"]) == ("—", "—", "—")  # no period
    state = await _controlling(acme, acme.carla, "set_range", {"value": "month"})
    assert state.range == "month" and state.spent == "€2,524.50"
    state = await _controlling(acme, acme.carla, "set_range", {"value": "forever"})
    assert state.range == "12m"


async def test_controlling_is_refused_without_the_right_and_scoped_to_the_company(
    acme: Acme,
) -> None:
    for user in (None, acme.ben, acme.tom):
        state = await _controlling(acme, user, "load")  # type: ignore[arg-type]
        assert state.months == [] and state.budgets == [] and state.spent == ""
    stranger = await _controlling(acme, acme.other_main, "load")
    assert stranger.spent == "€14.50"  # the foreign order only
    assert "Ben" not in {row["name"] for row in stranger.budgets}
    assert [u["label"] for u in stranger.users] == ["Main"]
