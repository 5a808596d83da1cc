"""Small widgets shared by the screens."""

from textual.widgets import Input


class Field(Input):
    """An Input whose cursor blinks as the app says: tests turn blinking off so that every
    picture of the console is the same picture."""

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "blink", True)
