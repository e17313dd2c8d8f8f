"""E-mail change and main-contact handover states through Reflex's real event pipeline."""

from __future__ import annotations

import itertools
import re

import pytest
from sqlmodel import Session, select

from customer_center.components.account_forms import email_change_form, handover_dialog
from customer_center.models.auth import Attempt
from customer_center.models.outbox import OutboxMessage
from customer_center.models.user import User
from customer_center.pages.confirm_links import handover_page, verify_email_page
from customer_center.state.access import Access, access_of
from customer_center.state.email_change import EmailChangeState, VerifyEmailState
from customer_center.state.handover import HandoverLinkState, HandoverState
from customer_center.state.middleware import handler_functions
from tests.factories import PASSWORD, make_company, make_user, signed_in_cookie
from tests.state.test_forged_events import dispatch

pytestmark = pytest.mark.usefixtures("db")

_tokens = itertools.count()
SIGNED_IN = Access()
PUBLIC = Access(anonymous=True)
# The user's own account: never by an agent of the seller acting for the user.
OWN_ACCOUNT = Access(own_account=True)


class Acme:
    def __init__(self, session: Session) -> None:
        self.main = make_company(session)
        self.ben = make_user(session, self.main.company_id, "ben@acme.example", ["buyer"])
        self.anna = make_user(session, self.main.company_id, "anna@acme.example", ["approver"])
        session.commit()
        self.session = session

    def cookie(self, user: User | None = None) -> str:
        return signed_in_cookie(self.session, user or self.user(self.main.user_id))

    def user(self, user_id: int) -> User:
        self.session.expire_all()
        return self.session.get(User, user_id)  # type: ignore[return-value]

    def last_link_token(self, path: str) -> str:
        mail = self.session.exec(
            select(OutboxMessage).order_by(OutboxMessage.id.desc())  # type: ignore[union-attr]
        ).first()
        assert mail is not None
        found = re.search(rf"/{path}\?token=([\w-]+)", mail.payload["text"])
        assert found is not None
        return found.group(1)


@pytest.fixture
def acme(session: Session) -> Acme:
    return Acme(session)


async def _send(cookie: str, state: type, handler: str, payload: dict, query: dict, token: str):  # type: ignore[no-untyped-def]
    return await dispatch(token, cookie, f"{state.get_full_name()}.{handler}", payload, query)


def _tab() -> str:
    return f"account-state-{next(_tokens)}"


@pytest.mark.parametrize(
    ("state", "handler", "access"),
    [
        (EmailChangeState, "load", SIGNED_IN),
        (EmailChangeState, "submit", OWN_ACCOUNT),
        (VerifyEmailState, "load", PUBLIC),
        (HandoverState, "load", SIGNED_IN),
        (HandoverState, "set_dialog_open", SIGNED_IN),
        (HandoverState, "request", OWN_ACCOUNT),
        (HandoverState, "cancel", OWN_ACCOUNT),
        (HandoverLinkState, "load", PUBLIC),
        (HandoverLinkState, "accept", OWN_ACCOUNT),
    ],
)
def test_handlers_carry_the_intended_access_rule(state, handler, access) -> None:
    assert access_of(handler_functions()[f"{state.get_full_name()}.{handler}"]) == access


def test_the_account_states_have_no_other_handlers() -> None:
    modules = {"customer_center.state.email_change", "customer_center.state.handover"}
    ours = [fn for fn in handler_functions().values() if fn.__module__ in modules]
    assert len(ours) == 9


@pytest.mark.parametrize(
    "render", [email_change_form, handover_dialog, verify_email_page, handover_page]
)
def test_the_forms_and_pages_build(render) -> None:
    assert render().render()


# --- e-mail change -----------------------------------------------------------------------


async def test_my_own_address_changes_only_after_the_link(acme) -> None:
    cookie, tab = acme.cookie(acme.ben), _tab()
    state = await _send(cookie, EmailChangeState, "load", {}, {}, tab)
    assert (state.email, state.pending, state.editable) == ("ben@acme.example", "", True)
    form = {"new_email": "Ben@New.example"}
    state = await _send(cookie, EmailChangeState, "submit", {"form": form}, {}, tab)
    assert state.errors == {}
    assert (state.sent_to, state.pending) == ("ben@new.example", "ben@new.example")
    assert acme.user(acme.ben.id).email == "ben@acme.example"

    link = {"token": acme.last_link_token("verify-email")}
    verify_tab = _tab()
    page = await _send("", VerifyEmailState, "load", {}, link, verify_tab)
    assert (page.confirmed_email, page.link_error) == ("ben@new.example", "")
    assert acme.user(acme.ben.id).email == "ben@new.example"
    page = await _send("", VerifyEmailState, "load", {}, link, verify_tab)  # reloaded
    assert page.confirmed_email == "ben@new.example"
    page = await _send("", VerifyEmailState, "load", {}, link, _tab())
    assert page.link_error == "This link has already been used. It works only once."


async def test_a_taken_address_is_explained_next_to_the_field(acme) -> None:
    cookie, tab = acme.cookie(acme.ben), _tab()
    await _send(cookie, EmailChangeState, "load", {}, {}, tab)
    form = {"new_email": "anna@acme.example"}
    state = await _send(cookie, EmailChangeState, "submit", {"form": form}, {}, tab)
    assert state.errors == {"new_email": "This address is already in use."}
    assert state.pending == ""


async def test_the_main_contact_changes_the_address_on_the_users_page(acme) -> None:
    cookie, tab, query = acme.cookie(), _tab(), {"user_id": str(acme.ben.id)}
    state = await _send(cookie, EmailChangeState, "load", {}, query, tab)
    assert (state.email, state.editable) == ("ben@acme.example", True)
    form = {"new_email": "ben@new.example"}
    state = await _send(cookie, EmailChangeState, "submit", {"form": form}, query, tab)
    assert state.sent_to == "ben@new.example"
    state = await _send(cookie, EmailChangeState, "load", {}, query, _tab())
    assert state.pending == "ben@new.example"


async def test_another_users_page_without_the_right_shows_no_form(acme) -> None:
    cookie, tab, query = acme.cookie(acme.ben), _tab(), {"user_id": str(acme.anna.id)}
    state = await _send(cookie, EmailChangeState, "load", {}, query, tab)
    assert (state.editable, state.email) == (False, "")
    assert state.problem != ""
    form = {"new_email": "anna@new.example"}
    state = await _send(cookie, EmailChangeState, "submit", {"form": form}, query, tab)
    assert "" in state.errors
    assert acme.session.exec(select(OutboxMessage)).all() == []


async def test_a_user_of_another_company_is_not_shown_nor_changed(acme, session) -> None:
    other = make_company(session, "C-2", "Other AG")
    cookie = signed_in_cookie(session, session.get(User, other.user_id))  # type: ignore[arg-type]
    tab, query = _tab(), {"user_id": str(acme.ben.id)}
    state = await _send(cookie, EmailChangeState, "load", {}, query, tab)
    assert (state.editable, state.email) == (False, "")
    assert state.problem == "This entry does not exist or is not part of your company."
    await _send(
        cookie, EmailChangeState, "submit", {"form": {"new_email": "x@y.example"}}, query, tab
    )
    assert session.exec(select(OutboxMessage)).all() == []


async def test_a_non_numeric_user_id_does_not_fall_back_to_my_own_address(acme) -> None:
    state = await _send(acme.cookie(), EmailChangeState, "load", {}, {"user_id": "abc"}, _tab())
    assert (state.editable, state.email) == (False, "")


# --- handover ------------------------------------------------------------------------------


async def test_the_main_contact_hands_over_and_the_target_accepts(acme) -> None:
    cookie, tab, query = acme.cookie(), _tab(), {"user_id": str(acme.anna.id)}
    state = await _send(cookie, HandoverState, "load", {}, query, tab)
    assert (state.can_hand_over, state.target_name, state.pending_text) == (True, "Anna", "")
    form = {"password": PASSWORD}
    state = await _send(cookie, HandoverState, "request", {"form": form}, query, tab)
    assert state.errors == {}
    assert state.notice == "We asked Anna to accept by e-mail."
    assert state.pending_text.startswith("Waiting for Anna (anna@acme.example)")

    link = {"token": acme.last_link_token("handover")}
    page = await _send("", HandoverLinkState, "load", {}, link, _tab())
    assert page.offer_text == (
        "Main hands the main-contact role of Acme GmbH over to Anna (anna@acme.example)."
    )
    assert (page.for_me, page.signed_in_now) == (False, False)

    anna, link_tab = acme.cookie(acme.anna), _tab()
    page = await _send(anna, HandoverLinkState, "load", {}, link, link_tab)
    assert page.for_me is True
    page = await _send(anna, HandoverLinkState, "accept", {}, link, link_tab)
    assert page.errors == {}
    assert page.done_text == "You are now the main contact of Acme GmbH."
    assert acme.user(acme.anna.id).is_main_contact
    assert not acme.user(acme.main.user_id).is_main_contact


async def test_a_wrong_password_is_shown_at_the_field_and_counted(acme) -> None:
    cookie, tab, query = acme.cookie(), _tab(), {"user_id": str(acme.anna.id)}
    await _send(cookie, HandoverState, "load", {}, query, tab)
    state = await _send(
        cookie, HandoverState, "request", {"form": {"password": "nope"}}, query, tab
    )
    assert state.errors == {"password": "This password is not correct."}
    assert state.pending_text == ""
    failures = acme.session.exec(select(Attempt).where(Attempt.kind == "handover_password")).all()
    assert [a.succeeded for a in failures] == [False]


async def test_cancel_clears_the_pending_handover(acme) -> None:
    cookie, tab, query = acme.cookie(), _tab(), {"user_id": str(acme.anna.id)}
    await _send(cookie, HandoverState, "load", {}, query, tab)
    await _send(cookie, HandoverState, "request", {"form": {"password": PASSWORD}}, query, tab)
    state = await _send(cookie, HandoverState, "cancel", {}, query, tab)
    assert state.pending_text == ""
    assert state.notice == "The request was withdrawn; its link no longer works."


async def test_nobody_but_the_main_contact_is_offered_the_handover(acme) -> None:
    query = {"user_id": str(acme.ben.id)}
    state = await _send(acme.cookie(acme.anna), HandoverState, "load", {}, query, _tab())
    assert state.can_hand_over is False
    own_page = {"user_id": str(acme.main.user_id)}
    state = await _send(acme.cookie(), HandoverState, "load", {}, own_page, _tab())
    assert state.can_hand_over is False


async def test_another_signed_in_user_cannot_accept(acme) -> None:
    cookie, tab, query = acme.cookie(), _tab(), {"user_id": str(acme.anna.id)}
    await _send(cookie, HandoverState, "load", {}, query, tab)
    await _send(cookie, HandoverState, "request", {"form": {"password": PASSWORD}}, query, tab)
    link, ben, link_tab = {"token": acme.last_link_token("handover")}, acme.cookie(acme.ben), _tab()
    page = await _send(ben, HandoverLinkState, "load", {}, link, link_tab)
    assert (page.for_me, page.signed_in_now) == (False, True)
    page = await _send(ben, HandoverLinkState, "accept", {}, link, link_tab)
    assert page.done_text == "" and "" in page.errors
    assert acme.user(acme.main.user_id).is_main_contact
    assert not acme.user(acme.ben.id).is_main_contact


async def test_a_bad_handover_link_is_explained(acme) -> None:
    page = await _send("", HandoverLinkState, "load", {}, {"token": "nonsense"}, _tab())
    assert page.link_error.startswith("This link is not valid.")
    assert page.offer_text == ""
