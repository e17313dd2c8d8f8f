"""Acting on a customer's behalf: the console's "act as" page (staff), the company's policy
(its manager), and the banner shown on every customer page while an agent acts for a user.

The banner's handlers are ``@signed_in`` (a customer-side event): they act only when the
event's principal is an agent acting for a user, and do nothing for a customer user.
"""

from __future__ import annotations

import asyncio

from reflex.event import EventSpec

from customer_center.auth.principals import load_agent
from customer_center.domain import routes
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import parse_id
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import ActingAgent
from customer_center.domain.staff import StaffPermission
from customer_center.i18n.formatting import format_moment
from customer_center.services.seller import acting, acting_consent, acting_policy
from customer_center.settings import get_settings
from customer_center.state.access import acting_principal, requires, signed_in, staff
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.paging import page_turners
from customer_center.state.seller import go_to


class ActingConsoleState(PortalState):
    """``/seller/companies/[company_id]/act``: the policy, the company's active users and
    "Act as" per user."""

    company_id: int = 0
    company_name: str = ""
    policy: str = ""
    users: list[dict[str, str]] = []
    total: int = 0
    page: int = 0
    page_count: int = 0
    loaded: bool = False
    error: str = ""
    notice: str = ""
    _company_param: int = 0

    @staff(StaffPermission.ACT_ON_BEHALF)
    async def load(self) -> None:
        self._company_param = self._query_id("company_id") or 0
        self.page, self.error, self.notice = 0, "", ""
        await self._refresh()

    async def _refresh(self) -> None:
        try:
            view = await in_transaction(
                acting.act_page, self._agent(), company_id=self._company_param, page=self.page
            )
        except ServiceError as error:
            self.error = field_errors(error, self.lang).get("", "")
            self.users, self.loaded = [], True
            return
        self.company_id, self.company_name, self.policy = (
            view.company_id,
            view.company_name,
            view.policy,
        )
        self.users = [
            {
                "id": str(user.user_id),
                "name": user.name,
                "email": user.email,
                "may_start": "yes" if user.may_start else "",
                "consent": user.consent,
            }
            for user in view.users
        ]
        self.total, self.page, self.page_count = view.total, view.page, view.page_count
        self.loaded = True

    next_page, previous_page = page_turners(staff(StaffPermission.ACT_ON_BEHALF))

    @staff(StaffPermission.ACT_ON_BEHALF)
    async def act_as(self, user_id: str) -> EventSpec | None:
        """Open an acting session and send the browser to the customer's dashboard."""
        self.error, self.notice = "", ""
        try:
            await in_transaction(
                acting.start_acting,
                self._agent(),
                company_id=self._query_id("company_id"),
                user_id=parse_id(user_id),
            )
        except ServiceError as error:
            self.error = field_errors(error, self.lang).get("", "")
            return None
        return go_to(routes.DASHBOARD)

    @staff(StaffPermission.ACT_ON_BEHALF)
    async def request_consent(self, user_id: str) -> None:
        self.error, self.notice = "", ""
        try:
            await in_transaction(
                acting_consent.request_consent,
                self._agent(),
                company_id=self._query_id("company_id"),
                user_id=parse_id(user_id),
            )
        except ServiceError as error:
            self.error = field_errors(error, self.lang).get("", "")
            return
        self.notice = self._t("acting.console.requested")
        await self._refresh()


class SellerAccessState(PortalState):
    """``/company/seller-access``: whether the seller's agents may act for the users."""

    policy: str = ""
    errors: dict[str, str] = {}
    saved: bool = False

    @requires(Permission.COMPANY_MANAGE)
    async def load(self) -> None:
        self.policy = await in_transaction(acting_policy.company_policy, self._actor())
        self.errors, self.saved = {}, False

    @requires(Permission.COMPANY_MANAGE)
    async def save(self, form: dict) -> None:
        policy = text_field(form, "policy", 16)
        self.errors, self.saved = {}, False
        try:
            await in_transaction(acting_policy.set_company_policy, self._actor(), policy=policy)
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        self.policy, self.saved = policy, True


class ActingBannerState(PortalState):
    """The banner on every customer page while an agent acts for a user (filled by the
    shell's load)."""

    acting: bool = False
    user_name: str = ""
    company_name: str = ""
    ends_at: str = ""  # when it ends without activity, in the portal's time
    opens_empty = False

    async def _show(self, principal: ActingAgent) -> None:
        facts = await in_transaction(
            acting.banner_facts, principal, idle_minutes=get_settings().acting_idle_minutes
        )
        self.acting, self.user_name, self.company_name = True, facts.user_name, facts.company_name
        self.ends_at = format_moment(facts.ends_at, self.lang)

    @signed_in
    async def extend(self) -> None:
        principal = acting_principal()
        if principal is None:
            return
        await in_transaction(acting.extend_acting, principal)
        await self._show(principal)

    @signed_in
    async def end(self) -> EventSpec | None:
        """End acting and return to the company's page in the console."""
        principal = acting_principal()
        if principal is None:
            return None
        self.acting = False
        return await end_acting(principal)


async def end_acting(principal: ActingAgent) -> EventSpec:
    """End the agent's acting session; to the company's page in the console."""
    company_id = await in_transaction(acting.end_acting, principal)
    if company_id is None:
        return go_to(routes.SELLER_COMPANIES)
    return go_to(routes.seller_company_path(company_id))


async def console_after_acting(state: PortalState) -> str | None:
    """Where an agent's customer page goes once the acting session is over (ended or idle):
    the company's page in the console; None when the browser holds no staff sign-in."""
    agent = await asyncio.to_thread(load_agent, state._header("cookie"))
    if agent is None:
        return None
    company_id = await in_transaction(
        acting.after_acting, agent, idle_minutes=get_settings().acting_idle_minutes
    )
    if company_id is None:
        return routes.SELLER_COMPANIES
    return routes.seller_company_path(company_id)
