"""What every dialog shares: esc or Back returns nothing; a preview that follows what is typed
shows the core's answer or its refusal, and Confirm is enabled only beside a good preview of
exactly the values in the fields: an edit asks again, and Confirm is unavailable until that
answer is shown; the confirmed action's result is what the dialog returns (ModalScreen[T])."""

import re
from collections.abc import Callable
from typing import Generic, TypeVar

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Button, Static

T = TypeVar("T")


def whole(text: str, what: str) -> int | None:
    """A whole number as typed, spaces around it dropped; None when nothing is typed. Anything
    else is a ValueError in words: '0.5' is refused as typed, never read as 05 or 5. The
    number's range is the core's to refuse (R-INPUT-1)."""
    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(f"{what} must be a whole number, not {text!r}")
    if len(text) > 30:  # past every limit (and int() fails past 4,300 digits)
        raise ValueError(f"{what} {text[:12]}… ({len(text)} digits) is far too large")
    return int(text)


class Dialog(ModalScreen[T], Generic[T]):
    BINDINGS = [Binding("escape", "back", "Back", id="dialog-back")]
    PREVIEW = "#preview"  # the Static that shows the preview or the refusal
    CONFIRM = "#confirm"  # the button that confirms
    PREVIEWED = True  # Confirm is enabled only beside a good preview (else: a plain form)

    ready = False  # a good preview stands behind Confirm
    reviewed: tuple | None = None  # (args, kwargs) the preview on show was asked for
    _asked: tuple | None = None  # (args, kwargs, done) of the preview asked for, unanswered

    def show_ready(self, content) -> None:
        """A good preview: shown, and Confirm enabled."""
        self.ready = True
        self._say(content, refused=False)

    def refuse(self, message: str) -> None:
        """A refusal, in the dialog where the preview was: Confirm disabled. A preview asked
        for before it is not shown when it comes back: the refusal is about the fields now."""
        self._forget()
        self._say(message, refused=True)

    def hint(self, text: str) -> None:
        """Nothing to preview yet: a prompt, not a refusal (a late preview is dropped too)."""
        self._forget()
        self._say(text, refused=False)
        self._confirm(False)

    def _forget(self) -> None:
        self.ready, self.reviewed, self._asked = False, None, None

    def is_reviewed(self, *args, **kwargs) -> bool:
        """Whether Confirm may act on these values (the fields' values now, as the preview
        was asked for them): a good preview made for exactly them is on show. A confirm that
        reaches the dialog before an edit's own Changed message does is refused here."""
        return self.ready and self.reviewed == (args, kwargs)

    def _say(self, content, refused: bool) -> None:
        try:
            preview = self.query_one(self.PREVIEW, Static)
        except NoMatches:  # a dialog without a preview area: the app says it
            if refused:
                self.app.refusal(content)
            return
        if refused and isinstance(content, str):  # it quotes what was typed: never markup
            content = Text(content)
        preview.update(content)
        preview.set_class(refused, "refused")
        if self.PREVIEWED:
            self._confirm(not refused)

    def _confirm(self, enabled: bool) -> None:
        for button in self.query(self.CONFIRM).results(Button):
            button.disabled = not enabled

    def preview(self, fn: Callable, *args, done: Callable, **kwargs) -> None:
        """Ask the core for a preview; only the answer to the newest ask is shown. The
        preview on show no longer answers the fields: Confirm is unavailable (disabled, and
        `ready` False) until this answer is shown, and `reviewed` then holds its values."""
        self._forget()
        if self.PREVIEWED:
            self._confirm(False)
        self._asked = (args, kwargs, done)
        self.app.run_core(fn, *args, done=self._previewed, refused=self.refuse,
                          latest=f"preview@{id(self)}", **kwargs)

    def _previewed(self, answer) -> None:
        """The answer to the newest ask (run_core hands over no other): shown by `done`,
        unless a refusal or a prompt about the fields has been shown since it was asked."""
        if self._asked is None:
            return
        args, kwargs, done = self._asked
        self._asked, self.reviewed = None, (args, kwargs)
        done(answer)

    def submit(self, fn: Callable, *args, result: Callable | None = None, **kwargs) -> None:
        """Run the confirmed action; the dialog closes with its result (or result(answer))."""
        self._forget()  # one press, one action
        self._confirm(False)

        def close(answer) -> None:
            self.dismiss(result(answer) if result else answer)

        def refused(message: str) -> None:
            self.refuse(message)
            if not self.PREVIEWED:  # a form: corrected and sent again
                self._confirm(True)

        self.app.run_core(fn, *args, done=close, refused=refused, **kwargs)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)
