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


def _outage_toast(lang: str, error: Exception) -> str:
    token = current_principal.set(CustomerUser(1, 1, frozenset(), 1, lang))
    try:
        return str(unexpected_error_toast(error).args)
    finally:
        current_principal.reset(token)


def test_a_database_outage_tells_the_user_nothing_was_saved_and_to_try_again() -> None:
    from sqlalchemy.exc import OperationalError

    down = OperationalError("SELECT 1", {}, Exception("connection to db.internal refused"))
    german = _outage_toast("de", down)
    assert "nichts gespeichert" in german and "noch einmal" in german
    assert "db.internal" not in german and "SELECT" not in german
    assert "nothing was saved" in _outage_toast("en", down)
    # Any other failure keeps the general apology.
    assert "Something went wrong" in _outage_toast("en", ValueError("bad"))
