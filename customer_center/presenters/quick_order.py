"""Quick order and order again in words: a line's problem, what changed since an order."""

from __future__ import annotations

from customer_center.domain.inputs import MAX_LINE_QUANTITY
from customer_center.domain.order_lines import LineProblem
from customer_center.domain.reorder import Change, ChangeKind
from customer_center.i18n import translate
from customer_center.i18n.wording import money
from customer_center.services.shop.cart import MAX_CART_LINES
from customer_center.services.shop.quick_order import CheckedLine


def problem_text(problem: LineProblem, lang: str, sku: str = "") -> str:
    """Why one line cannot go to the cart, e.g. "No product with SKU NOPE-1 in the catalogue"."""
    return translate(
        lang,
        f"quick_order.problem.{problem.value}",
        sku=sku,
        max=MAX_LINE_QUANTITY,
        lines=MAX_CART_LINES,
    )


def line_row(line: CheckedLine, lang: str) -> dict[str, str]:
    """One checked line as display strings (never a table row)."""
    price = (
        money(line.unit_price_cents, line.currency, lang)
        if line.unit_price_cents is not None
        else ""
    )
    kind = "shop.customer_price" if line.is_customer_price else "shop.list_price"
    return {
        "line": str(line.line),
        "sku": line.sku,
        "name": line.name,
        "quantity": line.written if line.quantity is None else str(line.quantity),
        "price": price,
        "price_kind": translate(lang, kind) if price else "",
        "ok": "1" if line.ok else "",
        "problem": problem_text(line.problem, lang, line.sku) if line.problem else "",
    }


def change_text(change: Change, lang: str, currency: str) -> str:
    """One difference from the order, e.g. "BOLT-M8: price now 0.55 EUR (was 0.50 EUR)"."""
    if change.kind is ChangeKind.PRICE and change.old_cents is not None:
        return translate(
            lang,
            "reorder.change.price",
            name=change.name,
            sku=change.sku,
            old=money(change.old_cents, currency, lang),
            new=money(change.new_cents or 0, currency, lang),
        )
    return translate(lang, f"reorder.change.{change.kind.value}", name=change.name, sku=change.sku)
