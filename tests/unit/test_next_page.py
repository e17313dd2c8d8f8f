"""After signing in, back to the page that asked for it; never to another site."""

from __future__ import annotations

import pytest

from customer_center.domain.next_page import DEFAULT_PAGE, safe_next, sign_in_address


@pytest.mark.parametrize(
    "path", ["/orders/42", "/users?status=invited&page=2", "/approvals", "/users/7"]
)
def test_paths_inside_the_portal_are_kept(path: str) -> None:
    assert safe_next(path) == path


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "javascript:alert(1)",
        "orders/42",
        "/orders/42\r\nSet-Cookie: x=1",
        "/sign-in?next=/orders/1",
        "/auth/complete?ticket=x",
        "/" + "a" * 400,
    ],
)
def test_anything_else_goes_to_the_dashboard(value: str | None) -> None:
    assert safe_next(value) == DEFAULT_PAGE


def test_the_sign_in_address_carries_the_page_encoded() -> None:
    assert (
        sign_in_address("/orders/42?tab=timeline")
        == "/sign-in?next=%2Forders%2F42%3Ftab%3Dtimeline"
    )
    assert sign_in_address("/dashboard") == "/sign-in"
    assert sign_in_address("//evil.example") == "/sign-in"
