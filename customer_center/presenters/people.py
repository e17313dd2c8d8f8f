"""People in words: roles (a built-in in the reader's language, a custom role by its name),
approver chains and their problems, and the values services hand over in their refusals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Protocol

from customer_center.domain.chains import Problem
from customer_center.domain.languages import LANGUAGES
from customer_center.domain.people import RuleScope
from customer_center.domain.permissions import (
    MAIN_CONTACT_ROLE,
    area_label_key,
    builtin_role_description_key,
    builtin_role_name_key,
    permission_label_key,
    rights_by_area,
)
from customer_center.domain.refs import ChainRef, RoleRef
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_day, format_moment


def role_name(lang: str, code: str, name: str, is_builtin: bool) -> str:
    """What people read: a built-in's name in their language, a custom role's own name."""
    return translate(lang, builtin_role_name_key(code)) if is_builtin else name


class NamedRole(Protocol):
    """A role as services hand it over (``RoleRef``, ``RoleView``, ``RoleChoice``)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def is_builtin(self) -> bool: ...


def role_label(role: NamedRole, lang: str) -> str:
    return role_name(lang, role.code, role.name, role.is_builtin)


def role_options(roles: Iterable[_ChoosableRole], lang: str) -> list[dict[str, str]]:
    """Checkbox/filter entries; the main contact's role is never handed out here."""
    return [
        {"id": str(r.id), "label": role_label(r, lang)}
        for r in roles
        if r.code != MAIN_CONTACT_ROLE
    ]


class _ChoosableRole(NamedRole, Protocol):
    @property
    def id(self) -> int: ...


class RoleWithRights(_ChoosableRole, Protocol):
    @property
    def permissions(self) -> frozenset[str]: ...
    @property
    def user_count(self) -> int: ...


def role_card(role: RoleWithRights, lang: str) -> dict[str, str]:
    """One card of the roles page: only what it shows, as strings."""
    return {
        "id": str(role.id),
        "label": role_label(role, lang),
        "builtin": "1" if role.is_builtin else "",
        "description": translate(lang, builtin_role_description_key(role.code))
        if role.is_builtin
        else "",
        "users": str(role.user_count),
        "empty": "" if role.permissions else "1",
    }


def rights_lines(role: RoleWithRights, lang: str) -> list[dict[str, str]]:
    """The role's rights grouped by area, one line per area it has rights in."""
    return [
        {
            "role_id": str(role.id),
            "area": translate(lang, area_label_key(area)),
            "rights": ", ".join(translate(lang, permission_label_key(p)) for p in rights),
        }
        for area, rights in rights_by_area(role.permissions)
    ]


def moment(value: datetime | None, lang: str) -> str:
    """A moment in the reader's format; nothing for none."""
    return format_moment(value, lang) if value else ""


def status_label(status: str, lang: str) -> str:
    return translate(lang, f"users.status.{status}")


@lru_cache(maxsize=32)
def builtin_role_names(code: str) -> frozenset[str]:
    """A built-in role's names in every language the portal speaks, case-folded: names a
    custom role may not take."""
    return frozenset(translate(lang, builtin_role_name_key(code)).casefold() for lang in LANGUAGES)


def chain_label(chain: ChainRef, lang: str) -> str:
    """Which chain, in words: the company default, a role's default, or a user's chain."""
    if chain.scope == RuleScope.COMPANY:
        return translate(lang, "roles.chain.company")
    if chain.scope == RuleScope.ROLE:
        name = role_label(chain.role, lang) if chain.role else f"#{chain.subject_id}"
        return translate(lang, "roles.chain.role", name=name)
    return translate(lang, "roles.chain.user", name=chain.user_name or f"#{chain.subject_id}")


def worded_params(params: Mapping[str, object], lang: str) -> dict[str, object]:
    """A refusal's parameters as text: days in the reader's format, roles and chains by
    name (several of them as a sorted list)."""
    return {key: _worded(value, lang) for key, value in params.items()}


def _worded(value: object, lang: str) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_day(value, lang)
    if isinstance(value, RoleRef):
        return role_label(value, lang)
    if isinstance(value, ChainRef):
        return chain_label(value, lang)
    if isinstance(value, tuple) and value and all(isinstance(v, ChainRef) for v in value):
        return ", ".join(sorted(chain_label(v, lang) for v in value))
    if isinstance(value, tuple) and value and all(isinstance(v, Problem) for v in value):
        return " ".join(problem_text(v, lang) for v in value)
    return value


def problem_text(problem: Problem, lang: str) -> str:
    """One problem of an approver chain or an absence, in words."""
    return translate(lang, problem.code, **worded_params(problem.params, lang))


def import_problem_text(problem: tuple[str, dict[str, object]], lang: str) -> str:
    """A problem of a row of a user import (message id and parameters), in words."""
    code, params = problem
    return translate(lang, code, **worded_params(params, lang))
