"""The order's journey in words: the stepper's steps with their moments, the shipments with
their lines and a link to the carrier's tracking page."""

from __future__ import annotations

from collections.abc import Mapping

from customer_center.domain.carriers import tracking_url
from customer_center.domain.journey_steps import APPROVAL, CURRENT, Journey, JourneyStep
from customer_center.domain.order_states import OrderStatus
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_moment


def _label(step: JourneyStep, lang: str) -> str:
    if step.code == APPROVAL and step.state == CURRENT:
        key = "rejected" if step.rejected else "waiting"
        return translate(lang, f"journey_steps.approval_{key}")
    if step.code == OrderStatus.SHIPPED and step.partial:
        return translate(lang, "orders.status.partially_shipped")
    return translate(lang, f"journey_steps.step.{step.code}")


def step_rows(journey: Journey, lang: str) -> list[dict[str, str]]:
    """One row per step: its label, state (done, current, upcoming) and moment."""
    rows = [
        {
            "code": step.code,
            "label": _label(step, lang),
            "state": step.state,
            "when": format_moment(step.when, lang) if step.when else "",
            "number": str(index),
        }
        for index, step in enumerate(journey.steps, start=1)
    ]
    if journey.end:
        rows.append(
            {
                "code": journey.end,
                "label": translate(lang, f"orders.status.{journey.end}"),
                "state": "end",
                "when": format_moment(journey.end_when, lang) if journey.end_when else "",
                "number": "",
            }
        )
    return rows


def shipment_rows(
    journey: Journey, lang: str, tracking_urls: Mapping[str, str]
) -> list[dict[str, str]]:
    """Each shipment: when, title, carrier, tracking number and its link (if known)."""
    return [
        {
            "index": str(index),
            "title": translate(
                lang,
                "journey_steps.shipment_partial" if s.partial else "journey_steps.shipment",
                number=index,
            ),
            "when": format_moment(s.when, lang),
            "carrier": s.carrier,
            "tracking": s.tracking_number,
            "href": tracking_url(s.carrier, s.tracking_number, tracking_urls),
            "all_lines": "" if s.lines else translate(lang, "journey_steps.shipment_rest"),
        }
        for index, s in enumerate(journey.shipments, start=1)
    ]


def shipment_line_rows(
    journey: Journey, names: Mapping[str, str], lang: str
) -> list[dict[str, str]]:
    """The lines of every shipment: "2 × Motor M-100 (M-100)", keyed by the shipment."""
    return [
        {
            "shipment": str(index),
            "text": translate(
                lang,
                "journey_steps.shipment_line",
                quantity=quantity,
                name=names.get(sku, sku),
                sku=sku,
            ),
        }
        for index, s in enumerate(journey.shipments, start=1)
        for sku, quantity in s.lines
    ]
