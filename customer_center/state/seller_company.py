"""Company 360 (``/seller/companies/[company_id]``, ``seller.view``): one section at a time
(``?section=``): overview with the account team, users, setup with the route preview, open
approvals, the audit log. The state holds the section on screen only.

Every look is recorded in the company's audit log by the services; supervisors
(``seller.manage_staff``) set the account team here.
"""

from __future__ import annotations

from customer_center.domain.budgets import AmountError, parse_money
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import parse_id
from customer_center.domain.staff import StaffPermission, TeamRole
from customer_center.models.base import utcnow
from customer_center.presenters import seller as words
from customer_center.presenters.audit import page_rows
from customer_center.presenters.chains import preview_text
from customer_center.presenters.staff import team_rows
from customer_center.services.audit_log import filter_from_params
from customer_center.services.people.user_list import UserQuery
from customer_center.services.seller import (
    company_audit,
    company_orders,
    company_setup,
    company_view,
    teams,
)
from customer_center.services.seller.looks import NOT_FOUND
from customer_center.state.access import staff
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.paging import page_turners

VIEW = StaffPermission.VIEW
MANAGE = StaffPermission.MANAGE_STAFF
SECTIONS = ("overview", "users", "setup", "approvals", "audit")
MAX_AUDIT_SEARCH = 100


class SellerCompanyState(PortalState):
    company_id: str = ""
    section: str = "overview"
    not_found: str = ""
    loaded: bool = False
    head: dict[str, str] = {}
    # overview
    sign_in: list[str] = []
    tokens: list[dict[str, str]] = []
    team: list[dict[str, str]] = []
    team_choices: list[dict[str, str]] = []
    team_errors: dict[str, str] = {}
    # users, approvals, audit: one page of one list
    rows: list[dict[str, str]] = []
    page: int = 0
    page_count: int = 1
    total: int = 0
    has_next: bool = False
    audit_search: str = ""
    # setup
    budgets: list[dict[str, str]] = []
    chains: list[dict[str, str]] = []
    preview_users: list[dict[str, str]] = []
    preview_sentence: str = ""
    preview_steps: list[str] = []
    preview_errors: dict[str, str] = {}

    def _id(self) -> int:
        return parse_id(self.company_id) or 0

    async def _show(self) -> None:
        """Read the section on screen (and the company's head); "not found" for no company."""
        try:
            await self._read_section()
        except ServiceError as error:
            if error.code != NOT_FOUND:
                raise
            self.not_found, self.head = self._t(NOT_FOUND), {}
        self.loaded = True

    async def _read_section(self) -> None:
        agent, company_id = self._agent(), self._id()
        view = await in_transaction(company_view.company_overview, agent, company_id=company_id)
        self.head, self.not_found = words.overview(view, self.lang), ""
        self.rows, self.has_next = [], False
        if self.section == "overview":
            self.sign_in = words.sign_in_lines(view.sign_in, self.lang)
            self.tokens = words.token_rows(view.sign_in.scim_tokens, self.lang)
            await self._read_team()
        elif self.section == "users":
            found = await in_transaction(
                company_view.company_users,
                agent,
                company_id=company_id,
                query=UserQuery(page=self.page, page_size=20),
            )
            self.rows = words.user_rows(found, self.lang)
            self._paged(found.page.page, found.page.page_count, found.page.total)
        elif self.section == "setup":
            await self._read_setup()
        elif self.section == "approvals":
            waiting = await in_transaction(
                company_orders.open_approvals, agent, company_id=company_id, page=self.page
            )
            self.rows = words.approval_rows(waiting, self.lang, utcnow())
            self._paged(waiting.page, waiting.page_count, waiting.total)
        else:
            audit_filter = filter_from_params({"q": self.audit_search})
            log = await in_transaction(
                company_audit.company_audit_log,
                agent,
                company_id=company_id,
                audit_filter=audit_filter,
                page=self.page,
            )
            self.rows, self.page, self.has_next = page_rows(log, self.lang), log.page, log.has_next

    def _paged(self, page: int, page_count: int, total: int) -> None:
        self.page, self.page_count, self.total = page, page_count, total
        self.has_next = page + 1 < page_count

    async def _read_setup(self) -> None:
        agent, company_id = self._agent(), self._id()
        setup = await in_transaction(company_setup.company_setup, agent, company_id=company_id)
        self.budgets = words.budget_rows(setup, self.lang)
        self.chains = words.chain_rows(setup, self.lang)
        users = await in_transaction(
            company_view.company_users,
            agent,
            company_id=company_id,
            query=UserQuery(status="active", page_size=100),
        )
        self.preview_users = [
            {"id": r["id"], "name": r["name"]} for r in words.user_rows(users, self.lang)
        ]

    async def _read_team(self) -> None:
        agent = self._agent()
        members = await in_transaction(teams.company_team, agent, company_id=self._id())
        self.team = [
            {**row, "id": str(member.staff_id), "team_role": member.team_role}
            for row, member in zip(team_rows(members, self.lang), members, strict=True)
        ]
        self.team_choices = []
        if agent.may(MANAGE):
            taken = {member.staff_id for member in members}
            candidates = await in_transaction(teams.team_candidates, agent)
            self.team_choices = [
                {"id": str(c.staff_id), "name": f"{c.name} ({c.email})"}
                for c in candidates
                if c.staff_id not in taken
            ]

    @staff(VIEW)
    async def load(self) -> None:
        self.company_id = self._param("company_id")[:20]
        section = self._param("section")
        self.section = section if section in SECTIONS else "overview"
        self.page, self.audit_search, self.loaded = 0, "", False
        self.preview_sentence, self.preview_steps, self.preview_errors = "", [], {}
        self.team_errors = {}
        await self._show()

    next_page, previous_page = page_turners(
        staff(VIEW), page_count=None, has_next="has_next", show="_show"
    )

    @staff(VIEW)
    async def set_audit_search(self, value: str) -> None:
        self.audit_search = value[:MAX_AUDIT_SEARCH] if isinstance(value, str) else ""
        self.page = 0
        if self.section == "audit":
            await self._show()

    @staff(VIEW)
    async def preview(self, form: dict) -> None:
        """Who would approve an order of the amount by the chosen user, today."""
        self.preview_sentence, self.preview_steps, self.preview_errors = "", [], {}
        user_id = parse_id(text_field(form, "user_id", 20))
        if user_id is None:
            self.preview_errors = {"user_id": self._t("seller.console.pick_user")}
            return
        try:
            cents = parse_money(text_field(form, "amount", 30), self.lang)
        except AmountError as problem:
            self.preview_errors = {"amount": self._t(str(problem))}
            return
        try:
            result = await in_transaction(
                company_setup.route_preview,
                self._agent(),
                company_id=self._id(),
                user_id=user_id,
                order_value_cents=cents,
            )
        except ServiceError as error:
            self.preview_errors = field_errors(error, self.lang)
            return
        text = preview_text(result, self.lang)
        self.preview_sentence, self.preview_steps = text.sentence, text.steps

    async def _set_team(self, members: dict[int, str]) -> None:
        self.team_errors = {}
        try:
            await in_transaction(
                teams.set_account_team, self._agent(), company_id=self._id(), members=members
            )
        except ServiceError as error:
            self.team_errors = field_errors(error, self.lang)
            return
        await self._read_team()

    async def _members(self) -> dict[int, str]:
        """The team as stored now (never as an old page showed it)."""
        members = await in_transaction(teams.company_team, self._agent(), company_id=self._id())
        return {member.staff_id: member.team_role for member in members}

    @staff(MANAGE)
    async def add_team_member(self, form: dict) -> None:
        staff_id = parse_id(text_field(form, "staff_id", 20))
        role = text_field(form, "team_role", 40)
        if staff_id is None:
            self.team_errors = {"staff_id": self._t("seller.console.pick_staff")}
            return
        if role not in set(TeamRole):
            self.team_errors = {"team_role": self._t("error.invalid_input")}
            return
        await self._set_team({**(await self._members()), staff_id: role})

    @staff(MANAGE)
    async def remove_team_member(self, staff_id: str) -> None:
        members = await self._members()
        parsed = parse_id(staff_id if isinstance(staff_id, str) else "")
        if parsed is None or parsed not in members:
            return
        del members[parsed]
        await self._set_team(members)
