"""Signing in with e-mail and password; forgotten and reset passwords."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import quote

import reflex as rx
from reflex.event import EventSpec

from customer_center.auth import browser_key
from customer_center.domain import routes
from customer_center.domain.errors import ServiceError
from customer_center.domain.next_page import safe_next
from customer_center.i18n.catalog import catalog
from customer_center.services.identity import accounts, sso_sign_in
from customer_center.settings import get_settings
from customer_center.state.access import public
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field


def go_to_ticket(ticket: str, next_page: str = "") -> EventSpec:
    """Full page load through the route that turns a ticket into the HttpOnly cookie; it
    then opens ``next_page`` (checked there) or the dashboard."""
    address = f"{routes.AUTH_COMPLETE}?ticket={quote(ticket, safe='')}"
    if next_page:
        address += "&next=" + quote(next_page, safe="")
    return rx.call_script(f"window.location.assign('{address}')")


def asking_browser(state: PortalState) -> str:
    """The binding of the browser key this tab's connection carries (``""``: none). Every
    ticket a handler hands out is bound to it, so only this browser can use it."""
    return browser_key.binding_from_header(state._header("cookie"))


async def go_to_sso_start(state: PortalState, email: str, next_page: str) -> EventSpec:
    """Full page load through the route that sends this browser (and only this one) to the
    company's identity provider."""
    ticket = await in_transaction(
        sso_sign_in.issue_start_ticket, email, safe_next(next_page), asking_browser(state)
    )
    address = f"{routes.SSO_START}?ticket={quote(ticket, safe='')}"
    return rx.call_script(f"window.location.assign('{address}')")


def sso_notice(notice: str) -> str:
    """The message id of a single sign-on refusal (``sso_<reason>``), or ``""``."""
    key = "sso.notice." + notice.removeprefix("sso_")
    return key if notice.startswith("sso_") and key in catalog("en") else ""


class SignInState(PortalState):
    errors: dict[str, str] = {}
    busy: bool = False
    notice: str = ""
    sso_problem: str = ""
    # The typed address belongs to a company with single sign-on (and maybe no passwords).
    sso_offer: bool = False
    password_allowed: bool = True
    _sso_email: str = ""

    @public
    def load(self) -> None:
        self.errors = {}
        notices = {
            "signed_out": "sign_in.signed_out",
            "link": "link.invalid",
            "other_browser": "sign_in.other_browser",
        }
        self.notice = notices.get(self._query("notice"), "")
        self.sso_problem = sso_notice(self._query("notice"))

    @public
    async def check_email(self, value: str) -> None:
        """Offer "Continue with your company account" for an address in an SSO domain."""
        await self._check_email(value[:254] if isinstance(value, str) else "")

    async def _check_email(self, email: str) -> None:
        choice = await in_transaction(sso_sign_in.choice_for_email, email)
        self._sso_email = email if choice.sso else ""
        self.sso_offer, self.password_allowed = choice.sso, choice.password_allowed

    @public
    async def continue_with_sso(self) -> EventSpec | None:
        self.errors = {}
        return await self._go_to_sso()

    async def _go_to_sso(self) -> EventSpec | None:
        if not self._sso_email:
            return None
        try:
            return await go_to_sso_start(self, self._sso_email, self._query("next"))
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return None

    @public
    async def submit(self, form: dict) -> AsyncIterator[EventSpec | None]:
        attempt = accounts.SignInAttempt(
            email=text_field(form, "email", 254),
            password=text_field(form, "password", accounts.MAX_PASSWORD_INPUT + 1),
            ip_address=self._client_ip(),
            browser=asking_browser(self),
        )
        self.errors = {}
        await self._check_email(attempt.email)
        if self.sso_offer and (not self.password_allowed or not attempt.password):
            yield await self._go_to_sso()
            return
        self.busy = True
        yield None
        try:
            ticket = await in_transaction(accounts.sign_in, attempt)
        except ServiceError as error:
            if error.code == "sign_in.invalid":
                await in_transaction(accounts.record_sign_in_failure, attempt)
            self.errors = field_errors(error, self.lang)
            self.busy = False
            return
        yield go_to_ticket(ticket, safe_next(self._query("next")))


class ForgotPasswordState(PortalState):
    errors: dict[str, str] = {}
    sent: bool = False

    @public
    def load(self) -> None:
        self.errors = {}
        self.sent = False

    @public
    async def submit(self, form: dict) -> None:
        self.errors = {}
        try:
            await in_transaction(
                accounts.request_password_reset,
                get_settings(),
                email=text_field(form, "email", 254),
                ip_address=self._client_ip(),
                language=self.lang,
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        self.sent = True


class ResetPasswordState(PortalState):
    errors: dict[str, str] = {}
    link_error: str = ""
    email: str = ""

    @public
    async def load(self) -> None:
        self.errors, self.link_error, self.email = {}, "", ""
        try:
            self.email = await in_transaction(accounts.check_reset_link, self._query("token"))
        except ServiceError as error:
            self.link_error = self._t(error.code)

    @public
    async def submit(self, form: dict) -> EventSpec | None:
        self.errors = {}
        try:
            ticket = await in_transaction(
                accounts.reset_password_and_sign_in,
                raw_token=self._query("token"),
                password=text_field(form, "password"),
                password_repeat=text_field(form, "password_repeat"),
                ip_address=self._client_ip(),
                browser=asking_browser(self),
            )
        except ServiceError as error:
            if error.code.startswith("link."):
                self.link_error = self._t(error.code)
            self.errors = field_errors(error, self.lang)
            return None
        return go_to_ticket(ticket)
