"""My account's and the dashboard's handlers through Reflex's real event pipeline: the
access rule of each, forged events (another user's session, signed out), and that no table
row or secret reaches a public var."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import Session

from customer_center.auth.principals import resolve_principal
from customer_center.models.user import User
from customer_center.state.access import Access, access_of
from customer_center.state.account import AccountState
from customer_center.state.dashboard import DashboardState
from customer_center.state.middleware import handler_functions
from tests.factories import PASSWORD, make_company, make_user, signed_in_cookie
from tests.state.test_forged_events import dispatch

pytestmark = pytest.mark.usefixtures("db")

_tokens = itertools.count()
SIGNED_IN = Access()
OWN_ACCOUNT = Access(own_account=True)


@pytest.mark.parametrize(
    ("state", "handler", "access"),
    [
        (AccountState, "load", SIGNED_IN),
        (AccountState, "change_password", OWN_ACCOUNT),
        (AccountState, "end_session", OWN_ACCOUNT),
        (AccountState, "end_other_sessions", OWN_ACCOUNT),
        (AccountState, "save_choices", OWN_ACCOUNT),
        (DashboardState, "load", SIGNED_IN),
    ],
)
def test_handlers_carry_the_intended_access_rule(state, handler, access) -> None:
    assert access_of(handler_functions()[f"{state.get_full_name()}.{handler}"]) == access


async def _send(cookie: str, state: type, handler: str, payload: dict, tab: str):  # type: ignore[no-untyped-def]
    return await dispatch(tab, cookie, f"{state.get_full_name()}.{handler}", payload, {})


def _tab() -> str:
    return f"my-account-{next(_tokens)}"


@pytest.fixture
def people(session: Session) -> tuple[User, User]:
    main = make_company(session)
    ben = make_user(session, main.company_id, "ben@acme.example", ["buyer"], name="Ben")
    eva = make_user(session, main.company_id, "eva@acme.example", ["buyer"], name="Eva")
    session.commit()
    return ben, eva


async def test_my_sessions_show_no_token_and_another_users_session_is_not_ended(
    session, people
) -> None:
    ben, eva = people
    eva_cookie = signed_in_cookie(session, eva)
    eva_session = resolve_principal(session, eva_cookie).session_id  # type: ignore[union-attr]
    session.commit()
    ben_cookie, tab = signed_in_cookie(session, ben), _tab()

    state = await _send(ben_cookie, AccountState, "load", {}, tab)
    assert len(state.sessions) == 1
    assert set(state.sessions[0]) == {
        "id",
        "device",
        "icon",
        "address",
        "signed_in",
        "last_used",
        "current",
    }
    assert ben_cookie not in str(state.sessions)

    state = await _send(
        ben_cookie, AccountState, "end_session", {"session_id": str(eva_session)}, tab
    )
    assert state.sessions_error == "That session has already ended."
    assert resolve_principal(session, eva_cookie) is not None


async def test_signed_out_events_change_nothing(session, people) -> None:
    ben, _eva = people
    ben_cookie = signed_in_cookie(session, ben)
    before = ben.password_hash
    form = {"current": PASSWORD, "password": "Lantern-orbit-quietly-77"}
    await _send(
        "",
        AccountState,
        "change_password",
        {"form": {**form, "password_repeat": form["password"]}},
        _tab(),
    )
    await _send("", AccountState, "end_other_sessions", {}, _tab())
    session.expire_all()
    assert session.get(User, ben.id).password_hash == before  # type: ignore[union-attr]
    assert resolve_principal(session, ben_cookie) is not None


async def test_changing_the_password_through_the_page(session, people) -> None:
    ben, _eva = people
    phone = signed_in_cookie(session, ben)
    here, tab = signed_in_cookie(session, ben), _tab()
    await _send(here, AccountState, "load", {}, tab)
    wrong = {"current": "nope", "password": "x", "password_repeat": "x"}
    state = await _send(here, AccountState, "change_password", {"form": wrong}, tab)
    assert state.password_errors == {"current": "This is not your current password."}

    new = "Lantern-orbit-quietly-77"
    form = {"current": PASSWORD, "password": new, "password_repeat": new}
    state = await _send(here, AccountState, "change_password", {"form": form}, tab)
    assert state.password_errors == {}
    assert state.password_note == (
        "Your password has been changed. Your other sessions have been signed out."
    )
    assert resolve_principal(session, phone) is None
    assert len(state.sessions) == 1


async def test_the_dashboard_sends_words_not_rows(session, people) -> None:
    ben, _eva = people
    state = await _send(signed_in_cookie(session, ben), DashboardState, "load", {}, _tab())
    assert state.loaded
    assert state.is_main is False and state.reports is False
    assert state.start_show is True  # a newcomer: what he may do and whom to ask
    assert "Place orders" in state.start_may
    assert state.start_ask_email == "main@c-1.example"
    assert state.setup == [] and state.invited == []
