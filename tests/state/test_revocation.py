"""Identify once per session, refuse a revoked session at once, push the end to open tabs
(issue 14).

The events go through Reflex's real event processor and the portal's middleware, as a
browser's do. The principal of a session is resolved once per worker and kept under the
revocation epoch: an unchanged session costs no identity query, and any committed revocation
(sign-out elsewhere, sign out everywhere else, deactivation, password change, a lost right)
is refused at the very next event. With Redis the epoch is shared, so another worker's (or
host's) write counts just the same, even when its announcement on the channel is lost.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex.state import BaseState
from reflex_base.event import Event
from reflex_base.event.processor import BaseStateEventProcessor
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import customer_center.customer_center as portal
from customer_center.auth import principal_cache, revocation
from customer_center.auth.sessions import SESSION_COOKIE, revoke_all_sessions, revoke_session
from customer_center.auth.staff_sessions import STAFF_COOKIE
from customer_center.db import session_scope
from customer_center.domain.people import UserStatus
from customer_center.domain.staff import StaffStatus
from customer_center.models.staff import StaffMember
from customer_center.models.user import User, UserRole
from customer_center.services.identity.own_sessions import end_other_sessions
from customer_center.services.people.users import deactivate_user
from customer_center.settings import get_settings
from customer_center.state import revocation_push
from customer_center.state.base import PortalState
from customer_center.state.checkout import CheckoutState
from customer_center.state.seller_staff import SellerStaffState
from customer_center.state.session import SessionState
from tests.factories import actor_for, make_company, make_user, signed_in_cookie
from tests.staff_factories import make_staff, staff_cookie
from tests.state.test_forged_events import handler_functions_state

pytestmark = pytest.mark.usefixtures("db")

REDIS_URL = os.environ.get("CC_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
CHOOSE = f"{CheckoutState.get_full_name()}.choose_shipping"
CHECK_SESSION = f"{SessionState.get_full_name()}.check_session"
OPEN_ADD = f"{SellerStaffState.get_full_name()}.open_add"
# The tables a principal is resolved from.
IDENTITY_TABLES = ("auth_session", "user_role", "role_permission", "staff_", "acting_session")


class _Namespace:
    """What the processor sends to the browser: kept, as a socket would carry it."""

    def __init__(self) -> None:
        self.updates: list[tuple[str, Any]] = []
        self.token_to_sid: dict[str, str] = {}

    async def emit_update(self, update: Any, token: str) -> None:
        self.updates.append((token, update))


_managers: dict[str, StateManagerMemory] = {}


async def dispatch(
    token: str,
    cookie: str,
    name: str,
    payload: dict | None = None,
    *,
    cookie_name: str = SESSION_COOKIE,
    path: str = "/checkout",
) -> BaseState:
    """One event of the tab ``token`` with the cookie ``cookie_name=cookie``; the handler's
    state afterwards."""
    manager = _managers.setdefault(token, StateManagerMemory())
    processor = BaseStateEventProcessor(middleware=portal.app)
    headers = {"cookie": f"{cookie_name}={cookie}"}
    router_data = {"headers": headers, "pathname": path, "token": token, "query": {}}
    async with processor.configure(state_manager=manager, event_namespace=_Namespace()):  # type: ignore[arg-type]
        sent = Event(name=name, payload=payload or {}, router_data=router_data)
        future = await processor.enqueue(token, sent)
        await asyncio.wait_for(future, 30)  # an event the processor cannot route never ends
    state_cls = handler_functions_state(name)
    root = await manager.get_state(BaseStateToken(ident=token, cls=state_cls))
    return await root.get_state(state_cls)


def chooses(token: str, cookie: str) -> bool:
    """Whether a protected handler ran for the tab: it chose express shipping."""
    state = asyncio.run(dispatch(token, cookie, CHOOSE, {"method": "express"}))
    assert isinstance(state, CheckoutState)
    return state.shipping_method == "express"


def tab_session(token: str) -> int:
    root = asyncio.run(_managers[token].get_state(BaseStateToken(ident=token, cls=PortalState)))
    portal_state = asyncio.run(root.get_state(PortalState))
    assert isinstance(portal_state, PortalState)
    return portal_state._tab_session


class Statements:
    """Every SQL statement sent to the database while counting."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sent: list[str] = []

    def _note(self, *args: Any) -> None:
        self.sent.append(args[2])

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self._note)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._note)

    @property
    def identity(self) -> list[str]:
        return [s for s in self.sent if any(table in s for table in IDENTITY_TABLES)]


def _use_epoch_source(source: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    principal_cache.forget_all()
    revocation_push.forget_tabs()  # the tables start empty: ids of earlier tests come again
    if source == "redis":
        redis.Redis.from_url(REDIS_URL).ping()  # fails the test when Redis does not answer
        monkeypatch.setenv("CC_REDIS_URL", REDIS_URL)
    else:
        monkeypatch.delenv("CC_REDIS_URL", raising=False)
    get_settings.cache_clear()
    revocation.forget_clients()
    yield source
    monkeypatch.undo()
    get_settings.cache_clear()
    revocation.forget_clients()
    principal_cache.forget_all()


@pytest.fixture(params=["in_process", "redis"])
def epoch_source(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """One worker without Redis, or workers sharing the epoch through Redis."""
    yield from _use_epoch_source(request.param, monkeypatch)


@pytest.fixture
def redis_epoch(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from _use_epoch_source("redis", monkeypatch)


@pytest.fixture
def main(session: Session) -> tuple[User, str]:
    actor = make_company(session, "C-REV", "Widerruf GmbH")
    user = session.get(User, actor.user_id)
    assert user is not None
    return user, signed_in_cookie(session, user)


def test_an_unchanged_session_costs_no_identity_query(
    epoch_source: str, engine: Engine, main: tuple[User, str]
) -> None:
    _user, cookie = main
    with Statements(engine) as first:
        assert chooses("tab-cost", cookie)
    assert first.identity, "the first event resolves the session"

    with Statements(engine) as later:
        assert chooses("tab-cost", cookie)
        assert chooses("tab-cost-2", cookie)  # another tab, same session
    assert later.sent == []  # no identity query, and this handler needs none either


def _sign_out_elsewhere(session: Session, user: User, cookie: str) -> None:
    assert revoke_session(session, cookie)


def _sign_out_everywhere_else(session: Session, user: User, cookie: str) -> None:
    """The same user in another browser ends every other session."""
    other = actor_for(session, user)
    assert end_other_sessions(session, other) == 1


def _password_reset(session: Session, user: User, cookie: str) -> None:
    assert revoke_all_sessions(session, user.id) == 1  # type: ignore[arg-type]


def _deactivated_by_the_main_contact(session: Session, user: User, cookie: str) -> None:
    company_main = session.exec(
        select(User).where(User.company_id == user.company_id, User.is_main_contact)
    ).one()
    deactivate_user(session, actor_for(session, company_main), user_id=user.id)  # type: ignore[arg-type]


def _scim_active_false(session: Session, user: User, cookie: str) -> None:
    fresh = session.get(User, user.id)
    assert fresh is not None
    fresh.status = UserStatus.INACTIVE  # SCIM's active=false sets the status (and revokes)
    session.add(fresh)


ENDINGS: dict[str, Callable[[Session, User, str], None]] = {
    "sign-out elsewhere": _sign_out_elsewhere,
    "sign out everywhere else": _sign_out_everywhere_else,
    "password reset": _password_reset,
    "deactivated by the main contact": _deactivated_by_the_main_contact,
    "SCIM active=false": _scim_active_false,
}


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_revoked_session_is_refused_at_its_next_event(
    epoch_source: str, session: Session, ending: str
) -> None:
    actor = make_company(session, "C-REV2", "Ende GmbH")
    buyer = make_user(session, actor.company_id, "bea@c-rev2.example", ["main_contact"])
    session.commit()
    cookie = signed_in_cookie(session, buyer)
    token = f"tab-{ending}"
    assert chooses(token, cookie)
    assert tab_session(token) > 0

    ENDINGS[ending](session, buyer, cookie)
    session.commit()

    assert not chooses(token, cookie)  # refused: the handler did not run
    assert tab_session(token) == 0  # and the tab's state belongs to nobody any more


def opens_the_staff_form(token: str, cookie: str) -> bool:
    """Whether a protected seller handler ran for the tab."""
    state = asyncio.run(
        dispatch(token, cookie, OPEN_ADD, cookie_name=STAFF_COOKIE, path="/seller/staff")
    )
    assert isinstance(state, SellerStaffState)
    return state.adding


def test_a_deactivated_staff_member_is_refused_at_the_next_event(
    epoch_source: str, session: Session
) -> None:
    member = make_staff(session, "sam.staff@seller.example")
    session.commit()
    cookie = staff_cookie(session, member)
    assert opens_the_staff_form("tab-staff", cookie)

    fresh = session.get(StaffMember, member.id)
    assert fresh is not None
    fresh.status = StaffStatus.INACTIVE
    session.add(fresh)
    session.commit()

    assert not opens_the_staff_form("tab-staff", cookie)
    assert tab_session("tab-staff") == 0


def test_a_lost_right_is_refused_at_the_next_event(
    epoch_source: str, session: Session, main: tuple[User, str]
) -> None:
    company_main, _cookie = main
    manager = make_user(session, company_main.company_id, "rita@c-rev.example", ["main_contact"])
    session.commit()
    cookie = signed_in_cookie(session, manager)
    assert chooses("tab-right", cookie)

    for link in session.exec(select(UserRole).where(UserRole.user_id == manager.id)).all():
        session.delete(link)
    session.commit()

    assert not chooses("tab-right-2", cookie)  # refused, in a fresh tab of the session
    assert tab_session("tab-right-2") > 0  # still signed in, only without the right


def test_another_workers_announcement_alone_is_enough(
    redis_epoch: str, session: Session, main: tuple[User, str]
) -> None:
    """Another worker revoked the session and its announcement on the channel was lost: the
    shared epoch (Redis) still makes this worker resolve the session again."""
    _user, cookie = main
    assert chooses("tab-other", cookie)
    # The other worker's write, seen from here: the database, and the epoch it raised.
    with session.bind.begin() as connection:  # type: ignore[union-attr]
        connection.exec_driver_sql("UPDATE auth_session SET revoked_at = CURRENT_TIMESTAMP")
    redis.Redis.from_url(REDIS_URL).incr(revocation.EPOCH_KEY)

    assert not chooses("tab-other", cookie)


def test_the_push_reaches_the_open_tab_within_two_seconds(
    epoch_source: str, session: Session, main: tuple[User, str]
) -> None:
    user, cookie = main
    assert chooses("tab-push", cookie)  # the tab is known to this worker
    namespace = _Namespace()
    namespace.token_to_sid["tab-push"] = "sid-1"
    app = type("App", (), {"event_namespace": namespace})()

    async def scenario() -> float:
        listener = asyncio.create_task(revocation_push.revocation_push_task(app))
        await asyncio.sleep(0.3)  # subscribed
        loop = asyncio.get_running_loop()
        started = loop.time()
        await asyncio.to_thread(_revoke_in_another_thread, user.id)
        while not namespace.updates and loop.time() - started < 5:
            await asyncio.sleep(0.01)
        took = loop.time() - started
        listener.cancel()
        return took

    took = asyncio.run(scenario())
    assert namespace.updates, "nothing was pushed"
    token, update = namespace.updates[0]
    assert token == "tab-push"
    assert [e.name for e in update.events] == [CHECK_SESSION]
    assert took < 2

    # The pushed check, sent back by the browser, finds the session ended.
    state = asyncio.run(dispatch("tab-push", cookie, CHECK_SESSION))
    assert tab_session("tab-push") == 0
    assert isinstance(state, SessionState)


def _revoke_in_another_thread(user_id: int | None) -> None:
    assert threading.current_thread() is not threading.main_thread()
    with session_scope() as session:
        assert revoke_all_sessions(session, user_id) >= 1  # type: ignore[arg-type]
