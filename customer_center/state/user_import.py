"""The CSV import page: upload, a preview one page at a time, the import with its progress.

The parsed rows stay on the server in ``_rows``; the browser gets one page of display strings,
the counts and the progress. The import runs as a background event so the progress bar moves
while the batches are saved; the access middleware checks it like every other event.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.domain.user_csv import MAX_BYTES
from customer_center.presenters.people import builtin_role_names, import_problem_text
from customer_center.services.people import user_import
from customer_center.services.people.user_import import ImportPreview, ImportProgress, ImportRow
from customer_center.settings import get_settings
from customer_center.state.access import requires
from customer_center.state.base import PortalState, field_errors, in_transaction
from customer_center.state.paging import page_turners

MANAGE = Permission.USERS_MANAGE
PAGE_SIZE = 50
FAILED_SHOWN = 50


class UserImportState(PortalState):
    file_name: str = ""
    errors: dict[str, str] = {}
    ok_count: int = 0
    error_count: int = 0
    page: int = 0
    page_count: int = 1
    rows: list[dict[str, str]] = []
    importing: bool = False
    done: int = 0
    total: int = 0
    finished: bool = False
    invited: int = 0
    failed_count: int = 0
    failed_rows: list[dict[str, str]] = []
    _rows: list[ImportRow] = []

    @rx.var
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 0

    def _reset(self) -> None:
        self.file_name, self.errors, self._rows = "", {}, []
        self.ok_count = self.error_count = self.page = 0
        self.page_count, self.rows = 1, []
        self.done = self.total = self.invited = self.failed_count = 0
        self.finished, self.failed_rows = False, []

    def _view(self, row: ImportRow) -> dict[str, str]:
        return {
            "line": str(row.line),
            "name": row.name,
            "email": row.email,
            "language": row.language,
            "roles": row.roles,
            "ok": "1" if row.ok else "",
            "problems": "; ".join(import_problem_text(p, self.lang) for p in row.problems),
        }

    def _show_page(self, page: int) -> None:
        self.page_count = max(1, -(-len(self._rows) // PAGE_SIZE))
        self.page = min(max(page, 0), self.page_count - 1)
        start = self.page * PAGE_SIZE
        self.rows = [self._view(row) for row in self._rows[start : start + PAGE_SIZE]]

    def _show_current_page(self) -> None:
        self._show_page(self.page)

    def _show_preview(self, file_name: str, preview: ImportPreview) -> None:
        self._rows = list(preview.rows)
        self.file_name = file_name
        self.ok_count, self.error_count = preview.ok_count, preview.error_count
        self._show_page(0)

    @requires(MANAGE)
    def load(self) -> None:
        if not self.importing:
            self._reset()

    @requires(MANAGE)
    async def upload(self, files: list[rx.UploadFile]) -> None:
        if self.importing:
            return None
        self._reset()
        upload = files[0] if isinstance(files, list) and files else None
        if not isinstance(upload, rx.UploadFile):
            return None
        data = await upload.read(MAX_BYTES + 1)
        try:
            preview = await in_transaction(
                user_import.preview_import,
                self._actor(),
                csv_bytes=data,
                builtin_names=builtin_role_names,
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return None
        self._show_preview((upload.filename or "")[:200], preview)
        return None

    next_page, previous_page = page_turners(requires(MANAGE), show="_show_current_page")

    @requires(MANAGE)
    def start_over(self) -> None:
        if not self.importing:
            self._reset()

    @requires(MANAGE)
    @rx.event(background=True)
    async def run_import(self) -> None:
        actor, settings = self._actor(), get_settings()
        async with self:
            if self.importing or not self.ok_count or not self._rows:
                return
            rows, self._rows = self._rows, []
            self.importing, self.finished, self.done = True, False, 0
            self.total = total = self.ok_count
        steps = user_import.import_rows(actor, settings=settings, rows=rows)
        progress = ImportProgress(total=total)
        try:
            while (step := await asyncio.to_thread(next, steps, None)) is not None:
                progress = step
                async with self:
                    if self._still_for(actor):
                        self.done, self.invited = step.done, step.invited
        finally:
            async with self:
                if self._still_for(actor):
                    self._show_result(progress)

    def _show_result(self, progress: ImportProgress) -> None:
        self.importing, self.finished = False, True
        self.rows, self.page, self.page_count = [], 0, 1
        self.invited, self.done = progress.invited, progress.done
        self.failed_count = len(progress.failed)
        self.failed_rows = [self._view(row) for row in progress.failed[:FAILED_SHOWN]]
