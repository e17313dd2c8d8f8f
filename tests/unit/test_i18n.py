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


def test_counts_take_the_plural_form_of_each_language() -> None:
    assert translate("en", "users.invited_many", count=1) == "1 invitation is on its way."
    assert translate("en", "users.invited_many", count=3) == "3 invitations are on their way."
    assert translate("de", "users.invited_many", count=1) == "1 Einladung ist unterwegs."
    assert translate("de", "users.invited_many", count=0) == "0 Einladungen sind unterwegs."
    assert translate("en", "approvals.page_of", page=1, pages=1, total=1).endswith("· 1 order")
    reminder = translate("de", "mail.order_reminder.body", days=1, number="PO-1", total="5 €",
                         requester="Ben")  # fmt: skip
    assert "seit 1 Tag auf" in reminder
    assert "for 2 days" in translate(
        "en", "mail.order_reminder.body", days=2, number="PO-1", total="€5", requester="Ben"
    )
    # A key without forms is left as it is.
    assert translate("en", "order_list.count", count=1) == "Orders found: 1"


def test_money_is_written_as_babel_writes_it_in_every_language() -> None:
    """format_money writes from a form read off Babel's own output once per currency and
    language: the same text as Babel for every amount, sign and rounding."""
    from babel.numbers import format_currency

    from customer_center.i18n.catalog import LANGUAGES

    amounts = ["0", "0.01", "-0.01", "7", "1224", "-1224.5", "1234567.89", "-98765432.1"]
    amounts += ["0.005", "0.015", "-0.005", "999.995", "12.3456", "1000000000"]
    differ = [
        (lang, currency, amount)
        for lang in LANGUAGES
        for currency in ("EUR", "CHF", "USD", "GBP", "JPY", "KWD", "SEK", "PLN", "XYZ")
        for amount in amounts
        if format_money(Decimal(amount), currency, lang)
        != format_currency(Decimal(amount), currency, locale=lang)
    ]
    assert differ == []
