"""Payment method, Pay now and manual renewal (R-DUN-5, R-MANUAL-1, R-MANUAL-2): each says
what it will do, from the core, before it is confirmed; a refusal is said where the preview was.
"""

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ...billing import actions
from ...billing.actions import Outcome
from ...billing.errors import DomainError
from ...views.detail import manual_renew_choice, pay_choice, payment_choice
from ..widgets import Field
from .base import Dialog
from .confirm import ConfirmModal


def _b(value) -> str:
    """A value from the store, in bold, never read as markup."""
    return f"[b]{escape(str(value))}[/b]"


def _card(card: dict) -> str:
    """The card on file as the overview shows it."""
    return f"{_b('•••• ' + (card['last4'] or '????'))} (exp {escape(card['expiry'] or '?')})"


class PaymentModal(Dialog[Outcome]):
    """A gateway token, and the card's last 4 digits and expiry (MM/YY or MM/YYYY typed,
    stored MM/YY) for display. No field has a max_length: what is typed is checked whole."""

    def __init__(self, sub_id: int):
        super().__init__()
        self.sub_id = sub_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Payment method for subscription {self.sub_id}",
                        classes="dialog-title")
            yield Label("Gateway token (never a card number)")
            yield Field(id="token", placeholder="tok_…")
            with Horizontal(classes="field"):
                yield Label("Last 4")
                yield Field(id="last4", placeholder="1234")
                yield Label("Expiry")
                yield Field(id="expiry", placeholder="MM/YY")
            yield Static("Looking up the subscription…", id="preview", classes="preview")
            with Horizontal(classes="buttons"):
                yield Button("Set payment method (enter)", variant="primary", id="confirm",
                             disabled=True)
                yield Button("Back (esc)", id="back")

    def on_mount(self) -> None:
        self.query_one("#token", Input).focus()
        self.update_preview()

    def typed(self) -> tuple[str, str, str]:
        token, last4, expiry = (self.query_one(f"#{name}", Input).value.strip()
                                for name in ("token", "last4", "expiry"))
        return token, last4, expiry

    def values(self) -> tuple[str, str, str]:
        """The fields as the core takes them (the expiry as MM/YY); DomainError for an expiry
        that is neither MM/YY nor MM/YYYY."""
        token, last4, expiry = self.typed()
        return token, last4, actions.card_expiry(expiry)

    @on(Input.Changed)
    def update_preview(self) -> None:
        try:
            values = self.values()
        except DomainError as exc:
            self.refuse(str(exc))
            return
        self.preview(payment_choice, self.sub_id, *values, done=self.show)

    def show(self, choice: dict) -> None:
        cur = choice["currency"]
        lines = [f"Replaces the card {_card(choice['card'])}, which is deleted." if choice["card"]
                 else "There is no card on file now."]
        if choice["becomes_automatic"]:
            lines.append("The manual renewal becomes automatic: charged on schedule.")
        if choice["charge_now"] is not None:  # R-DUN-5
            lines.append(f"Overdue: {_b(choice['charge_now'] + ' ' + cur)} is charged at once; "
                         "a decline starts dunning again today.")
        elif choice["managed"]:
            lines.append("Nothing is charged now; it is charged when an operator charges it.")
        else:
            lines.append("Nothing is charged now; the next charges use this card"
                         + (f" (next {_b(choice['next_charge_date'])})."
                            if choice["next_charge_date"] else "."))
        if not self.typed()[0]:
            self.hint("\n".join([*lines, "Type the token to set it."]))
        else:
            self.show_ready("\n".join(lines))

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        try:
            token, last4, expiry = self.values()
        except DomainError:
            return
        # only the values whose preview is on show: an edit asks again first
        if token and self.is_reviewed(self.sub_id, token, last4, expiry):
            self.submit(actions.set_payment, self.sub_id, token, last4 or None, expiry or None,
                        self.app.operator)


class PayModal(Dialog[Outcome]):
    """The customer's Pay now for a manual renewal: a one-time token; the amount and the due
    date it pays for are shown first."""

    def __init__(self, sub_id: int):
        super().__init__()
        self.sub_id = sub_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Pay now: subscription {self.sub_id} (manual renewal)",
                        classes="dialog-title")
            yield Label("One-time payment token")
            yield Field(id="token", placeholder="tok_…")  # over 200: refused, not cut
            yield Static("Looking up the subscription…", id="preview", classes="preview")
            with Horizontal(classes="buttons"):
                yield Button("Pay (enter)", variant="primary", id="confirm", disabled=True)
                yield Button("Back (esc)", id="back")

    def on_mount(self) -> None:
        self.query_one("#token", Input).focus()
        self.update_preview()

    def token(self) -> str:
        return self.query_one("#token", Input).value.strip()

    @on(Input.Changed)
    def update_preview(self) -> None:
        self.preview(pay_choice, self.sub_id, self.token(), done=self.show)

    def show(self, choice: dict) -> None:
        lines = [f"Charges {_b(choice['amount'] + ' ' + choice['currency'])} for the period "
                 f"due {_b(choice['due'])};",
                 f"the next due date becomes {_b(choice['next_due'])}."]
        if choice["overdue"]:
            lines.append("It is no longer overdue.")
        lines.append("If the token is declined, nothing else changes.")
        if not self.token():
            self.hint("\n".join([*lines, "Type the customer's token to pay."]))
        else:
            self.show_ready("\n".join(lines))

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        token = self.token()
        if token and self.is_reviewed(self.sub_id, token):  # the token previewed
            self.submit(actions.pay, self.sub_id, token, self.app.operator)


class ManualRenewModal(ConfirmModal):
    """Switch to manual renewal: a yes/no question that says first what changes, or why it
    cannot be done (in place of the question, with Yes disabled)."""

    PREVIEW = ".dialog-text"
    CONFIRM = "#yes"

    def __init__(self, sub_id: int):
        super().__init__(f"Manual renewal for subscription {sub_id}",
                         "Looking up the subscription…", "Switch to manual")
        self.sub_id = sub_id

    def on_mount(self) -> None:
        self._confirm(False)
        self.query_one("#no", Button).focus()
        self.app.run_core(manual_renew_choice, self.sub_id, done=self.show,
                          refused=self.refuse)

    def show(self, choice: dict) -> None:
        lines = [f"The card {_card(choice['card'])} is deleted for good." if choice["card"]
                 else "There is no card on file to delete.",
                 "The customer pays each period by hand (Pay now)"
                 + (f", next due {_b(choice['due'])}." if choice["due"] else "."),
                 "It is never charged automatically again."]
        if choice["overdue"]:
            lines.append("It stays overdue until the customer pays; it is not retried.")
        self.show_ready("\n".join(lines))
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.prevent_default()  # not ConfirmModal's: Yes counts only beside a good preview
        if event.button.id == "yes":
            self.action_confirm()
        else:
            self.dismiss(False)

    def action_confirm(self) -> None:
        if self.ready:
            self.dismiss(True)
