"""The ERP port and its implementations; :func:`build_erp_client` picks one by setting."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from customer_center.integrations.erp.protocol import ErpClient
from customer_center.settings import Settings

EMBEDDED = "embedded"
HTTP = "http"


def build_erp_client(settings: Settings, engine: Engine) -> ErpClient:
    """The ERP client named by ``settings.erp`` (``CC_ERP``)."""
    if settings.erp == EMBEDDED:
        from customer_center.integrations.erp.embedded import EmbeddedErpClient

        return EmbeddedErpClient(engine)
    if settings.erp == HTTP:
        return build_http_erp_client(settings)
    raise ValueError(f"CC_ERP={settings.erp!r} is not supported: use {EMBEDDED!r} or {HTTP!r}")


def build_http_erp_client(settings: Settings) -> ErpClient:
    """``CC_ERP=http``: the ERP at ``CC_ERP_URL`` (see the README, "Connecting your ERP")."""
    from customer_center.integrations.erp.http.client import HttpErpClient
    from customer_center.integrations.erp.http.price_cache import PriceCache
    from customer_center.integrations.erp.http.price_invalidation import generations_for
    from customer_center.integrations.erp.http.transport import ErpHttp, build_http_client

    if not settings.erp_url:
        raise ValueError("CC_ERP=http needs CC_ERP_URL, the ERP's base address")
    client = build_http_client(
        settings.erp_url,
        timeout=settings.erp_timeout,
        token=settings.erp_token,
        token_url=settings.erp_token_url,
        client_id=settings.erp_client_id,
        client_secret=settings.erp_client_secret,
    )
    http = ErpHttp(client, timeout=settings.erp_timeout)
    prices = PriceCache(settings.erp_price_ttl, generations=generations_for(settings.redis_url))
    return HttpErpClient(http, prices)
