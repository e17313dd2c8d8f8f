"""What the Redis state manager stores per session stays small (issue 6: < 100 KB per idle
session): the portal's base state is pickled without the translation catalogue."""

from __future__ import annotations

import asyncio
import pickle

import pytest
from sqlmodel import Session

from customer_center.i18n.catalog import catalog
from customer_center.models.user import User
from customer_center.state.base import PortalState
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
