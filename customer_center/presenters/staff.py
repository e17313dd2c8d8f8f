"""The seller's staff in words: the staff list's rows, and a customer
company's account team as its users read it."""

from __future__ import annotations

from collections.abc import Iterable

from customer_center.i18n import translate
from customer_center.i18n.formatting import format_moment
from customer_center.services.seller.staff import StaffRow
from customer_center.services.seller.teams import TeamMember


def staff_rows(rows: Iterable[StaffRow], lang: str, *, own_id: int) -> list[dict[str, str]]:
    """The staff list's rows (``own`` marks the reader's own row: no buttons on it)."""
    return [
        {
            "id": str(row.id),
            "name": row.name,
            "email": row.email,
            "status": row.status,
            "rights_codes": ",".join(row.rights),
            # Empty: never (the page words it in the language it shows).
            "last_sign_in": format_moment(row.last_sign_in_at, lang) if row.last_sign_in_at else "",
            "own": "1" if row.id == own_id else "",
        }
        for row in rows
    ]


def team_rows(members: Iterable[TeamMember], lang: str) -> list[dict[str, str]]:
    """A company's account team for its users: name, team role, e-mail (a mailto link)."""
    return [
        {
            "name": m.name,
            "role": translate(lang, f"seller.team_role.{m.team_role}"),
            "role_key": f"seller.team_role.{m.team_role}",  # to follow a language switch
            "email": m.email,
            "mailto": f"mailto:{m.email}",
        }
        for m in members
    ]
