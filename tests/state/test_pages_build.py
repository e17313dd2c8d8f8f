"""Every registered page builds and renders: a broken var or prop fails here, before a build."""

from __future__ import annotations

import pytest

import customer_center.customer_center as portal


def _decorated_pages() -> list[tuple[str, object]]:
    return [
        (kwargs.get("route", render.__name__), render)
        for render, kwargs in portal.app._registration_context.decorated_pages
    ]


def test_the_administration_pages_are_registered() -> None:
    routes = {route for route, _render in _decorated_pages()}
    assert {"/users", "/users/new", "/users/[user_id]", "/invitation"} <= routes


@pytest.mark.parametrize(("route", "render"), _decorated_pages(), ids=lambda v: str(v))
def test_page_renders(route: str, render) -> None:
    rendered = render().render()
    assert rendered, route
