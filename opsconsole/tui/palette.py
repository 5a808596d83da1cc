"""Textual's command palette, closed once.

Keys typed in a burst reach the palette after the key that closed it: the base palette took a
second Enter as a second pick (its command run again) and a second close (popping the screen
under it, then ending the console)."""

from textual import on
from textual.command import CommandPalette
from textual.message import Message
from textual.widgets import Button, Input, OptionList


class Palette(CommandPalette):
    _closed = False

    def dismiss(self, result=None):
        self._closed = True
        return super().dismiss(result)

    @on(Input.Submitted)
    @on(Button.Pressed)
    @on(OptionList.OptionSelected)
    def _after_closing(self, event: Message) -> None:
        """A pick read after the palette has closed does nothing (the base handlers are
        skipped); before, it goes on to them."""
        if self._closed:
            event.stop()
            event.prevent_default()

    def _action_escape(self) -> None:
        if not self._closed:
            super()._action_escape()
