"""Files on support cases: judged by their bytes (never by the name), at most 10 MB each and
five per message, all-or-nothing, attached with the message they came with, and handed out
only to those who may read the entry (never a seller's note's file to the customer)."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlmodel import func, select

from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.inputs import ATTACHMENT_MAX_BYTES, parse_attachment
from customer_center.models.case import CaseAttachment, CaseAttachmentBlob
from customer_center.models.staff import AccountTeamMember
from customer_center.services.cases import customer, seller
from customer_center.settings import get_settings
from tests.order_factories import Shop
from tests.staff_factories import agent_for, make_staff

SETTINGS = get_settings()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _workbook(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("offer.pdf", PDF, ("offer.pdf", "application/pdf")),
        ("invoice.exe", PDF, ("invoice.exe.pdf", "application/pdf")),  # the bytes decide
        ("photo.JPEG", b"\xff\xd8\xff\xe0rest", ("photo.jpg", "image/jpeg")),
        ("../../etc/shot.png", PNG, ("shot.png", "image/png")),
        ("C:\\Users\\x\\Liste ä.csv", b"a;b\n1;2\n", ("Liste ä.csv", "text/csv")),
        ('notes"<script>.txt', b"hello\r\n", ("notes_script_.txt", "text/plain")),
        ("book.xlsx", _workbook("[Content_Types].xml", "xl/workbook.xml"), None),
    ],
)
def test_allowed_files_get_a_safe_name_and_the_type_of_their_content(
    name: str, data: bytes, expected: tuple[str, str] | None
) -> None:
    found = parse_attachment(name, data)
    if expected is None:
        assert found[1].endswith("spreadsheetml.sheet") and found[0] == "book.xlsx"
    else:
        assert found == expected


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("page.pdf", b"<html><script>alert(1)</script>", None),  # text, but named .pdf
        ("x.pdf", b"MZ\x90\x00\x03", "cases.error.file_type"),  # a program named .pdf
        ("x.zip", _workbook("word/document.xml"), "cases.error.file_type"),
        ("x.xlsx", b"PK\x03\x04broken", "cases.error.file_type"),
        ("x.txt", b"\x00\x01\x02", "cases.error.file_type"),
        ("x.svg", b"\xef\xbb\xbf<svg onload=alert(1)>\x07", "cases.error.file_type"),
        ("empty.pdf", b"", "cases.error.file_empty"),
        ("big.pdf", b"%PDF-" + b"0" * ATTACHMENT_MAX_BYTES, "cases.error.file_too_big"),
        ("x.pdf", "not bytes", "cases.error.file_empty"),
    ],
)
def test_odd_files_are_refused_on_the_attachments_field(name: str, data: object, code) -> None:  # type: ignore[no-untyped-def]
    if code is None:  # HTML is plain text to us: it is only ever served as text/plain
        assert parse_attachment(name, data) == ("page.pdf.txt", "text/plain")
        return
    with pytest.raises(ValidationFailed) as refused:
        parse_attachment(name, data)
    assert refused.value.errors["attachments"][0] == code


@pytest.fixture
def shop(session) -> Shop:
    return Shop.create(session)


@pytest.fixture
def eva(shop: Shop):  # type: ignore[no-untyped-def]
    member = make_staff(shop.session, "eva@seller.example", name="Eva Ernst")
    shop.session.add(
        AccountTeamMember(company_id=shop.main.company_id, staff_id=member.id, team_role="agent")
    )
    shop.session.commit()
    return agent_for(shop.session, member)


def _count(shop: Shop) -> tuple[int, int]:
    rows = shop.session.exec(select(func.count()).select_from(CaseAttachment)).one()
    blobs = shop.session.exec(select(func.count()).select_from(CaseAttachmentBlob)).one()
    return rows, blobs


def _case_with_files(shop: Shop, eva) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """Ben opens a case with a PDF; Eva writes a note with a PNG. (case, pdf id, png id)"""
    ben = shop.actor(shop.ben)
    (pdf,) = customer.stage_files(shop.session, ben, staged=[], files=[("offer.pdf", PDF)])
    case_id = customer.open_case(
        shop.session,
        ben,
        subject="Broken",
        category="delivery",
        description="See the offer.",
        files=[pdf.id],
    )
    (png,) = seller.stage_files(
        shop.session, eva, case_id=case_id, staged=[], files=[("shot.png", PNG)]
    )
    seller.add_note(shop.session, eva, case_id=case_id, text="internal", files=[png.id])
    shop.session.commit()
    return case_id, pdf.id, png.id


def test_files_travel_with_their_entry_and_the_note_s_stay_with_the_seller(shop: Shop, eva) -> None:  # type: ignore[no-untyped-def]
    case_id, pdf, png = _case_with_files(shop, eva)
    ben = shop.actor(shop.ben)
    view = customer.read_case(shop.session, ben, case_id=case_id, settings=SETTINGS)
    assert [(f.id, f.name) for f in view.files] == [(pdf, "offer.pdf")]
    assert view.files[0].entry_id == view.entry_ids[0]
    agent_view = seller.read_case(shop.session, eva, case_id=case_id, settings=SETTINGS)
    assert [f.id for f in agent_view.files] == [pdf, png]
    assert customer.file_content(shop.session, ben, attachment_id=str(pdf)).content == PDF
    assert seller.file_content(shop.session, eva, attachment_id=str(png)).content == PNG
    for wanted in (str(png), "999999", "²", "-1", "", str(pdf) + "0" * 30):
        with pytest.raises(ServiceError, match="cases.error.file_refused"):
            customer.file_content(shop.session, ben, attachment_id=wanted)
    for outsider in (shop.other_main, shop.actor(shop.tina)):  # another company; no right
        with pytest.raises(ServiceError, match="cases.error.file_refused"):
            customer.file_content(shop.session, outsider, attachment_id=str(pdf))


def test_a_staged_file_is_nobody_s_and_goes_only_with_its_uploader_s_message(
    shop: Shop, eva
) -> None:  # type: ignore[no-untyped-def]
    case_id, _, _ = _case_with_files(shop, eva)
    ben, anna = shop.actor(shop.ben), shop.actor(shop.anna)
    (staged,) = customer.stage_files(shop.session, ben, staged=[], files=[("a.txt", b"hi")])
    with pytest.raises(ServiceError):  # not attached yet: not even Ben gets it
        customer.file_content(shop.session, ben, attachment_id=str(staged.id))
    # Anna cannot send Ben's staged file with her reply; Ben can.
    customer.reply(
        shop.session, anna, case_id=case_id, text="mine", settings=SETTINGS, files=[staged.id]
    )
    row = shop.session.get(CaseAttachment, staged.id)
    assert row is not None and row.entry_id is None
    customer.reply(
        shop.session, ben, case_id=case_id, text="here", settings=SETTINGS, files=[staged.id]
    )
    assert customer.file_content(shop.session, ben, attachment_id=str(staged.id)).content == b"hi"


def test_five_files_a_message_and_a_bad_one_keeps_none(shop: Shop) -> None:
    ben = shop.actor(shop.ben)
    before = _count(shop)
    with pytest.raises(ValidationFailed) as refused:
        customer.stage_files(
            shop.session, ben, staged=[], files=[("a.pdf", PDF), ("b.exe", b"MZ\x90\x00")]
        )
    assert refused.value.errors["attachments"][0] == "cases.error.file_type"
    assert _count(shop) == before
    kept = customer.stage_files(shop.session, ben, staged=[], files=[("a.pdf", PDF)] * 4)
    with pytest.raises(ValidationFailed) as too_many:
        customer.stage_files(
            shop.session, ben, staged=[f.id for f in kept], files=[("b.pdf", PDF)] * 2
        )
    assert too_many.value.errors["attachments"] == ("cases.error.too_many_files", {"max": 5})
    customer.discard_files(shop.session, ben, ids=[f.id for f in kept])
    assert _count(shop) == before


def test_an_uploader_keeps_at_most_twenty_staged_files_the_oldest_go(shop: Shop) -> None:
    ben = shop.actor(shop.ben)
    first = customer.stage_files(shop.session, ben, staged=[], files=[("a.txt", b"1")] * 5)
    for _ in range(4):  # four more pages left without sending
        customer.stage_files(shop.session, ben, staged=[], files=[("b.txt", b"2")] * 5)
    assert _count(shop) == (20, 20)
    assert shop.session.get(CaseAttachment, first[0].id) is None  # the oldest went
    anna = shop.actor(shop.anna)
    customer.stage_files(shop.session, anna, staged=[], files=[("c.txt", b"3")])
    assert _count(shop) == (21, 21)  # Anna's are hers: Ben's limit does not touch them
