"""The e-mail templates: subject, plain text and HTML in the recipient's language, worded
from the catalogue (``mail.<template>.*``). Services hand over a template name and data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from customer_center.i18n import translate
from customer_center.i18n.formatting import format_moment
from customer_center.i18n.wording import difference_words, money


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def _worded(lang: str, params: dict[str, object]) -> dict[str, object]:
    """Figures that services hand over as data, in the recipient's words: an amount
    (``total_cents`` + ``currency``), an order's ``differences``, a shipment's carrier and
    tracking number."""
    worded = dict(params)
    currency = str(worded.get("currency") or "")
    if "total_cents" in worded:
        worded["total"] = money(int(worded.pop("total_cents")), currency, lang)  # type: ignore[call-overload]
    if "gross_cents" in worded:  # as the invoice will show it: with shipping and VAT
        gross = money(int(worded.pop("gross_cents")), currency, lang)  # type: ignore[call-overload]
        worded["total"] = translate(lang, "invoice.mail_total", net=worded["total"], gross=gross)
    if "differences" in worded:
        differences = worded.pop("differences") or []
        worded["summary"] = "; ".join(
            difference_words(d, lang, currency)
            for d in differences  # type: ignore[attr-defined]
        )
    if "carrier" in worded or "tracking_number" in worded:
        carrier, tracking = worded.pop("carrier", ""), worded.pop("tracking_number", "")
        worded["shipment"] = (
            " "
            + translate(
                lang,
                "mail.order_shipment_details",
                carrier=carrier or "—",
                tracking=tracking or "—",
            )
            if carrier or tracking
            else ""
        )
    if "acting_orders" in worded:  # the summary of an agent's acting session
        orders = [str(number) for number in worded.pop("acting_orders") or []]  # type: ignore[attr-defined]
        worded["summary"] = (
            translate(lang, "mail.acting_summary.orders", orders=", ".join(orders))
            if orders
            else translate(lang, "mail.acting_summary.nothing")
        )
    for key in ("started_at", "ended_at"):
        if isinstance(worded.get(key), datetime):
            worded[key] = format_moment(worded[key], lang)  # type: ignore[arg-type]
    return worded


def _greeting(lang: str, params: dict[str, object]) -> str:
    """ "Hello Anna Müller,": by name, never by address; "Hello," without a name."""
    name = str(params.get("name") or "").strip()
    if not name or "@" in name:
        return translate(lang, "mail.greeting_anonymous")
    return translate(lang, "mail.greeting", **{**params, "name": name})


def render(lang: str, template: str, *, link: str, **params: object) -> RenderedEmail:
    """Render ``mail.<template>.*`` messages: a greeting, body lines and one call to action."""
    params = _worded(lang, params)

    def t(part: str) -> str:
        return translate(lang, f"mail.{template}.{part}", **params)

    subject, body, action, footer = t("subject"), t("body"), t("action"), t("footer")
    greeting = _greeting(lang, params)
    text = f"{greeting}\n\n{body}\n\n{action}:\n{link}\n\n{footer}\n"
    html = (
        '<div style="font-family:Arial,sans-serif;max-width:560px;color:#1f2937">'
        f"<p>{escape(greeting)}</p><p>{escape(body)}</p>"
        f'<p><a href="{escape(link)}" style="display:inline-block;padding:10px 18px;'
        'background:#2563eb;color:#fff;border-radius:6px;text-decoration:none">'
        f"{escape(action)}</a></p>"
        f'<p style="font-size:12px;color:#6b7280">{escape(footer)}<br>{escape(link)}</p></div>'
    )
    return RenderedEmail(subject=subject, text=text, html=html)
