import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from customer_center.i18n import translate
from customer_center.i18n.formatting import format_moment, format_money

MESSAGES = Path(__file__).resolve().parents[2] / "customer_center" / "i18n" / "messages"


def test_english_and_german_are_complete() -> None:
    en = json.loads((MESSAGES / "en.json").read_text())
    de = json.loads((MESSAGES / "de.json").read_text())
    assert set(en) == set(de)
    assert all(de[key].strip() for key in de)


def test_translate_fills_parameters_and_falls_back_to_english() -> None:
    assert "15" in translate("de", "activation.rate_limited", minutes=15)
    assert translate("fr", "sign_in.title") == "Sign in"


def test_money_and_dates_follow_the_language() -> None:
    assert format_money(Decimal("12400.5"), "EUR", "de") == "12.400,50\xa0€"
    assert format_money(Decimal("12400.5"), "EUR", "en") == "€12,400.50"
    moment = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    assert "09:00" in format_moment(moment, "de")
