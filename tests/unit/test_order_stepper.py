"""The order's journey as steps: the moments the ERP reports, partial shipments with their
lines, tracking links for known carriers, the seller named in the timeline."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from customer_center.domain.carriers import (
    DEFAULT_TRACKING_URLS,
    parse_tracking_table,
    tracking_url,
)
from customer_center.domain.journey_steps import journey
from customer_center.domain.order_states import EventKind, OrderStatus, erp_event
from customer_center.domain.timeline import TimelineEntry
from customer_center.presenters.journey import shipment_line_rows, shipment_rows, step_rows
from customer_center.presenters.timeline import timeline_rows
from customer_center.services.orders.detail import order_detail
from customer_center.services.orders.erp_status import apply_updates
from customer_center.settings import get_settings
from tests.factories import make_company, make_user
from tests.journey_factory import make_order

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def _at(hour: int) -> datetime:
    return T0.replace(hour=hour)


def test_steps_of_a_partly_shipped_order() -> None:
    entries = [
        TimelineEntry(EventKind.SUBMITTED, _at(8)),
        TimelineEntry(EventKind.APPROVED, _at(9), data={"final": True}),
        TimelineEntry(EventKind.ERP_SENT, _at(10)),
        TimelineEntry(erp_event("confirmed"), _at(11)),
        TimelineEntry(
            erp_event("partially_shipped"),
            _at(14),
            data={"lines": [{"sku": "A-1", "quantity": 2}], "partial": True, "carrier": "DHL"},
        ),
    ]
    found = journey(OrderStatus.PARTIALLY_SHIPPED, entries)
    states = [(s.code, s.state, s.when) for s in found.steps]
    assert states == [
        ("placed", "done", _at(8)),
        ("approval", "done", _at(9)),
        ("sent_to_erp", "done", _at(10)),
        ("confirmed", "done", _at(11)),
        ("picked", "done", None),  # skipped by the ERP: done, no moment
        ("shipped", "current", None),
        ("in_transit", "upcoming", None),
        ("delivered", "upcoming", None),
    ]
    assert found.steps[5].partial and found.end == ""
    [shipment] = found.shipments
    assert shipment.lines == (("A-1", 2),) and shipment.partial and shipment.when == _at(14)
    rows = step_rows(found, "en")
    assert rows[5]["label"] == "Partially shipped" and rows[5]["state"] == "current"
    assert [r["label"] for r in step_rows(found, "de")][:3] == [
        "Aufgegeben",
        "Freigegeben",
        "An den Lieferanten übermittelt",
    ]


@pytest.mark.parametrize(
    ("status", "current", "label"),
    [
        (OrderStatus.PENDING_APPROVAL, "approval", "Waiting for approval"),
        (OrderStatus.REJECTED, "approval", "Rejected: waiting for a change"),
        (OrderStatus.APPROVED, "sent_to_erp", "Sent to the seller"),
    ],
)
def test_the_current_step_before_the_hand_off(status: str, current: str, label: str) -> None:
    found = journey(status, [TimelineEntry(EventKind.SUBMITTED, _at(8))])
    [step] = [s for s in found.steps if s.state == "current"]
    assert step.code == current
    [row] = [r for r in step_rows(found, "en") if r["state"] == "current"]
    assert row["label"] == label


def test_cancelled_and_returned_end_the_journey_where_it_stood() -> None:
    cancelled = journey(
        OrderStatus.CANCELLED,
        [
            TimelineEntry(EventKind.SUBMITTED, _at(8)),
            TimelineEntry(EventKind.CANCELLED, _at(12)),
        ],
    )
    assert [s.state for s in cancelled.steps] == ["done"] + ["upcoming"] * 7
    assert (cancelled.end, cancelled.end_when) == ("cancelled", _at(12))
    assert step_rows(cancelled, "en")[-1] == {
        "code": "cancelled",
        "label": "Cancelled",
        "state": "end",
        "when": step_rows(cancelled, "en")[-1]["when"],
        "number": "",
    }
    assert step_rows(cancelled, "en")[-1]["when"] != ""


def test_tracking_numbers_link_to_known_carriers_only() -> None:
    table = {
        **DEFAULT_TRACKING_URLS,
        **parse_tracking_table(
            "Acme Freight=https://acme.example/t?n={number};bad=ftp://x/{number};nonumber=https://x/"
        ),
    }
    assert set(table) == {"DHL", "UPS", "DPD", "GLS", "FEDEX", "ACMEFREIGHT"}
    assert tracking_url("dhl", "0034 0434", table).endswith("tracking-id=0034%200434")
    assert tracking_url("Fed Ex", "7777", table) == "https://www.fedex.com/fedextrack/?trknbr=7777"
    assert tracking_url("acme freight", "A/1", table) == "https://acme.example/t?n=A%2F1"
    assert tracking_url("Unknown Carrier", "1", table) == ""
    assert tracking_url("DHL", " ", table) == ""


# --- through the ERP status service and the order's detail --------------------------------


@pytest.fixture
def handed_off(db: Engine, session: Session):  # type: ignore[no-untyped-def]
    main = make_company(session, "10001", "Müller Maschinenbau GmbH")
    ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben")
    order = make_order(
        session,
        main.company_id,
        ben.id,  # type: ignore[arg-type]
        status=OrderStatus.SENT_TO_ERP,
        erp_order_number="SO-1",
        lines=(("A-100", "Motor", 5, 10_000), ("B-200", "Gear", 2, 5_000)),
    )
    return db, main, order


def test_the_detail_shows_erp_moments_shipments_and_the_seller(handed_off, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    engine, main, order = handed_off
    monkeypatch.setenv("CC_SELLER_NAME", "Hansen Antriebe")
    get_settings.cache_clear()
    try:
        outcomes = apply_updates(
            engine,
            get_settings(),
            [
                {
                    "update_id": "u1",
                    "erp_order_number": "SO-1",
                    "status": "confirmed",
                    "occurred_at": "2026-05-04T08:00:00+02:00",
                },
                {
                    "update_id": "u2",
                    "erp_order_number": "SO-1",
                    "status": "shipped",
                    "occurred_at": "2026-05-05T09:30:00Z",
                    "carrier": "UPS",
                    "tracking_number": "1Z999",
                    "lines": [{"sku": "A-100", "quantity": 3}],
                },
            ],
        )
        assert [o.status for o in outcomes] == ["confirmed", "partially_shipped"]
        with Session(engine) as session:
            detail = order_detail(session, main, order_id=order.id)
        steps = {s.code: s for s in detail.journey.steps}
        assert steps["confirmed"].when == datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
        assert steps["shipped"].state == "current" and steps["shipped"].partial
        [row] = shipment_rows(detail.journey, "en", get_settings().carrier_tracking_urls)
        assert row["href"] == "https://www.ups.com/track?tracknum=1Z999"
        assert row["title"] == "Shipment 1 (part of the order)"
        lines = shipment_line_rows(detail.journey, {"A-100": "Motor"}, "en")
        assert lines == [{"shipment": "1", "text": "3 × Motor (A-100)"}]
        words = timeline_rows(detail.timeline, "en", "EUR")
        assert words[-1]["who"] == "Hansen Antriebe"
        assert words[-1]["text"].startswith("reports: Partially shipped")
        assert "May 5, 2026" in words[-1]["when"]  # the ERP's moment, not today
    finally:
        get_settings.cache_clear()
