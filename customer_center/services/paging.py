"""One page of a scoped select, the most recently active first (cases, returns)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select


@dataclass(frozen=True)
class Paged:
    rows: list[Any]
    total: int
    page: int  # the page shown: the one asked for, within 0 .. page_count - 1
    page_count: int


def recent_page(session: Session, query: Any, table: Any, *, page: int, per_page: int) -> Paged:
    """``query`` (a select of ``table``, already scoped by the caller) counted, then the page
    ordered by ``updated_at`` and id, newest first; a page beyond the last shows the last."""
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page_count = max(1, -(-total // per_page))
    page = min(max(page, 0), page_count - 1)
    rows = session.exec(
        query.order_by(col(table.updated_at).desc(), col(table.id).desc())
        .offset(page * per_page)
        .limit(per_page)
    ).all()
    return Paged(list(rows), total, page, page_count)
