import json
from datetime import UTC, datetime
from decimal import Decimal

from customer_center.i18n import translate
from customer_center.i18n.catalog import catalog_files
from customer_center.i18n.formatting import format_moment, format_money


def _keys_per_file(lang: str) -> dict[str, set[str]]:
    return {
        path.name.removesuffix(f"{lang}.json"): set(json.loads(path.read_text()))
        for path in catalog_files(lang)
    }


def test_english_and_german_are_complete() -> None:
    en, de = _keys_per_file("en"), _keys_per_file("de")
    assert en == de
    assert all(translate("de", key).strip() for keys in de.values() for key in keys)


def test_no_key_is_defined_in_two_files() -> None:
    files = list(_keys_per_file("en").values())
    assert sum(len(keys) for keys in files) == len(set().union(*files))


def test_translate_fills_parameters_and_falls_back_to_english() -> None:
    assert "15" in translate("de", "activation.rate_limited", minutes=15)
    assert translate("fr", "sign_in.title") == "Sign in"


def test_money_and_dates_follow_the_language() -> None:
    assert format_money(Decimal("12400.5"), "EUR", "de") == "12.400,50\xa0€"
    assert format_money(Decimal("12400.5"), "EUR", "en") == "€12,400.50"
    moment = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    assert "09:00" in format_moment(moment, "de")
