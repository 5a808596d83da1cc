"""Cancel: deactivate at the next period (the default) or now."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, RadioButton, RadioSet, Static


def load_choice(sub_id: int) -> dict:
    """The cancel choice, and whether the subscription is a repeat trial (R-TRIAL-2)."""
    from ...billing import actions, present, subs

    preview = actions.preview_cancel(sub_id)
    preview["repeat_trial"] = present.subscription(subs.find(sub_id))["repeat_trial"]
    return preview


class CancelModal(ModalScreen):
    BINDINGS = [Binding("escape", "back", "Back", id="cancel-back")]

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
        self.app.run_core(load_choice, self.sub_id, done=self.show_choice,
                          refused=self.show_refusal)

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
        self.query_one("#explain", Static).update(text + "\nThe customer is emailed.")
        self.query_one("#confirm", Button).disabled = False
        self.query_one(RadioSet).focus()

    def show_refusal(self, message: str) -> None:
        self.query_one("#explain", Static).update(message)
        self.query_one("#explain").set_class(True, "refused")
        self.query_one(RadioSet).display = False

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        from ...billing import actions

        now = self.query_one("#now", RadioButton).value
        self.app.run_core(actions.cancel, self.sub_id, now, self.app.operator,
                          done=self.dismiss, refused=self.show_refusal)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)
