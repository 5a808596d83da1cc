"""Small widgets shared by the screens."""

import re

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Input

from ..text import blank_controls
from .paste import STAND_IN

# A terminal's escape sequences, as a copy from a terminal brings them: CSI (colours, cursor
# moves), OSC/DCS/APC strings (links, titles) up to BEL or ST, and ESC with one final byte.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?")


def pasted(text: str) -> str:
    """Pasted text as one line of plain text, as a field shows and the core takes it: escape
    sequences and other control characters left out (R-INPUT-4), line breaks and tabs made
    spaces (a field is one line: Input alone keeps only the first). An ESC that came as a
    stand-in (tui/paste) is an ESC again first."""
    text = _SEQUENCE.sub("", text.replace(STAND_IN, "\x1b"))
    text = " ".join(line for line in text.splitlines() if line).replace("\t", " ")
    return blank_controls(text, "")


async def act_in_turn(widget: Widget, event: events.Key) -> None:
    """The key's bindings, run now, in the widget's own turn. Textual looks them up once the
    key has bubbled up to the app, so in a burst the keys the widget takes itself (a field's
    characters), or a priority key handled as it arrives, overtook them."""
    if await widget.app._check_bindings(event.key):
        event.stop()
        event.prevent_default()


class Field(Input):
    """An Input whose cursor blinks as the app says: tests turn blinking off so that every
    picture of the console is the same picture."""

    # An Input sets its virtual size on every key; as Widget's reactive that lays the whole
    # screen out again (5-9 ms of a search key in a terminal). A field's region never follows
    # its text (a fixed height, no scrollbars), so a key repaints it only.
    virtual_size = Reactive(Size(0, 0), layout=False)

    # keys read after Enter sent a dialog's form, until the dialog has handled the send
    # (modals/base: dropped if it went, typed on if not)
    parked: list[events.Key] | None = None

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "blink", True)

    async def action_submit(self) -> None:
        if hasattr(self.screen, "release_parked"):  # a dialog
            self.parked = []
        await super().action_submit()

    async def _on_key(self, event: events.Key) -> None:
        """Every key in its turn. Input takes characters here, and its other keys (Backspace,
        arrows, Enter) act here too (act_in_turn), not once they have bubbled up to the app.
        A key read after focus left the field (typed past an Enter that moved it) is sent
        back to the app, which gives it to where focus is now."""
        if self.screen.focused is not self:
            event.stop()
            event.prevent_default()
            again = events.Key(event.key, event.character)
            again.time = event.time  # a dialog tells keys typed ahead of it by their time
            self.app.post_message(again)
        elif self.parked is not None:
            event.stop()
            event.prevent_default()
            self.parked.append(event)
        elif event.is_printable or (event.time < getattr(self.screen, "shown_at", 0)
                                    and not getattr(event, "typed_ahead", False)):
            return  # a character is Input's; a key typed ahead of a dialog is the app's to drop
        else:
            await act_in_turn(self, event)

    def _on_paste(self, event: events.Paste) -> None:
        """A paste is kept whole, as plain text: an ESC inserted as it came would scramble
        what the field shows. What was changed is said, never silent."""
        event.prevent_default()  # Input's own paste: the first line, controls and all
        event.stop()
        text = pasted(event.text)
        if text != event.text.rstrip("\r\n"):
            self.app.notify("Pasted as one line of plain text: line breaks and tabs as "
                            "spaces, control characters left out.", title="Paste",
                            severity="warning", markup=False)
        if text:
            self.replace(text, *self.selection)
