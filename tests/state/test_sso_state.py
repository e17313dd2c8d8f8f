"""The single sign-on states through Reflex's real event pipeline: the sign-in page offers the
company account for an SSO domain, and the settings page never sends the secret back."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from customer_center.models.identity import SsoConfig
from customer_center.models.user import User
from customer_center.state.company_sso import CompanySsoState
from customer_center.state.sign_in import SignInState
from tests.factories import make_company, signed_in_cookie
from tests.sso_factories import SECRET, configure_sso
from tests.state.test_forged_events import dispatch

pytestmark = pytest.mark.usefixtures("db")


async def test_an_sso_address_is_offered_the_company_account(session: Session) -> None:
    alpha = make_company(session, "A-1")
    configure_sso(session, alpha, domains="alpha.example")
    name = f"{SignInState.get_full_name()}.check_email"
    state = await dispatch("sso-offer", "", name, {"value": "Anna@alpha.example"}, {})
    assert (state.sso_offer, state.password_allowed) == (True, True)
    other = await dispatch("no-offer", "", name, {"value": "anna@elsewhere.example"}, {})
    assert (other.sso_offer, other.password_allowed) == (False, True)
    forged = await dispatch("forged", "", name, {"value": ["x"]}, {})
    assert forged.sso_offer is False


async def test_the_settings_page_never_carries_the_secret(session: Session) -> None:
    alpha = make_company(session, "A-1")
    configure_sso(session, alpha, domains="alpha.example")
    encrypted = session.exec(select(SsoConfig.client_secret_encrypted)).one()
    cookie = signed_in_cookie(session, session.get(User, alpha.user_id))  # type: ignore[arg-type]
    state = await dispatch("settings", cookie, f"{CompanySsoState.get_full_name()}.load", {}, {})
    assert state.secret_stored and state.domains == "alpha.example"
    sent = str(state.dict())
    assert SECRET not in sent and encrypted not in sent
