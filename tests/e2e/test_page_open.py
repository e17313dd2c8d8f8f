"""Opening a page from the navigation or a link, in Chromium against the production build:
one event leaves the browser for it, and the navigation's pages are preloaded."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, WebSocket, expect

from tests.e2e.helpers import approval_company, place_motor_order, sign_in
from tests.factories import PASSWORD

DOMAIN = "pageopen.example"
ANNA = f"anna.approver@{DOMAIN}"
# The shell's session check, polled on a timer, is not part of opening a page.
POLL = "check_session"


@pytest.fixture(scope="module")
def order_id(portal: str) -> int:
    approval_company("E2E-OPEN", "Page Open GmbH", DOMAIN)
    return place_motor_order(f"ben.buyer@{DOMAIN}", 40, "pending_approval")


class SentEvents:
    """The names of the events the page sends over its websocket."""

    def __init__(self, page: Page) -> None:
        self.names: list[str] = []
        page.on("websocket", self._watch)

    def _watch(self, socket: WebSocket) -> None:
        socket.on("framesent", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        text = payload if isinstance(payload, str) else payload.decode()
        match = re.match(r"42/_event,(.*)", text, re.S)
        if match:
            kind, event = json.loads(match.group(1))[:2]
            if kind == "event":
                self.names.append(event["name"].rsplit(".", 1)[-1])

    def page_events(self) -> list[str]:
        return [name for name in self.names if name != POLL]


def test_opening_the_order_page_sends_one_event(page: Page, portal: str, order_id: int) -> None:
    events = SentEvents(page)
    sign_in(page, portal, ANNA, PASSWORD)
    expect(page.locator("#user-name")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Approvals")).first.click()
    row = page.locator(".approval-row").first
    expect(row).to_be_visible()
    events.names.clear()

    row.get_by_role("link").first.click()

    expect(page.locator("#order-actions")).to_be_visible()
    expect(page.locator("#order-number")).to_have_text(re.compile(r"PO-0*" + str(order_id)))
    assert events.page_events() == ["on_load_internal"]


def test_the_navigation_preloads_its_pages(page: Page, portal: str, order_id: int) -> None:
    sign_in(page, portal, ANNA, PASSWORD)
    expect(page.locator("#user-name")).to_be_visible()
    preloaded = page.locator('link[rel="modulepreload"][href*="approvals"]')
    expect(preloaded.first).to_be_attached()
