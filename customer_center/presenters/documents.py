"""Documents from the ERP in the reader's language: rows of the documents list and of an
order's documents, the filter's choices."""

from __future__ import annotations

from collections.abc import Sequence

from customer_center.domain import routes
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_day
from customer_center.services.documents.documents import DocumentRow


def kind_label(kind: str, lang: str) -> str:
    return translate(lang, f"documents.kind.{kind}")


def document_rows(rows: Sequence[DocumentRow], lang: str) -> list[dict[str, str]]:
    return [
        {
            "number": row.number,
            "kind": row.kind,
            "kind_label": kind_label(row.kind, lang),
            "issued": format_day(row.issued_on, lang),
            "title": row.title,
            "order": row.order_number or row.erp_order_number,
            "order_href": routes.order_path(row.order_id) if row.order_id else "",
            "href": routes.document_file(row.number),
            "download_label": translate(lang, "documents.download", number=row.number),
        }
        for row in rows
    ]


def kind_choices(kinds: Sequence[str], lang: str) -> list[dict[str, str]]:
    return [{"value": kind, "label": kind_label(kind, lang)} for kind in kinds]
