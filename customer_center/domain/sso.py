"""Rules of company single sign-on that need no database: domains, role mapping, role sync."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from customer_center.domain.permissions import MAIN_CONTACT_ROLE

MAX_DOMAINS = 20
MAX_MAPPINGS = 50
CLAIM_VALUE_MAX = 200
_DOMAIN_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_CLAIM_NAME_RE = re.compile(r"^[A-Za-z0-9_:./-]{1,100}$")

# Mailbox providers anyone can sign up with: such a domain names no company, so binding it
# would let one customer's identity provider claim everybody's colleagues.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "gmx.de",
        "gmx.net",
        "gmx.at",
        "gmx.ch",
        "web.de",
        "t-online.de",
        "freenet.de",
        "posteo.de",
        "mailbox.org",
        "proton.me",
        "protonmail.com",
        "yandex.com",
        "mail.com",
    }
)


def email_domain(email: str) -> str:
    """The domain of an address, lower-case; ``""`` when there is none."""
    local, at, domain = email.strip().lower().rpartition("@")
    return domain if at and local else ""


def domain_problem(domain: str) -> str | None:
    """Why ``domain`` cannot be bound to a company (a message id), or None."""
    if not _DOMAIN_RE.match(domain):
        return "sso.error.domain_invalid"
    if domain in PUBLIC_MAIL_DOMAINS:
        return "sso.error.domain_public"
    return None


# The TXT record that proves a domain: published at ``_customer-center.<domain>``.
TXT_LABEL = "_customer-center"
TXT_PREFIX = "customer-center-domain-proof="


def txt_record_name(domain: str) -> str:
    return f"{TXT_LABEL}.{domain}"


def txt_record_value(token: str) -> str:
    return TXT_PREFIX + token


def issuer_needs_https(issuer: str, dev_mode: bool) -> bool:
    """Outside dev mode the portal talks to identity providers over https only: a plain
    http:// issuer is refused before anything is fetched from it."""
    return not dev_mode and issuer.strip().lower().startswith("http://")


def parse_domains(text: str) -> list[str]:
    """Domains typed one per line or separated by commas/spaces; ``@`` prefixes dropped."""
    parts = re.split(r"[\s,;]+", text.lower())
    seen: dict[str, None] = {}
    for part in parts:
        domain = part.strip().lstrip("@").rstrip(".")
        if domain:
            seen[domain] = None
    return list(seen)


def claim_name_ok(name: str) -> bool:
    return bool(_CLAIM_NAME_RE.match(name))


def claim_values(claims: Mapping[str, object], name: str) -> set[str]:
    """The values of a group/role claim: a list of strings, or one string."""
    value = claims.get(name)
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {v for v in value if isinstance(v, str)}
    return set()


@dataclass(frozen=True)
class RolePlan:
    """What signing in changes: roles to add and to take away (by code)."""

    add: frozenset[str]
    remove: frozenset[str]


def managed_roles(mapping: Mapping[str, str], default_role: str | None) -> frozenset[str]:
    """The roles single sign-on decides about: the mapping's targets and the default role.

    Roles outside this set were given in the portal by hand and stay untouched; the main
    contact's role is never managed.
    """
    codes = set(mapping.values()) | ({default_role} if default_role else set())
    return frozenset(codes - {MAIN_CONTACT_ROLE})


def wanted_roles(
    values: Iterable[str], mapping: Mapping[str, str], default_role: str | None
) -> frozenset[str]:
    """The managed roles the claim's values give; the default role when none matches."""
    mapped = {mapping[v] for v in values if v in mapping} - {MAIN_CONTACT_ROLE}
    if not mapped and default_role and default_role != MAIN_CONTACT_ROLE:
        mapped = {default_role}
    return frozenset(mapped)


def plan_roles(current: Iterable[str], wanted: frozenset[str], managed: frozenset[str]) -> RolePlan:
    have = set(current)
    return RolePlan(add=frozenset(wanted - have), remove=frozenset((have & managed) - wanted))
