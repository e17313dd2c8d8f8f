"""Reading the files a case page's drop zone sends, bounded before anything is kept: at most
one file more than a message may carry, each read to one byte past the size limit, so that
the service (:mod:`customer_center.services.cases.attachments`) refuses what is too much
instead of the worker holding it."""

from __future__ import annotations

from typing import Any

import reflex as rx

from customer_center.domain.cases import MAX_FILES_PER_MESSAGE
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import ATTACHMENT_MAX_BYTES
from customer_center.presenters import cases as words
from customer_center.services.cases.attachments import FileInfo
from customer_center.state.base import field_errors, in_transaction


async def read_uploads(files: Any) -> list[tuple[str, bytes]]:
    """(name, bytes) of each uploaded file; anything that is not a file is left out."""
    chosen = files[: MAX_FILES_PER_MESSAGE + 1] if isinstance(files, list) else []
    found = []
    for upload in chosen:
        if isinstance(upload, rx.UploadFile):
            found.append(
                ((upload.filename or "")[:480], await upload.read(ATTACHMENT_MAX_BYTES + 1))
            )
    return found


def staged_rows(files: list[FileInfo], lang: str) -> list[dict[str, str]]:
    return [{"name": f.name, "size": words.file_size(f.size, lang)} for f in files]


async def stage_into(state: Any, fn: Any, principal: Any, files: Any, **kwargs: Any) -> None:
    """Stage the dropped ``files`` through the service ``fn`` for the state's next message:
    all kept and listed, or none and the reason next to the drop zone."""
    found = await read_uploads(files)
    if not found:
        return
    try:
        made = await in_transaction(
            fn, principal, staged=list(state._staged), files=found, **kwargs
        )
    except ServiceError as error:
        found_errors = field_errors(error, state.lang)
        text = found_errors.get("attachments") or next(iter(found_errors.values()), "")
        state.errors = {"attachments": text}
        return
    state._staged = [*state._staged, *(f.id for f in made)]
    state._staged_files = [*state._staged_files, *made]
    state.staged = staged_rows(state._staged_files, state.lang)
    state.errors = {}


def clear_staged(state: Any) -> None:
    state._staged, state._staged_files, state.staged = [], [], []
