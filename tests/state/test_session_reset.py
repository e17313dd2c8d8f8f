"""Nothing of a user stays on the server for a browser tab once that user's session ends or
another user signs in on the tab, and a page opened again shows nothing of the previous visit
while it loads (issue 12).

Reflex keys the state by the tab's client token, not by the session. These tests drive the
real event pipeline (Reflex's event processor, the portal's middleware, the memory and the
Redis state manager) the way a browser does: the main contact of Alpha opens every page, the
session ends in one of the ways it can end (or Beta's main contact signs in on the same tab),
then the tab connects again with the same token. Every state class of the portal is checked
generically, so a state class added later is covered without touching this file.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import date, timedelta
from typing import Any
from unittest.mock import patch

import pytest
import reflex as rx
from reflex.istate.manager import StateManager
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.redis import StateManagerRedis
from reflex.istate.manager.token import BaseStateToken
from reflex.state import BaseState
from reflex_base.constants.state import FIELD_MARKER
from reflex_base.event import Event
from reflex_base.event.processor import BaseStateEventProcessor
from sqlalchemy import event
from sqlmodel import Session, select

import customer_center.customer_center as portal
from customer_center.auth.sessions import SESSION_COOKIE, revoke_session
from customer_center.auth.tokens import token_hash
from customer_center.db import get_engine
from customer_center.domain import routes
from customer_center.domain.people import RuleScope, UserStatus
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.models.approval import Absence, ApprovalChain
from customer_center.models.auth import AuthSession
from customer_center.models.base import utcnow
from customer_center.models.budget import BudgetRule
from customer_center.models.order import CartItem
from customer_center.models.user import User
from customer_center.state.base import PortalState
from customer_center.state.cart import CartState
from customer_center.state.middleware import AccessMiddleware
from customer_center.state.page_open import page_loads
from customer_center.state.session import SHELL_FRESH_SECONDS, SessionState
from customer_center.state.user_import import UserImportState
from tests.factories import make_company, make_user, signed_in_cookie
from tests.journey_factory import make_order

pytestmark = pytest.mark.usefixtures("db")

REDIS_URL = os.environ.get("CC_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
HYDRATE = f"{rx.State.get_full_name()}.hydrate"
HYDRATE_AND_LOAD = f"{rx.State.get_full_name()}.hydrate_and_load"
NAVIGATE = "reflex___state____state.reflex___state____on_load_internal_state.on_load_internal"
SIGN_OUT = f"{SessionState.get_full_name()}.sign_out"
CHECK_SESSION = f"{SessionState.get_full_name()}.check_session"
# What the server may keep for a tab across users: its display language, which session the
# tab's state belongs to, and whether a session of the tab ended.
KEPT = {"lang", "_tab_session", "_session_ended"}
# The page frame's states: the shell's facts and the language, not a page's view.
SHELL = {SessionState, PortalState}
SECRET_ADDRESS = {
    "name": "Alpha Geheimlager",
    "street": "Verborgener Weg 77",
    "postal_code": "99991",
    "city": "Heimlichhausen",
    "country": "DE",
}


def _pages(*, seller: bool = False) -> dict[str, list[Any]]:
    """Every page of the customers' side (``seller``: of the seller's side): route -> its
    on_load handlers, as the app registers them."""
    return {
        kwargs["route"]: list(page_loads(kwargs["route"]))
        or (list(on_load) if isinstance(on_load, list | tuple) else [on_load])
        for _render, kwargs in portal.app._registration_context.decorated_pages
        if (on_load := kwargs.get("on_load")) is not None
        and routes.is_seller_path(kwargs["route"]) == seller
    }


def portal_states() -> list[type[BaseState]]:
    """PortalState and every state below it, parents first."""
    found, pending = [], [PortalState]
    while pending:
        state_cls = pending.pop(0)
        found.append(state_cls)
        pending.extend(sorted(state_cls.get_substates(), key=lambda s: s.get_full_name()))
    return found


def own_fields(state: BaseState) -> Iterator[tuple[str, Any, Any]]:
    """(name, value, default) of every field the state's class declares itself."""
    cls = type(state)
    for name, f in cls.__fields__.items():
        if f._owner is cls:
            yield name, getattr(state, name), f.default_value()


class World:
    """Alpha (demo ERP customer 10001) with data on every page; Beta, another company."""

    def __init__(self, session: Session) -> None:
        import_erp_directory(session.get_bind(), demo_data_dir())  # type: ignore[arg-type]
        alpha = make_company(session, "10001", "Alpha Geheim GmbH")
        company = alpha.company_id
        self.main_a = session.get(User, alpha.user_id)
        self.staff = [
            make_user(
                session,
                company,
                f"{name.lower()}.geheim@alpha-secret.example",
                [role],
                name=f"{name} Geheimnis",
            )
            for name, role in (("Ottilie", "buyer"), ("Quirin", "approver"))
        ]
        buyer, approver = self.staff
        order = make_order(session, company, buyer.id, reference="PO-GEHEIM-4711")  # type: ignore[arg-type]
        order.delivery_address = dict(SECRET_ADDRESS)
        session.add(order)
        session.add(
            CartItem(company_id=company, user_id=alpha.user_id, sku="GLV-CUT5-9", quantity=37)
        )
        session.add_all(
            BudgetRule(
                company_id=company,
                scope=scope,
                subject_id=subject,
                max_order_value_cents=123_456,
                period="month",
                period_budget_cents=987_654,
            )
            for scope, subject in ((RuleScope.COMPANY, 0), (RuleScope.USER, buyer.id))
        )
        session.add(
            ApprovalChain(
                company_id=company,
                scope=RuleScope.USER,
                subject_id=buyer.id,  # type: ignore[arg-type]
                levels=[
                    {
                        "rule": "any",
                        "min_order_value_cents": None,
                        "approvers": [{"user_id": approver.id}],
                    }
                ],
            )
        )
        today = date.today()
        session.add(
            Absence(
                company_id=company,
                user_id=buyer.id,  # type: ignore[arg-type]
                substitute_id=approver.id,  # type: ignore[arg-type]
                starts_on=today + timedelta(days=3),
                ends_on=today + timedelta(days=9),
            )
        )
        session.commit()
        self.order_id: int = order.id  # type: ignore[assignment]
        self.buyer_id: int = buyer.id  # type: ignore[assignment]
        beta = make_company(session, "10002", "Beta AG")
        self.main_b = session.get(User, beta.user_id)
        self.session = session
        self.cookie_a = signed_in_cookie(session, self.main_a)  # type: ignore[arg-type]
        self.cookie_b = signed_in_cookie(session, self.main_b)  # type: ignore[arg-type]
        self.secrets = [
            "Alpha Geheim GmbH",
            "main@10001.example",
            *(u.email for u in self.staff),
            *(u.name for u in self.staff),
            "PO-GEHEIM-4711",
            "Verborgener Weg 77",
            "Heimlichhausen",
        ]

    def params(self, route: str) -> dict[str, int]:
        return {
            "/users/[user_id]": {"user_id": self.buyer_id},
            "/orders/[order_id]": {"order_id": self.order_id},
        }.get(route, {})


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


@pytest.fixture(scope="module", autouse=True)
def pages_registered() -> None:
    """Register the decorated pages with the app, as compiling does, so a navigation queues
    each page's on_load handlers."""
    if not portal.app._load_events:
        portal.app._apply_decorated_pages()


@pytest.fixture(params=["memory", "redis"])
async def manager(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """The state managers the portal runs with: one process, or workers sharing Redis."""
    if request.param == "memory":
        yield StateManagerMemory()
        return
    from redis.asyncio import Redis

    redis_manager = StateManagerRedis(redis=Redis.from_url(REDIS_URL))
    yield redis_manager
    await redis_manager.redis.delete(*await redis_manager.redis.keys("tab-*") or ["tab-none"])
    await redis_manager.close()


class Recorder:
    """Stands in for the websocket: keeps every delta sent to the browser."""

    def __init__(self) -> None:
        self.deltas: list[dict[str, dict[str, Any]]] = []
        self.events: list[Any] = []

    async def emit_update(self, update, token: str) -> None:  # type: ignore[no-untyped-def]
        if update.delta:
            self.deltas.append(update.delta)
        self.events.extend(update.events)


class Tab:
    """One browser tab: one client token, its events sent through the real pipeline."""

    def __init__(self, manager: StateManager) -> None:
        self.manager = manager
        self.token = f"tab-{uuid.uuid4().hex}"
        self.events: list[Any] = []  # the events the last answer told the browser to run

    def router_data(self, cookie: str, route: str, params: dict[str, int] | None = None) -> dict:
        """What the browser's connection tells about an event: its cookie and its page."""
        params = params or {}
        path = route
        for key, value in params.items():
            path = path.replace(f"[{key}]", str(value))
        return {
            "headers": {"cookie": f"{SESSION_COOKIE}={cookie}" if cookie else ""},
            "pathname": route,
            "asPath": path,
            "query": {key: str(value) for key, value in params.items()},
            "ip": "10.7.7.7",
            "token": self.token,
        }

    async def send(
        self,
        cookie: str,
        name: str,
        route: str,
        params: dict[str, int] | None = None,
        payload: dict[str, Any] | None = None,
    ) -> list[dict[str, dict[str, Any]]]:
        """One event and everything it chains; returns the deltas the browser received."""
        recorder = Recorder()
        processor = BaseStateEventProcessor(middleware=portal.app)
        async with processor.configure(state_manager=self.manager, event_namespace=recorder):
            event = Event(
                name=name,
                payload=payload or {},
                router_data=self.router_data(cookie, route, params),
            )
            future = await processor.enqueue(self.token, event)
            await future.wait_all()
        self.events = recorder.events
        return recorder.deltas

    async def connect(self, cookie: str, route: str, params=None):  # type: ignore[no-untyped-def]
        """What a browser sends when it (re)connects on a page: hydrate, then the on_loads."""
        return await self.send(cookie, HYDRATE_AND_LOAD, route, params)

    async def navigate(self, cookie: str, route: str, params=None):  # type: ignore[no-untyped-def]
        """What a browser sends when a link opens another page of the portal."""
        return await self.send(cookie, NAVIGATE, route, params)

    async def states(self) -> list[BaseState]:
        """Every portal state of the tab, as the state manager holds it."""
        root = await self.manager.get_state(BaseStateToken(ident=self.token, cls=rx.State))
        return [await root.get_state(state_cls) for state_cls in portal_states()]

    async def stored_text(self) -> str:
        """Everything the server holds for the tab, as text to search."""
        text = [repr(value) for state in await self.states() for _, value, _ in own_fields(state)]
        if isinstance(self.manager, StateManagerRedis):
            keys = await self.manager.redis.keys(f"{self.token}_*")
            text.extend(
                raw.decode("utf-8", "replace") for raw in await self.manager.redis.mget(keys)
            )
        return "\n".join(text)


async def _visit_every_page(world: World, tab: Tab) -> None:
    """Alpha's main contact opens each page once: the tab's state fills with Alpha's data."""
    await tab.connect(world.cookie_a, "/dashboard")
    for route in _pages():
        await tab.navigate(world.cookie_a, route, world.params(route))
    stored = await tab.stored_text()
    assert [s for s in world.secrets if s not in stored] == []  # the test can fail


def _sign_out(world: World) -> Callable[[Tab], Awaitable[str]]:
    async def act(tab: Tab) -> str:
        await tab.send(world.cookie_a, SIGN_OUT, "/dashboard")
        return ""

    return act


def _in_database(world: World, change: Callable[[Session], None]):  # type: ignore[no-untyped-def]
    async def act(_tab: Tab) -> str:
        change(world.session)
        world.session.commit()
        return world.cookie_a  # the browser still sends the cookie of the ended session

    return act


def _session_row(world: World) -> AuthSession:
    return world.session.exec(
        select(AuthSession).where(AuthSession.token_hash == token_hash(world.cookie_a))
    ).one()


def _expire(world: World) -> None:
    row = _session_row(world)
    row.expires_at = utcnow() - timedelta(minutes=1)
    world.session.add(row)


def _deactivate(world: World) -> None:
    user = world.session.get(User, world.main_a.id)  # type: ignore[union-attr]
    user.status = UserStatus.INACTIVE  # type: ignore[union-attr]
    world.session.add(user)


def _other_user(world: World) -> Callable[[Tab], Awaitable[str]]:
    async def act(_tab: Tab) -> str:
        return world.cookie_b

    return act


SWITCHES: dict[str, Callable[[World], Callable[[Tab], Awaitable[str]]]] = {
    "sign_out": _sign_out,
    "revoked": lambda w: _in_database(w, lambda s: revoke_session(s, w.cookie_a)),
    "expired": lambda w: _in_database(w, lambda _s: _expire(w)),
    "deactivated": lambda w: _in_database(w, lambda _s: _deactivate(w)),
    "other_user": _other_user,
}


def _leaks(world: World, text: str) -> list[str]:
    return [secret for secret in world.secrets if secret in text]


def _not_at_defaults(states: list[BaseState]) -> list[str]:
    return [
        f"{type(state).__name__}.{name}"
        for state in states
        for name, value, default in own_fields(state)
        if name not in KEPT and value != default
    ]


@pytest.mark.parametrize("switch", sorted(SWITCHES))
async def test_the_next_connection_of_the_tab_holds_nothing_of_the_previous_user(
    world: World, manager: StateManager, switch: str
) -> None:
    tab = Tab(manager)
    await _visit_every_page(world, tab)

    next_cookie = await SWITCHES[switch](world)(tab)
    snapshot = await tab.send(next_cookie, HYDRATE, "/sign-in")

    assert _leaks(world, json.dumps(snapshot, default=str)) == []
    assert _not_at_defaults(await tab.states()) == []
    assert _leaks(world, await tab.stored_text()) == []

    # And whatever the next person opens on that tab shows nothing of Alpha either.
    opened = await tab.connect(next_cookie, "/sign-in" if not next_cookie else "/dashboard")
    for route in ("/users", "/orders", "/cart", "/profile") if switch == "other_user" else ():
        opened += await tab.navigate(next_cookie, route)
    assert _leaks(world, json.dumps(opened, default=str)) == []
    assert _leaks(world, await tab.stored_text()) == []


async def test_a_tab_that_opens_the_sellers_side_keeps_nothing_of_the_customer(
    world: World, manager: StateManager
) -> None:
    """The customer's session counts for nobody on the seller's pages: opening one empties
    the tab as a sign-out would, whichever seller page it is."""
    for route in _pages(seller=True):
        tab = Tab(manager)
        await _visit_every_page(world, tab)
        opened = await tab.navigate(world.cookie_a, route)
        assert _leaks(world, json.dumps(opened, default=str)) == [], route
        assert _leaks(world, await tab.stored_text()) == [], route


async def test_an_open_tab_that_polls_after_deactivation_is_sent_away_and_emptied(
    world: World, manager: StateManager
) -> None:
    tab = Tab(manager)
    await _visit_every_page(world, tab)
    _deactivate(world)
    world.session.commit()

    deltas = await tab.send(world.cookie_a, CHECK_SESSION, "/users")

    assert _leaks(world, json.dumps(deltas, default=str)) == []
    assert _not_at_defaults(await tab.states()) == []
    assert _leaks(world, await tab.stored_text()) == []


async def test_the_check_sends_a_tab_away_once_its_session_ended(
    world: World, manager: StateManager
) -> None:
    """The poll of every signed-in page still notices the end of the session, although the
    middleware has already emptied the state the handler used to look at."""
    tab = Tab(manager)
    await tab.connect(world.cookie_a, "/dashboard")
    alive = await _events_of(tab, world.cookie_a)
    revoke_session(world.session, world.cookie_a)
    world.session.commit()

    ended = await _events_of(tab, world.cookie_a)

    assert alive == []
    assert any("signed-out" in json.dumps(e, default=str) for e in ended)
    assert await _events_of(tab, world.cookie_a) == [], "sent away once, not on every poll"


async def test_after_signing_out_the_next_page_check_sends_nobody_away_again(
    world: World, manager: StateManager
) -> None:
    """Sign-out sends the browser to "signed out" itself; a signed-in page opened afterwards
    goes to the sign-in page once (``load``), and its check must not navigate a second time,
    away from the sign-in form the person is already typing into."""
    tab = Tab(manager)
    await tab.connect(world.cookie_a, "/dashboard")
    await tab.send(world.cookie_a, f"{SessionState.get_full_name()}.sign_out", "/dashboard")

    assert await _events_of(tab, world.cookie_a) == []


async def test_the_check_leaves_a_visitor_who_never_signed_in_to_the_sign_in_redirect(
    world: World, manager: StateManager
) -> None:
    """Someone who opens a signed-in page without a session is sent to the sign-in page with
    the way back (``SessionState.load``); the poll must not send them to "signed out"."""
    tab = Tab(manager)
    await tab.connect("", "/users")

    assert await _events_of(tab, "") == []


async def _events_of(tab: Tab, cookie: str) -> list[Any]:
    """The frontend events (redirects, scripts) one poll of the session check sends back."""
    sent: list[Any] = []

    class Collect(Recorder):
        async def emit_update(self, update, token: str) -> None:  # type: ignore[no-untyped-def]
            sent.extend(update.events or [])

    processor = BaseStateEventProcessor(middleware=portal.app)
    router_data = tab.router_data(cookie, "/dashboard")
    async with processor.configure(state_manager=tab.manager, event_namespace=Collect()):
        future = await processor.enqueue(
            tab.token, Event(name=CHECK_SESSION, payload={}, router_data=router_data)
        )
        await future.wait_all()
    return sent


def test_every_state_of_the_portal_is_a_portal_state() -> None:
    """The reset covers PortalState and everything below it: a state class beside it would
    escape, so there must be none."""
    outside, pending = [], [rx.State]
    while pending:
        state_cls = pending.pop()
        if state_cls.__module__.startswith("customer_center") and not issubclass(
            state_cls, PortalState
        ):
            outside.append(state_cls.__name__)
        pending.extend(state_cls.get_substates())
    assert outside == []
    assert len(portal_states()) > 30


def _page_states(on_load: list[Any]) -> list[type[BaseState]]:
    """The states a page's on_load fills, with their parents below PortalState."""
    found: list[type[BaseState]] = []
    for handler in on_load:
        state_cls = handler.state
        while state_cls is not None and state_cls not in SHELL:
            if state_cls not in found:
                found.append(state_cls)
            state_cls = state_cls.get_parent_state()
    return found


def _shown(state: BaseState) -> dict[str, Any]:
    """The public vars of the state that hold something, by their name in a delta."""
    return {
        f"{name}{FIELD_MARKER}": default
        for name, value, default in own_fields(state)
        if not name.startswith("_") and value != default
    }


async def test_opening_a_page_again_first_empties_what_the_previous_visit_showed(
    world: World,
) -> None:
    """The first answer to a navigation (before any loading) already empties the page's
    view: the cart does not show its old lines while it asks the ERP for prices."""
    tab = Tab(StateManagerMemory())
    await tab.connect(world.cookie_a, "/dashboard")
    stale: dict[str, list[str]] = {}
    checked: set[str] = set()
    for route, on_load in _pages().items():
        page_states = _page_states(on_load)
        if not page_states or SessionState.load not in on_load:
            continue
        await tab.navigate(world.cookie_a, route, world.params(route))
        root = await tab.manager.get_state(BaseStateToken(ident=tab.token, cls=rx.State))
        shown = {
            state_cls.get_full_name(): _shown(await root.get_state(state_cls))
            for state_cls in page_states
        }
        await tab.navigate(world.cookie_a, "/dashboard")

        first = (await tab.navigate(world.cookie_a, route, world.params(route)))[0]

        missed = [
            f"{name.rsplit('.', 1)[-1]}.{var}"
            for name, vars_shown in shown.items()
            for var, default in vars_shown.items()
            if first.get(name, {}).get(var, "<not sent>") != default
        ]
        if missed:
            stale[route] = missed
        checked.update(f"{route} {var}" for vars_shown in shown.values() for var in vars_shown)
    assert stale == {}
    assert {
        f"/cart rows{FIELD_MARKER}",
        f"/users rows{FIELD_MARKER}",
        f"/orders/[order_id] delivery_lines{FIELD_MARKER}",
        f"/users/[user_id] email{FIELD_MARKER}",
    } <= checked  # the pages held data before: the check saw something to empty


async def test_the_cart_shows_no_old_lines_while_it_loads(world: World) -> None:
    tab = Tab(StateManagerMemory())
    await tab.connect(world.cookie_a, "/cart")
    await tab.navigate(world.cookie_a, "/catalogue")

    deltas = await tab.navigate(world.cookie_a, "/cart")

    cart = CartState.get_full_name()
    rows = [
        d[cart][f"rows{FIELD_MARKER}"] for d in deltas if f"rows{FIELD_MARKER}" in d.get(cart, {})
    ]
    assert rows[0] == []  # emptied first, ...
    assert rows[-1] and rows[-1][0]["quantity"] == "37"  # ... then the lines as loaded now
    loaded = [
        d[cart][f"loaded{FIELD_MARKER}"]
        for d in deltas
        if f"loaded{FIELD_MARKER}" in d.get(cart, {})
    ]
    assert loaded == [False, True]


async def test_an_import_that_outlives_the_sign_out_writes_nothing_back_into_the_tab(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CSV import runs in the background, past the sign-out: its progress and its failed
    rows (names, e-mail addresses) must not land in the emptied tab."""
    from customer_center.services.people import user_import

    started, release = threading.Event(), threading.Event()

    def slow_import(actor, settings, rows, batch_size=None):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(10)
        yield user_import.ImportProgress(total=len(rows), done=len(rows), failed=tuple(rows))

    monkeypatch.setattr(user_import, "import_rows", slow_import)
    tab, route = Tab(StateManagerMemory()), "/users/import"
    secret = "imka.geheim@alpha-secret.example"
    world.secrets.append(secret)
    csv = f"name,email,language,roles\nImka Geheimnis,{secret},en,buyer\n".encode()
    upload = rx.UploadFile(file=io.BytesIO(csv), path=None, size=len(csv))  # type: ignore[call-arg]
    name = UserImportState.get_full_name()
    await tab.connect(world.cookie_a, route)
    await tab.send(world.cookie_a, f"{name}.upload", route, payload={"files": [upload]})

    processor = BaseStateEventProcessor(middleware=portal.app)
    async with processor.configure(state_manager=tab.manager, event_namespace=Recorder()):
        importing = await processor.enqueue(
            tab.token,
            Event(name=f"{name}.run_import", router_data=tab.router_data(world.cookie_a, route)),
        )
        assert await asyncio.to_thread(started.wait, 10)
        await tab.send(world.cookie_a, SIGN_OUT, route)
        release.set()
        await importing.wait_all()

    assert _not_at_defaults(await tab.states()) == []
    assert _leaks(world, await tab.stored_text()) == []


async def test_opening_the_order_page_is_one_event_with_one_answer(world: World) -> None:
    """The shell and the order page's four states are filled by one handler: one event
    after Reflex's navigation event, and the page's whole view arrives in one delta, the one
    that shows the page (``is_hydrated``)."""
    tab = Tab(StateManagerMemory())
    await tab.connect(world.cookie_a, "/dashboard")
    handled: list[str] = []
    preprocess = AccessMiddleware.preprocess

    async def counting(self, app, state, event):  # type: ignore[no-untyped-def]
        handled.append(event.name.rsplit(".", 1)[-1])
        return await preprocess(self, app, state, event)

    route = "/orders/[order_id]"
    with patch.object(AccessMiddleware, "preprocess", counting):
        deltas = await tab.navigate(world.cookie_a, route, world.params(route))
    assert [h for h in handled if h not in {"on_load_internal", "set_is_hydrated"}] == ["open"]
    root = rx.State.get_full_name()
    shown = next(d for d in deltas if d.get(root, {}).get(f"is_hydrated{FIELD_MARKER}"))
    filled = {name.rsplit(".", 1)[-1].rsplit("____", 1)[-1] for name in shown}
    # The shell's facts were read on /dashboard a moment ago: the page keeps them.
    assert {
        "order_view_state",
        "reorder_state",
        "order_documents_state",
        "order_totals_state",
    } <= filled


async def test_opening_the_order_page_reads_the_order_once(world: World) -> None:
    """The page's parts read in one transaction: the order the view found is the one the
    documents and the totals check again, without reading it again."""
    tab = Tab(StateManagerMemory())
    await tab.connect(world.cookie_a, "/dashboard")
    order_reads: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if re.search(
            r"FROM customer_order WHERE customer_order\.id = \S+$", " ".join(statement.split())
        ):
            order_reads.append(statement)

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", record)
    try:
        route = "/orders/[order_id]"
        await tab.navigate(world.cookie_a, route, world.params(route))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    view = next(s for s in await tab.states() if type(s).__name__ == "OrderViewState")
    assert view.found and len(order_reads) == 1


async def _shell_name(tab: Tab) -> str:
    return next(s for s in await tab.states() if isinstance(s, SessionState)).user_name


async def test_a_page_opened_from_the_navigation_keeps_the_shell_while_it_is_fresh(
    world: World,
) -> None:
    """The shell's facts are read once per ``SHELL_FRESH_SECONDS`` (as a mounted shell would
    keep them), and at once when the principal changed (rights, language, session)."""
    tab = Tab(StateManagerMemory())
    await tab.connect(world.cookie_a, "/dashboard")
    assert world.main_a is not None
    before = world.main_a.name
    world.main_a.name = "Renamed Elsewhere"
    world.session.add(world.main_a)
    world.session.commit()

    await tab.navigate(world.cookie_a, "/orders")
    assert await _shell_name(tab) == before  # kept: read a moment ago, same principal

    later = time.time() + SHELL_FRESH_SECONDS + 1
    with patch("customer_center.state.session.time.time", return_value=later):
        await tab.navigate(world.cookie_a, "/users")
    assert await _shell_name(tab) == "Renamed Elsewhere"  # stale: read again


async def test_a_changed_principal_shows_in_the_shell_on_the_next_page(world: World) -> None:
    """A new language (one of the principal's facts) is no reason to wait."""
    tab = Tab(StateManagerMemory())
    await tab.connect(world.cookie_a, "/dashboard")
    assert world.main_a is not None
    assert next(s for s in await tab.states() if isinstance(s, SessionState)).lang == "en"
    world.main_a.language = "de"
    world.session.add(world.main_a)
    world.session.commit()

    await tab.navigate(world.cookie_a, "/orders")
    assert next(s for s in await tab.states() if isinstance(s, SessionState)).lang == "de"


async def test_a_part_of_a_page_that_fails_leaves_the_other_parts_shown(world: World) -> None:
    """The page's parts load in one event, yet one failing part is what it was as an event
    of its own: the user is told, the other parts are there."""
    tab = Tab(StateManagerMemory())
    await tab.connect(world.cookie_a, "/dashboard")
    route = "/orders/[order_id]"
    broken = RuntimeError("the order's database is on fire")
    with patch("customer_center.state.order_view.in_transaction", side_effect=broken):
        deltas = await tab.navigate(world.cookie_a, route, world.params(route))
    filled = {name.rsplit("____", 1)[-1] for delta in deltas for name in delta}
    assert {"order_documents_state", "order_totals_state"} <= filled
    assert "backend_error" in json.dumps(tab.events, default=str)


def test_the_shell_knows_a_principal_again_in_another_worker() -> None:
    """Workers hash strings differently, so a set of rights prints in another order there;
    the shell's key of a principal must not."""
    code = (
        "from customer_center.domain.principals import CustomerUser\n"
        "from customer_center.state.session import shell_key\n"
        "rights = frozenset(['orders.create', 'approvals.decide', 'users.manage', 'x.y'])\n"
        "print(shell_key(CustomerUser(user_id=1, company_id=2, rights=rights, session_id=3)))\n"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(keys) == 1 and "approvals.decide" in keys.pop()
