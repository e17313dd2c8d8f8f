"""Every punchout message that came in, kept raw with our answer, for the seller's agents."""

from __future__ import annotations

from sqlmodel import Session

from customer_center.domain.punchout import masked
from customer_center.models.punchout import RAW_MAX, PunchoutMessage


def _raw_text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    return masked(text[: RAW_MAX * 2])[:RAW_MAX]


def record_message(
    session: Session,
    *,
    kind: str,
    raw: bytes | str,
    status: int = 200,
    error: str = "",
    company_id: int | None = None,
    connection_id: int | None = None,
    session_id: int | None = None,
) -> None:
    session.add(
        PunchoutMessage(
            company_id=company_id,
            connection_id=connection_id,
            session_id=session_id,
            kind=kind,
            status=status,
            error=error[:64],
            raw=_raw_text(raw),
        )
    )
