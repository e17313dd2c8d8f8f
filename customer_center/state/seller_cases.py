"""The seller's case queue and one case (``seller.view``, the agent's account teams only):
assignment, status, internal notes and replies to the customer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from customer_center.domain.cases import CaseStatus
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import parse_whole
from customer_center.domain.principals import SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.presenters import cases as words
from customer_center.services.cases import response_times, seller
from customer_center.services.cases.attachments import FileInfo
from customer_center.services.cases.records import CaseView
from customer_center.settings import get_settings
from customer_center.state.access import staff
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.case_uploads import clear_staged, stage_into
from customer_center.state.paging import page_turners

VIEW = StaffPermission.VIEW
VIEWS = (seller.OPEN, seller.MINE, "all")


class SellerCasesState(PortalState):
    """``/seller/cases``: open cases, mine, or all."""

    rows: list[dict[str, str]] = []
    view: str = seller.OPEN
    page: int = 0
    page_count: int = 1
    summary: str = ""
    loaded: bool = False
    period: str = str(response_times.PERIODS[1])  # days of the response times shown
    times: dict[str, str] = {}
    teams: list[dict[str, str]] = []  # the same per account team

    async def _refresh_times(self) -> None:
        found = await in_transaction(
            response_times.team_times, self._agent(), days=int(self.period)
        )
        self.times = words.team_times(found, self.lang)
        self.teams = words.team_rows(found, self.lang)

    async def _refresh(self) -> None:
        status = "" if self.view == "all" else self.view
        found = await in_transaction(seller.queue, self._agent(), status=status, page=self.page)
        self.rows = words.case_rows(found, self.lang, seller=True)
        self.page, self.page_count = found.page, found.page_count
        self.summary = words.summary(found, self.lang)
        self.loaded = True

    @staff(VIEW)
    async def load(self) -> None:
        self.page = 0
        await self._refresh()
        await self._refresh_times()

    @staff(VIEW)
    async def set_period(self, period: str) -> None:
        days = parse_whole(period, 999)
        self.period = str(days if days in response_times.PERIODS else response_times.PERIODS[1])
        await self._refresh_times()

    @staff(VIEW)
    async def set_view(self, view: str) -> None:
        self.view = view if isinstance(view, str) and view in VIEWS else seller.OPEN
        self.page = 0
        await self._refresh()

    next_page, previous_page = page_turners(staff(VIEW))


def _read(session: Any, agent: SellerAgent, *, case_id: int) -> tuple[CaseView, list]:
    view = seller.read_case(session, agent, case_id=case_id, settings=get_settings())
    case = seller.team_case(session, agent, case_id=case_id)
    return view, seller.team_agents(session, agent, case=case)


class SellerCaseState(PortalState):
    """``/seller/cases/[case_id]``."""

    head: dict[str, str] = {}
    timeline: list[dict[str, str]] = []
    agents: list[dict[str, str]] = []
    statuses: list[dict[str, str]] = []
    files: list[dict[str, str]] = []
    staged: list[dict[str, str]] = []
    _staged: list[int] = []
    _staged_files: list[FileInfo] = []
    assignee_id: str = ""
    status_choice: str = ""  # the case's status if the select offers it ("new" is not offered)
    errors: dict[str, str] = {}
    notice: str = ""
    problem: str = ""
    loaded: bool = False

    def _case_id(self) -> int:
        return self._query_id("case_id") or 0

    async def _refresh(self) -> None:
        try:
            view, agents = await in_transaction(_read, self._agent(), case_id=self._case_id())
        except ServiceError as error:
            self.head, self.timeline, self.agents, self.files = {}, [], [], []
            self.problem, self.loaded = self._t(error.code), True
            return
        self.head = words.head(view, self.lang, seller=True)
        self.timeline = words.timeline_rows(view, self.lang)
        self.files = words.file_rows(view, self.lang, seller=True)
        self.agents = [{"id": str(i), "name": name} for i, name in agents]
        names = {name: str(i) for i, name in agents}
        self.assignee_id = names.get(view.row.assignee, "")
        status = view.row.status
        self.status_choice = "" if status == CaseStatus.NEW else status
        self.statuses = [
            {"value": s.value, "label": self._t(f"cases.status.{s.value}")}
            for s in CaseStatus
            if s != CaseStatus.NEW
        ]
        self.problem, self.loaded = "", True

    @staff(VIEW)
    async def load(self) -> None:
        self.errors, self.notice = {}, ""
        clear_staged(self)
        await self._refresh()

    @staff(VIEW)
    async def attach(self, files: list[rx.UploadFile]) -> None:
        await stage_into(self, seller.stage_files, self._agent(), files, case_id=self._case_id())

    @staff(VIEW)
    async def drop_files(self) -> None:
        ids = list(self._staged)
        await in_transaction(seller.discard_files, self._agent(), case_id=self._case_id(), ids=ids)
        clear_staged(self)

    async def _write(self, fn: Callable[..., Any], done: str, **kwargs: Any) -> None:
        try:
            await in_transaction(fn, self._agent(), case_id=self._case_id(), **kwargs)
        except ServiceError as error:
            self.errors, self.notice = field_errors(error, self.lang), ""
            return
        self.errors, self.notice = {}, done
        if "files" in kwargs:
            clear_staged(self)
        await self._refresh()

    @staff(VIEW)
    async def reply(self, form: dict) -> None:
        await self._write(
            seller.reply,
            self._t("cases.sent"),
            text=text_field(form, "message", 4100),
            settings=get_settings(),
            files=list(self._staged),
        )

    @staff(VIEW)
    async def add_note(self, form: dict) -> None:
        await self._write(
            seller.add_note,
            self._t("cases.note_added"),
            text=text_field(form, "note", 4100),
            files=list(self._staged),
        )
        if "message" in self.errors:
            self.errors = {"note": self.errors["message"]}

    @staff(VIEW)
    async def set_status(self, form: dict) -> None:
        await self._write(
            seller.set_status, self._t("cases.saved"), status=text_field(form, "status", 32)
        )

    @staff(VIEW)
    async def assign(self, form: dict) -> None:
        await self._write(
            seller.assign, self._t("cases.saved"), staff_id=text_field(form, "assignee", 20)
        )
