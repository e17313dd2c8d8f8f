"""The signed-in user's facts for the shell, and signing out."""

from __future__ import annotations

import reflex as rx

from customer_center.auth.sessions import cookie_value_from_header
from customer_center.domain.next_page import sign_in_address
from customer_center.services.accounts import company_overview, sign_out
from customer_center.state.access import current_actor, public, signed_in
from customer_center.state.base import PortalState, in_transaction


class SessionState(PortalState):
    """Small view values only: never a table row."""

    user_name: str = ""
    user_email: str = ""
    company_name: str = ""
    customer_number: str = ""
    company_street: str = ""
    company_city_line: str = ""
    company_country: str = ""
    company_currency: str = ""
    permissions: list[str] = []
    is_main_contact: bool = False

    @public
    async def load(self):  # type: ignore[no-untyped-def]
        """on_load of every signed-in page: anonymous visitors go to the sign-in page."""
        context = current_actor.get()
        if context is None:
            self.reset()
            return rx.redirect(sign_in_address(self.router.page.raw_path))
        overview = await in_transaction(company_overview, context.actor)
        self._use_language(context.actor.language)
        self.user_name = overview.user_name
        self.user_email = overview.user_email
        self.company_name = overview.company_name
        self.customer_number = overview.customer_number
        self.company_street = overview.street
        self.company_city_line = f"{overview.postal_code} {overview.city}".strip()
        self.company_country = overview.country
        self.company_currency = overview.currency
        self.permissions = sorted(context.permissions)
        self.is_main_contact = overview.is_main_contact

    @public
    def check_session(self):  # type: ignore[no-untyped-def]
        """Polled by every signed-in page: a session that ended sends the browser away."""
        if current_actor.get() is None and self.user_name:
            self.reset()
            return rx.call_script("window.location.assign('/auth/signed-out')")
        return None

    @signed_in
    async def sign_out(self):  # type: ignore[no-untyped-def]
        """Revoke the session on the server at once, then let the browser drop the cookie."""
        cookie = cookie_value_from_header(self._header("cookie"))
        if cookie:
            await in_transaction(sign_out, cookie, self._client_ip())
        self.reset()
        return rx.call_script("window.location.assign('/auth/signed-out')")

    @public
    def open_start_page(self):  # type: ignore[no-untyped-def]
        """``/``: the dashboard when signed in, else the sign-in page."""
        return rx.redirect("/dashboard" if current_actor.get() else "/sign-in", replace=True)
