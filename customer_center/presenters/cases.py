"""Support cases in the reader's language: list rows, one case's head, its timeline (worded
like an order's, by :mod:`presenters.timeline`), response times."""

from __future__ import annotations

from datetime import timedelta

from babel.dates import format_timedelta
from babel.numbers import format_decimal

from customer_center.domain import routes
from customer_center.domain.cases import CaseEntryKind
from customer_center.domain.principals import PrincipalKind
from customer_center.domain.timeline import TimelineEntry
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_moment
from customer_center.presenters.timeline import who
from customer_center.services.cases.records import CasePage, CaseRow, CaseView
from customer_center.services.cases.response_times import TeamTimes

Row = dict[str, str]


def case_rows(page: CasePage, lang: str, *, seller: bool = False) -> list[Row]:
    return [_row(row, lang, seller=seller) for row in page.rows]


def _row(row: CaseRow, lang: str, *, seller: bool) -> Row:
    return {
        "id": str(row.id),
        "number": row.number,
        "subject": row.subject,
        "category": translate(lang, f"cases.category.{row.category}"),
        "status": row.status,
        "status_label": translate(lang, f"cases.status.{row.status}"),
        "opened_by": row.opened_by,
        "company": row.company,
        "assignee": row.assignee or "–",
        "updated": format_moment(row.updated_at, lang),
        "href": routes.seller_case_path(row.id) if seller else routes.case_path(row.id),
    }


def summary(page: CasePage, lang: str) -> str:
    return translate(lang, "cases.summary", total=page.total)


def head(view: CaseView, lang: str, *, seller: bool = False) -> Row:
    row = _row(view.row, lang, seller=seller)
    return {
        **row,
        "description": view.description,
        "opened": translate(
            lang,
            "cases.opened",
            when=format_moment(view.row.created_at, lang),
            who=view.row.opened_by,
        ),
        "order": translate(lang, "cases.order_link", number=view.order_number)
        if view.order_number
        else "",
        "order_href": _order_href(view, seller=seller),
        "return": translate(lang, "cases.return_link", number=view.return_number)
        if view.return_number
        else "",
        "return_href": _return_href(view, seller=seller),
        "followers": ", ".join(view.followers),
        "first_answer": duration(view.first_answer, lang),
        "total_time": duration(view.total_time, lang),
        "open": "yes" if view.open else "",
    }


def _order_href(view: CaseView, *, seller: bool) -> str:
    if view.order_id is None:
        return ""
    if seller:
        return routes.seller_order_path(view.row.company_id, view.order_id)
    return routes.order_path(view.order_id)


def _return_href(view: CaseView, *, seller: bool) -> str:
    if view.return_id is None:
        return ""
    if seller:
        return routes.seller_return_path(view.return_id)
    return routes.return_path(view.return_id)


def duration(value: timedelta | None, lang: str) -> str:
    if value is None:
        return translate(lang, "cases.not_yet")
    return format_timedelta(value, threshold=1.5, locale=lang)


def entry_words(entry: TimelineEntry, lang: str) -> str:
    data = entry.data
    if entry.kind == CaseEntryKind.STATUS:
        status = translate(lang, f"cases.status.{data.get('after', '')}")
        return translate(lang, "cases.event.case.status", status=status)
    if entry.kind == CaseEntryKind.ASSIGNED and not data.get("name"):
        return translate(lang, "cases.event.case.unassigned")
    return translate(lang, f"cases.event.{entry.kind}", name=str(data.get("name", "")))


def entry_who(entry: TimelineEntry, lang: str) -> str:
    """The customer user; an agent acting for one (worded like an order's timeline); an
    agent of the seller answering as themself: "Eva Ernst (Seller)"."""
    if entry.actor_kind == PrincipalKind.SELLER_AGENT and not entry.actor:
        return translate(lang, "cases.who_staff", agent=entry.agent, seller=entry.seller)
    return who(entry, lang)


def timeline_rows(view: CaseView, lang: str) -> list[Row]:
    """The timeline as the order page's component shows it, oldest first."""
    with_files = {f.entry_id for f in view.files}
    return [
        {
            "entry": str(entry_id),
            "files": "yes" if entry_id in with_files else "",
            "kind": entry.kind,
            "who": entry_who(entry, lang),
            "when": format_moment(entry.when, lang),
            "text": entry_words(entry, lang),
            "body": entry.body,
        }
        for entry, entry_id in zip(view.entries, view.entry_ids, strict=True)
    ]


def file_rows(view: CaseView, lang: str, *, seller: bool = False) -> list[Row]:
    """The case's files; ``entry`` tells which timeline row each belongs to."""
    return [
        {
            "entry": str(f.entry_id),
            "name": f.name,
            "size": file_size(f.size, lang),
            "href": routes.case_file(f.id, seller=seller),
        }
        for f in view.files
    ]


def file_size(size: int, lang: str) -> str:
    """ "12 KB" (whole kilobytes, at least 1) below a megabyte, "3.4 MB" above."""
    if size < 1024 * 1024:
        kilobytes = format_decimal(max(1, -(-size // 1024)), locale=lang)
        return translate(lang, "cases.size_kb", size=kilobytes)
    megabytes = format_decimal(size / 1024 / 1024, "#,##0.#", locale=lang)
    return translate(lang, "cases.size_mb", size=megabytes)


def _time(value: timedelta | None, lang: str) -> str:
    return "–" if value is None else format_timedelta(value, threshold=1.5, locale=lang)


def team_times(found: TeamTimes, lang: str) -> Row:
    """The account teams' figures together, for the queue's header."""
    return {
        "cases": translate(lang, "cases.times.cases", count=found.cases),
        "first_median": _time(found.first_answer.median, lang),
        "first_mean": _time(found.first_answer.mean, lang),
        "first_count": translate(lang, "cases.times.answered", count=found.first_answer.count),
        "solve_median": _time(found.resolution.median, lang),
        "solve_mean": _time(found.resolution.mean, lang),
        "solve_count": translate(lang, "cases.times.solved", count=found.resolution.count),
    }


def team_rows(found: TeamTimes, lang: str) -> list[Row]:
    """One row per account team (the company it looks after)."""
    return [
        {
            "company": row.company,
            "cases": str(row.cases),
            "first_median": _time(row.first_answer.median, lang),
            "first_mean": _time(row.first_answer.mean, lang),
            "solve_median": _time(row.resolution.median, lang),
            "solve_mean": _time(row.resolution.mean, lang),
        }
        for row in found.teams
    ]
