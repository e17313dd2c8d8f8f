"""A one-page PDF data sheet of a product, written by hand (PDF 1.4, no dependency).

Text only, in the PDF standard fonts Helvetica and Helvetica-Bold with WinAnsi encoding (so
``°``, ``ä`` and ``€`` print; a character outside it prints as ``?``). The output is the same
bytes for the same input: no dates, no ids.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
WRAP_AT = 80  # characters of 11 pt Helvetica that fit between the margins


@dataclass(frozen=True)
class Line:
    text: str
    size: int = 11
    bold: bool = False
    gap: int = 0  # extra space above, in points


@dataclass(frozen=True)
class DataSheet:
    title: str
    sku: str
    facts: list[tuple[str, str]]  # (label, value), in order
    footer: str = ""


def render_datasheet(sheet: DataSheet) -> bytes:
    """The data sheet as the bytes of a valid PDF file."""
    lines = [Line("Product data sheet", 10), Line(sheet.title, 18, bold=True, gap=6)]
    for label, value in sheet.facts:
        lines.append(Line(label, 9, bold=True, gap=10))
        lines += [Line(part) for part in textwrap.wrap(value, WRAP_AT) or [""]]
    if sheet.footer:
        lines.append(Line(sheet.footer, 8, gap=24))
    return _pdf(_content_stream(lines), title=f"{sheet.sku} {sheet.title}")


def _content_stream(lines: list[Line]) -> bytes:
    commands = []
    y = PAGE_HEIGHT - MARGIN
    for line in lines:
        y -= line.size + 4 + line.gap
        font = "F2" if line.bold else "F1"
        commands.append(f"BT /{font} {line.size} Tf {MARGIN} {y} Td ({_escape(line.text)}) Tj ET")
    return "\n".join(commands).encode("cp1252")


def _escape(text: str) -> str:
    """A PDF literal string's content: WinAnsi characters only, ``\\ ( )`` escaped."""
    printable = text.encode("cp1252", errors="replace").decode("cp1252")
    printable = "".join(c if c >= " " else " " for c in printable)
    return printable.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _pdf(content: bytes, title: str) -> bytes:
    font = "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            "/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"
        ).encode(),
        font.format("Helvetica").encode(),
        font.format("Helvetica-Bold").encode(),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        f"<< /Title ({_escape(title)}) /Producer (Customer Center) >>".encode("cp1252"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (
        len(objects) + 1,
        len(objects),
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
