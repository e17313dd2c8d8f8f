"""The audit log words its changes: labels instead of keys, days and moments in the reader's
format, the roles of an invited user among the first lines."""

from __future__ import annotations

from customer_center.presenters.audit import SUMMARY_LINES, _details, change_lines, field_label
from customer_center.services.audit_log import AuditNames

NAMES = AuditNames(users={7: "Clara Approver"}, roles={}, currency="EUR")


def test_the_activation_names_its_fields() -> None:
    after = {"customer_number": "10001", "main_contact": "anna@mueller.example"}
    assert change_lines(None, after, NAMES, "en") == [
        "Customer number: 10001",
        "Main contact: anna@mueller.example",
    ]
    assert change_lines(None, after, NAMES, "de")[0] == "Kundennummer: 10001"


def test_days_and_moments_read_as_dates() -> None:
    after = {"from": "2026-07-01", "until": "2026-07-14", "substitute_id": 7}
    assert change_lines(None, after, NAMES, "en") == [
        "From: Jul 1, 2026",
        "Until: Jul 14, 2026",
        "Substitute: Clara Approver",
    ]
    assert change_lines(None, after, NAMES, "de")[0] == "Von: 01.07.2026"
    moment = change_lines(None, {"reason": "2026-07-01T08:00:00+00:00"}, NAMES, "en")
    assert moment == ["Reason: Jul 1, 2026, 10:00:00\u202fAM"]  # Berlin time


def test_an_invited_user_s_roles_are_in_the_summary() -> None:
    snapshot = {
        "email": "ben@acme.example",
        "language": "de",
        "status": "invited",
        "name": "Ben Buyer",
        "roles": ["buyer", "approver"],
    }
    lines = change_lines(None, snapshot, NAMES, "en")[:SUMMARY_LINES]
    assert lines == ["Name: Ben Buyer", "Roles: Buyer, Approver", "E-mail: ben@acme.example"]


def test_a_key_without_a_label_reads_as_words() -> None:
    assert field_label("delivery_window", "en") == "Delivery window"


def test_the_details_are_worded_too() -> None:
    values = {"customer_number": "10001", "from": "2026-07-01", "levels": [{"rule": "any"}]}
    text = _details(values, NAMES, "en")
    assert text.startswith("Customer number: 10001\nFrom: Jul 1, 2026\nApproval levels: [")
    assert "customer_number" not in text and "2026-07-01" not in text
