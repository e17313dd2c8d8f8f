"""The console's order pages in words: a company's order list (rows linking to the console's
journey page, not the customer's order page) and one order's journey split into the small
lists the page shows (head, lines, ERP reports, shipments, e-mails, timeline)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from customer_center.domain import routes
from customer_center.domain.order_states import EventKind
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_moment
from customer_center.i18n.wording import money
from customer_center.presenters import orders as order_words
from customer_center.presenters.seller import NOTHING, erp_report_row, line_journey_row, mail_row
from customer_center.presenters.timeline import timeline_rows
from customer_center.services.orders.lists import OrderPage, OrderRow
from customer_center.services.seller.order_journey import ErpStatusReport, OrderJourney

Rows = list[dict[str, str]]


def order_list_rows(rows: Sequence[OrderRow], company_id: int, lang: str) -> Rows:
    """The customer's order list rows, each linking to its journey in the console."""
    return [
        {**row, "href": routes.seller_order_path(company_id, int(row["id"]))}
        for row in order_words.list_rows(rows, lang)
    ]


def page_summary(page: OrderPage, lang: str) -> str:
    """ "Page 2 of 5 (112 orders)", or that there are more than the count shows."""
    key = "seller_orders.list.page_of_more" if page.more else "seller_orders.list.page_of"
    return translate(lang, key, page=page.page + 1, pages=page.page_count, total=page.total)


@dataclass
class JourneyView:
    head: dict[str, str]
    lines: Rows = field(default_factory=list)
    erp_reports: Rows = field(default_factory=list)
    shipments: Rows = field(default_factory=list)
    mails: Rows = field(default_factory=list)
    timeline: Rows = field(default_factory=list)


def journey_view(view: OrderJourney, lang: str) -> JourneyView:
    d = view.detail
    return JourneyView(
        head={
            "number": d.number,
            "status": d.status,
            "status_label": order_words.status_label(d.status, lang),
            "requester": d.requester,
            "submitted": erp_moment(d.submitted_at, lang),
            "total": money(d.total_cents, d.currency, lang),
            "reference": d.reference or NOTHING,
            "erp_order_number": d.erp_order_number or NOTHING,
        },
        lines=order_words.line_rows(d, lang),
        erp_reports=[_report_row(report, lang) for report in view.erp_reports],
        shipments=[line_journey_row(line, lang) for line in view.lines],
        mails=[mail_row(mail, lang) for mail in view.mails],
        timeline=timeline_rows(d.timeline, lang, d.currency),
    )


def _report_row(report: ErpStatusReport, lang: str) -> dict[str, str]:
    """A report as a step; the hand-over itself moves to no status the ERP named."""
    row = erp_report_row(report, lang)
    if report.kind == EventKind.ERP_SENT:
        row["moved"] = ""
    return {**row, "code": report.reported or report.status_after}


def erp_moment(value: datetime | None, lang: str) -> str:
    return format_moment(value, lang) if value else NOTHING
