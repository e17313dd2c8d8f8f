"""The browser key: a random value in an HttpOnly cookie that every browser gets with the first
page it loads, before anyone signs in.

Everything that hands a browser a way to sign in (the sign-in ticket after a password, an
activation, an invitation or a reset; the start of a single sign-on) carries the SHA-256 of
the key of the browser that asked for it, and is refused in any other browser. So nobody can
send someone a link that signs them into the sender's account (login CSRF).
"""

from __future__ import annotations

import secrets

from customer_center.auth.sessions import cookie_value_from_header
from customer_center.auth.tokens import new_token, token_hash

BROWSER_COOKIE = "cc_browser"
BROWSER_KEY_DAYS = 30
_KEY_LENGTH = 43  # new_token(): 32 random bytes, URL-safe base64


def new_browser_key() -> str:
    return new_token()


def key_from_header(cookie_header: str) -> str | None:
    """The browser key in a raw ``Cookie`` header (a websocket's), if it looks like one."""
    return usable_key(cookie_value_from_header(cookie_header, BROWSER_COOKIE))


def usable_key(raw: str | None) -> str | None:
    return raw if raw and len(raw) == _KEY_LENGTH else None


def binding_of(raw_key: str | None) -> str:
    """What a ticket stores of the browser it is for; ``""`` when the browser sent no key."""
    key = usable_key(raw_key)
    return token_hash(key) if key else ""


def same_browser(binding: object, raw_key: str | None) -> bool:
    """Does the browser that sent ``raw_key`` hold the key a ticket was bound to?"""
    presented = binding_of(raw_key)
    return (
        isinstance(binding, str)
        and bool(binding)
        and bool(presented)
        and secrets.compare_digest(binding, presented)
    )


def binding_from_header(cookie_header: str) -> str:
    """The binding of the key a connection (the websocket's ``Cookie`` header) carries."""
    return binding_of(key_from_header(cookie_header))
