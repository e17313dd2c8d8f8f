"""The dashboard's own view: what waits for the reader, per role, and the company's account
team at the seller, when it has one."""

from __future__ import annotations

from customer_center.domain.permissions import Permission
from customer_center.models.base import utcnow
from customer_center.presenters import dashboard as words
from customer_center.presenters.staff import team_rows
from customer_center.services.dashboard.controller import controller_view
from customer_center.services.dashboard.everyone import my_day
from customer_center.services.dashboard.main_contact import company_view
from customer_center.services.identity.accounts import company_overview
from customer_center.services.seller import acting_consent
from customer_center.services.seller.teams import team_of
from customer_center.services.wiring import erp_client
from customer_center.settings import get_settings
from customer_center.state.access import signed_in
from customer_center.state.base import PortalState, in_transaction


class DashboardState(PortalState):
    team: list[dict[str, str]] = []
    seller_name: str = ""
    consent_requests: int = 0  # the seller's agents' requests to act for the user, unanswered
    # everyone
    loaded: bool = False
    open_orders: list[dict[str, str]] = []
    open_count: int = 0
    budget: dict[str, str] = {}
    waiting: dict[str, str] = {}
    unread: dict[str, str] = {}
    start_show: bool = False
    start_may: list[str] = []
    start_ask: str = ""
    start_ask_email: str = ""
    # the main contact
    is_main: bool = False
    setup: list[dict[str, str]] = []
    setup_open: int = 0
    invited: list[dict[str, str]] = []
    invited_count: int = 0
    company_waiting: list[dict[str, str]] = []
    # the controller (reports.view)
    reports: bool = False
    spend: dict[str, str] = {}
    reasons: list[dict[str, str]] = []
    over_budget_orders: int = 0

    @signed_in
    async def load(self) -> None:
        actor = self._actor()
        members = await in_transaction(team_of, actor.company_id)
        self.seller_name = get_settings().seller_name
        self.team = team_rows(members, self.lang)
        self.consent_requests = await in_transaction(acting_consent.pending_count, actor)
        await self._my_day()
        await self._main_contact()
        await self._controller()
        self.loaded = True

    async def _my_day(self) -> None:
        actor, lang, now = self._actor(), self.lang, utcnow()
        day = await in_transaction(my_day, actor)
        self.open_orders, self.open_count = words.open_orders(day, lang), day.open_count
        self.budget = words.budget_left(day, lang)
        self.waiting = words.waiting(day, lang, now)
        self.unread = words.unread(day, lang)
        first = words.first_steps(day, actor.rights, lang)
        self.start_show = bool(first["show"])
        self.start_may = list(first["may"])  # type: ignore[call-overload]
        self.start_ask, self.start_ask_email = str(first["ask"]), str(first["ask_email"])

    async def _main_contact(self) -> None:
        actor = self._actor()
        self.is_main = (await in_transaction(company_overview, actor)).is_main_contact
        if not self.is_main:
            self.setup, self.invited, self.company_waiting = [], [], []
            self.setup_open = self.invited_count = 0
            return
        view = await in_transaction(company_view, actor, erp=erp_client())
        self.setup = words.setup_steps(view, self.lang)
        self.setup_open = sum(1 for step in view.setup if not step.done)
        self.invited, self.invited_count = words.invited(view, self.lang), view.invited_count
        self.company_waiting = words.longest_waiting(view, self.lang, utcnow())

    async def _controller(self) -> None:
        actor = self._actor()
        self.reports = actor.may(Permission.REPORTS_VIEW)
        if not self.reports:
            self.spend, self.reasons, self.over_budget_orders = {}, [], 0
            return
        view = await in_transaction(controller_view, actor)
        self.spend = words.spend(view, self.lang)
        self.reasons = words.reasons(view, self.lang)
        self.over_budget_orders = view.over_budget_orders
