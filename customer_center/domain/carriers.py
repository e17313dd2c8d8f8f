"""Carriers' tracking pages: a tracking number becomes a link when its carrier is known.

The table maps a carrier's name (as the ERP reports it, case and spaces do not matter) to a
URL pattern with ``{number}`` where the tracking number goes. Settings hold the table
(``CC_CARRIER_TRACKING_URLS``: ``NAME=URL`` pairs separated by ``;``, adding to or replacing
the defaults below).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

DEFAULT_TRACKING_URLS: dict[str, str] = {
    "DHL": "https://www.dhl.com/de-en/home/tracking/tracking-parcel.html?submit=1&tracking-id={number}",
    "UPS": "https://www.ups.com/track?tracknum={number}",
    "DPD": "https://tracking.dpd.de/status/en_US/parcel/{number}",
    "GLS": "https://gls-group.com/DE/en/parcel-tracking?match={number}",
    "FEDEX": "https://www.fedex.com/fedextrack/?trknbr={number}",
}


def carrier_key(name: str) -> str:
    """``"Fed Ex"``, ``"fedex "`` -> ``"FEDEX"``."""
    return "".join(name.split()).upper()


def parse_tracking_table(text: str) -> dict[str, str]:
    """``"DHL=https://…{number};Acme Freight=https://…?n={number}"`` as a table; pairs
    without ``{number}`` or without an https/http address are left out."""
    table: dict[str, str] = {}
    for pair in text.split(";"):
        name, _, pattern = pair.partition("=")
        pattern = pattern.strip()
        if (
            carrier_key(name)
            and "{number}" in pattern
            and pattern.startswith(("https://", "http://"))
        ):
            table[carrier_key(name)] = pattern
    return table


def tracking_url(carrier: str, number: str, table: Mapping[str, str]) -> str:
    """The carrier's tracking page of ``number``; "" when the carrier is unknown."""
    pattern = table.get(carrier_key(carrier))
    if not pattern or not number.strip():
        return ""
    return pattern.replace("{number}", quote(number.strip(), safe=""))
