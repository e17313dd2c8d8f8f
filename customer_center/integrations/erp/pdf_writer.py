"""A small PDF writer by hand (PDF 1.4, no dependency): lines of text, pages as needed.

Text only, in the PDF standard fonts Helvetica and Helvetica-Bold with WinAnsi encoding (so
``°``, ``ä`` and ``€`` print; a character outside it prints as ``?``). A line is either one
text at the left margin or cells at given positions, a cell optionally right-aligned (for
amounts; widths from Helvetica's metrics). The output is the same bytes for the same input:
no dates, no ids. Used by the data sheets and the documents of the embedded ERP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
RIGHT_EDGE = PAGE_WIDTH - MARGIN

# Helvetica advance widths (1/1000 em) of the characters amounts are made of; others ~556.
_WIDTHS = {" ": 278, ".": 278, ",": 278, "-": 333, "%": 889, "€": 556, "(": 333, ")": 333}


@dataclass(frozen=True)
class Cell:
    text: str
    x: int  # the left edge, or the right edge when ``right``
    right: bool = False


@dataclass(frozen=True)
class Line:
    text: str = ""
    size: int = 11
    bold: bool = False
    gap: int = 0  # extra space above, in points
    cells: tuple[Cell, ...] = ()  # when given, shown instead of ``text``


def text_width(text: str, size: int) -> float:
    """The width of ``text`` in points (bold is treated like regular: close enough here)."""
    return sum(_WIDTHS.get(c, 556) for c in text) * size / 1000


def render_lines(lines: Sequence[Line], *, title: str) -> bytes:
    """The lines, top to bottom, on as many A4 pages as they need, as a PDF file's bytes."""
    return _pdf([_content_stream(page) for page in _pages(lines)], title=title)


def _pages(lines: Sequence[Line]) -> list[list[tuple[Line, int]]]:
    pages: list[list[tuple[Line, int]]] = [[]]
    y = PAGE_HEIGHT - MARGIN
    for line in lines:
        y -= line.size + 4 + line.gap
        if y < MARGIN and pages[-1]:
            pages.append([])
            y = PAGE_HEIGHT - MARGIN - line.size - 4
        pages[-1].append((line, y))
    return pages


def _content_stream(placed: list[tuple[Line, int]]) -> bytes:
    commands = []
    for line, y in placed:
        font = "F2" if line.bold else "F1"
        for cell in line.cells or (Cell(line.text, MARGIN),):
            x = cell.x - text_width(cell.text, line.size) if cell.right else cell.x
            commands.append(f"BT /{font} {line.size} Tf {x:.2f} {y} Td ({escape(cell.text)}) Tj ET")
    return "\n".join(commands).encode("cp1252")


def escape(text: str) -> str:
    """A PDF literal string's content: WinAnsi characters only, ``\\ ( )`` escaped."""
    printable = text.encode("cp1252", errors="replace").decode("cp1252")
    printable = "".join(c if c >= " " else " " for c in printable)
    return printable.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _pdf(contents: list[bytes], title: str) -> bytes:
    font = "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>"
    first_page = 5  # objects 1-4: catalog, pages, two fonts; then a page and its content each
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(contents)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(contents)} >>".encode(),
        font.format("Helvetica").encode(),
        font.format("Helvetica-Bold").encode(),
    ]
    for index, content in enumerate(contents):
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
                "/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
                f"/Contents {first_page + 2 * index + 1} 0 R >>"
            ).encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    objects.append(f"<< /Title ({escape(title)}) /Producer (Customer Center) >>".encode("cp1252"))
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
