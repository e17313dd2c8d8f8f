"""The audit log in words: a page's records as table rows in the reader's language, and the
CSV export's lines (neutral values: ISO timestamps in UTC, raw JSON, under a translated
header)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from customer_center.domain.csv_cells import csv_line
from customer_center.domain.languages import LANGUAGES
from customer_center.domain.permissions import permission_label_key
from customer_center.domain.principals import PrincipalKind
from customer_center.i18n import translate
from customer_center.i18n.catalog import catalog
from customer_center.i18n.formatting import format_day, format_moment, format_money
from customer_center.presenters.people import role_label
from customer_center.services.audit import AUDIT_TOKEN_KEY
from customer_center.services.audit_log import (
    ROLE_ID_KEYS,
    USER_ID_KEYS,
    AuditNames,
    AuditPage,
    AuditRecord,
)

SUMMARY_LINES = 3
# Shown first, so the summary names what matters most ("User invited": name, roles, address).
FIRST_KEYS = ("name", "roles", "email")
ROLE_LIST_KEYS = frozenset({"roles", "previous_roles"})
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# Keys whose values are codes with a label in another area's catalogue.
VALUE_LABELS = {"period": "budgets.per.", "status": "users.status."}
_VALUE_LIMIT = 80
_DETAIL_LIMIT = 4000
NOTHING = "—"


def _label(lang: str, key: str, fallback: str) -> str:
    """The catalogue's text for ``key`` if it has one; codes written by future features still
    show, as their code."""
    return catalog(lang).get(key, fallback)


def action_label(code: str, lang: str) -> str:
    return _label(lang, f"audit.action.{code}", code)


# --- the screen ------------------------------------------------------------------------------


def page_rows(page: AuditPage, lang: str) -> list[dict[str, str]]:
    return [view_row(record, page.names, lang) for record in page.records]


def view_row(record: AuditRecord, names: AuditNames, lang: str) -> dict[str, str]:
    """An entry as the table shows it: strings only, in ``lang``. The first few changed
    values are the summary; the rest waits behind "Details"."""
    lines = change_lines(record.before, record.after, names, lang)
    if record.actor_kind == PrincipalKind.SELLER_AGENT:
        sentence = seller_look_sentence(record, lang)
        lines = [sentence, *lines] if sentence else lines
    return {
        "id": str(record.id),
        "when": format_moment(record.created_at, lang),
        "who": who(record, lang),
        "action": action_label(record.action, lang),
        "action_code": record.action,
        "target": target_label(record, lang),
        "changes": "\n".join(lines[:SUMMARY_LINES]),
        "more_changes": "\n".join(lines[SUMMARY_LINES:]),
        "before": _details(record.before, names, lang),
        "after": _details(record.after, names, lang),
        "session": f"#{record.session_id}" if record.session_id is not None else "",
        "ip": record.ip_address,
    }


def who(record: AuditRecord, lang: str) -> str:
    """The user who acted; a SCIM token by its label; the seller's customer care; else the
    system."""
    if record.agent_name is not None:
        return translate(
            lang,
            "acting.agent_for",
            seller=record.seller_name,
            agent=record.agent_name,
            user=record.actor_name or f"#{record.actor_user_id}",
        )
    if record.actor_kind == PrincipalKind.CUSTOMER_USER:
        return record.actor_name or f"#{record.actor_user_id}"
    return (
        _token_actor(record, lang) or _seller_care(record, lang) or translate(lang, "audit.system")
    )


def _seller_care(record: AuditRecord, lang: str) -> str | None:
    """ "Seller's customer care": an agent of the seller looked at the company."""
    if record.actor_kind != PrincipalKind.SELLER_AGENT:
        return None
    return translate(lang, "audit.seller_care", seller=record.actor_name or "?")


def seller_look_sentence(record: AuditRecord, lang: str) -> str | None:
    """The look in one sentence, as the main contact reads it: "Seller's customer care looked
    at order PO-000123"; ``None`` for an action of the seller that is no look."""
    what = target_name(record, lang) or record.target_id
    key = f"audit.seller_look.{record.action.removeprefix('seller.')}"
    if record.target_type == "user":  # where a user's orders would go (the route preview)
        key += "_user"
    if key not in catalog(lang):
        return None
    return translate(lang, key, seller=record.actor_name or "?", what=what)


def _token_actor(record: AuditRecord, lang: str) -> str | None:
    """ "SCIM token Okta" for a change that came through the provisioning endpoint."""
    if record.actor_kind != PrincipalKind.SCIM_TOKEN or record.actor_name is None:
        return None
    return translate(lang, "audit.scim_token", label=record.actor_name)


def target_name(record: AuditRecord, lang: str) -> str | None:
    if record.target_role is not None:
        return role_label(record.target_role, lang)
    return record.target


def target_label(record: AuditRecord, lang: str) -> str:
    """ "User: Ben Miller", "Budget of role: Buyer", "Company default"..."""
    kind = record.target_type
    if not kind:
        return ""
    label = _label(lang, f"audit.target.{kind}", kind)
    if kind.endswith("company"):
        return label
    return f"{label}: {target_name(record, lang) or '#' + record.target_id}"


def change_lines(
    before: dict[str, Any] | None, after: dict[str, Any] | None, names: AuditNames, lang: str
) -> list[str]:
    """One line per changed key: "Maximum order value: €1,000.00 → €2,000.00". A new record
    shows its values, a removed one what it held."""
    old, new = before or {}, after or {}
    keys = list(dict.fromkeys([*old, *new]))
    keys.sort(key=lambda k: FIRST_KEYS.index(k) if k in FIRST_KEYS else len(FIRST_KEYS))
    lines = []
    for key in keys:
        if key == AUDIT_TOKEN_KEY:
            continue  # who acted, shown as the actor
        if key in old and key in new and old[key] == new[key]:
            continue
        field = field_label(key, lang)
        shown_new = format_value(key, new.get(key), names, lang)
        if before is None:
            lines.append(f"{field}: {shown_new}")
        else:
            lines.append(f"{field}: {format_value(key, old.get(key), names, lang)} → {shown_new}")
    return lines


def field_label(key: str, lang: str) -> str:
    """ "Customer number" for ``customer_number``: the catalogue's label; a key written by a
    newer feature as words rather than as a code."""
    return _label(lang, f"audit.field.{key}", key.replace("_", " ").strip().capitalize())


def _moment_value(value: str, lang: str) -> str | None:
    """An ISO day or moment stored in a change, in the reader's words; None for other text."""
    try:
        if _ISO_DAY.match(value):
            return format_day(date.fromisoformat(value), lang)
        if _ISO_MOMENT.match(value):
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return format_moment(moment if moment.tzinfo else moment.replace(tzinfo=UTC), lang)
    except ValueError:
        return None
    return None


def format_value(key: str, value: object, names: AuditNames, lang: str) -> str:
    if value is None or value == "" or value == []:
        return NOTHING
    if isinstance(value, bool):
        return translate(lang, "audit.value.yes" if value else "audit.value.no")
    if key.endswith("_cents") and isinstance(value, int):
        return format_money(Decimal(value) / 100, names.currency, lang)
    if key in USER_ID_KEYS:
        return names.user(value) or f"#{value}"
    if key in ROLE_ID_KEYS:
        role = names.role(value)
        return role_label(role, lang) if role else f"#{value}"
    if isinstance(value, list):
        return _list_value(key, value, names, lang)
    if isinstance(value, dict):
        return _short(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))
    if key in VALUE_LABELS and isinstance(value, str):
        return _label(lang, VALUE_LABELS[key] + value, value)
    if key == "language" and isinstance(value, str):
        return LANGUAGES.get(value, value)
    if isinstance(value, str) and (moment := _moment_value(value, lang)) is not None:
        return moment
    return _short(str(value))


def _list_value(key: str, value: list[Any], names: AuditNames, lang: str) -> str:
    if key in ROLE_LIST_KEYS:
        return _short(", ".join(_role_code_label(str(code), names, lang) for code in value))
    if key == "permissions":
        return _short(", ".join(_label(lang, permission_label_key(str(p)), str(p)) for p in value))
    if any(isinstance(item, dict) for item in value):
        return str(len(value))  # how many levels or entries; all of them under "Details"
    return _short(", ".join(str(item) for item in value))


def _role_code_label(code: str, names: AuditNames, lang: str) -> str:
    role = names.role_by_code(code)
    return role_label(role, lang) if role else translate(lang, f"role.{code}")


def _short(text: str) -> str:
    return text if len(text) <= _VALUE_LIMIT else text[: _VALUE_LIMIT - 1] + "…"


def _details(values: dict[str, Any] | None, names: AuditNames, lang: str) -> str:
    """Every value of a record, one per line, worded like the changes; structured values
    (approver levels, mappings) in full, as indented JSON under their label."""
    if values is None:
        return ""
    lines = []
    for key, value in values.items():
        if key == AUDIT_TOKEN_KEY:
            continue
        if isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(item, dict) for item in value)
        ):
            shown = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)
        else:
            shown = format_value(key, value, names, lang)
        lines.append(f"{field_label(key, lang)}: {shown}")
    text = "\n".join(lines)
    return text if len(text) <= _DETAIL_LIMIT else text[:_DETAIL_LIMIT] + "\n…"


# --- the CSV export --------------------------------------------------------------------------

CSV_COLUMNS = (
    "time",
    "actor_id",
    "actor",
    "action",
    "target_type",
    "target_id",
    "target",
    "before",
    "after",
    "session",
    "ip",
)


def csv_lines(batches: Iterable[tuple[list[AuditRecord], AuditNames]], lang: str) -> Iterator[str]:
    """The header in ``lang``, then one line per record, batch by batch as they are read."""
    yield csv_line(translate(lang, f"audit.csv.{column}") for column in CSV_COLUMNS)
    for records, _names in batches:
        for record in records:
            yield csv_line(_csv_cells(record, lang))


def _csv_cells(record: AuditRecord, lang: str) -> list[object]:
    actor = (
        record.actor_name or ""
        if record.actor_kind == PrincipalKind.CUSTOMER_USER
        else _token_actor(record, lang) or _seller_care(record, lang) or ""
    )
    return [
        _iso_utc(record.created_at),
        record.actor_user_id,
        actor,
        record.action,
        record.target_type,
        record.target_id,
        target_name(record, lang) or "",
        _raw_json(record.before),
        _raw_json(record.after),
        record.session_id,
        record.ip_address,
    ]


def _iso_utc(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat()


def _raw_json(values: dict[str, Any] | None) -> str:
    if values is None:
        return ""
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
