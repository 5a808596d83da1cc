"""Pause: 1 to 12 periods, with the pause and resume dates shown as you type."""

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ..widgets import Field
from .base import Dialog, whole


class PauseModal(Dialog[dict]):
    def __init__(self, sub_id: int):
        super().__init__()
        self.sub_id = sub_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Pause subscription {self.sub_id}", classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("Periods (1-12)")
                # no max_length, no integer type: 123 and 0.5 are refused as typed, never
                # cut to 12 or read as 05
                yield Field("1", id="periods")
            yield Static(id="preview", classes="preview")
            with Horizontal(classes="buttons"):
                yield Button("Pause (enter)", variant="primary", id="confirm")
                yield Button("Back (esc)", id="back")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.update_preview()

    @on(Input.Changed)
    def update_preview(self) -> None:
        from ...billing import actions

        try:
            periods = self.periods()
        except ValueError as exc:
            self.refuse(str(exc))
            return
        if periods is None:
            self.refuse("Type how many billing periods to pause, from 1 to 12.")
            return
        self.preview(actions.preview_pause, self.sub_id, periods, done=self.show_dates)

    def show_dates(self, preview: dict) -> None:
        self.show_ready(
            f"Pauses on [b]{preview['pause_date']}[/b] instead of charging;\n"
            f"resumes and is charged on [b]{preview['resume_date']}[/b].\n"
            "The customer is emailed that the subscription is paused.")

    def periods(self) -> int | None:
        """The periods typed; ValueError for what is not a whole number."""
        return whole(self.query_one(Input).value, "periods")

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        from ...billing import actions

        try:
            periods = self.periods()
        except ValueError:
            return
        # only the periods whose dates are on show (R-PAUSE-2): an edit asks again first
        if periods is not None and self.is_reviewed(self.sub_id, periods):
            self.submit(actions.pause, self.sub_id, periods, self.app.operator)
