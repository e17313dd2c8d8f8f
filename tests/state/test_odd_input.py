"""Odd values in every parameter of every event handler, through Reflex's real event pipeline.

The main contact of a company with orders, budgets and a chain sends each handler, one
parameter at a time, values a browser's JSON can carry but no form would send: digits that are
not ASCII (``²``, ``١٢``), a number with thirty digits, NaN, a dict or a list instead of a
string, ``None``, a megabyte of text. Route and query parameters of the page get the same.
No exception may reach Reflex (it would show the "Something went wrong" toast), the state must
stay usable (its page loads again), and no row of the database may change.
"""

from __future__ import annotations

import inspect
import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex_base.event import Event
from reflex_base.event.processor import BaseStateEventProcessor
from sqlmodel import Session, select

import customer_center.customer_center as portal
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.domain.people import RuleScope
from customer_center.models.approval import ApprovalChain
from customer_center.models.order import Order
from customer_center.services import audit
from customer_center.state import absences as absences_state
from customer_center.state import audit as audit_state
from customer_center.state import budgets as budgets_state
from customer_center.state import orders as orders_state
from customer_center.state import users as users_state
from customer_center.state.access import access_of
from customer_center.state.middleware import handler_functions, is_framework_event
from customer_center.state.order_view import OrderViewState
from customer_center.tables import metadata
from tests.factories import signed_in_cookie
from tests.order_factories import Shop
from tests.state.test_forged_events import handler_functions_state

pytestmark = pytest.mark.usefixtures("db")

MEGABYTE = "7" * 1_000_000
# As JSON delivers them: NaN arrives as a float, a huge number as an int.
ODD_VALUES: list[object] = [
    "²",
    "١٢",
    "１２",
    "2147483648",
    10**30,
    -(10**30),
    float("nan"),
    float("inf"),
    {"id": "1"},
    ["1", "2"],
    None,
    MEGABYTE,
]
# Query and route parameters are strings, whatever the URL holds.
ODD_QUERY_VALUES = [
    "²",
    "١٢",
    "2147483648",
    "999999999999",
    "1" * 40,
    "nan",
    "-1",
    "2026-02-30",
    MEGABYTE,
]

_STATE_SOURCES = Path(users_state.__file__).parent
# Every form field the states read, and keys that carry ids (``role_<id>``, ``map_<id>``).
FORM_FIELDS = sorted(
    set(
        re.findall(
            r'\(form, "([a-z_]+)"', "".join(p.read_text() for p in _STATE_SOURCES.glob("*.py"))
        )
    )
    | set(budgets_state.FIELDS)
    | {"starts_on", "ends_on", "substitute"}
)
# Route and query parameters the pages read (ids, filters, links).
QUERY_KEYS = [
    *("order_id", "user_id", "token", "invited", "next", "status", "requester", "who", "scope"),
    *("from", "to", "min", "max", "sort", "dir", "area", "target", "q", "search", "page"),
]
# Handlers that sign the user out or end something by design: they change rows whatever they
# are sent (a sign-out ends the session), so only "no error" is asserted for them.
CHANGES_BY_DESIGN = {"sign_out", "sign_out_everywhere"}
# Free text, where "²" or "١٢" is as good a value as any: a comment, a token's label.
FREE_TEXT = {"order_view_state.add_comment", "provisioning_state.create"}
# Written by every attempt whatever it holds: sign-in sessions of the test itself, and the
# counts of sign-in and reset attempts that rate limiting keeps.
BOOKKEEPING = {"auth_session", "attempt"}

_tokens = itertools.count()


def odd_forms(value: object) -> list[object]:
    """A form whose every field, and every id-carrying key, is ``value``; and ``value`` itself
    where a form was expected, unless it is a dict (a form of unknown fields is an empty one)."""
    form: dict[str, object] = dict.fromkeys(FORM_FIELDS, value)
    for prefix in ("role_", "perm:", "map_", "quantity_", "address_"):
        form[f"{prefix}²"] = value if value is not None else "on"
    return [form] if isinstance(value, dict) else [form, value]


class Pipeline:
    """One signed-in main contact sending events; exceptions that reach Reflex are kept."""

    def __init__(self, shop: Shop) -> None:
        self.shop = shop
        self.failures: list[tuple[str, object, BaseException]] = []
        self.manager = StateManagerMemory()
        self._cookies: dict[str, str] = {}

    def cookie(self) -> str:
        return signed_in_cookie(self.shop.session, self.shop.main_user())

    def cookie_of(self, token: str) -> str:
        """One sign-in per tab: a tab whose events come from another session is emptied."""
        if token not in self._cookies:
            self._cookies[token] = self.cookie()
        return self._cookies[token]

    async def send(
        self, token: str, cookie: str, name: str, payload: dict, query: dict
    ) -> list[BaseException]:
        caught: list[BaseException] = []
        processor = BaseStateEventProcessor(
            middleware=portal.app, backend_exception_handler=caught.append
        )
        headers = {"cookie": f"{SESSION_COOKIE}={cookie}"}
        router_data = {"headers": headers, "pathname": "/odd", "query": query, "ip": "10.1.1.1"}
        async with processor.configure(state_manager=self.manager):
            future = await processor.enqueue(
                token, Event(name=name, payload=payload, router_data=router_data)
            )
            try:
                await future
            except Exception as error:  # noqa: BLE001 - a failure to report, not to hide
                caught.append(error)
        return caught

    async def state(self, token: str, name: str):  # type: ignore[no-untyped-def]
        state_cls = handler_functions_state(name)
        root = await self.manager.get_state(BaseStateToken(ident=token, cls=state_cls))
        return await root.get_state(state_cls)


@pytest.fixture
def shop(session: Session) -> Shop:
    shop = Shop.create(session)
    session.add(
        ApprovalChain(
            company_id=shop.main.company_id,
            scope=RuleScope.COMPANY,
            subject_id=0,
            levels=[
                {
                    "rule": "any",
                    "min_order_value_cents": None,
                    "approvers": [{"user_id": shop.main.user_id}],
                }
            ],
        )
    )
    session.commit()
    shop.limit(max_value=1)
    shop.order()
    return shop


def application_handlers() -> dict[str, Callable]:
    return {
        name: fn
        for name, fn in handler_functions().items()
        if not is_framework_event(name, fn) and access_of(fn) is not None
    }


def _plausible(parameter: inspect.Parameter, ids: dict[str, str]) -> object:
    annotation = str(parameter.annotation)
    if "dict" in annotation:
        return dict(ids)
    if "list" in annotation:
        return []
    if "bool" in annotation:
        return True
    if "int" in annotation:
        return 1
    return ""


def odd_calls(fn: Callable, ids: dict[str, str]) -> list[tuple[str, dict[str, object]]]:
    """(description, payload): one parameter odd at a time, the others plausible."""
    parameters = list(inspect.signature(fn).parameters.values())[1:]
    plausible = {p.name: _plausible(p, ids) for p in parameters}
    calls: list[tuple[str, dict[str, object]]] = []
    for parameter in parameters:
        for value in ODD_VALUES:
            for odd in odd_forms(value) if "dict" in str(parameter.annotation) else [value]:
                calls.append(
                    (f"{parameter.name}={_short(odd)}", {**plausible, parameter.name: odd})
                )
    return calls


def _short(value: object) -> str:
    if isinstance(value, str) and len(value) > 40:
        return f"<{len(value):,} characters>"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_short(v)}" for k, v in list(value.items())[:3]) + ", ...}"
    return repr(value)[:40]


@pytest.fixture
def pipeline(shop: Shop) -> Pipeline:
    return Pipeline(shop)


def _ids(shop: Shop) -> dict[str, str]:
    order_id = shop.session.exec(select(Order.id)).first()
    return {"order_id": str(order_id), "user_id": str(shop.ben.id)}


async def _check(
    pipeline: Pipeline, engine, name: str, what: str, payload: dict, query: dict
) -> list[str]:  # type: ignore[no-untyped-def]
    short = name.rsplit(".", 1)[-1]
    token = f"odd-{next(_tokens)}"
    cookie = pipeline.cookie()
    before = data_of(engine) if short not in CHANGES_BY_DESIGN else None
    load = f"{name.rpartition('.')[0]}.load"
    failures = []
    if load in handler_functions() and load != name:
        failures += await pipeline.send(token, cookie, load, {}, query)
    failures += await pipeline.send(token, cookie, name, payload, query)
    if load in handler_functions():  # the tab still works afterwards
        failures += await pipeline.send(token, cookie, load, {}, query)
    short_name = name.rpartition(".")[0].rsplit("___", 1)[-1] + "." + short
    problems = [f"{short_name}({what}) {_short(query)}: {error!r}"[:300] for error in failures]
    form = payload.get("form")
    free_text = (
        short_name in FREE_TEXT
        and isinstance(form, dict)
        and all(isinstance(v, str) for v in form.values())
    )
    if before is not None and not free_text and (changed := _changed(before, data_of(engine))):
        problems.append(f"{short_name}({what}) changed {changed}")
    return problems


def data_of(engine) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Every row of every table but the bookkeeping ones, as the driver returns it (read
    without the ORM's conversions: this runs twice for each of about 1,500 calls)."""
    with engine.connect() as connection:
        return {
            table.name: sorted(
                map(repr, connection.exec_driver_sql(f'SELECT * FROM "{table.name}"'))
            )
            for table in metadata.sorted_tables
            if table.name not in BOOKKEEPING
        }


def _changed(before: dict[str, list], after: dict[str, list]) -> list[str]:
    return [t for t in after if after[t] != before.get(t)]


async def test_every_handler_survives_odd_values_in_every_parameter(pipeline, shop, engine) -> None:  # type: ignore[no-untyped-def]
    handlers = application_handlers()
    assert len(handlers) >= 100
    ids = _ids(shop)
    query = dict(ids)
    problems = []
    for name, fn in sorted(handlers.items()):
        for what, payload in odd_calls(fn, ids):
            problems += await _check(pipeline, engine, name, what, payload, query)
    assert not problems, "\n".join(problems)


async def test_every_page_load_survives_odd_route_and_query_values(pipeline, engine) -> None:  # type: ignore[no-untyped-def]
    loads = {
        n: fn for n, fn in application_handlers().items() if n.rsplit(".", 1)[-1].startswith("load")
    }
    assert len(loads) >= 20
    problems = []
    for name in sorted(loads):
        for value in ODD_QUERY_VALUES:
            query = dict.fromkeys(QUERY_KEYS, value)
            problems += await _check(pipeline, engine, name, "", {}, query)
    assert not problems, "\n".join(problems)


# --- where a person typed the value: a translated message next to the field -----------------


def _event(state_cls: type, handler: str) -> str:
    return f"{state_cls.get_full_name()}.{handler}"


async def _send(
    pipeline: Pipeline, token: str, state_cls: type, handler: str, payload: dict, query: dict
):  # type: ignore[no-untyped-def]
    cookie = pipeline.cookie_of(token)
    failures = await pipeline.send(token, cookie, _event(state_cls, handler), payload, query)
    assert not failures, failures
    return await pipeline.state(token, _event(state_cls, handler))


@pytest.mark.parametrize("typed", ["²", "١٢", "１２"])
async def test_a_budget_quantity_in_other_digits_is_refused_next_to_the_field(
    pipeline, shop, engine, typed
) -> None:  # type: ignore[no-untyped-def]
    query = {"user_id": str(shop.ben.id)}
    await _send(pipeline, "budget", budgets_state.UserBudgetState, "load", {}, query)
    before = data_of(engine)
    form = {"max_quantity": typed, "max_order_value": "", "period": ""}
    state = await _send(
        pipeline, "budget", budgets_state.UserBudgetState, "save", {"form": form}, query
    )
    assert state.errors == {"max_quantity": "Please enter a whole number (0 or more)."}
    assert _changed(before, data_of(engine)) == []


async def test_a_budget_field_that_is_not_text_is_refused_not_taken_as_empty(
    pipeline, shop, engine
) -> None:  # type: ignore[no-untyped-def]
    query = {"user_id": str(shop.ben.id)}
    await _send(pipeline, "budget-type", budgets_state.UserBudgetState, "load", {}, query)
    before = data_of(engine)
    form = {"max_quantity": {"id": "1"}, "max_order_value": 10**30, "period": ""}
    state = await _send(
        pipeline, "budget-type", budgets_state.UserBudgetState, "save", {"form": form}, query
    )
    assert state.errors == {
        "max_quantity": "This input is not valid.",
        "max_order_value": "This input is not valid.",
    }
    assert _changed(before, data_of(engine)) == []


async def test_an_absence_with_odd_digits_is_refused_next_to_each_field(
    pipeline, shop, engine
) -> None:  # type: ignore[no-untyped-def]
    await _send(pipeline, "absence", absences_state.AbsenceState, "load_mine", {}, {})
    before = data_of(engine)
    form = {"starts_on": "2026-06-01", "ends_on": "2026-06-05", "substitute": "²"}
    state = await _send(
        pipeline, "absence", absences_state.AbsenceState, "save", {"form": form}, {}
    )
    assert state.errors == {"substitute": "Choose a substitute…"}
    form = {**form, "starts_on": "２０２６-06-01", "substitute": str(shop.anna.id)}
    state = await _send(
        pipeline, "absence", absences_state.AbsenceState, "save", {"form": form}, {}
    )
    assert state.errors == {"starts_on": "Please enter a date."}
    assert _changed(before, data_of(engine)) == []


async def test_an_order_change_with_odd_digits_is_refused_next_to_the_quantity(
    pipeline, shop, engine
) -> None:  # type: ignore[no-untyped-def]
    query = {"order_id": _ids(shop)["order_id"]}
    state = await _send(pipeline, "change", OrderViewState, "load", {}, query)
    assert state.can_decide
    await _send(pipeline, "change", OrderViewState, "start_edit", {"mode": "change"}, query)
    await _send(
        pipeline,
        "change",
        OrderViewState,
        "set_quantity",
        {"sku": "MOTOR-4KW", "value": "²"},
        query,
    )
    before = data_of(engine)
    state = await _send(pipeline, "change", OrderViewState, "save_change", {"form": {}}, query)
    assert state.errors == {"quantity.MOTOR-4KW": "Please enter a whole number of at least 1."}
    assert _changed(before, data_of(engine)) == []


@pytest.mark.parametrize(
    ("state_cls", "handler", "value_var", "query"),
    [
        (users_state.UsersListState, "set_role_filter", "role_filter", {}),
        (orders_state.OrderListState, "set_requester", "requester", {"scope": "all"}),
        (audit_state.AuditState, "set_who", "who", {}),
    ],
)
async def test_a_list_filter_with_odd_digits_shows_everything_and_the_tab_keeps_working(
    pipeline, shop, state_cls, handler, value_var, query
) -> None:  # type: ignore[no-untyped-def]
    audit.record_admin(
        shop.session, shop.main, action="user.invited", target_type="user", target_id=shop.ben.id
    )
    shop.session.commit()
    token = f"filter-{handler}"
    listed = await _send(pipeline, token, state_cls, "load", {}, query)
    rows = list(listed.rows)
    assert rows
    state = await _send(pipeline, token, state_cls, handler, {"value": "²"}, query)
    assert (getattr(state, value_var), state.rows) == ("all", rows)
    state = await _send(pipeline, token, state_cls, "next_page", {}, query)
    assert state.rows == rows
