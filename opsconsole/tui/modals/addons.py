"""Add-ons on a subscription (R-ADDON-2): add one its product offers, or remove one it carries,
with the next charge's new total shown before anything is written."""

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from .. import look
from ..widgets import Field
from .base import Dialog, whole


def next_charge_table(app, preview: dict, note: str = "") -> Table:
    """The next charge before and after, as the add-on dialogs show it."""
    cur = preview["currency"]
    when = preview["next_charge_date"] or "each charge (managed)"
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", justify="right")
    grid.add_column()
    grid.add_row("Next charge", when)
    grid.add_row("Now", f"{preview['before']} {cur}")
    grid.add_row("After", f"[{look.colour(app, 'success')}]{preview['after']} {cur}[/]")
    if preview["addons"]:
        grid.add_row("Add-ons", ", ".join(f"{a['path']} × {a['quantity']}"
                                          for a in preview["addons"]))
    else:
        grid.add_row("Add-ons", "none")
    if note:
        grid.add_row("", note)
    grid.add_row("", "From the next charge, without proration; the customer is emailed.")
    return grid


class AddonModal(Dialog[dict]):
    """What both dialogs share: a choice of add-on and the next charge it makes."""

    PREVIEW = "#addon-preview"
    TITLE = ""
    PROMPT = ""

    def __init__(self, sub_id: int):
        super().__init__()
        self.sub_id = sub_id

    def show_preview(self, preview: dict, note: str = "") -> None:
        self.show_ready(next_charge_table(self.app, preview, note))

    def on_mount(self) -> None:
        from ...billing import addons

        self.app.run_core(addons.choices, self.sub_id, done=self.fill, refused=self.refuse)

    def fill(self, choices: dict) -> None:
        raise NotImplementedError


class AddonAddModal(AddonModal):
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(f"Add an add-on to subscription {self.sub_id}", classes="dialog-title")
            with Horizontal(classes="field"):  # one row: the buttons fit in 24 lines
                yield Label("Add-on")
                yield Select([], id="addon", prompt="add-on")
                yield Label(" Qty")
                # no max_length, no integer type: refused as typed, never cut or read as 05
                yield Field("1", id="addon-quantity")
            yield Static("Pick one of the add-ons its product offers.", id="addon-preview",
                         classes="preview")
            with Horizontal(classes="buttons"):
                yield Button("Add (enter)", variant="primary", id="confirm", disabled=True)
                yield Button("Back (esc)", id="back")

    def fill(self, choices: dict) -> None:
        self.offers = {o["path"]: o for o in choices["offers"]}
        if not self.offers:
            self.refuse(f"{choices['product']} offers no add-ons.")
            return
        select = self.query_one("#addon", Select)
        select.set_options([(self.label(o), o["path"]) for o in choices["offers"]])
        select.focus()

    @staticmethod
    def label(o: dict) -> str:
        group = f" · {'one of ' if o['single'] else ''}{o['group']}" if o["group"] else ""
        held = f" · has {o['held']}" if o["held"] else ""
        return f"{o['path']} {o['price']}{group}{held}"

    def request(self) -> tuple[str, int] | None:
        """The add-on and quantity; None while unfinished, ValueError for a quantity that is
        not a whole number."""
        select = self.query_one("#addon", Select)
        quantity = whole(self.query_one("#addon-quantity", Input).value, "quantity")
        if select.is_blank() or quantity is None:
            return None
        return select.value, quantity

    @on(Select.Changed)
    @on(Input.Changed)
    def update_preview(self) -> None:
        from ...billing import addons

        try:
            request = self.request()
        except ValueError as exc:
            self.refuse(str(exc))
            return
        if request is None:
            self.refuse("Pick an add-on and a quantity (1 or more).")
            return
        self.preview(addons.preview_add, self.sub_id, *request, done=self.show)

    def show(self, preview: dict) -> None:
        note = f"Replaces {', '.join(preview['replaces'])} (one of its group)." \
            if preview["replaces"] else ""
        self.show_preview(preview, note)

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        from ...billing import addons

        try:
            request = self.request()
        except ValueError:
            return
        if request is not None and self.is_reviewed(self.sub_id, *request):
            self.submit(addons.add, self.sub_id, *request, self.app.operator)


class AddonRemoveModal(AddonModal):
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(f"Remove an add-on from subscription {self.sub_id}",
                        classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("Add-on  ")
                yield Select([], id="addon", prompt="add-on")
            yield Static("Pick the add-on to remove.", id="addon-preview", classes="preview")
            with Horizontal(classes="buttons"):
                yield Button("Remove (enter)", variant="error", id="confirm", disabled=True)
                yield Button("Back (esc)", id="back")

    def fill(self, choices: dict) -> None:
        if not choices["held"]:
            self.refuse(f"Subscription {self.sub_id} carries no add-ons.")
            return
        select = self.query_one("#addon", Select)
        select.set_options([(f"{h['path']} × {h['quantity']} at {h['price']}", h["path"])
                            for h in choices["held"]])
        select.value = choices["held"][0]["path"]
        select.focus()

    @on(Select.Changed)
    def update_preview(self) -> None:
        from ...billing import addons

        select = self.query_one("#addon", Select)
        if select.is_blank():
            return
        self.preview(addons.preview_remove, self.sub_id, select.value, done=self.show_preview)

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        from ...billing import addons

        select = self.query_one("#addon", Select)
        if not select.is_blank() and self.is_reviewed(self.sub_id, select.value):
            self.submit(addons.remove, self.sub_id, select.value, self.app.operator)
