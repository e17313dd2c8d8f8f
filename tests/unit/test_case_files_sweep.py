"""The background round forgets case files staged more than a day ago and never sent (a page
left for good), bytes and all; files sent with a message, and ones staged today, stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from customer_center.background import sweep_once
from customer_center.models.base import utcnow
from customer_center.models.case import CaseAttachment, CaseAttachmentBlob
from customer_center.services.cases import customer
from customer_center.settings import get_settings
from tests.order_factories import Shop


@pytest.fixture
def shop(session) -> Shop:  # type: ignore[no-untyped-def]
    return Shop.create(session)


def _age(session: Session, ids: list[int], days: float) -> None:
    for row in session.exec(select(CaseAttachment).where(col(CaseAttachment.id).in_(ids))):
        row.created_at = utcnow() - timedelta(days=days)
        session.add(row)
    session.commit()


def _left(session: Session) -> tuple[set[int], set[int]]:
    session.expire_all()
    rows = {r.id for r in session.exec(select(CaseAttachment))}
    blobs = {b.attachment_id for b in session.exec(select(CaseAttachmentBlob))}
    return rows, blobs  # type: ignore[return-value]


def test_the_round_sweeps_only_old_staged_files(shop: Shop) -> None:
    ben, anna = shop.actor(shop.ben), shop.actor(shop.anna)
    left = customer.stage_files(shop.session, ben, staged=[], files=[("a.txt", b"1")] * 2)
    today = customer.stage_files(shop.session, anna, staged=[], files=[("b.txt", b"2")])
    sent = customer.stage_files(shop.session, ben, staged=[], files=[("c.txt", b"3")])
    customer.open_case(
        shop.session,
        ben,
        subject="Old photo",
        category="delivery",
        description="See the file.",
        files=[sent[0].id],
        settings=get_settings(),
    )
    shop.session.commit()
    old = [f.id for f in left] + [sent[0].id]
    _age(shop.session, old, days=2)
    _age(shop.session, [today[0].id], days=0.9)
    sweep_once()
    kept = {today[0].id, sent[0].id}
    assert _left(shop.session) == (kept, kept)
    sweep_once()  # nothing more to do
    assert _left(shop.session) == (kept, kept)
