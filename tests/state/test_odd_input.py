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
from customer_center.models.approval import ApprovalChain
from customer_center.models.budget import SCOPE_COMPANY
from customer_center.models.order import Order
from customer_center.state import budgets as budgets_state
from customer_center.state import users as users_state
from customer_center.state.access import access_of
from customer_center.state.middleware import handler_functions, is_framework_event
from tests.factories import signed_in_cookie
from tests.order_factories import Shop
from tests.state.test_forged_events import handler_functions_state, snapshot

pytestmark = pytest.mark.usefixtures("db")

MEGABYTE = "7" * 1_000_000
# As JSON delivers them: NaN arrives as a float, a huge number as an int.
ODD_VALUES: list[object] = [
    "²",
    "١٢",
    "１２",
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
ODD_QUERY_VALUES = ["²", "١٢", "1" * 40, "nan", "-1", "2026-02-30", MEGABYTE]

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
QUERY_KEYS = ["order_id", "user_id", "token", "invited", "next", "status", "requester", "who"]
# Handlers that sign the user out or end something by design: they change rows whatever they
# are sent (a sign-out ends the session), so only "no error" is asserted for them.
CHANGES_BY_DESIGN = {"sign_out", "sign_out_everywhere"}

_tokens = itertools.count()


def odd_forms(value: object) -> list[object]:
    """A form whose every field, and every id-carrying key, is ``value``; and ``value`` itself
    where a form was expected."""
    form: dict[str, object] = dict.fromkeys(FORM_FIELDS, value)
    for prefix in ("role_", "perm:", "map_", "quantity_", "address_"):
        form[f"{prefix}²"] = value if value is not None else "on"
    return [form, value]


class Pipeline:
    """One signed-in main contact sending events; exceptions that reach Reflex are kept."""

    def __init__(self, shop: Shop) -> None:
        self.shop = shop
        self.failures: list[tuple[str, object, BaseException]] = []
        self.manager = StateManagerMemory()

    def cookie(self) -> str:
        return signed_in_cookie(self.shop.session, self.shop.main_user())

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
            scope=SCOPE_COMPANY,
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
    before = snapshot(engine, None) if short not in CHANGES_BY_DESIGN else None
    load = f"{name.rpartition('.')[0]}.load"
    failures = []
    if load in handler_functions() and load != name:
        failures += await pipeline.send(token, cookie, load, {}, query)
    failures += await pipeline.send(token, cookie, name, payload, query)
    if load in handler_functions():  # the tab still works afterwards
        failures += await pipeline.send(token, cookie, load, {}, query)
    short_name = name.rpartition(".")[0].rsplit("___", 1)[-1] + "." + short
    problems = [f"{short_name}({what}) {_short(query)}: {error!r}"[:300] for error in failures]
    if before is not None and (changed := _changed(before, snapshot(engine, None))):
        problems.append(f"{short_name}({what}) changed {changed}")
    return problems


def _changed(before: dict[str, list], after: dict[str, list]) -> list[str]:
    """Tables whose rows differ; sign-in sessions of the test itself are expected to grow."""
    return [t for t in after if after[t] != before.get(t) and t not in {"user_session"}]


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
