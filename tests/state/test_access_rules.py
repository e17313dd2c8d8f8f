"""Deny by default: every event handler of every state carries an access rule."""

from __future__ import annotations

import asyncio

import pytest

import customer_center.customer_center  # noqa: F401 - registers every page and state
from customer_center.state.access import access_of, current_actor
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


class _FakeState:
    def __init__(self, cookie: str = "") -> None:
        self.router_data = {"headers": {"cookie": cookie}}


class _FakeEvent:
    def __init__(self, name: str) -> None:
        self.name = name
        self.token = "t"


def _preprocess(event_name: str, cookie: str = ""):
    return asyncio.run(
        AccessMiddleware().preprocess(None, _FakeState(cookie), _FakeEvent(event_name))
    )


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
    assert current_actor.get() is None


@pytest.mark.usefixtures("db")
def test_public_handlers_pass_without_an_actor() -> None:
    submit = next(n for n in handler_functions() if n.endswith("sign_in_state.submit"))
    assert _preprocess(submit) is None
