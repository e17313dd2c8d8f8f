"""Shopping lists in words: with whom a list is shared, its rows."""

from __future__ import annotations

from customer_center.domain.shopping_lists import Sharing, SharingChoice
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_moment
from customer_center.i18n.wording import money
from customer_center.services.shop.shopping_list_lines import ListLineView
from customer_center.services.shop.shopping_lists import ListSummary


def sharing_label(sharing: Sharing, role_name: str, lang: str) -> str:
    """ "Only you", "Shared with the company", "Shared with role Approver"."""
    if sharing is Sharing.ROLE:
        return translate(lang, "lists.sharing.role", role=role_name)
    return translate(lang, f"lists.sharing.{sharing.value or 'private'}")


def sharing_options(roles: list[tuple[int, str]], lang: str) -> list[dict[str, str]]:
    """The sharing select: private, the company, each role of the company."""
    options = [
        {"value": "private", "label": translate(lang, "lists.sharing.private")},
        {"value": "company", "label": translate(lang, "lists.sharing.company")},
    ]
    for role_id, name in roles:
        choice = SharingChoice(Sharing.ROLE, role_id)
        options.append({"value": choice.value, "label": sharing_label(Sharing.ROLE, name, lang)})
    return options


def list_row(summary: ListSummary, lang: str) -> dict[str, str]:
    return {
        "id": str(summary.id),
        "name": summary.name,
        "owner": summary.owner,
        "own": "1" if summary.is_own else "",
        "shared": "" if summary.sharing is Sharing.PRIVATE else "1",
        "sharing": sharing_label(summary.sharing, summary.role_name, lang),
        "lines": translate(lang, "lists.line_count", count=summary.line_count),
        "updated": format_moment(summary.updated_at, lang),
    }


def line_row(line: ListLineView, lang: str) -> dict[str, str]:
    price = (
        money(line.unit_price_cents, line.currency, lang)
        if line.unit_price_cents is not None
        else ""
    )
    return {
        "sku": line.sku,
        "name": line.name,
        "quantity": str(line.quantity),
        "price": price,
        "unit": translate(lang, "shop.per_unit", unit=line.unit) if line.unit else "",
        "unavailable": "" if line.available else "1",
    }
