"""Pause: 1 to 12 periods, with the pause and resume dates shown as you type."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from ..widgets import Field
from textual.widgets import Button, Input, Label, Static


class PauseModal(ModalScreen):
    BINDINGS = [Binding("escape", "back", "Back", id="pause-back")]

    def __init__(self, sub_id: int):
        super().__init__()
        self.sub_id = sub_id
        self.allowed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Pause subscription {self.sub_id}", classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("Periods (1-12)")
                yield Field("1", id="periods", type="integer", max_length=2)
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

        periods = self.periods()
        if periods is None:
            self.show_refusal("Type how many billing periods to pause, from 1 to 12.")
            return
        self.app.run_core(actions.preview_pause, self.sub_id, periods, done=self.show_dates,
                          latest="pause-preview",
                          refused=self.show_refusal)

    def show_dates(self, preview: dict) -> None:
        self.allowed = True
        self.query_one("#preview", Static).update(
            f"Pauses on [b]{preview['pause_date']}[/b] instead of charging;\n"
            f"resumes and is charged on [b]{preview['resume_date']}[/b].\n"
            "The customer is emailed that the subscription is paused.")
        self.query_one("#preview").set_class(False, "refused")
        self.query_one("#confirm", Button).disabled = False

    def show_refusal(self, message: str) -> None:
        self.allowed = False
        self.query_one("#preview", Static).update(message)
        self.query_one("#preview").set_class(True, "refused")
        self.query_one("#confirm", Button).disabled = True

    def periods(self) -> int | None:
        text = self.query_one(Input).value.strip()
        return int(text) if text.isdigit() else None

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        from ...billing import actions

        periods = self.periods()
        if self.allowed and periods is not None:
            self.app.run_core(actions.pause, self.sub_id, periods, self.app.operator,
                              done=self.dismiss, refused=self.show_refusal)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)
