"""Change without proration (R-CHANGE-1): the next charge date, the end date, the product, the
quantity or the price, with the next charge before and after shown before confirming."""

import datetime as dt

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from ...views.subscriptions import edit_form
from .. import look
from ..widgets import Field
from .base import Dialog, whole

PROMPT = "Change a field to see the next charge before and after."


class ChangeModal(Dialog[dict]):
    PREVIEW = "#change-preview"

    def __init__(self, sub_id: int):
        super().__init__()
        self.sub_id = sub_id
        self.original: dict | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(f"Change subscription {self.sub_id} (no proration)",
                        classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("Next charge")
                # no max_length on any field: what is typed is refused whole, never cut
                yield Field(id="next-date", placeholder="YYYY-MM-DD")
                yield Label("Ends")
                yield Field(id="end-date", placeholder="YYYY-MM-DD")
                yield Checkbox("no end", id="no-end")
            with Horizontal(classes="field"):
                yield Label("Product")
                yield Select([], id="product", prompt="product")
                yield Label("Qty")
                yield Field(id="quantity")  # not type=integer: 0.5 is never read as 05
                yield Label("Price")
                yield Field(id="price")
            yield Static(PROMPT, id="change-preview", classes="preview")
            with Horizontal(classes="buttons"):
                yield Button("Save change", variant="primary", id="confirm", disabled=True)
                yield Button("Back (esc)", id="back")

    def on_mount(self) -> None:
        self.app.run_core(edit_form, self.sub_id, True, done=self.fill)

    def fill(self, form: dict) -> None:
        sub = form["sub"]
        self.original = sub
        self.query_one("#next-date", Input).value = sub["next_charge_date"] or ""
        self.query_one("#next-date", Input).disabled = sub["interval"] == "adhoc"
        self.query_one("#end-date", Input).value = sub["end_date"] or ""
        product = self.query_one("#product", Select)
        product.set_options([(p, p) for p in form["products"]])
        product.value = sub["product"]
        self.query_one("#quantity", Input).value = str(sub["quantity"])
        self.query_one("#price", Input).value = sub["price"]
        self.query_one("#next-date", Input).focus()

    def change(self) -> dict | str | None:
        """What the operator changed, as the core takes it; a str says what is unfinished."""
        if self.original is None:
            return None
        s, changed = self.original, {}
        for key, name in (("next-date", "next_charge_date"), ("end-date", "end_date")):
            value = self.query_one(f"#{key}", Input).value.strip()
            if value and value != (s[name] or ""):
                try:
                    if len(value) != 10:
                        raise ValueError
                    changed[name] = dt.date.fromisoformat(value)
                except ValueError:
                    return f"{value!r} is not a date (YYYY-MM-DD)."
        if self.query_one("#no-end", Checkbox).value:
            if "end_date" in changed:
                return "Give an end date or tick 'no end', not both."
            if s["end_date"]:
                changed["no_end_date"] = True
        select = self.query_one("#product", Select)
        if not select.is_blank() and select.value != s["product"]:
            changed["product"] = select.value
        try:
            quantity = whole(self.query_one("#quantity", Input).value, "quantity")
        except ValueError as exc:
            return str(exc)
        if quantity is None:
            return "Type a quantity (1 or more)."
        if quantity != s["quantity"]:
            changed["quantity"] = quantity
        price = self.query_one("#price", Input).value.strip()
        if price and price != s["price"]:
            changed["price"] = price
        return changed

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def update_preview(self, event) -> None:
        from ...billing import change

        if isinstance(event, Select.Changed) and self.original is not None \
                and not event.select.is_blank():
            # a new product brings its own price unless the operator types one
            self.query_one("#price", Input).value = self.original["price"] \
                if event.value == self.original["product"] else ""
        changed = self.change()
        if isinstance(changed, str):
            self.refuse(changed)
        elif not changed:
            self.hint(PROMPT)
        else:
            self.preview(change.preview, self.sub_id, **changed, done=self.show)

    def show(self, preview: dict) -> None:
        cur = preview["currency"]
        old, new = look.colour(self.app, "error"), look.colour(self.app, "success")

        def say(charge: dict) -> str:
            if charge["date"] is None:
                return f"{charge['amount']} {cur} by hand" if charge["managed"] else \
                    "none (it ends first)"
            return f"{charge['date']}  {charge['amount']} {cur}"

        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", justify="right")
        grid.add_column()
        grid.add_row("Next charge now", f"[{old}]{say(preview['before'])}[/]")
        grid.add_row("After the change", f"[{new}]{say(preview['after'])}[/]")
        for name, value in preview["changes"].items():
            if name == "addons_dropped":
                grid.add_row("Add-ons dropped", ", ".join(value))
            else:
                was, becomes = value
                grid.add_row(name.replace("_", " ").capitalize(),
                             f"{was or '—'} → {becomes or '—'}")
        grid.add_row("", "Nothing is charged or refunded now; the customer is emailed.")
        self.show_ready(grid)

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        from ...billing import change

        changed = self.change()
        if isinstance(changed, dict) and changed and self.is_reviewed(self.sub_id, **changed):
            self.submit(change.change, self.sub_id, self.app.operator, **changed)
