"""Importing users from a CSV file: a preview that writes nothing, then batches of invitations.

The preview checks every row in a few bulk queries (addresses in use, the company's roles) and
says by code (with parameters) what is wrong with each; ``presenters.people`` words it. Saving
goes through ``users.invite_users`` batch by batch, each batch its own transaction, so every
row is validated again when it is saved.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from sqlmodel import Session, col, select

from customer_center.db import session_scope
from customer_center.domain.email_address import is_valid_email, normalize_email
from customer_center.domain.errors import ValidationFailed
from customer_center.domain.inputs import parse_id
from customer_center.domain.languages import LANGUAGES
from customer_center.domain.permissions import MAIN_CONTACT_ROLE
from customer_center.domain.principals import CustomerUser
from customer_center.domain.user_csv import CsvUserRow, parse_users_csv
from customer_center.models.user import Role, User
from customer_center.services.people.inviting import invite_users
from customer_center.services.people.role_rules import BuiltinNames
from customer_center.services.people.users import NAME_MAX, NewUser, permissions_of_role
from customer_center.settings import Settings

BATCH_SIZE = 200
_IN_CHUNK = 500  # addresses per IN (...) query

Problem = tuple[str, dict[str, object]]  # message id, parameters


@dataclass(frozen=True)
class ImportRow:
    """A row of the file as it will be saved, and what stands in the way."""

    line: int
    name: str
    email: str
    language: str
    roles: str  # as written, for display
    role_ids: tuple[int, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def new_user(self) -> NewUser:
        return NewUser(self.name, self.email, self.language, self.role_ids)


@dataclass(frozen=True)
class ImportPreview:
    rows: tuple[ImportRow, ...]  # rows with problems first, then in file order

    @property
    def ok_count(self) -> int:
        return sum(1 for row in self.rows if row.ok)

    @property
    def error_count(self) -> int:
        return len(self.rows) - self.ok_count


@dataclass(frozen=True)
class BatchResult:
    invited: int
    failed: tuple[ImportRow, ...]  # rows refused on saving, with their problems


@dataclass(frozen=True)
class ImportProgress:
    total: int
    done: int = 0
    invited: int = 0
    failed: tuple[ImportRow, ...] = ()

    def after(self, batch: Sequence[ImportRow], result: BatchResult) -> ImportProgress:
        return replace(
            self,
            done=self.done + len(batch),
            invited=self.invited + result.invited,
            failed=self.failed + result.failed,
        )


# --- the preview -----------------------------------------------------------------------------


def preview_import(
    session: Session, principal: CustomerUser, *, csv_bytes: bytes, builtin_names: BuiltinNames
) -> ImportPreview:
    """Every row of the file with its problems; raises ServiceError if the file is unusable.
    Roles are matched by code, name and (built-ins) ``builtin_names``: their names in every
    language."""
    parsed = parse_users_csv(csv_bytes)
    roles = _RoleMatcher(session, principal, builtin_names)
    taken = addresses_in_use(session, [normalize_email(row.email) for row in parsed])
    first_line: dict[str, int] = {}
    rows = []
    for row in parsed:
        email = normalize_email(row.email)
        duplicate_of = first_line.setdefault(email, row.line) if email else row.line
        rows.append(_checked(row, principal, roles, taken, duplicate_of))
    return ImportPreview(tuple(sorted(rows, key=lambda r: (r.ok, r.line))))


def _checked(
    row: CsvUserRow,
    principal: CustomerUser,
    roles: _RoleMatcher,
    taken: set[str],
    duplicate_of: int,
) -> ImportRow:
    email = normalize_email(row.email)
    language = row.language or principal.language
    role_ids, role_problems = roles.resolve(row.roles)
    problems = [
        *_name_problems(row.name),
        *_email_problems(email, row.line, taken, duplicate_of),
        *_language_problems(language),
        *role_problems,
    ]
    return ImportRow(
        line=row.line,
        name=row.name,
        email=email,
        language=language,
        roles="; ".join(row.roles),
        role_ids=role_ids,
        problems=tuple(problems),
    )


def _name_problems(name: str) -> list[Problem]:
    if not name:
        return [("import.row.name_missing", {})]
    if len(name) > NAME_MAX:
        return [("import.row.name_too_long", {"max": NAME_MAX})]
    return []


def _email_problems(email: str, line: int, taken: set[str], duplicate_of: int) -> list[Problem]:
    if not email:
        return [("import.row.email_missing", {})]
    if not is_valid_email(email):
        return [("import.row.email_invalid", {"email": email})]
    if duplicate_of != line:
        return [("import.row.email_duplicate", {"line": duplicate_of})]
    if email in taken:
        return [("import.row.email_taken", {"email": email})]
    return []


def _language_problems(language: str) -> list[Problem]:
    if language in LANGUAGES:
        return []
    return [
        ("import.row.language_unknown", {"language": language, "choices": ", ".join(LANGUAGES)})
    ]


def addresses_in_use(session: Session, emails: list[str]) -> set[str]:
    """Which of ``emails`` already sign in (any company: addresses are unique portal-wide)."""
    wanted = sorted({email for email in emails if email})
    taken: set[str] = set()
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        taken.update(session.exec(select(User.email).where(col(User.email).in_(chunk))).all())
    return taken


class _RoleMatcher:
    """The company's roles by code, name and (built-ins) their name in every language."""

    def __init__(
        self, session: Session, principal: CustomerUser, builtin_names: BuiltinNames
    ) -> None:
        roles = session.exec(select(Role).where(Role.company_id == principal.company_id)).all()
        own_rights = principal.rights
        self._by_label: dict[str, Role] = {}
        for role in roles:
            for label in _labels(role, builtin_names):
                self._by_label.setdefault(label.casefold(), role)
        self._beyond_rights = {
            role.id
            for role in roles
            if not permissions_of_role(session, role.id) <= own_rights  # type: ignore[arg-type]
        }

    def resolve(self, labels: Sequence[str]) -> tuple[tuple[int, ...], list[Problem]]:
        if not labels:
            return (), [("import.row.role_missing", {})]
        ids: list[int] = []
        problems: list[Problem] = []
        for label in labels:
            role = self._by_label.get(label.casefold())
            if role is None:
                problems.append(("import.row.role_unknown", {"role": label}))
            elif role.code == MAIN_CONTACT_ROLE:
                problems.append(("import.row.role_main_contact", {"role": label}))
            elif role.id in self._beyond_rights:
                problems.append(("import.row.role_beyond_rights", {"role": label}))
            else:
                ids.append(role.id)  # type: ignore[arg-type]
        return tuple(sorted(set(ids))), problems


def _labels(role: Role, builtin_names: BuiltinNames) -> list[str]:
    labels = [role.code, role.name]
    if role.is_builtin:
        labels += builtin_names(role.code)
    return labels


# --- saving ----------------------------------------------------------------------------------


def valid_rows(rows: Sequence[ImportRow]) -> list[ImportRow]:
    return sorted((row for row in rows if row.ok), key=lambda row: row.line)


def import_batch(
    session: Session, principal: CustomerUser, *, settings: Settings, rows: Sequence[ImportRow]
) -> BatchResult:
    """Invite ``rows`` in the caller's transaction; rows that no longer pass (an address
    taken since the preview) are left out and returned with their problems."""
    pending = list(rows)
    failed: list[ImportRow] = []
    while pending:
        try:
            new_users = [row.new_user() for row in pending]
            invited = invite_users(session, principal, settings=settings, users=new_users)
        except ValidationFailed as failure:
            refused = _refused_rows(pending, failure)
            if not refused:
                raise
            failed += refused.values()
            pending = [row for index, row in enumerate(pending) if index not in refused]
            continue
        return BatchResult(len(invited), tuple(failed))
    return BatchResult(0, tuple(failed))


def _refused_rows(pending: list[ImportRow], failure: ValidationFailed) -> dict[int, ImportRow]:
    """Rows named by invite_users' ``"<index>.<field>"`` errors, with those errors attached."""
    problems: dict[int, list[Problem]] = {}
    for key, problem in failure.errors.items():
        row = parse_id(key.partition(".")[0])
        if row is not None and row < len(pending):
            problems.setdefault(row, []).append(problem)
    return {i: replace(pending[i], problems=tuple(found)) for i, found in problems.items()}


def import_rows(
    principal: CustomerUser,
    *,
    settings: Settings,
    rows: Sequence[ImportRow],
    batch_size: int | None = None,
) -> Iterator[ImportProgress]:
    """Save the valid rows batch by batch, each batch in its own transaction, yielding the
    progress after each. A failing batch rolls back alone; the earlier ones stay saved."""
    wanted = valid_rows(rows)
    size = batch_size or BATCH_SIZE
    progress = ImportProgress(total=len(wanted))
    for start in range(0, len(wanted), size):
        batch = wanted[start : start + size]
        with session_scope() as session:
            result = import_batch(session, principal, settings=settings, rows=batch)
        progress = progress.after(batch, result)
        yield progress
