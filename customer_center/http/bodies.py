"""Request bodies of the plain HTTP routes, read with a size limit."""

from __future__ import annotations

from starlette.requests import Request

from customer_center.domain.inputs import parse_whole

MAX_BODY_BYTES = 1024 * 1024


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes | None:
    """The body, or ``None`` once it grows past ``limit`` bytes (declared or sent)."""
    declared = parse_whole(request.headers.get("content-length", ""), 10**18)
    if declared is not None and declared > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
