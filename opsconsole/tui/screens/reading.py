"""A screen that shows one read of the core and keeps it current."""

from textual.screen import Screen

from ..messages import StoreChanged


class ReadingScreen(Screen):
    """Read again when the screen comes back to the front and when the store changes (another
    process wrote, a day ran here), but only while it is in front: a screen behind another
    reads when it is shown."""

    def read(self) -> None:
        raise NotImplementedError  # ask app.read_core for what the screen shows

    def reload(self) -> None:
        if self.app.screen is self:
            self.read()

    def on_screen_resume(self) -> None:
        self.reload()

    def on_store_changed(self, _: StoreChanged) -> None:
        self.reload()
