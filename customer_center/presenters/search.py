"""The header search's hits as links with words: what each is, where it leads."""

from __future__ import annotations

from urllib.parse import urlencode

from customer_center.domain import routes
from customer_center.i18n import translate
from customer_center.services.search import Hit, HitKind


def hit_href(hit: Hit) -> str:
    if hit.kind is HitKind.ORDER:
        return routes.order_path(int(hit.key))
    if hit.kind is HitKind.USER:
        return routes.user_path(int(hit.key))
    return f"{routes.CATALOGUE}?{urlencode({'search': hit.key})}"


def hit_row(hit: Hit, lang: str) -> dict[str, str]:
    return {
        "kind": translate(lang, f"search.kind.{hit.kind.value}"),
        "title": hit.title,
        "detail": hit.detail,
        "href": hit_href(hit),
    }
