"""A failing handler shows a translated apology and never the exception text."""

from __future__ import annotations

from customer_center.domain.principals import CustomerUser
from customer_center.state.access import current_principal
from customer_center.state.errors import unexpected_error_toast


def _toast_text(lang: str | None) -> str:
    context = CustomerUser(1, 1, frozenset(), 1, lang) if lang else None
    token = current_principal.set(context)
    try:
        spec = unexpected_error_toast(RuntimeError("password_hash column secret"))
    finally:
        current_principal.reset(token)
    return str(spec.args)


def test_the_toast_speaks_the_users_language_and_hides_the_exception() -> None:
    german = _toast_text("de")
    assert "Bei uns ist etwas schiefgegangen" in german
    assert "password_hash" not in german
    assert "Something went wrong on our side" in _toast_text(None)
