"""Cancel: deactivate at the next period (the default) or now."""

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, RadioButton, RadioSet, Static

from ...views.detail import cancel_choice
from .base import Dialog


class CancelModal(Dialog[dict]):
    PREVIEW = "#explain"

    def __init__(self, sub_id: int):
        super().__init__()
        self.sub_id = sub_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Cancel subscription {self.sub_id}", classes="dialog-title")
            yield Static("Looking up the subscription…", id="explain", classes="dialog-text")
            with RadioSet(id="when"):
                yield RadioButton("Deactivate at next period", id="period-end", value=True)
                yield RadioButton("Deactivate now", id="now")
            with Horizontal(classes="buttons"):
                yield Button("Cancel subscription", variant="error", id="confirm",
                             disabled=True)
                yield Button("Back (esc)", id="back")

    def on_mount(self) -> None:
        self.app.run_core(cancel_choice, self.sub_id, done=self.show_choice,
                          refused=self.refuse)

    def show_choice(self, preview: dict) -> None:
        period_end = self.query_one("#period-end", RadioButton)
        if preview["now_only"]:
            period_end.disabled = True
            self.query_one("#now", RadioButton).value = True
            text = ("This subscription can only be canceled now (it is overdue or managed): "
                    "it is deactivated at once.")
        else:
            period_end.label = f"Deactivate at next period ({preview['period_end']})"
            text = (f"At next period it stays active until {preview['period_end']} and is "
                    "not charged again; it can be uncanceled until then.")
        if preview.get("repeat_trial"):  # R-TRIAL-2: the operator may end it now
            period_end.value = False
            self.query_one("#now", RadioButton).value = True
            text = ("A repeat trial: this customer already had this product. Deactivate now "
                    "ends the free trial at once. " + text)
        self.show_ready(text + "\nThe customer is emailed.")
        self.query_one(RadioSet).focus()

    def refuse(self, message: str) -> None:
        super().refuse(message)
        self.query_one(RadioSet).display = False

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        from ...billing import actions

        now = self.query_one("#now", RadioButton).value
        self.submit(actions.cancel, self.sub_id, now, self.app.operator)
