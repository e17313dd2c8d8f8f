"""The order domain's wording: the services hand over codes and figures, presenters and the
e-mail templates word them once, in the reader's language. No database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from customer_center.domain.budgets import LimitBreach
from customer_center.domain.order_states import EventKind, erp_event
from customer_center.domain.orders import Difference, difference_data
from customer_center.domain.timeline import TimelineEntry
from customer_center.i18n.wording import difference_words
from customer_center.integrations.mail.templates import render
from customer_center.presenters.breaches import breach_lines
from customer_center.presenters.orders import age_words, state_note
from customer_center.presenters.timeline import event_words, timeline_rows

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_a_stored_difference_reads_like_the_one_just_computed() -> None:
    change = Difference("quantity", "MOTOR-4KW", "Motor", 2, 1)
    assert difference_words(change, "en", "EUR") == "Motor: quantity 2 → 1"
    assert difference_words(difference_data(change), "en", "EUR") == "Motor: quantity 2 → 1"
    total = Difference("total", before=122_400, after=61_200)
    assert difference_words(total, "en", "EUR") == "total €1,224.00 → €612.00"


def test_timeline_entries_name_the_portal_when_nobody_acted() -> None:
    automatic = TimelineEntry(EventKind.APPROVED, NOW, data={"automatic": True, "final": True})
    approval = TimelineEntry(
        EventKind.APPROVED, NOW, actor="Carl", on_behalf_of=("Anna",), data={"level": 1}
    )
    shipped = TimelineEntry(
        erp_event("shipped"),
        NOW,
        data={"carrier": "DHL", "tracking_number": "0034"},
        seller="Hansen Antriebe",
    )
    rows = timeline_rows([automatic, approval, shipped], "en", "EUR")
    assert [row["who"] for row in rows] == ["Customer Center", "Carl", "Hansen Antriebe"]
    assert rows[0]["text"] == "approved at once: within every limit"
    assert event_words(approval, "en", "EUR") == "approved level 2 (for Anna)"
    assert rows[2]["text"] == "reports: Shipped (carrier DHL, tracking 0034)"


def test_reasons_state_and_age_in_words() -> None:
    breaches = [LimitBreach("quantity", 2, 1), LimitBreach("order_value", 122_400, 100_000)]
    assert breach_lines(breaches, "en", "EUR") == [
        "quantity 2 exceeds the per-order maximum of 1",
        "order value €1,224.00 exceeds the per-order limit of €1,000.00",
    ]
    assert state_note("pending_approval", "en") == ""
    assert state_note("approved", "en") == "This order is approved and goes to the seller."
    assert age_words(NOW - timedelta(days=3, hours=2), NOW, "en") == "3 d"
    assert age_words(NOW - timedelta(minutes=5), NOW, "en") == "just now"


def test_the_change_mail_words_the_differences_and_the_total() -> None:
    mail = render(
        "en",
        "order_changed",
        link="https://portal.example/orders/7",
        name="Ben",
        by="Anna",
        number="PO-000007",
        total_cents=61_200,
        currency="EUR",
        differences=[difference_data(Difference("quantity", "M", "Motor", 2, 1))],
    )
    assert "Anna changed your order PO-000007: Motor: quantity 2 → 1." in mail.text
    assert "The new total is €612.00." in mail.text


def test_the_shipping_mail_names_carrier_and_tracking_only_when_known() -> None:
    params = {"name": "Ben", "number": "PO-000007", "reference": "—"}
    known = render("en", "order_shipped", link="x", carrier="DHL", tracking_number="", **params)
    unknown = render("en", "order_shipped", link="x", carrier="", tracking_number="", **params)
    assert "is on its way. " in known.text and "DHL" in known.text
    assert "is on its way.\n" in unknown.text
