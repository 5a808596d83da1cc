"""What every dialog shares: esc or Back returns nothing; a preview that follows what is typed
shows the core's answer or its refusal, and Confirm is enabled only beside a good preview of
exactly the values in the fields: an edit asks again, and Confirm is unavailable until that
answer is shown; the confirmed action's result is what the dialog returns (ModalScreen[T])."""

import math
import re
from collections.abc import Callable
from typing import Generic, TypeVar

from rich.text import Text
from textual import events, on
from textual._time import get_time  # the clock Textual stamps each event with
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static

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


# keys that edit a field's text: typed ahead, they are typed on in order with the characters
EDITING = frozenset({"backspace", "delete", "left", "right", "home", "end"})


def typed_ahead(screen: Screen, event: events.Key) -> None:
    """A key that came back up to the app unhandled. A key is sent where focus is when it
    arrives, so one typed in the same burst as the key that opened a dialog (or moved focus)
    went to the widget before: if it types or edits text, it belongs to the text field that
    has focus now, or is kept for the field a dialog is about to focus. Enter, Escape and the
    rest typed ahead are not replayed, so a dialog never acts on keys sent before it was on
    screen.

    Every key comes back up here before the app looks up its bindings, and they are looked up
    where focus is now: an Enter typed in the same burst as the key that opened a dialog would
    press the dialog's button or submit its field. A key read before the dialog was drawn, or
    handed to a field here, is kept from those bindings (prevent_default stops the app's own
    handler)."""
    if getattr(event, "typed_ahead", False):
        return  # handed to a field once already and left unhandled there: as any key
    if isinstance(screen, Dialog) and event.time < screen.shown_at:
        event.prevent_default()
    # a list's field also takes its Enter in turn (the search's: it goes back to the list)
    if not (event.is_printable or event.key in EDITING
            or (event.key == "enter" and not isinstance(screen, Dialog))):
        return
    if isinstance(screen.focused, Input):
        event.prevent_default()
        screen.focused._forward_event(typed_key(event.key, event.character))
    elif screen.focused is None and isinstance(screen, Dialog):
        screen.type_ahead(typed_key(event.key, event.character))


def pasted_ahead(screen: Screen, event: events.Paste) -> None:
    """A paste that came back up to the app unhandled: sent, as keys are, to the widget that
    had focus before a dialog opened or focus moved. It is the text field's that has focus
    now, or is kept for the field a dialog is about to focus."""
    if isinstance(screen.focused, Input):
        screen.focused._forward_event(events.Paste(event.text))
    elif screen.focused is None and isinstance(screen, Dialog):
        screen.type_ahead(events.Paste(event.text))


def typed_key(key: str, character: str | None) -> events.Key:
    """A key typed ahead, handed to the field it belongs to: its editing keys act there even
    before the dialog is drawn (widgets.Field)."""
    event = events.Key(key, character)
    event.typed_ahead = True  # type: ignore[attr-defined]
    return event


class Dialog(ModalScreen[T], Generic[T]):
    BINDINGS = [Binding("escape", "back", "Back", id="dialog-back")]
    PREVIEW = "#preview"  # the Static that shows the preview or the refusal
    CONFIRM = "#confirm"  # the button that confirms
    PREVIEWED = True  # Confirm is enabled only beside a good preview (else: a plain form)

    ready = False  # a good preview stands behind Confirm
    _typed: tuple[events.Event, ...] = ()  # keys and pastes before any field had focus
    shown_at = math.inf  # when it was last drawn on top: a key read before it is typed ahead
    _sent = False  # a confirmed action is on its way: a second press sends nothing
    _after_send: tuple | None = None  # (field, keys) typed after the Enter that sent it
    reviewed: tuple | None = None  # (args, kwargs) the preview on show was asked for
    _asked: tuple | None = None  # (args, kwargs, done) of the preview asked for, unanswered

    def type_ahead(self, event: events.Event) -> None:
        self._typed = (*self._typed, event)

    def on_screen_resume(self) -> None:
        self.shown_at = math.inf
        self.call_after_refresh(self._drawn)

    def on_screen_suspend(self) -> None:
        self.shown_at = math.inf  # another screen over it: keys typed then are not its own

    def _drawn(self) -> None:
        self.shown_at = get_time()

    def set_focus(self, *args, **kwargs) -> None:
        """Focus, and the keys typed ahead into the field that got it (none but text fields
        take them: a button's dialog drops them)."""
        super().set_focus(*args, **kwargs)
        waiting, self._typed = self._typed, ()
        if waiting and isinstance(self.focused, Input):
            for event in waiting:
                self.focused._forward_event(event)

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
        """Run the confirmed action; the dialog closes with its result (or result(answer)).
        One press, one action: a second Enter before the first's answer sends nothing (it
        would write again, and its close would take the screen below with it)."""
        if self._sent:
            return
        self._sent = True
        shown = self.ready, self.reviewed  # the preview on show, kept should the send fail
        self._forget()
        self._confirm(False)

        def close(answer) -> None:
            self.dismiss(result(answer) if result else answer)

        def refused(message: str) -> None:
            self._sent = False  # corrected, it may be sent again
            self.refuse(message)
            if not self.PREVIEWED:  # a form: corrected and sent again
                self._confirm(True)
            self._type_on()

        def failed() -> None:  # said by the app (a busy store): the dialog as it was
            self._sent = False
            if self._asked is None:  # no edit since: the preview on show still answers them
                self.ready, self.reviewed = shown
                self._confirm(self.ready or not self.PREVIEWED)
            self._type_on()

        self.app.run_core(fn, *args, done=close, refused=refused, failed=failed, **kwargs)

    @on(Input.Submitted)
    def release_parked(self, event: Input.Submitted) -> None:
        """After the dialog's own handler of an Enter (a base class's handler runs after the
        subclass's): the keys read after that Enter were held by its field. Sent, the form
        goes as it was when Enter was pressed and the keys wait for its answer: dropped with
        the dialog if it went, typed on as they came if it was refused or failed (or if Enter
        sends nothing here)."""
        parked, event.input.parked = getattr(event.input, "parked", None), None
        if parked:
            self._after_send = (event.input, parked)
            if not self._sent:
                self._type_on()

    def _type_on(self) -> None:
        """The keys held after a send that did not go (refused, failed): typed on."""
        if self._after_send is not None:
            field, keys = self._after_send
            self._after_send = None
            for key in keys:
                field._forward_event(typed_key(key.key, key.character))

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)
