"""Translations (English, German) and Babel formatting.

Code refers to messages by id (``"activation.title"``); :func:`translate` looks them up in the
catalogue of the requested language and falls back to English, then to the id itself.
"""

from customer_center.i18n.catalog import DEFAULT_LANGUAGE, LANGUAGES, catalog, translate

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "catalog", "translate"]
