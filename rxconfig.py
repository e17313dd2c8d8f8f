import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from customer_center.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="customer_center",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    cors_allowed_origins=list(settings.cors_origins),
    redis_url=settings.redis_url or None,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="blue", gray_color="slate", radius="medium")
        )
    ],
    disable_plugins=[SitemapPlugin],
)
