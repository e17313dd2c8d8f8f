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
    # Several workers share the sessions' state through Redis. One process keeps it in
    # memory: Reflex's default (disk) pickles every changed state to .states and rescans
    # that folder after each write, about a quarter of the backend's CPU time under load.
    # After a restart, tabs hydrate again and every page reloads its data on load.
    state_manager_mode=rx.constants.StateManagerMode.REDIS
    if settings.redis_url
    else rx.constants.StateManagerMode.MEMORY,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="blue", gray_color="slate", radius="medium")
        )
    ],
    disable_plugins=[SitemapPlugin],
)
