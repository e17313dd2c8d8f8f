"""The framework's floor: a blank Reflex counter, built and served like the portal."""

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

config = rx.Config(
    app_name="floor_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="blue"))],
    disable_plugins=[SitemapPlugin],
)
