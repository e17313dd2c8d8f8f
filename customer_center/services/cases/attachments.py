"""Files on support cases: staged by their uploader, attached with the message or note they
came with, listed per entry, and handed out only to those who may read the entry.

Staging first lets the page check each file when it is dropped (a clear message next to the
field, nothing kept of a refused file) while the message is still being written; a staged
file belongs to nobody else and is never served. Types and sizes are judged by
:func:`customer_center.domain.inputs.parse_attachment` on the bytes, never by the name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from customer_center.domain.cases import INTERNAL_KINDS, MAX_FILES_PER_MESSAGE
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.inputs import parse_attachment
from customer_center.domain.principals import Attribution
from customer_center.models.base import utcnow
from customer_center.models.case import CaseAttachment, CaseAttachmentBlob, CaseEntry

# The one answer to anything that may not be downloaded (another company's file, an unknown
# id, a staged file, a note's file for the customer): nothing tells them apart.
REFUSED = "cases.error.file_refused"
MAX_STAGED = 4 * MAX_FILES_PER_MESSAGE  # staged files one uploader keeps at most


@dataclass(frozen=True)
class FileInfo:
    id: int
    entry_id: int
    name: str
    size: int


@dataclass(frozen=True)
class FileContent:
    name: str
    media_type: str
    content: bytes


def _uploader(by: Attribution) -> tuple[str, int]:
    return str(by.actor_kind), by.actor_id or 0


def stage(
    session: Session,
    by: Attribution,
    *,
    company_id: int,
    staged: Sequence[int],
    files: Sequence[tuple[object, object]],
) -> list[FileInfo]:
    """Check every file (name, bytes) and keep them staged for ``by``; all or none. At most
    ``MAX_FILES_PER_MESSAGE`` with those ``staged`` already."""
    if len(staged) + len(files) > MAX_FILES_PER_MESSAGE:
        raise ValidationFailed(
            {"attachments": ("cases.error.too_many_files", {"max": MAX_FILES_PER_MESSAGE})}
        )
    checked = [(parse_attachment(name, data), data) for name, data in files]
    kind, ref = _uploader(by)
    _forget_oldest(session, kind, ref, keep=MAX_STAGED - len(checked))
    made = []
    for (filename, media_type), data in checked:
        assert isinstance(data, bytes)  # parse_attachment refused anything else
        row = CaseAttachment(
            company_id=company_id,
            uploader_kind=kind,
            uploader_ref=ref,
            filename=filename,
            media_type=media_type,
            size=len(data),
        )
        session.add(row)
        session.flush()
        session.add(CaseAttachmentBlob(attachment_id=row.id or 0, content=data))
        made.append(FileInfo(row.id or 0, 0, filename, len(data)))
    return made


def _forget_oldest(session: Session, kind: str, ref: int, *, keep: int) -> None:
    """An uploader keeps at most ``MAX_STAGED`` staged files (pages left without sending
    leave theirs behind): the oldest beyond ``keep`` go."""
    old = session.exec(
        select(CaseAttachment.id)
        .where(
            CaseAttachment.uploader_kind == kind,
            CaseAttachment.uploader_ref == ref,
            col(CaseAttachment.entry_id).is_(None),
        )
        .order_by(col(CaseAttachment.id).desc())
        .offset(max(keep, 0))
    ).all()
    _delete(session, [i for i in old if i is not None])


STAGED_KEPT_FOR = timedelta(days=1)
SWEEP_BATCH = 500


def sweep_staged(session: Session, *, now: datetime | None = None) -> int:
    """Forget files staged longer than :data:`STAGED_KEPT_FOR` and never sent (a page left
    for good): at most :data:`SWEEP_BATCH` a round; how many went."""
    cutoff = (now or utcnow()) - STAGED_KEPT_FOR
    old = session.exec(
        select(CaseAttachment.id)
        .where(col(CaseAttachment.entry_id).is_(None), CaseAttachment.created_at < cutoff)
        .order_by(col(CaseAttachment.id))
        .limit(SWEEP_BATCH)
    ).all()
    ids = [i for i in old if i is not None]
    _delete(session, ids)
    return len(ids)


def _delete(session: Session, ids: list[int]) -> None:
    if not ids:
        return
    session.exec(delete(CaseAttachmentBlob).where(col(CaseAttachmentBlob.attachment_id).in_(ids)))
    session.exec(delete(CaseAttachment).where(col(CaseAttachment.id).in_(ids)))


def _staged_rows(
    session: Session, by: Attribution, *, company_id: int, ids: Sequence[int]
) -> list[CaseAttachment]:
    kind, ref = _uploader(by)
    wanted = [i for i in ids if isinstance(i, int) and not isinstance(i, bool)]
    if not wanted:
        return []
    return list(
        session.exec(
            select(CaseAttachment).where(
                col(CaseAttachment.id).in_(wanted[:MAX_FILES_PER_MESSAGE]),
                CaseAttachment.company_id == company_id,
                CaseAttachment.uploader_kind == kind,
                CaseAttachment.uploader_ref == ref,
                col(CaseAttachment.entry_id).is_(None),
            )
        ).all()
    )


def attach(session: Session, by: Attribution, entry: CaseEntry, ids: Sequence[int]) -> None:
    """Attach ``by``'s staged files ``ids`` to the entry just written (of its company)."""
    for row in _staged_rows(session, by, company_id=entry.company_id, ids=ids):
        row.case_id, row.entry_id = entry.case_id, entry.id
        session.add(row)


def discard(session: Session, by: Attribution, *, company_id: int, ids: Sequence[int]) -> None:
    """Forget ``by``'s staged files ``ids`` (the user took them off the message)."""
    rows = _staged_rows(session, by, company_id=company_id, ids=ids)
    _delete(session, [row.id for row in rows if row.id is not None])


def of_case(session: Session, case_id: int, *, internal: bool) -> list[FileInfo]:
    """The attached files of a case, oldest first; a note's files only if ``internal``."""
    query = (
        select(
            CaseAttachment.id, CaseAttachment.entry_id, CaseAttachment.filename, CaseAttachment.size
        )
        .join(CaseEntry, col(CaseEntry.id) == CaseAttachment.entry_id)
        .where(col(CaseAttachment.case_id) == case_id)
    )
    if not internal:
        query = query.where(col(CaseEntry.kind).not_in(list(INTERNAL_KINDS)))
    rows = session.exec(query.order_by(col(CaseAttachment.id))).all()
    return [FileInfo(i or 0, e or 0, name, size) for i, e, name, size in rows]


def content(
    session: Session, attachment_id: int | None, *, case_ids: Any, internal: bool
) -> FileContent:
    """The file if it is attached to an entry of one of ``case_ids`` (a select of the case
    ids the reader may see) and, for the customer's side, not to an internal note."""
    if attachment_id is None:
        raise ServiceError(REFUSED)
    query = (
        select(CaseAttachment, CaseAttachmentBlob)
        .join(CaseEntry, col(CaseEntry.id) == CaseAttachment.entry_id)
        .join(CaseAttachmentBlob, col(CaseAttachmentBlob.attachment_id) == CaseAttachment.id)
        .where(CaseAttachment.id == attachment_id, col(CaseAttachment.case_id).in_(case_ids))
    )
    if not internal:
        query = query.where(col(CaseEntry.kind).not_in(list(INTERNAL_KINDS)))
    found = session.exec(query).first()
    if found is None:
        raise ServiceError(REFUSED)
    row, blob = found
    return FileContent(row.filename, row.media_type, bytes(blob.content))
