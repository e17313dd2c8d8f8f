"""The customer's support cases: the list (one page in SQL), opening a case (prefilled with an
order from ``?order=``), one case with its timeline, replies and followers.

Any signed-in user may open a case and see those they opened or follow; the services decide
what else (``cases.view_company``). Vars hold the presenters' small dicts only.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import reflex as rx

from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import bounded_text, parse_id
from customer_center.domain.orders import order_number
from customer_center.domain.returns import return_number
from customer_center.presenters import cases as words
from customer_center.services.cases import customer
from customer_center.services.cases.attachments import FileInfo
from customer_center.services.cases.records import CaseView
from customer_center.settings import get_settings
from customer_center.state.access import signed_in
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.case_uploads import clear_staged, stage_into
from customer_center.state.paging import page_turners


class CasesState(PortalState):
    """``/cases``."""

    rows: list[dict[str, str]] = []
    page: int = 0
    page_count: int = 1
    summary: str = ""
    loaded: bool = False

    async def _refresh(self) -> None:
        found = await in_transaction(customer.list_cases, self._actor(), page=self.page)
        self.rows = words.case_rows(found, self.lang)
        self.page, self.page_count = found.page, found.page_count
        self.summary = words.summary(found, self.lang)
        self.loaded = True

    @signed_in
    async def load(self) -> None:
        self.page = 0
        await self._refresh()

    next_page, previous_page = page_turners(signed_in)


class CaseNewState(PortalState):
    """``/cases/new``: the form; ``?order=<id>`` links the case to one of the user's orders."""

    order_id: str = ""
    order_label: str = ""
    return_id: str = ""  # ``?return=<id>``: the case is about this return (and its order)
    errors: dict[str, str] = {}
    staged: list[dict[str, str]] = []  # the files dropped for the case: name and size
    _staged: list[int] = []
    _staged_files: list[FileInfo] = []

    @signed_in
    def load(self) -> None:
        wanted = parse_id(self._param("order"))
        self.order_id = str(wanted) if wanted else ""
        number = order_number(SimpleNamespace(id=wanted)) if wanted else ""
        self.order_label = self._t("cases.order_link", number=number) if wanted else ""
        about = parse_id(self._param("return"))
        self.return_id = str(about) if about else ""
        if about:  # checked by the service when the case is opened, like the order
            self.order_id = ""
            self.order_label = self._t("cases.return_link", number=return_number(about))
        self.errors = {}
        clear_staged(self)

    @signed_in
    async def attach(self, files: list[rx.UploadFile]) -> None:
        await stage_into(self, customer.stage_files, self._actor(), files)

    @signed_in
    async def drop_files(self) -> None:
        await in_transaction(customer.discard_files, self._actor(), ids=list(self._staged))
        clear_staged(self)

    @signed_in
    async def submit(self, form: dict) -> Any:
        try:
            case_id = await in_transaction(
                customer.open_case,
                self._actor(),
                subject=text_field(form, "subject", 300),
                category=text_field(form, "category", 32),
                description=text_field(form, "description", 4100),
                order_id=self.order_id,
                return_id=self.return_id,
                files=list(self._staged),
                settings=get_settings(),
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return None
        self.errors = {}
        clear_staged(self)
        return rx.redirect(f"/cases/{case_id}")


class CaseViewState(PortalState):
    """``/cases/[case_id]``."""

    head: dict[str, str] = {}
    timeline: list[dict[str, str]] = []
    # The follower search: what was typed, one page of matching colleagues.
    follower_query: str = ""
    colleagues: list[dict[str, str]] = []
    colleague_page: int = 0
    colleagues_more: bool = False
    files: list[dict[str, str]] = []
    staged: list[dict[str, str]] = []
    _staged: list[int] = []
    _staged_files: list[FileInfo] = []
    errors: dict[str, str] = {}
    notice: str = ""
    problem: str = ""
    loaded: bool = False

    def _case_id(self) -> int:
        return self._query_id("case_id") or 0

    async def _refresh(self) -> None:
        actor, case_id = self._actor(), self._case_id()
        try:
            view: CaseView = await in_transaction(
                customer.read_case, actor, case_id=case_id, settings=get_settings()
            )
        except ServiceError as error:
            self.head, self.timeline, self.colleagues, self.files = {}, [], [], []
            self.colleagues_more = False
            self.problem, self.loaded = self._t(error.code), True
            return
        self.head = words.head(view, self.lang)
        self.timeline = words.timeline_rows(view, self.lang)
        self.files = words.file_rows(view, self.lang)
        self.problem, self.loaded = "", True

    @signed_in
    async def load(self) -> None:
        self.errors, self.notice = {}, ""
        self.follower_query, self.colleagues, self.colleague_page = "", [], 0
        self.colleagues_more = False
        clear_staged(self)
        await self._refresh()

    @signed_in
    async def attach(self, files: list[rx.UploadFile]) -> None:
        await stage_into(self, customer.stage_files, self._actor(), files)

    @signed_in
    async def drop_files(self) -> None:
        await in_transaction(customer.discard_files, self._actor(), ids=list(self._staged))
        clear_staged(self)

    async def _write(self, fn: Callable[..., Any], done: str, **kwargs: Any) -> bool:
        try:
            await in_transaction(fn, self._actor(), case_id=self._case_id(), **kwargs)
        except ServiceError as error:
            self.errors, self.notice = field_errors(error, self.lang), ""
            return False
        self.errors, self.notice = {}, done
        await self._refresh()
        return True

    @signed_in
    async def reply(self, form: dict) -> None:
        sent = await self._write(
            customer.reply,
            self._t("cases.sent"),
            text=text_field(form, "message", 4100),
            settings=get_settings(),
            files=list(self._staged),
        )
        if sent:
            clear_staged(self)

    async def _search(self) -> None:
        found = await in_transaction(
            customer.colleagues,
            self._actor(),
            case_id=self._case_id(),
            query=self.follower_query,
            page=self.colleague_page,
        )
        self.colleagues = [{"id": str(i), "name": n, "email": e} for i, n, e in found.rows]
        self.colleague_page, self.colleagues_more = found.page, found.more

    @signed_in
    async def search_colleagues(self, query: str) -> None:
        self.follower_query, self.colleague_page = bounded_text(query, 100), 0
        try:
            await self._search()
        except ServiceError as error:
            self.colleagues, self.colleagues_more = [], False
            self.errors = field_errors(error, self.lang)

    @signed_in
    async def next_colleagues(self) -> None:
        if self.colleagues_more:
            self.colleague_page += 1
            await self._search()

    @signed_in
    async def previous_colleagues(self) -> None:
        if self.colleague_page > 0:
            self.colleague_page -= 1
            await self._search()

    @signed_in
    async def follow(self, user_id: str) -> None:
        """Add the colleague of the search's results (the service checks the id again)."""
        name = next((c["name"] for c in self.colleagues if c["id"] == user_id), "")
        added = await self._write(
            customer.add_follower, self._t("cases.follower_added", name=name), user_id=user_id
        )
        if added:  # done: the search starts afresh
            self.follower_query, self.colleagues, self.colleague_page = "", [], 0
            self.colleagues_more = False
