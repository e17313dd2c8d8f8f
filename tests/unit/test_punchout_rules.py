"""Punchout rules without a database: origins, return addresses, the OCI form, cXML parsing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from customer_center.domain import punchout, punchout_cxml
from customer_center.domain.punchout import TransferLine
from customer_center.domain.punchout_cxml import CxmlRefused


def test_origins_are_normalised_and_anything_else_refused() -> None:
    valid, refused = punchout.parse_origins(
        "https://Buyer.Example\nhttps://s1.ariba.com:443, http://localhost:3000 ftp://x https://a/b"
    )
    assert valid == ["https://buyer.example", "https://s1.ariba.com", "http://localhost:3000"]
    assert refused == ["ftp://x", "https://a/b"]


@pytest.mark.parametrize(
    ("url", "dev", "problem"),
    [
        ("https://buyer.example/return", False, None),
        ("https://buyer.example:8443/return", False, "return_url_origin"),
        ("https://evil.example/return", False, "return_url_origin"),
        ("http://buyer.example/return", False, "return_url_not_https"),
        ("javascript:alert(1)", True, "return_url_invalid"),
        ("", True, "return_url_invalid"),
    ],
)
def test_the_cart_goes_back_only_to_the_connections_origins(url, dev, problem) -> None:
    allowed = ["https://buyer.example", "http://buyer.example"]
    assert punchout.return_url_problem(url, allowed, dev) == problem


def test_the_oci_form_numbers_lines_and_wraps_long_texts() -> None:
    line = TransferLine(
        sku="BOLT-10",
        name="Hex bolt M10",
        description="x" * 140,
        quantity=3,
        unit="pc",
        unit_price=Decimal("1.2"),
        currency="EUR",
        unspsc="31161600",
        lead_time_days=2,
    )
    fields = punchout.oci_fields([line], "PO-1", {"~OkCode": "ADDI", "~TARGET": ""})
    assert fields[0] == ("~OkCode", "ADDI") and ("~TARGET", "") not in fields
    found = dict(fields)
    assert found["NEW_ITEM-PRICE[1]"] == "1.20" and found["NEW_ITEM-UNIT[1]"] == "PC"
    assert found["NEW_ITEM-MATGROUP[1]"] == "31161600" and found["NEW_ITEM-LEADTIME[1]"] == "2"
    texts = [v for k, v in fields if k == "NEW_ITEM-LONGTEXT_1:132[]"]
    assert [len(t) for t in texts] == [132, 8]


def test_secrets_compare_by_value() -> None:
    assert punchout.same_secret("ab" * 32, "ab" * 32)
    assert not punchout.same_secret("ab" * 32, "ac" * 32)


def test_cxml_that_is_not_cxml_or_too_large_is_refused() -> None:
    with pytest.raises(CxmlRefused) as not_cxml:
        punchout_cxml.parse(b"<html/>")
    assert not_cxml.value.code == "not_cxml"
    with pytest.raises(CxmlRefused) as broken:
        punchout_cxml.parse(b"<cXML>")
    assert broken.value.code == "not_xml"
    with pytest.raises(CxmlRefused) as large:
        punchout_cxml.parse(b" " * (punchout.MAX_MESSAGE_BYTES + 1))
    assert large.value.status == 413


def test_a_setup_request_without_sender_credential_is_unauthorised() -> None:
    root = punchout_cxml.parse(
        b'<cXML payloadID="1" timestamp="t"><Header/><Request>'
        b'<PunchOutSetupRequest operation="create"><BuyerCookie>c</BuyerCookie>'
        b"</PunchOutSetupRequest></Request></cXML>"
    )
    with pytest.raises(CxmlRefused) as refused:
        punchout_cxml.setup_request(root)
    assert refused.value.status == 401


@pytest.mark.parametrize("quantity", ["0", "1.5", "abc", "100000"])
def test_odd_quantities_are_refused(quantity) -> None:
    root = punchout_cxml.parse(
        b'<cXML payloadID="1" timestamp="t"><Header><Sender><Credential domain="d">'
        b"<Identity>i</Identity></Credential></Sender></Header><Request>"
        b'<PunchOutSetupRequest operation="edit"><BuyerCookie>c</BuyerCookie>'
        b'<ItemOut quantity="' + quantity.encode() + b'"><ItemID><SupplierPartID>A</SupplierPartID>'
        b"</ItemID></ItemOut></PunchOutSetupRequest></Request></cXML>"
    )
    with pytest.raises(CxmlRefused) as refused:
        punchout_cxml.setup_request(root)
    assert refused.value.code == "quantity"
