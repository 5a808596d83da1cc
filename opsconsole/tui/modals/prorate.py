"""Prorate: change product, quantity or price, review old against new, then confirm."""

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from ...views.subscriptions import edit_form
from .. import look
from ..widgets import Field
from .base import Dialog, whole


class ProrateModal(Dialog[dict]):
    PREVIEW = "#review"

    def __init__(self, sub_id: int):
        super().__init__()
        self.sub_id = sub_id
        self.original: dict | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(f"Prorate subscription {self.sub_id}", classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("Product")
                yield Select([], id="product", prompt="product")
                yield Label("Quantity")
                # no max_length, no integer type: what is typed is reviewed or refused
                # whole, never cut, and 0.5 is never read as 05
                yield Field(id="quantity")
                yield Label("Price")
                yield Field(id="price")
            yield Static("Change the product, quantity or price to see the review.",
                         id="review", classes="preview")
            with Horizontal(classes="buttons"):
                yield Button("Confirm and charge", variant="primary", id="confirm",
                             disabled=True)
                yield Button("Back (esc)", id="back")

    def on_mount(self) -> None:
        self.app.run_core(edit_form, self.sub_id, done=self.fill)

    def fill(self, form: dict) -> None:
        sub = form["sub"]
        self.original = sub
        product = self.query_one("#product", Select)
        product.set_options([(p, p) for p in form["products"]])
        product.value = sub["product"]
        self.query_one("#quantity", Input).value = str(sub["quantity"])
        self.query_one("#price", Input).value = sub["price"]
        self.query_one("#quantity", Input).focus()

    def change(self) -> dict | None:
        """What the operator changed, as the core takes it; None while a field is unfinished,
        ValueError for a quantity that is not a whole number."""
        if self.original is None:
            return None
        select = self.query_one("#product", Select)
        quantity = whole(self.query_one("#quantity", Input).value, "quantity")
        price = self.query_one("#price", Input).value.strip()
        if select.is_blank() or quantity is None or not price:
            return None
        product = select.value
        changed = {}
        if product != self.original["product"]:
            changed["product"] = product
        if quantity != self.original["quantity"]:
            changed["quantity"] = quantity
        if price != self.original["price"]:
            changed["price"] = price
        return changed

    @on(Input.Changed)
    @on(Select.Changed)
    def update_review(self, event) -> None:
        from ...billing import proration

        if isinstance(event, Select.Changed) and self.original is not None \
                and not event.select.is_blank():
            # A new product brings its own price unless the operator types one.
            self.query_one("#price", Input).value = self.original["price"] \
                if event.value == self.original["product"] else ""
        try:
            changed = self.change()
        except ValueError as exc:
            self.refuse(str(exc))
            return
        if not changed:
            self.hint("Change the product, quantity or price to see the review.")
            return
        self.preview(proration.review, self.sub_id, **changed, done=self.show_review)

    def show_review(self, review) -> None:
        data = review.as_dict()
        old, new = look.colour(self.app, "error"), look.colour(self.app, "success")
        sides = Table(box=None, padding=(0, 2), header_style="bold")
        sides.add_column("", no_wrap=True)
        sides.add_column("Old", style=old, no_wrap=True)
        sides.add_column("New", style=new, no_wrap=True)
        for key in ("product", "quantity", "price", "amount"):
            sides.add_row(key.capitalize(), str(review.old[key]), str(review.new[key]))
        cur = data["currency"]
        sums = Table.grid(padding=(0, 2))
        sums.add_column(style="bold", justify="right")
        sums.add_column(justify="right")
        sums.add_row("Period", f"{data['period_start']} → {data['period_end']}")
        sums.add_row("Days left", f"{data['left']} of {data['total']}")
        sums.add_row("Credit", f"−{data['credit']} {cur}")
        sums.add_row("Charge", f"{data['charge']} {cur}")
        net = data["net"]
        verb = "charged now" if not net.startswith("-") and net.strip("0.") else (
            "refunded now" if net.startswith("-") else "nothing to charge")
        sums.add_row("Net", f"[b]{net} {cur}[/b], {verb}")
        sums.add_row("Last prorated", data["last_prorated"] or "never")
        from rich.console import Group

        # One above the other: side by side, the old and new columns would be cut.
        self.show_ready(Group(sides, "", sums))
        self.query_one("#confirm", Button).label = \
            "Confirm and refund" if net.startswith("-") else "Confirm and charge"

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        from ...billing import proration

        try:
            changed = self.change()
        except ValueError:
            return
        # only the change whose review is on show (R-PRORATE-3): an edit asks again first
        if changed and self.is_reviewed(self.sub_id, **changed):
            self.submit(proration.confirm, self.sub_id, **changed,
                        operator=self.app.operator, result=lambda r: r[1])
