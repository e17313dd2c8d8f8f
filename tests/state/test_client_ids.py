"""Ids sent by the client become numbers only when they are plain, short numbers."""

import pytest

from customer_center.domain.inputs import parse_id as id_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [("42", 42), ("000000000007", 7), ("", None), ("-1", None), ("4.2", None), (" 4", None),
     ("1" * 13, None), ("2147483647", 2147483647), ("2147483648", None), ("²", None),
     (42, None), (None, None), (["1"], None)],
)  # fmt: skip
def test_id_number(value, expected) -> None:
    assert id_number(value) == expected
