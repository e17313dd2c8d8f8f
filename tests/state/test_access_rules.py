"""Deny by default: every event handler of every state carries an access rule."""

from __future__ import annotations

import asyncio

import pytest

import customer_center.customer_center  # noqa: F401 - registers every page and state
from customer_center.state.access import access_of, current_principal, requires
from customer_center.state.middleware import (
    AccessMiddleware,
    handler_functions,
    is_framework_event,
)


def _application_handlers() -> dict:
    return {
        name: fn
        for name, fn in handler_functions().items()
        if not is_framework_event(name, fn) and fn.__module__.startswith("customer_center")
    }


def test_every_application_handler_declares_who_may_call_it() -> None:
    handlers = _application_handlers()
    assert len(handlers) >= 10
    missing = [name for name, fn in handlers.items() if access_of(fn) is None]
    assert missing == []


def test_generic_setvar_is_refused() -> None:
    setvars = [name for name in handler_functions() if name.endswith(".setvar")]
    assert setvars
    assert all(access_of(handler_functions()[name]) is None for name in setvars)


class _FakeEvent:
    def __init__(self, name: str) -> None:
        self.name = name
        self.token = "t"


async def _tab(cookie: str):  # type: ignore[no-untyped-def]
    """A tab's state tree (the middleware also looks after whose it is), with the cookie."""
    import reflex as rx
    from reflex.istate.manager.memory import StateManagerMemory
    from reflex.istate.manager.token import BaseStateToken

    root = await StateManagerMemory().get_state(BaseStateToken(ident="t", cls=rx.State))
    root.router_data = {"headers": {"cookie": cookie}}
    return root


def _preprocess(event_name: str, cookie: str = ""):
    async def run():  # type: ignore[no-untyped-def]
        return await AccessMiddleware().preprocess(None, await _tab(cookie), _FakeEvent(event_name))

    return asyncio.run(run())


@pytest.mark.usefixtures("db")
def test_forged_setvar_and_unknown_events_are_refused() -> None:
    setvar = next(name for name in handler_functions() if name.endswith(".setvar"))
    assert _preprocess(setvar) is not None
    assert _preprocess("state.nonexistent_state.do_anything") is not None


@pytest.mark.usefixtures("db")
def test_signed_in_handlers_refuse_anonymous_and_forged_cookies() -> None:
    sign_out = next(n for n in handler_functions() if n.endswith("session_state.sign_out"))
    assert _preprocess(sign_out) is not None
    assert _preprocess(sign_out, cookie="cc_session=forged-value") is not None
    assert current_principal.get() is None


@pytest.mark.usefixtures("db")
def test_public_handlers_pass_without_an_actor() -> None:
    submit = next(n for n in handler_functions() if n.endswith("sign_in_state.submit"))
    assert _preprocess(submit) is None


def _signed_in_cookie(permissions: set[str]) -> str:
    """A live session of a user whose one role grants ``permissions``."""
    from sqlmodel import Session

    from customer_center.auth.passwords import hash_password
    from customer_center.auth.sessions import SESSION_COOKIE, open_session
    from customer_center.db import get_engine
    from customer_center.models.company import Company
    from customer_center.models.user import Role, RolePermission, User, UserRole

    with Session(get_engine()) as session:
        company = Company(customer_number="P-1", name="Permissions GmbH")
        session.add(company)
        session.flush()
        user = User(
            company_id=company.id, email="p@p.example", name="P", password_hash=hash_password("x")
        )
        role = Role(company_id=company.id, code="custom", name="Custom")
        session.add_all([user, role])
        session.flush()
        session.add(UserRole(user_id=user.id, role_id=role.id))
        for permission in permissions:
            session.add(RolePermission(role_id=role.id, permission=permission))
        raw = open_session(session, user, days=1)
        session.commit()
    return f"{SESSION_COOKIE}={raw}"


@pytest.mark.usefixtures("db")
@pytest.mark.parametrize(("granted", "refused"), [(set(), True), ({"users.manage"}, False)])
def test_requires_checks_the_actors_rights(monkeypatch, granted: set[str], refused: bool) -> None:
    @requires("users.manage")
    def manage_users() -> None: ...

    name = "state.portal_state.user_admin_state.invite"
    monkeypatch.setattr(
        "customer_center.state.middleware.handler_functions", lambda: {name: manage_users}
    )
    outcome = _preprocess(name, cookie=_signed_in_cookie(granted))
    assert (outcome is not None) is refused


def _all_states() -> list:
    import reflex as rx

    found, pending = [], [rx.State]
    while pending:
        state_cls = pending.pop()
        found.append(state_cls)
        pending.extend(state_cls.get_substates())
    return found


def _mentions_a_table(var_type: object) -> bool:
    """A var type that is, or contains, a database table class."""
    from typing import get_args

    from sqlmodel import SQLModel

    if isinstance(var_type, type) and issubclass(var_type, SQLModel):
        return True
    return any(_mentions_a_table(arg) for arg in get_args(var_type))


def test_no_public_var_holds_a_table_row() -> None:
    offenders = [
        f"{state_cls.__name__}.{name}"
        for state_cls in _all_states()
        if state_cls.__module__.startswith("customer_center")
        for name, var in state_cls.base_vars.items()
        if not name.startswith("_") and _mentions_a_table(var._var_type)
    ]
    assert offenders == []


def test_the_table_check_recognises_rows() -> None:
    from customer_center.models.user import User

    assert _mentions_a_table(User)
    assert _mentions_a_table(list[User])
    assert _mentions_a_table(dict[str, User])
    assert not _mentions_a_table(list[dict[str, str]])


def test_the_access_map_lists_each_handler_with_its_rule(capsys) -> None:
    from customer_center.cli import main

    main(["access-map"])
    lines = capsys.readouterr().out.splitlines()
    assert any(
        line.startswith("users.manage") and line.endswith("invite_user_state.submit")
        for line in lines
    )
    assert any(
        line.startswith("anyone") and line.endswith("sign_in_state.submit") for line in lines
    )
    assert all(line.startswith("REFUSED") for line in lines if line.endswith(".setvar"))
