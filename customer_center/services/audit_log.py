"""Reading the audit log: one filtered page for the screen, the whole filtered log as CSV.

Both read the same filter (:class:`AuditFilter`), always within the actor's company, newest
first. The screen gets small dicts of display strings in the actor's language; the CSV gets
neutral values (ISO timestamps in UTC, raw JSON) under a translated header.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import String, and_, cast, func, or_
from sqlmodel import Session, col, select

from customer_center.domain.csv_cells import csv_line
from customer_center.domain.inputs import LIKE_ESCAPE, like_pattern, parse_date, parse_id
from customer_center.domain.permissions import permission_label_key
from customer_center.domain.principals import CustomerUser
from customer_center.i18n import translate
from customer_center.i18n.catalog import LANGUAGES, catalog
from customer_center.i18n.formatting import (
    format_moment,
    format_money,
    start_of_local_day,
)
from customer_center.models.audit import AuditEntry
from customer_center.models.company import Company
from customer_center.models.user import Role, User
from customer_center.services.audit import AUDIT_TOKEN_KEY
from customer_center.services.people.names import name_or_email_matches, users_to_pick

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
CSV_BATCH = 500
USER_CHOICES = 50
SUMMARY_LINES = 3
# The areas the filter offers: the first part of the dotted action codes.
AREAS = ("user", "role", "budget", "chain", "absence", "main_contact", "company")

USER_TARGETS = frozenset({"user", "budget_user", "chain_user"})
ROLE_TARGETS = frozenset({"role", "budget_role", "chain_role"})
# Keys of before/after that hold ids worth showing as names.
USER_ID_KEYS = frozenset({"substitute_id"})
ROLE_ID_KEYS = frozenset({"users_moved_to"})
# Keys whose values are codes with a label in another area's catalogue.
VALUE_LABELS = {"period": "budgets.per.", "status": "users.status."}

_AREA_OR_ACTION = re.compile(r"^[a-z_]{1,32}(\.[a-z_]{1,40})?$")
_TARGET_TYPE = re.compile(r"^[a-z_]{1,32}$")
_VALUE_LIMIT = 80
_DETAIL_LIMIT = 4000
NOTHING = "—"


# --- the filter ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    """What to show; dates are days in the company's time zone, both ends included."""

    actor_user_id: int | None = None
    area: str = ""  # an area ("budget") or one action code ("budget.saved")
    target_type: str = ""
    text: str = ""
    date_from: date | None = None
    date_to: date | None = None


def filter_from_params(params: Mapping[str, str]) -> AuditFilter:
    """The filter from untrusted strings (query string, browser): anything odd is dropped."""

    def value(name: str, limit: int) -> str:
        raw = params.get(name, "")
        return raw.strip()[:limit] if isinstance(raw, str) else ""

    who, area, target = value("who", 12), value("area", 73), value("target", 32)
    return AuditFilter(
        actor_user_id=parse_id(who),
        area=area if _AREA_OR_ACTION.match(area) else "",
        target_type=target if _TARGET_TYPE.match(target) else "",
        text=value("q", 100),
        date_from=parse_date(value("from", 10)),
        date_to=parse_date(value("to", 10)),
    )


def filter_to_params(audit_filter: AuditFilter) -> dict[str, str]:
    """The query-string form of a filter (only what is set), read back by filter_from_params."""
    f = audit_filter
    params = {
        "who": str(f.actor_user_id) if f.actor_user_id is not None else "",
        "area": f.area,
        "target": f.target_type,
        "q": f.text,
        "from": f.date_from.isoformat() if f.date_from else "",
        "to": f.date_to.isoformat() if f.date_to else "",
    }
    return {key: value for key, value in params.items() if value}


def _like(text: str) -> str:
    return like_pattern(text.lower())


def _filtered(statement, actor: CustomerUser, audit_filter: AuditFilter):  # type: ignore[no-untyped-def]
    f = audit_filter
    statement = statement.where(AuditEntry.company_id == actor.company_id)
    if f.actor_user_id is not None:
        statement = statement.where(AuditEntry.actor_user_id == f.actor_user_id)
    if "." in f.area:
        statement = statement.where(AuditEntry.action == f.area)
    elif f.area:
        statement = statement.where(
            col(AuditEntry.action).startswith(f"{f.area}.", autoescape=True)
        )
    if f.target_type:
        statement = statement.where(AuditEntry.target_type == f.target_type)
    if f.date_from:
        statement = statement.where(col(AuditEntry.created_at) >= start_of_local_day(f.date_from))
    if f.date_to:
        end = start_of_local_day(f.date_to + timedelta(days=1))
        statement = statement.where(col(AuditEntry.created_at) < end)
    if f.text.strip():
        statement = statement.where(_text_matches(actor, f.text))
    return statement


def _text_matches(actor: CustomerUser, text: str):  # type: ignore[no-untyped-def]
    """The text in the action code, the target's type or id, or the target user's or role's
    name (so "ben" finds what was done to Ben)."""
    pattern = _like(text.strip())
    users = select(cast(User.id, String)).where(
        User.company_id == actor.company_id, name_or_email_matches(text)
    )
    roles = select(cast(Role.id, String)).where(
        Role.company_id == actor.company_id, func.lower(Role.name).like(pattern, escape=LIKE_ESCAPE)
    )
    return or_(
        func.lower(AuditEntry.action).like(pattern, escape=LIKE_ESCAPE),
        func.lower(AuditEntry.target_type).like(pattern, escape=LIKE_ESCAPE),
        col(AuditEntry.target_id).like(pattern, escape=LIKE_ESCAPE),
        and_(col(AuditEntry.target_type).in_(USER_TARGETS), col(AuditEntry.target_id).in_(users)),
        and_(col(AuditEntry.target_type).in_(ROLE_TARGETS), col(AuditEntry.target_id).in_(roles)),
    )


def _newest_first(statement):  # type: ignore[no-untyped-def]
    return statement.order_by(col(AuditEntry.created_at).desc(), col(AuditEntry.id).desc())


# --- names of users and roles, one query each per batch --------------------------------------


@dataclass(frozen=True)
class _Names:
    users: dict[int, str]
    roles_by_id: dict[int, tuple[str, str, bool]]  # id -> (code, name, is_builtin)
    currency: str

    def user(self, user_id: object) -> str | None:
        return self.users.get(_as_int(user_id))  # type: ignore[arg-type]

    def role(self, role_id: object, lang: str) -> str | None:
        found = self.roles_by_id.get(_as_int(role_id))  # type: ignore[arg-type]
        return _role_label(found, lang) if found else None

    def role_code(self, code: str, lang: str) -> str:
        for found in self.roles_by_id.values():
            if found[0] == code:
                return _role_label(found, lang)
        return translate(lang, f"role.{code}")


def _role_label(role: tuple[str, str, bool], lang: str) -> str:
    code, name, builtin = role
    return translate(lang, f"role.{code}") if builtin else name


def _as_int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return parse_id(value)


def _user_ids(entries: Iterable[AuditEntry]) -> set[int]:
    ids: set[int] = set()
    for entry in entries:
        if entry.actor_user_id is not None:
            ids.add(entry.actor_user_id)
        if entry.target_type in USER_TARGETS and (target := _as_int(entry.target_id)) is not None:
            ids.add(target)
        for values in (entry.before or {}, entry.after or {}):
            ids.update(v for k in USER_ID_KEYS if (v := _as_int(values.get(k))) is not None)
    return ids


def _names(session: Session, actor: CustomerUser, entries: list[AuditEntry]) -> _Names:
    """User names of the batch (one query) and the company's roles (a few dozen rows)."""
    wanted = _user_ids(entries)
    users = (
        session.exec(
            select(User.id, User.name).where(
                User.company_id == actor.company_id, col(User.id).in_(wanted)
            )
        ).all()
        if wanted
        else []
    )
    roles = session.exec(
        select(Role.id, Role.code, Role.name, Role.is_builtin).where(
            Role.company_id == actor.company_id
        )
    ).all()
    currency = session.exec(select(Company.currency).where(Company.id == actor.company_id)).first()
    return _Names(
        users={user_id: name for user_id, name in users},  # type: ignore[misc]
        roles_by_id={role_id: (code, name, b) for role_id, code, name, b in roles},  # type: ignore[misc]
        currency=currency or "EUR",
    )


# --- the screen ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditPage:
    rows: list[dict[str, str]]
    page: int
    has_next: bool


def audit_page(
    session: Session,
    actor: CustomerUser,
    audit_filter: AuditFilter,
    page: int = 0,
    page_size: int = PAGE_SIZE,
) -> AuditPage:
    """One page of the company's log, newest first, cut in SQL (one row more tells whether a
    next page exists, without counting the whole log)."""
    size = min(max(page_size, 1), MAX_PAGE_SIZE)
    page = max(page, 0)
    entries = list(
        session.exec(
            _newest_first(_filtered(select(AuditEntry), actor, audit_filter))
            .offset(page * size)
            .limit(size + 1)
        ).all()
    )
    shown = entries[:size]
    names = _names(session, actor, shown)
    rows = [view_row(entry, names, actor.language) for entry in shown]
    return AuditPage(rows=rows, page=page, has_next=len(entries) > size)


def view_row(entry: AuditEntry, names: _Names, lang: str) -> dict[str, str]:
    """An entry as the table shows it: strings only, in ``lang``. The first few changed
    values are the summary; the rest waits behind "Details"."""
    lines = change_lines(entry.before, entry.after, names, lang)
    return {
        "id": str(entry.id),
        "when": format_moment(entry.created_at, lang),
        "who": _who(entry, names, lang),
        "action": action_label(entry.action, lang),
        "action_code": entry.action,
        "target": target_label(entry, names, lang),
        "changes": "\n".join(lines[:SUMMARY_LINES]),
        "more_changes": "\n".join(lines[SUMMARY_LINES:]),
        "before": _details(entry.before),
        "after": _details(entry.after),
        "session": f"#{entry.session_id}" if entry.session_id is not None else "",
        "ip": entry.ip_address,
    }


def _label(lang: str, key: str, fallback: str) -> str:
    """The catalogue's text for ``key`` if it has one; codes written by future features still
    show, as their code."""
    return catalog(lang).get(key, fallback)


def action_label(code: str, lang: str) -> str:
    return _label(lang, f"audit.action.{code}", code)


def _who(entry: AuditEntry, names: _Names, lang: str) -> str:
    """The user who acted; a SCIM token by its label; else the system."""
    if entry.actor_user_id is not None:
        return names.user(entry.actor_user_id) or f"#{entry.actor_user_id}"
    return _token_actor(entry, lang) or translate(lang, "audit.system")


def _token_actor(entry: AuditEntry, lang: str) -> str | None:
    """ "SCIM token Okta" for a change that came through the provisioning endpoint."""
    token = (entry.after or {}).get(AUDIT_TOKEN_KEY)
    return translate(lang, "audit.scim_token", label=token) if isinstance(token, str) else None


def target_label(entry: AuditEntry, names: _Names, lang: str) -> str:
    """ "User: Ben Miller", "Budget of role: Buyer", "Company default"..."""
    kind = entry.target_type
    if not kind:
        return ""
    label = _label(lang, f"audit.target.{kind}", kind)
    if kind.endswith("company"):
        return label
    return f"{label}: {target_name(entry, names, lang) or '#' + entry.target_id}"


def target_name(entry: AuditEntry, names: _Names, lang: str) -> str | None:
    """The name of the user or role an entry is about; a deleted role keeps its old name."""
    if entry.target_type in USER_TARGETS:
        return names.user(entry.target_id)
    if entry.target_type in ROLE_TARGETS:
        return names.role(entry.target_id, lang) or _str((entry.before or {}).get("name"))
    if entry.target_type == "scim_token":  # tokens are named by the label they were given
        return _str((entry.after or entry.before or {}).get("label"))
    return None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def change_lines(
    before: dict[str, Any] | None, after: dict[str, Any] | None, names: _Names, lang: str
) -> list[str]:
    """One line per changed key: "Maximum order value: €1,000.00 → €2,000.00". A new record
    shows its values, a removed one what it held."""
    old, new = before or {}, after or {}
    keys = list(dict.fromkeys([*old, *new]))
    lines = []
    for key in keys:
        if key == AUDIT_TOKEN_KEY:
            continue  # who acted, shown as the actor
        if key in old and key in new and old[key] == new[key]:
            continue
        field = _label(lang, f"audit.field.{key}", key)
        shown_new = format_value(key, new.get(key), names, lang)
        if before is None:
            lines.append(f"{field}: {shown_new}")
        else:
            lines.append(f"{field}: {format_value(key, old.get(key), names, lang)} → {shown_new}")
    return lines


def format_value(key: str, value: object, names: _Names, lang: str) -> str:
    if value is None or value == "" or value == []:
        return NOTHING
    if isinstance(value, bool):
        return translate(lang, "audit.value.yes" if value else "audit.value.no")
    if key.endswith("_cents") and isinstance(value, int):
        return format_money(Decimal(value) / 100, names.currency, lang)
    if key in USER_ID_KEYS:
        return names.user(value) or f"#{value}"
    if key in ROLE_ID_KEYS:
        return names.role(value, lang) or f"#{value}"
    if key == "roles" and isinstance(value, list):
        return _short(", ".join(names.role_code(str(code), lang) for code in value))
    if key == "permissions" and isinstance(value, list):
        return _short(", ".join(_label(lang, permission_label_key(str(p)), str(p)) for p in value))
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        return str(len(value))  # how many levels or entries; all of them under "Details"
    if isinstance(value, list):
        return _short(", ".join(str(item) for item in value))
    if isinstance(value, dict):
        return _short(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))
    if key in VALUE_LABELS and isinstance(value, str):
        return _label(lang, VALUE_LABELS[key] + value, value)
    if key == "language" and isinstance(value, str):
        return LANGUAGES.get(value, value)
    return _short(str(value))


def _short(text: str) -> str:
    return text if len(text) <= _VALUE_LIMIT else text[: _VALUE_LIMIT - 1] + "…"


def _details(values: dict[str, Any] | None) -> str:
    if values is None:
        return ""
    text = json.dumps(values, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    return text if len(text) <= _DETAIL_LIMIT else text[:_DETAIL_LIMIT] + "\n…"


def user_choices(
    session: Session, actor: CustomerUser, search: str = "", limit: int = USER_CHOICES
) -> list[tuple[int, str]]:
    """Users of the company (any status: former staff made changes too) for the "who" filter;
    at most ``limit``, narrowed by name or address."""
    return users_to_pick(session, actor.company_id, search=search, limit=limit)


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


def iter_audit_csv(
    session: Session, actor: CustomerUser, audit_filter: AuditFilter
) -> Iterator[str]:
    """The filtered log as CSV lines, read in batches of CSV_BATCH (keyset on the sort order,
    so a long log costs the same per batch at its end as at its start)."""
    yield csv_line(translate(actor.language, f"audit.csv.{column}") for column in CSV_COLUMNS)
    base = _newest_first(_filtered(select(AuditEntry), actor, audit_filter))
    last: AuditEntry | None = None
    while True:
        statement = base if last is None else base.where(_older_than(last))
        batch = list(session.exec(statement.limit(CSV_BATCH)).all())
        if not batch:
            return
        names = _names(session, actor, batch)
        for entry in batch:
            yield csv_line(_csv_cells(entry, names, actor.language))
        if len(batch) < CSV_BATCH:
            return
        last = batch[-1]


def _older_than(entry: AuditEntry):  # type: ignore[no-untyped-def]
    return or_(
        col(AuditEntry.created_at) < entry.created_at,
        and_(col(AuditEntry.created_at) == entry.created_at, col(AuditEntry.id) < entry.id),
    )


def _csv_cells(entry: AuditEntry, names: _Names, lang: str) -> list[object]:
    return [
        _iso_utc(entry.created_at),
        entry.actor_user_id,
        names.user(entry.actor_user_id)
        if entry.actor_user_id is not None
        else _token_actor(entry, lang) or "",
        entry.action,
        entry.target_type,
        entry.target_id,
        target_name(entry, names, lang) or "",
        _raw_json(entry.before),
        _raw_json(entry.after),
        entry.session_id,
        entry.ip_address,
    ]


def _iso_utc(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat()


def _raw_json(values: dict[str, Any] | None) -> str:
    if values is None:
        return ""
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
