"""Message catalogues: per language, `<lang>.json` plus one `<area>.<lang>.json` per area."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

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


def translate(lang: str, key: str, **params: object) -> str:
    text = catalog(normalize_language(lang)).get(key, key)
    return text.format(**params) if params else text
