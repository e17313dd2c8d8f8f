"""Punchout sessions and connections in words, for the seller's console and the main contact."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from customer_center.i18n import translate
from customer_center.i18n.formatting import format_moment, format_money
from customer_center.services.punchout.connections import ConnectionView
from customer_center.services.punchout.visibility import MessageView, SessionView

PROTOCOL_NAMES = {"cxml": "cXML", "oci": "OCI"}
RAW_SHOWN = 6_000  # characters of a raw message on the page; the rest is cut with a note


def _raw(text: str, lang: str) -> str:
    if len(text) <= RAW_SHOWN:
        return text
    return text[:RAW_SHOWN] + "\n" + translate(lang, "punchout.raw_cut", shown=RAW_SHOWN)


def _transferred(data: dict, lang: str) -> tuple[str, str]:
    """(total, lines) of what went back, worded; empty when nothing went back yet."""
    if not data.get("lines"):
        return "", ""
    currency = str(data.get("currency", "EUR"))
    total = format_money(Decimal(str(data.get("total", "0"))), currency, lang)
    lines = "\n".join(
        f"{line['quantity']} × {line['sku']} {line['name']} · "
        + format_money(Decimal(str(line["price"])), currency, lang)
        for line in data["lines"]
    )
    return total, lines


def message_rows(messages: Iterable[MessageView], lang: str) -> list[dict[str, str]]:
    return [
        {
            "at": format_moment(m.at, lang),
            "kind": translate(lang, f"punchout.kind.{m.kind}"),
            "kind_key": f"punchout.kind.{m.kind}",  # to follow a language switch
            "status": str(m.status),
            "error": translate(lang, f"punchout.refusal.{m.error}") if m.error else "",
            "error_key": f"punchout.refusal.{m.error}" if m.error else "",
            "raw": _raw(m.raw, lang),
            "failed": "1" if m.status >= 400 else "",
        }
        for m in messages
    ]


def _order_request(session: SessionView) -> str:
    return next((m.raw for m in session.messages if m.kind == "order"), "")


def session_rows(sessions: Iterable[SessionView], lang: str) -> list[dict[str, str]]:
    rows = []
    for s in sessions:
        total, lines = _transferred(s.transferred, lang)
        rows.append(
            {
                "id": str(s.session_id),
                "company": s.company,
                "at": format_moment(s.at, lang),
                "connection": f"{s.connection} ({PROTOCOL_NAMES.get(s.protocol, s.protocol)})",
                "operation": s.operation,
                "user": s.user_email,
                "user_kind_key": "punchout.user_created"
                if s.user_created
                else "punchout.user_existing",
                "status": s.status,
                "status_key": f"punchout.status.{s.status}",
                "total": total,
                "lines": lines,
                "order_id": str(s.order_id or ""),
                "setup": _raw(s.setup_request, lang),
                "transfer": _raw(s.transfer_message, lang),
                "order_request": _raw(_order_request(s), lang),
            }
        )
    return rows


def connection_rows(connections: Iterable[ConnectionView], lang: str) -> list[dict[str, str]]:
    return [
        {
            "id": str(c.connection_id),
            "name": c.name,
            "protocol": PROTOCOL_NAMES.get(c.protocol, c.protocol),
            "identity": f"{c.identity_domain}: {c.identity}" if c.identity_domain else c.identity,
            "default_role": c.default_role,
            "mapping": ", ".join(f"{k} → {v}" for k, v in c.role_mapping.items())
            + (f" ({c.role_field})" if c.role_field and c.role_mapping else ""),
            "origins": " ".join(c.allowed_origins),
            "enabled_key": "punchout.enabled" if c.enabled else "punchout.disabled",
        }
        for c in connections
    ]
