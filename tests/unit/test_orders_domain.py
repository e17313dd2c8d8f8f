"""Order rules: checkout checks, the status machine, revision differences, line changes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customer_center.domain.inputs import MAX_LINE_QUANTITY
from customer_center.domain.orders import (
    ALL_STATUSES,
    LineSnapshot,
    Revision,
    apply_line_changes,
    can_transition,
    change_errors,
    checkout_errors,
    clean_address,
    is_open,
    merge_lines,
    order_number,
    price_cents,
    revision_diff,
)

ADDRESS = {"name": "A", "street": "S 1", "postal_code": "1", "city": "C", "country": "DE"}
BOLT = LineSnapshot("BOLT", "Bolt", 10, 50)
MOTOR = LineSnapshot("MOTOR", "Motor", 2, 61_200)


def _errors(**changes: object) -> dict:
    values: dict = {
        "lines": [("BOLT", 1)],
        "delivery_address": ADDRESS,
        "billing_address": ADDRESS,
        "payment_method": "invoice",
        "shipping_method": "express",
        "reference": "",
        "comment": "",
    }
    values.update(changes)
    return checkout_errors(*values.values())


def test_order_numbers_are_padded() -> None:
    assert order_number(SimpleNamespace(id=42)) == "PO-000042"
    assert order_number(SimpleNamespace(id=12_345_678)) == "PO-12345678"


def test_a_complete_checkout_has_no_errors() -> None:
    assert _errors() == {}


@pytest.mark.parametrize(
    ("changes", "key", "code"),
    [
        ({"lines": []}, "lines", "orders.error.no_lines"),
        ({"lines": [("BOLT", 0)]}, "lines.0", "orders.error.quantity"),
        ({"lines": [("BOLT", "3")]}, "lines.0", "orders.error.quantity"),
        ({"lines": [("BOLT", True)]}, "lines.0", "orders.error.quantity"),
        (
            {"lines": [("BOLT", MAX_LINE_QUANTITY + 1)]},
            "lines.0",
            "orders.error.quantity_too_large",
        ),
        ({"lines": [(" ", 1)]}, "lines", "orders.error.sku"),
        ({"lines": [("B", 1)] * 201}, "lines", "orders.error.too_many_lines"),
        ({"payment_method": "cash"}, "payment_method", "orders.error.payment_method"),
        ({"shipping_method": None}, "shipping_method", "orders.error.shipping_method"),
        ({"reference": "r" * 101}, "reference", "form.too_long"),
        ({"comment": "c" * 2001}, "comment", "form.too_long"),
        ({"comment": 5}, "comment", "form.too_long"),
        ({"delivery_address": {**ADDRESS, "city": ""}}, "delivery_address.city", "form.required"),
        (
            {"billing_address": {**ADDRESS, "country": "D1"}},
            "billing_address.country",
            "orders.error.country",
        ),
        (
            {"billing_address": {**ADDRESS, "name": "n" * 201}},
            "billing_address.name",
            "form.too_long",
        ),
    ],
)
def test_each_problem_is_keyed_by_its_field(changes: dict, key: str, code: str) -> None:
    errors = _errors(**changes)
    assert errors[key][0] == code


def test_addresses_are_cleaned_of_extra_keys_and_spaces() -> None:
    assert clean_address({**ADDRESS, "city": " Köln ", "country": "de", "evil": "x"}) == {
        **ADDRESS,
        "city": "Köln",
    }
    assert clean_address("not a dict") == dict.fromkeys(ADDRESS, "")
    assert clean_address({"name": 5})["name"] == ""


def test_the_same_article_twice_is_one_line() -> None:
    assert merge_lines([("bolt ", 2), ("MOTOR", 1), ("BOLT", 3)]) == [("BOLT", 5), ("MOTOR", 1)]


def test_prices_in_cents_round_half_up() -> None:
    from decimal import Decimal

    assert price_cents(Decimal("612.00")) == 61_200
    assert price_cents(Decimal("0.005")) == 1


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        ("pending_approval", "approved", True),
        ("pending_approval", "rejected", True),
        ("pending_approval", "pending_approval", True),
        ("rejected", "pending_approval", True),
        ("rejected", "cancelled", True),
        ("rejected", "approved", True),
        ("approved", "sent_to_erp", True),
        ("approved", "rejected", False),
        ("approved", "pending_approval", False),
        ("cancelled", "pending_approval", False),
        ("delivered", "approved", False),
        ("sent_to_erp", "rejected", False),
    ],
)
def test_the_status_machine(current: str, new: str, allowed: bool) -> None:
    assert can_transition(current, new) is allowed


def test_nothing_leaves_cancelled_and_only_waiting_or_rejected_orders_are_open() -> None:
    assert not any(can_transition("cancelled", s) for s in ALL_STATUSES)
    assert [s for s in ALL_STATUSES if is_open(s)] == ["pending_approval", "rejected"]


def test_the_diff_names_quantity_removed_added_header_and_total() -> None:
    old = Revision((BOLT, MOTOR), {"shipping_method": "standard", "reference": "R"})
    gloves = LineSnapshot("GLOVES", "Gloves", 3, 640)
    new = Revision(
        (LineSnapshot("BOLT", "Bolt", 4, 50), gloves),
        {"shipping_method": "express", "reference": "R"},
    )
    found = revision_diff(old, new)
    assert [(d.kind, d.sku, d.before, d.after) for d in found] == [
        ("quantity", "BOLT", 10, 4),
        ("removed", "MOTOR", 2, 0),
        ("added", "GLOVES", 0, 3),
        ("shipping_method", "", "standard", "express"),
        ("total", "", 122_900, 2_120),
    ]


def test_a_revision_equal_to_the_last_has_no_difference() -> None:
    assert revision_diff(Revision((BOLT,)), Revision((BOLT,))) == []


lines_strategy = st.lists(
    st.builds(
        LineSnapshot,
        st.sampled_from(["A", "B", "C", "D", "E"]),
        st.just("n"),
        st.integers(1, 1000),
        st.integers(0, 100_000),
    ),
    max_size=5,
    unique_by=lambda line: line.sku,
)


@given(lines_strategy, lines_strategy)
def test_the_diff_accounts_for_every_line_change(old_lines, new_lines) -> None:
    """Applying the listed line differences to the old lines gives the new quantities."""
    found = revision_diff(Revision(tuple(old_lines)), Revision(tuple(new_lines)))
    quantities = {line.sku: line.quantity for line in old_lines}
    for d in found:
        if d.kind in ("quantity", "added"):
            quantities[d.sku] = d.after
        elif d.kind == "removed":
            del quantities[d.sku]
    assert quantities == {line.sku: line.quantity for line in new_lines}
    old_total = sum(line.total_cents for line in old_lines)
    new_total = sum(line.total_cents for line in new_lines)
    assert any(d.kind == "total" for d in found) == (old_total != new_total)


def test_line_changes_keep_prices_and_drop_removed_lines() -> None:
    changed = apply_line_changes((BOLT, MOTOR), {"MOTOR": 1}, {"BOLT"})
    assert changed == (LineSnapshot("MOTOR", "Motor", 1, 61_200),)


def test_a_change_must_name_lines_of_the_order_and_keep_one() -> None:
    assert change_errors((BOLT, MOTOR), {"BOLT": 3}, set()) == {}
    assert change_errors((BOLT,), {"OTHER": 1}, set())["lines"][0] == "orders.error.unknown_line"
    assert change_errors((BOLT, MOTOR), {}, {"BOLT", "MOTOR"})["lines"][0] == (
        "orders.error.remove_all"
    )
    assert change_errors((BOLT,), {"BOLT": 0}, set())["quantity.BOLT"][0] == (
        "orders.error.quantity"
    )
    assert change_errors((BOLT, MOTOR), {"BOLT": 0}, {"BOLT"}) == {}
