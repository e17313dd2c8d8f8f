"""Signing in with e-mail and password; forgotten and reset passwords."""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx

from customer_center.domain.errors import ServiceError
from customer_center.domain.next_page import safe_next
from customer_center.services import accounts
from customer_center.settings import get_settings
from customer_center.state.access import public
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field


def go_to_ticket(ticket: str, next_page: str = "") -> rx.event.EventSpec:
    """Full page load through the route that turns a ticket into the HttpOnly cookie; it
    then opens ``next_page`` (checked there) or the dashboard."""
    address = f"/auth/complete?ticket={quote(ticket, safe='')}"
    if next_page:
        address += "&next=" + quote(next_page, safe="")
    return rx.call_script(f"window.location.assign('{address}')")


class SignInState(PortalState):
    errors: dict[str, str] = {}
    busy: bool = False
    notice: str = ""

    @public
    def load(self) -> None:
        self.errors = {}
        notices = {"signed_out": "sign_in.signed_out", "link": "link.invalid"}
        self.notice = notices.get(self._query("notice"), "")

    @public
    async def submit(self, form: dict):  # type: ignore[no-untyped-def]
        attempt = accounts.SignInAttempt(
            email=text_field(form, "email", 254),
            password=text_field(form, "password", accounts.MAX_PASSWORD_INPUT + 1),
            ip_address=self._client_ip(),
        )
        self.errors = {}
        self.busy = True
        yield
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
    async def submit(self, form: dict):  # type: ignore[no-untyped-def]
        self.errors = {}
        try:
            ticket = await in_transaction(
                accounts.reset_password_and_sign_in,
                raw_token=self._query("token"),
                password=text_field(form, "password"),
                password_repeat=text_field(form, "password_repeat"),
                ip_address=self._client_ip(),
            )
        except ServiceError as error:
            if error.code.startswith("link."):
                self.link_error = self._t(error.code)
            self.errors = field_errors(error, self.lang)
            return
        return go_to_ticket(ticket)
