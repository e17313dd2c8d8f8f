"""The seller's side: the shell of its pages (the staff member's facts, sign-out), signing in
at ``/seller``, the invitation page, and the staff member's own account.

Every handler here either is public (signing in, the invitation) or admits staff only
(``@staff_signed_in``, ``@staff(...)``): a customer user's session never calls them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import ClassVar
from urllib.parse import quote

import reflex as rx
from reflex.event import EventSpec

from customer_center.auth.sessions import cookie_value_from_header
from customer_center.auth.staff_sessions import STAFF_COOKIE
from customer_center.domain import routes
from customer_center.domain.errors import ServiceError
from customer_center.domain.principals import SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.services.identity.accounts import MAX_PASSWORD_INPUT
from customer_center.services.seller import sign_in, sso, staff
from customer_center.settings import get_settings
from customer_center.state.access import public, seller_principal, staff_signed_in
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.sign_in import asking_browser, sso_notice
from customer_center.state.tab import claim_tab, forget_ended_session


def home_of(agent: SellerAgent) -> str:
    """Where a signed-in staff member starts: the company search for everyone who may see
    companies (agents, and supervisors who are agents too), else the staff page for
    supervisors, else their own account."""
    if agent.may(StaffPermission.VIEW):
        return routes.SELLER_COMPANIES
    if agent.may(StaffPermission.MANAGE_STAFF):
        return routes.SELLER_STAFF
    return routes.SELLER_ACCOUNT


def go_to(address: str) -> EventSpec:
    """A full page load (a route that sets or clears the staff cookie)."""
    return rx.call_script(f"window.location.assign('{address}')")


def go_to_ticket(ticket: str) -> EventSpec:
    return go_to(f"{routes.SELLER_AUTH_COMPLETE}?ticket={quote(ticket, safe='')}")


class SellerShellState(PortalState):
    """The staff member's facts for the seller's shell: small view values only."""

    agent_name: str = ""
    agent_email: str = ""
    rights: list[str] = []
    seller_name: str = ""

    opens_empty: ClassVar[bool] = False

    @public
    async def load(self) -> EventSpec | None:
        """on_load of every signed-in seller page: anyone not signed in as staff goes to
        the seller's sign-in page (a customer's session does not count here)."""
        agent = seller_principal()
        self.seller_name = get_settings().seller_name
        if agent is None:
            await forget_ended_session(self)
            return rx.redirect(routes.SELLER)
        account = await in_transaction(sign_in.own_account, agent)
        self._use_language(agent.language)
        self.agent_name, self.agent_email = account.name, account.email
        self.rights = list(account.rights)
        return None

    @public
    def load_name(self) -> None:
        """The seller's name for the header of an anonymous seller page."""
        self.seller_name = get_settings().seller_name

    @public
    async def check_session(self) -> EventSpec | None:
        """Pushed by the server to a seller page's tab when its session may have ended
        (``state.revocation_push``): an ended session leaves at once."""
        if seller_principal() is None and self._session_ended:
            await forget_ended_session(self)
            return go_to(routes.SELLER_AUTH_SIGNED_OUT)
        return None

    @staff_signed_in
    async def sign_out(self) -> EventSpec:
        cookie = cookie_value_from_header(self._header("cookie"), STAFF_COOKIE)
        if cookie:
            await in_transaction(sign_in.staff_sign_out, cookie, self._client_ip())
        await claim_tab(self, 0)
        await forget_ended_session(self)
        return go_to(routes.SELLER_AUTH_SIGNED_OUT)


class SellerSignInState(PortalState):
    errors: dict[str, str] = {}
    busy: bool = False
    notice: str = ""
    sso_problem: str = ""
    sso_available: bool = False
    seller_name: str = ""

    @public
    def load(self) -> EventSpec | None:
        agent = seller_principal()
        if agent is not None:
            return rx.redirect(home_of(agent), replace=True)
        settings = get_settings()
        self.errors, self.busy = {}, False
        self.seller_name, self.sso_available = settings.seller_name, settings.seller_sso
        notices = {
            "signed_out": "sign_in.signed_out",
            "link": "link.invalid",
            "other_browser": "sign_in.other_browser",
        }
        self.notice = notices.get(self._query("notice"), "")
        self.sso_problem = sso_notice(self._query("notice"))
        return None

    @public
    async def continue_with_sso(self) -> EventSpec | None:
        self.errors = {}
        try:
            ticket = await in_transaction(
                sso.issue_start_ticket, get_settings(), asking_browser(self)
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return None
        return go_to(f"{routes.SELLER_SSO_START}?ticket={quote(ticket, safe='')}")

    @public
    async def submit(self, form: dict) -> AsyncIterator[EventSpec | None]:
        attempt = sign_in.StaffSignInAttempt(
            email=text_field(form, "email", 254),
            password=text_field(form, "password", MAX_PASSWORD_INPUT + 1),
            ip_address=self._client_ip(),
            browser=asking_browser(self),
        )
        self.errors, self.busy = {}, True
        yield None
        try:
            ticket = await in_transaction(sign_in.staff_sign_in, attempt)
        except ServiceError as error:
            if error.code == "sign_in.invalid":
                await in_transaction(sign_in.record_staff_sign_in_failure, attempt)
            self.errors = field_errors(error, self.lang)
            self.busy = False
            return
        yield go_to_ticket(ticket)


class SellerInvitationState(PortalState):
    errors: dict[str, str] = {}
    link_error: str = ""
    name: str = ""
    email: str = ""
    seller_name: str = ""

    @public
    async def load(self) -> None:
        self.errors, self.link_error, self.name, self.email = {}, "", "", ""
        self.seller_name = get_settings().seller_name
        try:
            invitation = await in_transaction(staff.check_invitation, self._query("token"))
        except ServiceError as error:
            self.link_error = self._t(error.code)
            return
        self.name, self.email = invitation.name, invitation.email

    @public
    async def submit(self, form: dict) -> EventSpec | None:
        self.errors = {}
        try:
            ticket = await in_transaction(
                staff.accept_invitation,
                raw_token=self._query("token"),
                password=text_field(form, "password"),
                password_repeat=text_field(form, "password_repeat"),
                browser=asking_browser(self),
                ip_address=self._client_ip(),
            )
        except ServiceError as error:
            if error.code.startswith("link."):
                self.link_error = self._t(error.code)
            self.errors = field_errors(error, self.lang)
            return None
        return go_to_ticket(ticket)


class SellerAccountState(PortalState):
    errors: dict[str, str] = {}
    saved: bool = False
    form_key: int = 0

    @staff_signed_in
    def load(self) -> None:
        self.errors, self.saved = {}, False

    @staff_signed_in
    async def change_password(self, form: dict) -> None:
        self.errors, self.saved = {}, False
        try:
            await in_transaction(
                sign_in.change_own_password,
                self._agent(),
                current=text_field(form, "current", MAX_PASSWORD_INPUT + 1),
                password=text_field(form, "password"),
                password_repeat=text_field(form, "password_repeat"),
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        self.saved = True
        self.form_key += 1  # empties the fields
