"""Small widgets shared by the screens."""

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class Field(Input):
    """An Input whose cursor blinks as the app says: tests turn blinking off so that every
    picture of the console is the same picture."""

    # An Input sets its virtual size on every key; as Widget's reactive that lays the whole
    # screen out again (5-9 ms of a search key in a terminal). A field's region never follows
    # its text (a fixed height, no scrollbars), so a key repaints it only.
    virtual_size = Reactive(Size(0, 0), layout=False)

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "blink", True)
