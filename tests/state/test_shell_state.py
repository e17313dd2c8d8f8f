"""The shell's facts: every signed-in page's first on_load fills them for the header and
the navigation (which links and badges the signed-in user sees)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

import customer_center.customer_center  # noqa: F401 - registers every page and state
from customer_center.domain.permissions import Permission
from customer_center.models.user import User
from customer_center.state.session import SessionState
from tests.factories import make_company, make_user, signed_in_cookie
from tests.state.test_forged_events import dispatch

pytestmark = pytest.mark.usefixtures("db")


async def _load(session: Session, user: User, token: str) -> SessionState:
    cookie = signed_in_cookie(session, user)
    state = await dispatch(token, cookie, f"{SessionState.get_full_name()}.load", {}, {})
    assert isinstance(state, SessionState)
    return state


async def test_the_shell_knows_the_users_company_rights_and_whether_they_are_main_contact(
    session: Session,
) -> None:
    main = make_company(session, "C-77", "Shell GmbH")
    ben = make_user(session, main.company_id, "ben@shell.example", ["buyer"], name="Ben")
    session.commit()

    state = await _load(session, ben, "shell-buyer")
    assert (state.user_name, state.user_email) == ("Ben", "ben@shell.example")
    assert (state.company_name, state.customer_number) == ("Shell GmbH", "C-77")
    assert Permission.ORDERS_CREATE.value in state.permissions
    assert Permission.USERS_MANAGE.value not in state.permissions
    assert state.permissions == sorted(state.permissions)
    assert state.company_currency != ""
    assert not state.is_main_contact

    contact = session.get(User, main.user_id)
    assert contact is not None
    state = await _load(session, contact, "shell-main-contact")
    assert Permission.USERS_MANAGE.value in state.permissions
    assert state.is_main_contact
