"""The one reading of untrusted values: anything goes in, a value or ``None`` comes out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Column, MetaData, String, Table, create_engine, event, insert, select

from customer_center.domain.errors import ValidationFailed
from customer_center.domain.inputs import (
    EARLIEST_DAY,
    LATEST_DAY,
    LIKE_ESCAPE,
    MAX_DB_INT,
    MAX_LINE_QUANTITY,
    MAX_MONEY,
    bounded_text,
    like_pattern,
    parse_date,
    parse_id,
    parse_money,
    parse_positive_int,
    parse_quantity,
    parse_reference,
    parse_whole,
    require,
)

# Whatever JSON can deliver, and then some: every Unicode string, numbers of any size, NaN.
anything = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.decimals(allow_nan=True),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)
PARSERS = [
    parse_id,
    parse_quantity,
    lambda v: parse_positive_int(v, 10**9),
    lambda v: parse_whole(v, 10**13),
    parse_money,
    parse_date,
    lambda v: bounded_text(v, 10),
]
ODD = ["²", "١٢", "１２", "٣", "12²", "-1", "+1", "1e3", "0x1F", "1_000", "NaN", "inf", "", " "]


@given(anything)
def test_no_parser_raises_whatever_it_is_given(value: object) -> None:
    for parse in PARSERS:
        parse(value)


@given(st.text())
def test_a_parsed_id_is_exactly_the_ascii_digits_that_were_sent(text: str) -> None:
    number = parse_id(text)
    if number is None:
        plain = text.isascii() and text.isdigit() and len(text) <= 12
        assert not plain or int(text) > MAX_DB_INT
    else:
        assert text == str(number).zfill(len(text)) and len(text) <= 12 and number <= MAX_DB_INT


@pytest.mark.parametrize(
    "value", [*ODD, "1" * 13, "2147483648", "999999999999", 42, 4.0, None, ["1"], {"id": "1"}, True]
)
def test_odd_ids_are_refused(value: object) -> None:
    assert parse_id(value) is None


@given(st.integers(min_value=1, max_value=MAX_LINE_QUANTITY))
def test_quantities_round_trip_as_numbers_and_as_text(quantity: int) -> None:
    assert parse_quantity(quantity) == quantity
    assert parse_quantity(str(quantity)) == quantity
    assert parse_quantity(f" {quantity}\n") == quantity


@pytest.mark.parametrize(
    "value",
    [*ODD, 0, -3, MAX_LINE_QUANTITY + 1, 10**30, "9" * 40, "1" * 10**6, 2.0, float("nan"), True],
)
def test_odd_quantities_are_refused(value: object) -> None:
    assert parse_quantity(value) is None


@given(st.integers(min_value=0, max_value=10**13))
def test_whole_numbers_round_trip_from_zero(number: int) -> None:
    assert parse_whole(str(number), 10**13) == number
    assert parse_whole(number, 10**13) == number
    assert parse_whole(number + 10**13 + 1, 10**13) is None
    assert parse_positive_int(str(number), 10**13) == (number or None)


@given(st.integers(min_value=0, max_value=int(MAX_MONEY * 100)))
def test_amounts_round_trip(cents: int) -> None:
    amount = Decimal(cents) / 100
    assert parse_money(f"{amount:.2f}") == amount
    assert parse_money(f"{amount:.2f}").as_tuple().exponent == -2  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", Decimal("12.00")), ("12.5", Decimal("12.50")), (" 0.07 ", Decimal("0.07"))],
)
def test_amounts_are_read_with_two_decimals(text: str, expected: Decimal) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    "text",
    [*ODD, "1.234", "-5", "1,5", "1.", ".5", "NaN", "Infinity", "99999999999", "１２.00", "12.٣"],
)
def test_odd_amounts_are_refused(text: str) -> None:
    assert parse_money(text) is None


@given(st.dates(min_value=EARLIEST_DAY, max_value=LATEST_DAY))
def test_days_round_trip(day: date) -> None:
    assert parse_date(day.isoformat()) == day


@pytest.mark.parametrize(
    "text",
    [*ODD, "2026-02-30", "20260105", "2026-W01-1", "0001-01-01", "9999-12-31", "２０２６-01-05"],
)
def test_odd_days_are_refused(text: str) -> None:
    assert parse_date(text) is None


@given(st.text(), st.integers(min_value=0, max_value=50))
def test_bounded_text_is_a_prefix(text: str, limit: int) -> None:
    assert text.startswith(bounded_text(text, limit)) and len(bounded_text(text, limit)) <= limit


def test_require_names_the_field() -> None:
    assert require(3, "quantity", "x") == 3
    with pytest.raises(ValidationFailed) as refused:
        require(None, "quantity", "shop.error.quantity", max=MAX_LINE_QUANTITY)
    assert refused.value.errors == {"quantity": ("shop.error.quantity", {"max": MAX_LINE_QUANTITY})}


# --- LIKE patterns match literally, on the database itself ---------------------------------

_engine = create_engine("sqlite://")
_table = Table("words", MetaData(), Column("word", String))


@event.listens_for(_engine, "connect")
def _case_sensitive(connection, _record) -> None:  # type: ignore[no-untyped-def]
    """Compare with Python's ``in``: SQLite's LIKE would fold ASCII letters otherwise."""
    connection.execute("PRAGMA case_sensitive_like = ON")


_table.create(_engine)


def _matches(stored: str, typed: str, where: str) -> bool:
    with _engine.begin() as connection:
        connection.execute(_table.delete())
        connection.execute(insert(_table), {"word": stored})
        query = select(_table.c.word).where(
            _table.c.word.like(like_pattern(typed, where), escape=LIKE_ESCAPE)
        )
        return connection.execute(query).first() is not None


_text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)


@given(_text, _text)
def test_like_patterns_match_the_typed_text_literally(stored: str, typed: str) -> None:
    assert _matches(stored, typed, "contains") == (typed in stored)
    assert _matches(stored, typed, "starts") == stored.startswith(typed)
    assert _matches(stored, typed, "ends") == stored.endswith(typed)


def test_a_reference_is_printable_text_within_its_length() -> None:
    assert parse_reference(" INV-2026-000001 ", 20) == "INV-2026-000001"
    for refused in ("", "   ", "INV\x00", "a\nb", "x" * 21, None, 7, ["INV-1"]):
        assert parse_reference(refused, 20) is None
