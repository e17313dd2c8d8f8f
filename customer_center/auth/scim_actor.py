"""The actor behind a SCIM request: a company's provisioning token, not a user."""

from __future__ import annotations

from dataclasses import dataclass

from customer_center.auth.sessions import Actor

# The key of an audit entry's ``after`` that names the token a change came through.
AUDIT_TOKEN_KEY = "scim_token"  # noqa: S105 - a JSON key, no secret


@dataclass(frozen=True)
class ScimActor(Actor):
    """A SCIM token of one company acting through the provisioning endpoint.

    It is no user and has no sign-in session: ``user_id`` and ``session_id`` are 0, which no
    row has, so the users service's "not yourself" checks never match it, and the audit log
    records the change with no user and the token's label instead (see services/audit.py).
    """

    token_id: int = 0
    label: str = ""


def scim_actor(company_id: int, token_id: int, label: str) -> ScimActor:
    return ScimActor(
        user_id=0,
        company_id=company_id,
        session_id=0,
        language="en",
        token_id=token_id,
        label=label,
    )
