"""The ERP port and its implementations; :func:`build_erp_client` picks one by setting."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from customer_center.integrations.erp.protocol import ErpClient
from customer_center.settings import Settings

EMBEDDED = "embedded"


def build_erp_client(settings: Settings, engine: Engine) -> ErpClient:
    """The ERP client named by ``settings.erp`` (``CC_ERP``)."""
    if settings.erp == EMBEDDED:
        from customer_center.integrations.erp.embedded import EmbeddedErpClient

        return EmbeddedErpClient(engine)
    raise ValueError(
        f"CC_ERP={settings.erp!r} is not supported: the only ERP client so far is "
        f"{EMBEDDED!r} (the HTTP client is not implemented yet)"
    )
