"""A buyer's procurement system, simulated in the test suite: it builds cXML from fixtures
shaped like SAP Ariba's and Coupa's, reads our answers, and checks every cXML document the
portal sends against the cXML DTD (the punchout part of cXML 1.2, shipped in
``tests/punchout_data``) with lxml: no network, no entity expansion."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from lxml import etree
from sqlmodel import Session

from customer_center.domain.principals import SellerAgent
from customer_center.integrations.erp.tables import ErpCustomerRow, ErpProductRow
from customer_center.services.punchout.connections import ConnectionForm, create_connection

DATA = Path(__file__).parent / "punchout_data"
DTD = etree.DTD(str(DATA / "cXML-1.2-punchout.dtd"))
BUYER_ORIGIN = "https://buyer.ariba.example"
RETURN_URL = f"{BUYER_ORIGIN}/Buyer/punchout/return"
PRODUCTS = {"BOLT-10": ("Hex bolt M10", "1.20"), "NUT-10": ("Hex nut M10", "0.35")}


def validated(text: str | bytes) -> etree._Element:
    """Parse a cXML document without fetching its DTD and validate it against ours."""
    parser = etree.XMLParser(
        no_network=True, load_dtd=False, resolve_entities=False, huge_tree=False
    )
    data = text.encode("utf-8") if isinstance(text, str) else text
    root = etree.fromstring(data, parser)
    if not DTD.validate(root):
        raise AssertionError(f"not valid cXML: {DTD.error_log.filter_from_errors()}")
    return root


def seed_erp(session: Session, customer_number: str) -> None:
    """The embedded ERP's customer record and two products at list price."""
    session.add(ErpCustomerRow(customer_number=customer_number, name="Acme", allowed=True))
    for sku, (name, price) in PRODUCTS.items():
        if session.get(ErpProductRow, sku) is None:
            session.add(ErpProductRow(sku=sku, name=name, unit="pc", list_price=Decimal(price)))
    session.commit()


@dataclass
class Buyer:
    """One procurement system's side of a connection."""

    domain: str
    identity: str
    secret: str
    return_url: str = RETURN_URL

    def setup(
        self,
        *,
        email: str,
        fixture: str = "ariba_setup.xml",
        operation: str = "create",
        cookie: str = "cookie-1",
        cost_center: str = "4711",
        items: list[tuple[str, int, str]] | None = None,
        secret: str | None = None,
    ) -> bytes:
        item_xml = "".join(
            f'      <ItemOut quantity="{q}"><ItemID><SupplierPartID>{sku}</SupplierPartID>'
            f"<SupplierPartAuxiliaryID>{aux}</SupplierPartAuxiliaryID></ItemID></ItemOut>\n"
            for sku, q, aux in items or []
        )
        text = (
            (DATA / fixture)
            .read_text()
            .format(
                sender_domain=self.domain,
                sender_identity=self.identity,
                shared_secret=self.secret if secret is None else secret,
                operation=operation,
                buyer_cookie=cookie,
                cost_center=cost_center,
                email=email,
                return_url=self.return_url,
                items=item_xml,
            )
        )
        validated(text)  # the simulator sends only what a real system would
        return text.encode("utf-8")

    def order(
        self,
        *,
        email: str,
        order_id: str,
        payload_id: str,
        lines: list[tuple[str, int, str, str]],  # sku, quantity, auxiliary id, unit price
        order_type: str = "new",
        secret: str | None = None,
    ) -> bytes:
        items = "".join(
            f'      <ItemOut quantity="{q}" lineNumber="{n}"><ItemID>'
            f"<SupplierPartID>{sku}</SupplierPartID>"
            f"<SupplierPartAuxiliaryID>{aux}</SupplierPartAuxiliaryID></ItemID>"
            f'<ItemDetail><UnitPrice><Money currency="EUR">{price}</Money></UnitPrice>'
            f'<Description xml:lang="en">{sku}</Description><UnitOfMeasure>EA</UnitOfMeasure>'
            f'<Classification domain="UNSPSC">31161600</Classification></ItemDetail></ItemOut>\n'
            for n, (sku, q, aux, price) in enumerate(lines, start=1)
        )
        total = sum(Decimal(price) * q for _s, q, _a, price in lines)
        text = (
            (DATA / "order_request.xml")
            .read_text()
            .format(
                payload_id=payload_id,
                sender_domain=self.domain,
                sender_identity=self.identity,
                shared_secret=self.secret if secret is None else secret,
                order_id=order_id,
                order_type=order_type,
                total=f"{total:.2f}",
                email=email,
                items=items,
            )
        )
        validated(text)
        return text.encode("utf-8")


def start_url(answer: str | bytes) -> str:
    root = validated(answer)
    assert root.findtext("Response/Status/[@code='200']") is not None or (
        root.find("Response/Status").get("code") == "200"  # type: ignore[union-attr]
    )
    url = root.findtext("Response/PunchOutSetupResponse/StartPage/URL")
    assert url
    return url


def status_of(answer: str | bytes) -> tuple[str, str]:
    status = validated(answer).find("Response/Status")
    assert status is not None
    return status.get("code", ""), status.get("text", "")


def connect(
    session: Session,
    agent: SellerAgent,
    company_id: int,
    *,
    protocol: str = "cxml",
    identity: str = "AN01000000001",
    mapping: str = "4711 = buyer\n9000 = controller",
    origins: str = BUYER_ORIGIN,
) -> Buyer:
    """A connection made by the seller's staff, and the buyer's side of it."""
    _id, secret = create_connection(
        session,
        agent,
        company_id=company_id,
        form=ConnectionForm(
            name=f"{protocol} test",
            protocol=protocol,
            identity_domain="NetworkID" if protocol == "cxml" else "",
            identity=identity,
            default_role="technician",
            role_field="CostCenter" if protocol == "cxml" else "COST_CENTER",
            role_mapping=mapping,
            user_field="USER_EMAIL",
            origins=origins,
        ),
    )
    session.commit()
    return Buyer("NetworkID", identity, secret)
