import pytest
from hypothesis import given
from hypothesis import strategies as st

from customer_center.domain.password_policy import MIN_LENGTH, password_problem

EMAIL = "anna.mueller@mueller-maschinenbau.example"


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("", "password.blank"),
        ("            ", "password.blank"),
        ("short-pass1", "password.too_short"),
        ("x" * 257, "password.too_long"),
        (EMAIL, "password.contains_email"),
        ("my-anna.mueller-secret", "password.contains_email"),
        ("password1234", "password.common"),
        ("Qwertzuiop123", "password.common"),
        ("aaaaaaaaaaaaaa", "password.common"),
        ("abcabcabcabcabc", "password.common"),
        ("Kettle-moon-arrives-late", None),
    ],
)
def test_policy_names_the_rule_broken(password: str, problem: str | None) -> None:
    assert password_problem(password, EMAIL) == problem


@given(st.text(min_size=0, max_size=MIN_LENGTH - 1))
def test_nothing_shorter_than_the_minimum_passes(password: str) -> None:
    assert password_problem(password, EMAIL) is not None
