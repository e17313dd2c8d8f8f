"""The signed-in user's facts for the shell, and signing out."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

import reflex as rx
from reflex.event import EventSpec
from sqlmodel import Session

from customer_center.auth.sessions import cookie_value_from_header
from customer_center.domain import routes
from customer_center.domain.next_page import sign_in_address
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import ActingAgent, CustomerUser
from customer_center.services.identity.accounts import CompanyOverview, company_overview, sign_out
from customer_center.services.orders.inbox import waiting_count
from customer_center.services.shop import cart
from customer_center.state.access import acting_principal, customer_principal, public, signed_in
from customer_center.state.acting import ActingBannerState, console_after_acting, end_acting
from customer_center.state.approvals import ApprovalsBadgeState
from customer_center.state.base import PortalState, in_transaction
from customer_center.state.cart import CartBadgeState
from customer_center.state.tab import claim_tab, forget_ended_session

SHELL_FRESH_SECONDS = 15.0


def shell_key(context: CustomerUser) -> str:
    """The principal as the shell's facts depend on it, the same in every worker (a set's
    order is not: string hashes differ between processes)."""
    agent = (
        (context.agent_id, context.acting_session_id) if isinstance(context, ActingAgent) else ()
    )
    return repr((context.user_id, context.company_id, context.session_id, context.language,
                 sorted(context.rights), agent))  # fmt: skip


@dataclass(frozen=True)
class ShellFacts:
    overview: CompanyOverview
    waiting_approvals: int
    cart_lines: int


def shell_facts(session: Session, actor: CustomerUser, permissions: frozenset[str]) -> ShellFacts:
    """What every signed-in page's shell shows, read in one transaction: the header's facts
    and the navigation's counts."""
    return ShellFacts(
        overview=company_overview(session, actor),
        waiting_approvals=waiting_count(session, actor)
        if Permission.APPROVALS_DECIDE in permissions
        else 0,
        cart_lines=cart.cart_count(session, actor)
        if Permission.ORDERS_CREATE in permissions
        else 0,
    )


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

    # The shell: the header keeps the signed-in user's facts while a page loads.
    opens_empty: ClassVar[bool] = False
    _shell_principal: str = ""  # whom the shell's facts were read for (``shell_key``)
    _shell_read_at: float = 0.0  # when (Unix time: a tab's events may reach any worker)

    @public
    async def load(self) -> EventSpec | None:
        """on_load of every signed-in page: anonymous visitors go to the sign-in page (the
        middleware has already emptied a tab whose session ended). Fills the navigation's
        counts in the same event, so opening a page costs one round trip fewer per badge."""
        context = customer_principal()
        if context is None:
            await forget_ended_session(self)
            return rx.redirect(sign_in_address(self.router.page.raw_path))
        if self._shell_shown_for(context):
            return None
        facts = await in_transaction(shell_facts, context, context.rights)
        (await self.get_state(ApprovalsBadgeState)).waiting = facts.waiting_approvals
        (await self.get_state(CartBadgeState)).count = facts.cart_lines
        overview = facts.overview
        self._use_language(context.language)
        self.user_name = overview.user_name
        self.user_email = overview.user_email
        self.company_name = overview.company_name
        self.customer_number = overview.customer_number
        self.company_street = overview.street
        self.company_city_line = f"{overview.postal_code} {overview.city}".strip()
        self.company_country = overview.country
        self.company_currency = overview.currency
        self.permissions = sorted(context.rights)
        self.is_main_contact = overview.is_main_contact
        if isinstance(context, ActingAgent):
            await (await self.get_state(ActingBannerState))._show(context)
        self._shell_principal, self._shell_read_at = shell_key(context), time.time()
        return None

    def _shell_shown_for(self, context: CustomerUser) -> bool:
        """Whether the tab shows the shell's facts of this very principal (same user, rights,
        language, session and agent), read less than ``SHELL_FRESH_SECONDS`` ago: then a
        page opened from the navigation keeps them, as a shell that stays mounted would.
        What the user changes in this tab (cart, decisions, their name) updates the shell at
        once; what others change (a new approval waiting) shows within that time."""
        fresh = time.time() - self._shell_read_at < SHELL_FRESH_SECONDS
        return fresh and self._shell_principal == shell_key(context)

    def _shell_changed(self) -> None:
        """Read the shell's facts again on the next page open."""
        self._shell_read_at = 0.0

    @public
    async def check_session(self) -> EventSpec | None:
        """Pushed by the server to a signed-in page's tab when its session may have ended
        (``state.revocation_push``): a session that ended sends the browser away (the
        middleware has emptied the tab by then), once. A visitor who never signed in on the
        tab is left to ``load``, which asks them to sign in and come back."""
        if customer_principal() is None and self._session_ended:
            await forget_ended_session(self)
            # An agent whose acting session ended (idle) returns to the console.
            address = await console_after_acting(self) or routes.AUTH_SIGNED_OUT
            return rx.call_script(f"window.location.assign('{address}')")
        return None

    @signed_in
    async def sign_out(self) -> EventSpec:
        """Revoke the session on the server at once, empty every state of the tab (it now
        belongs to nobody), then let the browser drop the cookie. An agent acting for the
        user ends acting instead (and stays signed in to the console)."""
        acting_agent = acting_principal()
        if acting_agent is not None:
            return await end_acting(acting_agent)
        cookie = cookie_value_from_header(self._header("cookie"))
        if cookie:
            await in_transaction(sign_out, cookie, self._client_ip())
        await claim_tab(self, 0)
        await forget_ended_session(self)  # this answer itself sends the browser away
        return rx.call_script(f"window.location.assign('{routes.AUTH_SIGNED_OUT}')")

    @public
    def open_start_page(self) -> EventSpec:
        """``/``: the dashboard when signed in, else the sign-in page."""
        return rx.redirect(
            routes.DASHBOARD if customer_principal() else routes.SIGN_IN, replace=True
        )
