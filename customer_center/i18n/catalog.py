"""Message catalogues: per language, `<lang>.json` plus one `<area>.<lang>.json` per area."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from babel import Locale

from customer_center.domain.languages import DEFAULT_LANGUAGE, LANGUAGES, normalize_language

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "catalog", "normalize_language", "translate"]

_MESSAGES_DIR = Path(__file__).parent / "messages"


@lru_cache(maxsize=len(LANGUAGES))
def catalog(lang: str) -> dict[str, str]:
    """The full catalogue of ``lang``, English entries filling any gap."""
    english = _load(DEFAULT_LANGUAGE)
    if lang == DEFAULT_LANGUAGE:
        return english
    return {**english, **_load(normalize_language(lang))}


def catalog_files(lang: str) -> list[Path]:
    return [_MESSAGES_DIR / f"{lang}.json", *sorted(_MESSAGES_DIR.glob(f"*.{lang}.json"))]


def _load(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in catalog_files(lang):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


# The parameters that pick a plural form, first found first (an int, not a worded amount).
PLURAL_PARAMS = ("count", "days", "hours", "minutes", "total")


def plural_variant(lang: str, key: str, params: dict[str, object]) -> str:
    """The message id to use: ``<key>.<form>`` (CLDR plural forms through Babel: "one",
    "few", …) when the catalogue has that form for the number in ``params``, else ``key``
    (which holds the general text, the form "other")."""
    for name in PLURAL_PARAMS:
        value = params.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            form = Locale.parse(normalize_language(lang)).plural_form(abs(value))
            variant = f"{key}.{form}"  # never ".other": the key itself holds that form
            if form != "other" and variant in catalog(normalize_language(lang)):
                return variant
            return key
    return key


def translate(lang: str, key: str, **params: object) -> str:
    if params:
        key = plural_variant(lang, key, params)
    text = catalog(normalize_language(lang)).get(key, key)
    return text.format(**params) if params else text
