"""The account page's facts in the reader's words: signed-in browsers and e-mail choices."""

from __future__ import annotations

from customer_center.domain.notifications import NotificationKind
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_moment
from customer_center.services.identity.own_sessions import SessionInfo

Texts = dict[str, str]

DEVICE_ICONS = {"phone": "smartphone", "tablet": "tablet", "computer": "monitor", "": "monitor"}


def device_name(info: SessionInfo, lang: str) -> str:
    """ "Firefox on Windows", "Safari on iPhone", "Unknown browser"."""
    device = info.device
    browser = device.browser or translate(lang, "myaccount.sessions.unknown_browser")
    if not device.system:
        return browser
    return translate(lang, "myaccount.sessions.on", browser=browser, system=device.system)


def session_rows(found: list[SessionInfo], lang: str) -> list[Texts]:
    return [
        {
            "id": str(info.session_id),
            "device": device_name(info, lang),
            "icon": DEVICE_ICONS.get(info.device.kind, "monitor"),
            "address": info.ip_address or translate(lang, "myaccount.sessions.no_address"),
            "signed_in": translate(
                lang, "myaccount.sessions.signed_in", when=format_moment(info.signed_in_at, lang)
            ),
            "last_used": translate(
                lang,
                "myaccount.sessions.last_used",
                when=format_moment(info.last_used_at or info.signed_in_at, lang),
            ),
            "current": "1" if info.current else "",
        }
        for info in found
    ]


def choice_rows(choices: dict[NotificationKind, bool], lang: str) -> list[Texts]:
    return [
        {
            "kind": kind.value,
            "label": translate(lang, f"myaccount.notify.{kind.value}"),
            "hint": translate(lang, f"myaccount.notify.{kind.value}.hint"),
            "wanted": "1" if wanted else "",
        }
        for kind, wanted in choices.items()
    ]
