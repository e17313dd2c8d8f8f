"""The adapters the services work with, built once per process from the settings."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial

from customer_center.db import get_engine
from customer_center.integrations import dns_txt
from customer_center.integrations.erp import build_erp_client
from customer_center.integrations.erp.protocol import ErpClient
from customer_center.integrations.erp.transaction_guard import guarded
from customer_center.settings import get_settings


@lru_cache(maxsize=1)
def erp_client() -> ErpClient:
    """The ERP, guarded: no call while a database transaction is open (see
    ``integrations/erp/transaction_guard.py``)."""
    return guarded(build_erp_client(get_settings(), get_engine()))


def txt_lookup() -> Callable[[str], frozenset[str]]:
    """Where TXT records are read from (the DNS server the settings name)."""
    return partial(dns_txt.txt_values, get_settings())
