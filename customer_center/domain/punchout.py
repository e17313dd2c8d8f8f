"""Punchout rules that need no database: protocols, operations, where a cart may be sent back,
the origins that may frame the catalogue, the OCI return form's fields."""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from urllib.parse import urlsplit


class Protocol(StrEnum):
    CXML = "cxml"
    OCI = "oci"


class Operation(StrEnum):
    CREATE = "create"
    EDIT = "edit"
    INSPECT = "inspect"


class SessionStatus(StrEnum):
    SET_UP = "set_up"  # the procurement system asked; the start link is not used yet
    OPEN = "open"  # the user is in the catalogue
    TRANSFERRED = "transferred"  # the cart went back to the procurement system
    ORDERED = "ordered"  # the OrderRequest that followed created an order


# The start link is used once, within a few minutes of the setup request.
START_LINK_MINUTES = 5
# A punchout session's sign-in lasts a working session, not the usual weeks.
SESSION_HOURS = 8
MAX_MESSAGE_BYTES = 512 * 1024  # a setup or order request larger than this is refused
MAX_ORIGINS = 10
MAX_ITEMS = 100  # lines of an OrderRequest or an edited cart
OCI_LONGTEXT_WIDTH = 132
_ORIGIN_RE = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$")


def same_secret(stored_hash: str, given_hash: str) -> bool:
    """Compare two secret hashes in constant time."""
    return hmac.compare_digest(stored_hash.encode("ascii"), given_hash.encode("ascii"))


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an absolute http(s) address, lower-case; ``""`` otherwise."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    default = {"http": 80, "https": 443}[parts.scheme]
    suffix = f":{port}" if port and port != default else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{suffix}"


def _bare(url: str) -> bool:
    """Only scheme, host and port: no path, query, fragment or user name."""
    parts = urlsplit(url.strip())
    return parts.path in ("", "/") and not (parts.query or parts.fragment or "@" in parts.netloc)


def parse_origins(text: str) -> tuple[list[str], list[str]]:
    """Origins typed one per line (or separated by commas/spaces): (valid, refused)."""
    valid: dict[str, None] = {}
    refused: list[str] = []
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        origin = origin_of(part)
        if origin and _ORIGIN_RE.match(origin) and _bare(part):
            valid[origin] = None
        else:
            refused.append(part[:100])
    return list(valid)[:MAX_ORIGINS], refused


def return_url_problem(url: str, allowed_origins: Iterable[str], dev_mode: bool) -> str | None:
    """Why the cart may not be sent back to ``url`` (a code), or None: it must be an address
    on one of the connection's origins, and https outside dev mode."""
    origin = origin_of(url)
    if not origin:
        return "return_url_invalid"
    if not dev_mode and not origin.startswith("https://"):
        return "return_url_not_https"
    if origin not in set(allowed_origins):
        return "return_url_origin"
    return None


_SHARED_SECRET_RE = re.compile(r"(<SharedSecret[^>]*>).*?(</SharedSecret>)", re.S | re.I)


def masked(raw: str) -> str:
    """A message as it may be shown and kept: shared secrets replaced by ``***``."""
    return _SHARED_SECRET_RE.sub(r"\1***\2", raw)


def frame_ancestors(origins: Sequence[str]) -> str:
    """The Content-Security-Policy directive that lets only ``origins`` frame our pages."""
    return "frame-ancestors " + " ".join(["'self'", *origins])


# --- role and user values -----------------------------------------------------------------


def role_values(fields: Mapping[str, str], role_field: str) -> list[str]:
    """The value(s) of the field that names the user's role (comma-separated allowed)."""
    raw = fields.get(role_field, "") if role_field else ""
    return [v.strip() for v in raw.split(",") if v.strip()][:20]


# --- the OCI return form -------------------------------------------------------------------


@dataclass(frozen=True)
class TransferLine:
    sku: str
    name: str
    description: str
    quantity: int
    unit: str
    unit_price: Decimal
    currency: str
    unspsc: str = ""
    lead_time_days: int | None = None


def oci_unit(unit: str) -> str:
    """OCI units are ISO codes of three characters at most (``PCE``, ``BOX``)."""
    return (unit or "PCE").upper()[:3]


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def oci_fields(
    lines: Sequence[TransferLine], reference: str, echo: Mapping[str, str]
) -> list[tuple[str, str]]:
    """The fields of the form posted to HOOK_URL (OCI 4.0/5.0), in order, 1-based indices."""
    fields: list[tuple[str, str]] = [(k, v) for k, v in echo.items() if v]
    for n, line in enumerate(lines, start=1):
        fields += [
            (f"NEW_ITEM-DESCRIPTION[{n}]", line.name[:40]),
            (f"NEW_ITEM-QUANTITY[{n}]", str(line.quantity)),
            (f"NEW_ITEM-UNIT[{n}]", oci_unit(line.unit)),
            (f"NEW_ITEM-PRICE[{n}]", f"{line.unit_price:.2f}"),
            (f"NEW_ITEM-PRICEUNIT[{n}]", "1"),
            (f"NEW_ITEM-CURRENCY[{n}]", line.currency),
            (f"NEW_ITEM-VENDORMAT[{n}]", line.sku[:40]),
            (f"NEW_ITEM-EXT_PRODUCT_ID[{n}]", line.sku[:40]),
            (f"NEW_ITEM-EXT_QUOTE_ID[{n}]", reference),
            (f"NEW_ITEM-MATGROUP[{n}]", line.unspsc),
        ]
        if line.lead_time_days is not None:
            fields.append((f"NEW_ITEM-LEADTIME[{n}]", str(line.lead_time_days)))
        if line.description:
            for chunk in _wrap(line.description, OCI_LONGTEXT_WIDTH):
                fields.append((f"NEW_ITEM-LONGTEXT_{n}:132[]", chunk))
    return fields


OCI_ECHO_FIELDS = ("~OkCode", "~TARGET", "~CALLER")
