"""Forged events through Reflex's real event pipeline (event processor, middleware, state
manager; no browser) against every protected handler of every state.

For each handler: without a session, as a user of the same company without the right, and as
the main contact of another company, a forged event carrying the ids of company A's data must
be refused or scoped away, and must change none of company A's data.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex_base.event import Event
from reflex_base.event.processor import BaseStateEventProcessor
from sqlalchemy import text
from sqlmodel import Session

import customer_center.customer_center as portal
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.models.registry import metadata
from customer_center.state.access import access_of
from customer_center.state.middleware import handler_functions, is_framework_event
from customer_center.state.users import UsersListState
from tests.factories import make_company, make_user, role_id, signed_in_cookie

pytestmark = pytest.mark.usefixtures("db")

# Shared catalogue data and delivery queues, not company data.
_NOT_COMPANY_DATA = {"outbox_message", "dev_mail", "attempt", "erp_activation_notice"}


def protected_handlers() -> dict[str, tuple[Callable, str | None]]:
    """Every application handler that needs a signed-in user: name -> (fn, permission)."""
    found = {}
    for name, fn in handler_functions().items():
        access = access_of(fn)
        if is_framework_event(name, fn) or access is None or access.anonymous:
            continue
        found[name] = (fn, access.permission)
    return found


class World:
    """Company A with data worth attacking, a user of A without rights, company B."""

    def __init__(self, session: Session) -> None:
        self.main_a = make_company(session, "A-1", "Alpha GmbH")
        self.victim = make_user(session, self.main_a.company_id, "victim@alpha.example", ["buyer"])
        technician = make_user(
            session, self.main_a.company_id, "tech@alpha.example", ["technician"]
        )
        main_b = make_company(session, "B-1", "Beta AG")
        main_b_user = session.get(type(self.victim), main_b.user_id)
        self.ids = {
            "user_id": self.victim.id,
            "role_id": role_id(session, self.main_a.company_id, "approver"),
            "substitute_id": self.main_a.user_id,
        }
        self.attackers = {"anonymous": None, "no_right": technician, "other_company": main_b_user}

    def cookie(self, engine, who: str) -> str:  # type: ignore[no-untyped-def]
        """A fresh session each time: a forged sign-out must not disarm later attacks."""
        user = self.attackers[who]
        if user is None:
            return ""
        with Session(engine, expire_on_commit=False) as session:
            return signed_in_cookie(session, user)


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _arguments(fn: Callable, ids: dict[str, int]) -> dict[str, object]:
    """Plausible, hostile arguments: every id-like value points at company A's data."""
    target = ids["user_id"]
    form = {
        **{key: str(value) for key, value in ids.items()},
        "name": "Forged",
        "email": "forged@attacker.example",
        "password": "Forged-Password-123",
        "language": "en",
        "amount": "1",
        f"role_{ids['role_id']}": "on",
    }
    arguments: dict[str, object] = {}
    for parameter in list(inspect.signature(fn).parameters.values())[1:]:
        annotation = str(parameter.annotation)
        if "dict" in annotation:
            arguments[parameter.name] = form
        elif "list" in annotation:
            arguments[parameter.name] = [target]
        elif "int" in annotation:
            arguments[parameter.name] = target
        elif "bool" in annotation:
            arguments[parameter.name] = True
        else:
            arguments[parameter.name] = str(target)
    return arguments


async def dispatch(token: str, cookie: str, name: str, payload: dict, query: dict) -> object:
    """Send one event the way the socket handler does, and return the handler's state."""
    manager = _managers.setdefault(token, StateManagerMemory())
    processor = BaseStateEventProcessor(middleware=portal.app)
    headers = {"cookie": f"{SESSION_COOKIE}={cookie}" if cookie else ""}
    router_data = {"headers": headers, "pathname": "/forged", "query": query, "ip": "10.9.9.9"}
    async with processor.configure(state_manager=manager):
        future = await processor.enqueue(
            token, Event(name=name, payload=payload, router_data=router_data)
        )
        await future
    state_cls = handler_functions_state(name)
    root = await manager.get_state(BaseStateToken(ident=token, cls=state_cls))
    return await root.get_state(state_cls)


_managers: dict[str, StateManagerMemory] = {}


def handler_functions_state(name: str):  # type: ignore[no-untyped-def]
    state_name = name.rpartition(".")[0]
    pending = [portal.rx.State]
    while pending:
        state_cls = pending.pop()
        if state_cls.get_full_name() == state_name:
            return state_cls
        pending.extend(state_cls.get_substates())
    raise LookupError(name)


def snapshot(engine, company_id: int | None) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """All rows of the company's data (``None``: of every table)."""
    rows: dict[str, list] = {}
    with engine.connect() as connection:
        user_ids = {
            r[0]
            for r in connection.execute(
                text("SELECT id FROM user_account WHERE company_id = :c OR :c IS NULL"),
                {"c": company_id},
            )
        }
        for table in metadata.sorted_tables:
            if company_id is not None and table.name in _NOT_COMPANY_DATA:
                continue
            result = [tuple(map(str, r)) for r in connection.execute(table.select())]
            if company_id is not None:
                result = [r for r in result if _belongs(table, r, company_id, user_ids)]
            rows[table.name] = sorted(result)
    return rows


def _belongs(table, row: tuple, company_id: int, user_ids: set[int]) -> bool:  # type: ignore[no-untyped-def]
    columns = [c.name for c in table.columns]
    values = dict(zip(columns, row, strict=True))
    if "company_id" in values:
        return values["company_id"] == str(company_id)
    if "user_id" in values:
        return values["user_id"] in {str(u) for u in user_ids}
    return True


async def _attack(world: World, engine, name: str, fn: Callable, who: str, step: int) -> None:  # type: ignore[no-untyped-def]
    company_scope = world.main_a.company_id if who == "other_company" else None
    cookie = world.cookie(engine, who)
    before = snapshot(engine, company_scope)
    token = f"{who}-{step}"
    query = {key: str(value) for key, value in world.ids.items()}
    state_name = name.rpartition(".")[0]
    load = f"{state_name}.load"
    if load in handler_functions() and load != name:
        await dispatch(token, cookie, load, {}, query)
    await dispatch(token, cookie, name, _arguments(fn, world.ids), query)
    assert snapshot(engine, company_scope) == before, f"{name} changed data as {who}"


async def test_every_protected_handler_refuses_or_scopes_forged_events(world, engine) -> None:
    handlers = protected_handlers()
    assert len(handlers) >= 15
    step = 0
    for name, (fn, permission) in sorted(handlers.items()):
        attackers = ["anonymous", "other_company"] + (["no_right"] if permission else [])
        for who in attackers:
            step += 1
            await _attack(world, engine, name, fn, who, step)


async def test_the_pipeline_lets_an_entitled_user_through(world, session) -> None:
    """The harness itself: the same event from the main contact of A does take effect."""
    cookie = signed_in_cookie(session, session.get(type(world.victim), world.main_a.user_id))
    name = f"{UsersListState.get_full_name()}.set_search"
    state = await dispatch("entitled", cookie, name, {"value": "victim"}, {})
    assert state.search == "victim"
    assert [row["email"] for row in state.rows] == ["victim@alpha.example"]
    no_right = world.cookie(session.get_bind(), "no_right")
    refused = await dispatch("refused", no_right, name, {"value": "victim"}, {})
    assert (refused.search, refused.rows) == ("", [])
