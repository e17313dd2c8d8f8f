"""Reading the PDFs the portal writes, strictly enough for tests (no PDF library needed)."""

from __future__ import annotations

import re


def pdf_objects(data: bytes) -> dict[int, bytes]:
    """The objects of a PDF found through its cross-reference table, checked on the way: the
    header, ``startxref`` pointing at ``xref``, each offset at its ``N 0 obj``, ``%%EOF``."""
    assert data.startswith(b"%PDF-1.")
    assert data.rstrip().endswith(b"%%EOF")
    start = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data).group(1))  # type: ignore[union-attr]
    assert data[start : start + 4] == b"xref"
    first, count = map(int, re.match(rb"xref\s+(\d+) (\d+)\s+", data[start:]).groups())  # type: ignore[union-attr]
    table = data[start:].split(b"trailer", 1)[0].splitlines()[2:]
    assert len(table) == count and first == 0
    trailer = data[start:].split(b"trailer", 1)[1]
    assert f"/Size {count}".encode() in trailer and b"/Root 1 0 R" in trailer
    objects = {}
    for number, entry in enumerate(table[1:], start=1):
        offset = int(entry[:10])
        assert entry[17:18] == b"n"
        header = f"{number} 0 obj".encode()
        assert data[offset : offset + len(header)] == header, number
        objects[number] = data[offset : data.index(b"endobj", offset)]
    streams = [o for o in objects.values() if b"stream" in o]
    for body in streams:
        length = int(re.search(rb"/Length (\d+)", body).group(1))  # type: ignore[union-attr]
        content = body.split(b"stream\n", 1)[1]
        assert content[length:].strip() == b"endstream"
    return objects


def page_text(objects: dict[int, bytes]) -> str:
    """The strings the page's content stream shows, decoded as the font's WinAnsi encoding."""
    shown = b"".join(re.findall(rb"\((.*?)(?<!\\)\) Tj", b"".join(objects.values())))
    unescaped = re.sub(rb"\\([()\\])", rb"\1", shown)
    return unescaped.decode("cp1252")
