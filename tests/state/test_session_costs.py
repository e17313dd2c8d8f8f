"""What a session costs the server (issue 6): the Redis state manager stores it without the
translation catalogue, and reading a page's parameters does not go through Reflex's
deprecated ``router.page`` (each read of it walks the call stack to report where)."""

from __future__ import annotations

import asyncio
import pickle

import pytest
import reflex.istate.data
from sqlmodel import Session

from customer_center.i18n.catalog import catalog
from customer_center.models.user import User
from customer_center.state.base import PortalState
from customer_center.state.orders import OrderListState
from customer_center.state.session import SessionState
from tests.factories import make_company, signed_in_cookie
from tests.state.test_forged_events import dispatch

pytestmark = pytest.mark.usefixtures("db")


def _german_session(session: Session) -> PortalState:
    main = make_company(session, "C-SIZE", "Grösse GmbH")
    user = session.get(User, main.user_id)
    assert user is not None
    user.language = "de"
    session.add(user)
    session.commit()
    name = f"{PortalState.get_full_name()}.detect_language"
    state = asyncio.run(dispatch("size-tab", signed_in_cookie(session, user), name, {}, {}))
    assert isinstance(state, PortalState)
    return state


def test_the_pickled_base_state_leaves_the_catalogue_out(session: Session) -> None:
    state = _german_session(session)
    assert state.t is catalog("de")  # read, so the catalogue is cached on the state

    pickled = pickle.dumps(state)

    assert len(pickled) < 5_000 < len(pickle.dumps(catalog("de")))
    assert state.t is catalog("de")  # the live state keeps its cache


def test_page_states_below_it_pickle_as_before(session: Session) -> None:
    page = asyncio.run(_german_session(session).get_state(SessionState))

    assert pickle.loads(pickle.dumps(page)).user_name == page.user_name


def test_a_restored_state_reads_its_catalogue_again(session: Session) -> None:
    restored = pickle.loads(pickle.dumps(_german_session(session)))

    assert restored.lang == "de"
    assert restored.t == catalog("de")


def test_page_parameters_are_read_without_the_deprecated_router_page(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = make_company(session, "C-PARAMS", "Params GmbH")
    user = session.get(User, main.user_id)
    assert user is not None
    warned: list[str] = []
    monkeypatch.setattr(
        reflex.istate.data.console, "deprecate", lambda **kw: warned.append(kw["feature_name"])
    )
    name = f"{OrderListState.get_full_name()}.load"
    query = {"status": "shipped", "scope": "all"}

    state = asyncio.run(dispatch("params-tab", signed_in_cookie(session, user), name, {}, query))

    assert isinstance(state, OrderListState)
    assert (state.status, state.scope) == ("shipped", "all")  # the parameters were read
    assert "RouterData.page" not in warned
