"""The quick order page: pasted or uploaded lines, checked per line, then into the cart.

The text the buyer types or pastes reaches the server with the field's changes (``text``,
bounded); "Check" and "Add to cart" parse it there and the service checks it again each time,
so a line the browser claims to be good is never taken on its word. An uploaded file is read
into the same lines, kept on the server (``_file_lines``) until the field is changed.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from customer_center.domain import order_lines
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import bounded_text
from customer_center.domain.order_lines import EnteredLine
from customer_center.domain.permissions import Permission
from customer_center.presenters.quick_order import line_row
from customer_center.services.shop import quick_order
from customer_center.services.shop.quick_order import QuickOrderCheck
from customer_center.services.wiring import erp_client
from customer_center.state.access import requires
from customer_center.state.base import PortalState, field_errors, in_transaction
from customer_center.state.cart import CartBadgeState

ORDER = Permission.ORDERS_CREATE


class QuickOrderState(PortalState):
    rows: list[dict[str, str]] = []
    ok_count: int = 0
    problem_count: int = 0
    summary: str = ""
    notice: str = ""
    errors: dict[str, str] = {}  # by field: "lines", "file", "" (the form)
    file_name: str = ""
    text: str = ""
    _file_lines: list[EnteredLine] = []

    def _clear(self) -> None:
        self.rows, self.ok_count, self.problem_count = [], 0, 0
        self.summary, self.notice, self.errors = "", "", {}

    def _show(self, check: QuickOrderCheck) -> None:
        self.rows = [line_row(line, self.lang) for line in check.lines]
        self.ok_count, self.problem_count = check.ok_count, check.problem_count
        self.summary = self._t(
            "quick_order.summary", ok=check.ok_count, problems=check.problem_count
        )

    def _lines(self) -> list[EnteredLine]:
        if self.text.strip() or not self._file_lines:
            return order_lines.parse_text(self.text)
        return list(self._file_lines)

    async def _run(self, *, add: bool) -> None:
        self._clear()
        try:
            lines = self._lines()
            if not lines:
                self.errors = {"lines": self._t("quick_order.error.empty")}
                return
            service = quick_order.add_lines if add else quick_order.check_lines
            check = await in_transaction(service, self._actor(), erp=erp_client(), lines=lines)
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        self._show(check)
        if add:
            self.notice = self._t("quick_order.added", count=check.added)
            badge = await self.get_state(CartBadgeState)
            await badge._recount(self._actor())

    @requires(ORDER)
    def load(self) -> None:
        self._clear()
        self._file_lines, self.file_name, self.text = [], "", ""

    @requires(ORDER)
    def set_text(self, value: str) -> None:
        """The field's text (typed or pasted); a file chosen before no longer counts."""
        self.text = bounded_text(value, order_lines.MAX_TEXT + 1)
        if self.text.strip():
            self._file_lines, self.file_name = [], ""

    @requires(ORDER)
    async def check(self) -> None:
        await self._run(add=False)

    @requires(ORDER)
    async def add(self) -> None:
        await self._run(add=True)

    @requires(ORDER)
    async def upload(self, files: list[rx.UploadFile]) -> None:
        self._clear()
        self._file_lines, self.file_name, self.text = [], "", ""
        upload = files[0] if isinstance(files, list) and files else None
        if not isinstance(upload, rx.UploadFile):
            return
        data = await upload.read(order_lines.MAX_FILE_BYTES + 1)
        name = (upload.filename or "")[:200]
        try:
            lines = await asyncio.to_thread(order_lines.parse_file, name, data)
            check = await in_transaction(
                quick_order.check_lines, self._actor(), erp=erp_client(), lines=lines
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return
        self._file_lines, self.file_name = lines, name
        self._show(check)
