"""The audit log page: filters as plain strings, one page of entries as display strings.

The filter the browser sends is read by the same parser as the CSV route's query string
(:func:`filter_from_params`), so the screen and the export always show the same entries.
"""

from __future__ import annotations

from urllib.parse import urlencode

from customer_center.domain import routes
from customer_center.domain.inputs import bounded_text, parse_id
from customer_center.domain.permissions import Permission
from customer_center.presenters import audit as audit_words
from customer_center.services import audit_log
from customer_center.services.audit_log import AuditFilter, filter_from_params, filter_to_params
from customer_center.state.access import requires
from customer_center.state.base import PortalState, in_transaction
from customer_center.state.paging import page_turners

VIEW = Permission.AUDIT_VIEW
EXPORT_PATH = routes.EXPORT_AUDIT
ALL = "all"


class AuditState(PortalState):
    who: str = ALL
    who_search: str = ""
    who_options: list[dict[str, str]] = []
    who_more: bool = False
    area: str = ALL
    date_from: str = ""
    date_to: str = ""
    text: str = ""
    page: int = 0
    has_next: bool = False
    rows: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    export_href: str = EXPORT_PATH
    _who_label: str = ""

    def _filter(self) -> AuditFilter:
        return filter_from_params(
            {
                "who": "" if self.who == ALL else self.who,
                "area": "" if self.area == ALL else self.area,
                "q": self.text,
                "from": self.date_from,
                "to": self.date_to,
            }
        )

    def _show_filter(self, audit_filter: AuditFilter) -> None:
        """Put back what the parser kept: a value it dropped is not shown as if it applied."""
        f = audit_filter
        self.who = str(f.actor_user_id) if f.actor_user_id is not None else ALL
        self.area = f.area or ALL
        self.text = f.text
        self.date_from = f.date_from.isoformat() if f.date_from else ""
        self.date_to = f.date_to.isoformat() if f.date_to else ""

    async def _refresh(self) -> None:
        audit_filter = self._filter()
        self._show_filter(audit_filter)
        params = filter_to_params(audit_filter)
        self.export_href = EXPORT_PATH + ("?" + urlencode(params) if params else "")
        self.errors = {}
        start, end = audit_filter.date_from, audit_filter.date_to
        if start and end and start > end:
            self.errors = {"date_to": self._t("audit.error.date_range")}
            self.rows, self.has_next = [], False
            return
        principal = self._actor()
        page = await in_transaction(
            audit_log.audit_page, principal, audit_filter=audit_filter, page=self.page
        )
        self.rows = audit_words.page_rows(page, principal.language)
        self.page, self.has_next = page.page, page.has_next

    async def _load_who_options(self) -> None:
        limit = audit_log.USER_CHOICES
        found = await in_transaction(
            audit_log.user_choices, self._actor(), search=self.who_search, limit=limit + 1
        )
        options = [{"id": str(user_id), "label": name} for user_id, name in found[:limit]]
        self.who_more = len(found) > limit
        if self.who != ALL and all(o["id"] != self.who for o in options) and self._who_label:
            options.insert(0, {"id": self.who, "label": self._who_label})
        self.who_options = options

    @requires(VIEW)
    async def load(self) -> None:
        """Filters may come in the address (``/audit?who=5&area=budget``), like the export's."""
        params = {name: self._param(name) for name in ("who", "area", "q", "from", "to")}
        self._show_filter(filter_from_params(params))
        self.who_search, self._who_label, self.page = "", "", 0
        await self._load_who_options()
        self._who_label = next((o["label"] for o in self.who_options if o["id"] == self.who), "")
        await self._refresh()

    @requires(VIEW)
    async def search_who(self, value: str) -> None:
        self.who_search = bounded_text(value, 60)
        await self._load_who_options()

    @requires(VIEW)
    async def set_who(self, value: str) -> None:
        chosen = bounded_text(value, 12)
        self.who = chosen if parse_id(chosen) is not None else ALL
        self._who_label = next((o["label"] for o in self.who_options if o["id"] == self.who), "")
        self.page = 0
        await self._refresh()

    @requires(VIEW)
    async def set_area(self, value: str) -> None:
        self.area, self.page = bounded_text(value, 73) or ALL, 0
        await self._refresh()

    @requires(VIEW)
    async def set_date_from(self, value: str) -> None:
        self.date_from, self.page = bounded_text(value, 10), 0
        await self._refresh()

    @requires(VIEW)
    async def set_date_to(self, value: str) -> None:
        self.date_to, self.page = bounded_text(value, 10), 0
        await self._refresh()

    @requires(VIEW)
    async def set_text(self, value: str) -> None:
        self.text, self.page = bounded_text(value, 100), 0
        await self._refresh()

    @requires(VIEW)
    async def reset_filters(self) -> None:
        self.who, self.area, self.text, self.date_from, self.date_to = ALL, ALL, "", "", ""
        self.who_search, self._who_label, self.page = "", "", 0
        await self._load_who_options()
        await self._refresh()

    next_page, previous_page = page_turners(requires(VIEW), page_count=None, has_next="has_next")
