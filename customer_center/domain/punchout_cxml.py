"""cXML 1.2 for punchout: reading PunchOutSetupRequest and OrderRequest safely, writing the
PunchOutSetupResponse, the PunchOutOrderMessage and the Status answers.

Parsing goes through defusedxml: no entity is expanded (XML bombs, external entities are
refused), no DTD is fetched, and the size is checked before parsing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - building only; parsing goes through defusedxml
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from customer_center.domain.punchout import MAX_ITEMS, MAX_MESSAGE_BYTES, TransferLine

DOCTYPE = '<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd">'
VERSION = "1.2.014"
TEXT_MAX = 500


class CxmlRefused(Exception):
    """The message cannot be taken: ``status`` is the cXML/HTTP status to answer."""

    def __init__(self, status: int, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Credential:
    domain: str
    identity: str
    secret: str = ""


@dataclass(frozen=True)
class Address:
    name: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""


@dataclass(frozen=True)
class ItemOut:
    sku: str
    auxiliary_id: str
    quantity: int
    unit_price: Decimal | None = None
    currency: str = ""


@dataclass(frozen=True)
class SetupRequest:
    payload_id: str
    sender: Credential
    buyer: list[Credential]  # From: the buyer's credentials (the To of our answers)
    supplier: list[Credential]  # To: our identity as the buyer knows it
    operation: str
    buyer_cookie: str
    return_url: str
    extrinsics: dict[str, str]
    email: str
    name: str
    items: list[ItemOut] = field(default_factory=list)


@dataclass(frozen=True)
class OrderRequest:
    payload_id: str
    sender: Credential
    order_id: str
    order_type: str  # new | update | delete
    currency: str
    total: Decimal | None
    ship_to: Address
    bill_to: Address
    extrinsics: dict[str, str]
    email: str
    items: list[ItemOut]


def _text(node: ET.Element | None, limit: int = TEXT_MAX) -> str:
    if node is None:
        return ""
    return "".join(node.itertext()).strip()[:limit]


def parse(data: bytes) -> ET.Element:
    """The root ``cXML`` element of a message: too large, not XML, with entities or not cXML
    is refused (400/413)."""
    if len(data) > MAX_MESSAGE_BYTES:
        raise CxmlRefused(413, "too_large")
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise CxmlRefused(400, "entities", type(error).__name__) from error
    except ET.ParseError as error:
        raise CxmlRefused(400, "not_xml", str(error)[:200]) from error
    if root.tag != "cXML":
        raise CxmlRefused(400, "not_cxml")
    return root


def _credentials(root: ET.Element, path: str) -> list[Credential]:
    return [
        Credential(
            domain=(c.get("domain") or "")[:100],
            identity=_text(c.find("Identity"), 200),
            secret=_text(c.find("SharedSecret"), 200),
        )
        for c in root.findall(path)
    ]


def _sender(root: ET.Element) -> Credential:
    found = _credentials(root, "Header/Sender/Credential")
    if not found or not found[0].identity:
        raise CxmlRefused(401, "no_credential")
    return found[0]


def _extrinsics(node: ET.Element | None) -> dict[str, str]:
    if node is None:
        return {}
    return {(e.get("name") or "")[:100]: _text(e) for e in node.findall("Extrinsic")}


def _end_user(node: ET.Element) -> tuple[str, str]:
    """(e-mail, name) of ``Contact role="endUser"`` (or the first contact)."""
    contacts = node.findall("Contact")
    contact = next((c for c in contacts if c.get("role") == "endUser"), None)
    contact = contact if contact is not None else (contacts[0] if contacts else None)
    if contact is None:
        return "", ""
    return _text(contact.find("Email"), 254), _text(contact.find("Name"), 200)


def _quantity(value: str | None) -> int:
    try:
        number = Decimal((value or "").strip())
    except InvalidOperation as error:
        raise CxmlRefused(400, "quantity") from error
    if number != number.to_integral_value() or not 1 <= number <= 9_999:
        raise CxmlRefused(400, "quantity")
    return int(number)


def _money(node: ET.Element | None) -> tuple[Decimal | None, str]:
    if node is None:
        return None, ""
    try:
        amount = Decimal(_text(node, 40))
    except InvalidOperation:
        return None, ""
    return amount, (node.get("currency") or "")[:3]


def _items(node: ET.Element) -> list[ItemOut]:
    found = node.findall("ItemOut")
    if len(found) > MAX_ITEMS:
        raise CxmlRefused(400, "too_many_items")
    items = []
    for item in found:
        price, currency = _money(item.find("ItemDetail/UnitPrice/Money"))
        items.append(
            ItemOut(
                sku=_text(item.find("ItemID/SupplierPartID"), 64),
                auxiliary_id=_text(item.find("ItemID/SupplierPartAuxiliaryID"), 100),
                quantity=_quantity(item.get("quantity")),
                unit_price=price,
                currency=currency,
            )
        )
    return items


def setup_request(root: ET.Element) -> SetupRequest:
    node = root.find("Request/PunchOutSetupRequest")
    if node is None:
        raise CxmlRefused(400, "not_setup_request")
    operation = node.get("operation") or ""
    if operation not in ("create", "edit", "inspect"):
        raise CxmlRefused(400, "operation")
    extrinsics = _extrinsics(node)
    email, name = _end_user(node)
    first, last = extrinsics.get("FirstName", ""), extrinsics.get("LastName", "")
    return SetupRequest(
        payload_id=(root.get("payloadID") or "")[:250],
        sender=_sender(root),
        buyer=_credentials(root, "Header/From/Credential"),
        supplier=_credentials(root, "Header/To/Credential"),
        operation=operation,
        buyer_cookie=_text(node.find("BuyerCookie")),
        return_url=_text(node.find("BrowserFormPost/URL"), 2000),
        extrinsics=extrinsics,
        email=extrinsics.get("UserEmail") or email,
        name=" ".join(p for p in (first, last) if p) or name or extrinsics.get("UniqueName", ""),
        items=_items(node) if operation != "create" else [],
    )


def _address(node: ET.Element | None) -> Address:
    if node is None:
        return Address()
    postal = node.find("Address/PostalAddress")
    return Address(
        name=_text(node.find("Address/Name"), 200),
        street=", ".join(_text(s, 200) for s in postal.findall("Street"))[:200]
        if postal is not None
        else "",
        postal_code=_text(postal.find("PostalCode"), 20) if postal is not None else "",
        city=_text(postal.find("City"), 100) if postal is not None else "",
        country=(postal.find("Country").get("isoCountryCode") or "")[:2]  # type: ignore[union-attr]
        if postal is not None and postal.find("Country") is not None
        else "",
    )


def order_request(root: ET.Element) -> OrderRequest:
    node = root.find("Request/OrderRequest")
    header = node.find("OrderRequestHeader") if node is not None else None
    if node is None or header is None:
        raise CxmlRefused(400, "not_order_request")
    order_type = header.get("type") or "new"
    if order_type not in ("new", "update", "delete"):
        raise CxmlRefused(400, "order_type")
    total, currency = _money(header.find("Total/Money"))
    email, _name = _end_user(header)
    extrinsics = _extrinsics(header)
    return OrderRequest(
        payload_id=(root.get("payloadID") or "")[:250],
        sender=_sender(root),
        order_id=(header.get("orderID") or "")[:100],
        order_type=order_type,
        currency=currency,
        total=total,
        ship_to=_address(header.find("ShipTo")),
        bill_to=_address(header.find("BillTo")),
        extrinsics=extrinsics,
        email=extrinsics.get("UserEmail") or email,
        items=_items(node),
    )


# --- writing -----------------------------------------------------------------------------


def _document(root: ET.Element) -> str:
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{DOCTYPE}\n{body}'


def _envelope(payload_id: str, now: datetime) -> ET.Element:
    return ET.Element(
        "cXML",
        {
            "version": VERSION,
            "payloadID": payload_id,
            "timestamp": now.isoformat(timespec="seconds"),
            "xml:lang": "en-US",
        },
    )


def status_response(payload_id: str, now: datetime, code: int, text: str) -> str:
    root = _envelope(payload_id, now)
    response = ET.SubElement(root, "Response")
    ET.SubElement(response, "Status", {"code": str(code), "text": text})
    return _document(root)


def setup_response(payload_id: str, now: datetime, start_url: str) -> str:
    root = _envelope(payload_id, now)
    response = ET.SubElement(root, "Response")
    ET.SubElement(response, "Status", {"code": "200", "text": "OK"})
    start = ET.SubElement(ET.SubElement(response, "PunchOutSetupResponse"), "StartPage")
    ET.SubElement(start, "URL").text = start_url
    return _document(root)


def _credential(parent: ET.Element, credential: Credential) -> None:
    node = ET.SubElement(parent, "Credential", {"domain": credential.domain or "NetworkID"})
    ET.SubElement(node, "Identity").text = credential.identity


def _header(root: ET.Element, supplier: Credential, buyer: Sequence[Credential]) -> None:
    header = ET.SubElement(root, "Header")
    _credential(ET.SubElement(header, "From"), supplier)
    to = ET.SubElement(header, "To")
    for credential in buyer or [Credential("NetworkID", "buyer")]:
        _credential(to, credential)
    sender = ET.SubElement(header, "Sender")
    _credential(sender, supplier)
    ET.SubElement(sender, "UserAgent").text = "Customer Center"


def _money_node(parent: ET.Element, amount: Decimal, currency: str) -> None:
    ET.SubElement(parent, "Money", {"currency": currency}).text = f"{amount:.2f}"


def _item_in(parent: ET.Element, number: int, line: TransferLine, reference: str) -> None:
    item = ET.SubElement(
        parent, "ItemIn", {"quantity": str(line.quantity), "lineNumber": str(number)}
    )
    item_id = ET.SubElement(item, "ItemID")
    ET.SubElement(item_id, "SupplierPartID").text = line.sku
    ET.SubElement(item_id, "SupplierPartAuxiliaryID").text = reference
    detail = ET.SubElement(item, "ItemDetail")
    _money_node(ET.SubElement(detail, "UnitPrice"), line.unit_price, line.currency)
    ET.SubElement(detail, "Description", {"xml:lang": "en"}).text = line.name
    ET.SubElement(detail, "UnitOfMeasure").text = (line.unit or "EA").upper()[:3]
    if line.unspsc:
        ET.SubElement(detail, "Classification", {"domain": "UNSPSC"}).text = line.unspsc
    else:  # the DTD wants one classification: the supplier's own part number
        ET.SubElement(detail, "Classification", {"domain": "SupplierPartID"}).text = line.sku
    if line.lead_time_days is not None:
        ET.SubElement(detail, "LeadTime").text = str(line.lead_time_days)


@dataclass(frozen=True)
class OrderMessage:
    payload_id: str
    now: datetime
    supplier: Credential
    buyer: Sequence[Credential]
    buyer_cookie: str
    reference: str
    currency: str
    operation_allowed: str  # edit | inspect
    lines: Sequence[TransferLine]


def order_message(message: OrderMessage) -> str:
    """The PunchOutOrderMessage: the cart, priced, one ItemIn per line."""
    root = _envelope(message.payload_id, message.now)
    _header(root, message.supplier, message.buyer)
    body = ET.SubElement(ET.SubElement(root, "Message"), "PunchOutOrderMessage")
    ET.SubElement(body, "BuyerCookie").text = message.buyer_cookie
    head = ET.SubElement(
        body, "PunchOutOrderMessageHeader", {"operationAllowed": message.operation_allowed}
    )
    total = sum((line.unit_price * line.quantity for line in message.lines), Decimal(0))
    _money_node(ET.SubElement(head, "Total"), total, message.currency)
    for number, line in enumerate(message.lines, start=1):
        _item_in(body, number, line, message.reference)
    return _document(root)
