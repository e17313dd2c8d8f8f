"""A counter and nothing else: one click, one event, one number on the page."""

import reflex as rx


class Counter(rx.State):
    count: int = 0

    @rx.event
    def increment(self) -> None:
        self.count += 1


def index() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.heading(Counter.count, id="count"),
            rx.button("Add one", on_click=Counter.increment, id="increment"),
            align="center",
        ),
        height="100vh",
    )


app = rx.App()
app.add_page(index, route="/")
