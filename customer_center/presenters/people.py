"""People in words: roles (a built-in in the reader's language, a custom role by its name),
approver chains and their problems, and the values services hand over in their refusals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache

from customer_center.domain.chains import Problem
from customer_center.domain.languages import LANGUAGES
from customer_center.domain.permissions import builtin_role_name_key
from customer_center.domain.refs import ChainRef, RoleRef
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_day


def role_name(lang: str, code: str, name: str, is_builtin: bool) -> str:
    """What people read: a built-in's name in their language, a custom role's own name."""
    return translate(lang, builtin_role_name_key(code)) if is_builtin else name


def role_label(role: RoleRef, lang: str) -> str:
    return role_name(lang, role.code, role.name, role.builtin)


@lru_cache(maxsize=32)
def builtin_role_names(code: str) -> frozenset[str]:
    """A built-in role's names in every language the portal speaks, case-folded: names a
    custom role may not take."""
    return frozenset(translate(lang, builtin_role_name_key(code)).casefold() for lang in LANGUAGES)


def chain_label(chain: ChainRef, lang: str) -> str:
    """Which chain, in words: the company default, a role's default, or a user's chain."""
    if chain.scope == "company":
        return translate(lang, "roles.chain.company")
    if chain.scope == "role":
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
