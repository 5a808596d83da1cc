"""Bulk price update: every affected subscription old → new before anything is written, and
Apply only for the plan of exactly the request in the fields (R-BULK-1)."""

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    Static,
)

from ...views.subscriptions import product_paths
from .. import look
from ..widgets import Field
from .base import Dialog

SHOWN = 200  # rows listed in the preview; the count covers them all
PROMPT = "Pick a product and a new price or percent."


def preview_plan(**request) -> dict:
    from ...billing import bulk

    return bulk.plan(**request).as_dict()


class BulkPriceModal(Dialog[dict]):
    PREVIEW = "#summary"
    CONFIRM = "#apply"

    def __init__(self):
        super().__init__()
        self.plan: dict | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall", id="bulk"):
            yield Label("Bulk price update", classes="dialog-title")
            with Horizontal(classes="field"):
                yield Select([], id="bulk-product", prompt="Product")
                # no max_length: USDX is refused as typed, never cut to USD and applied
                yield Field(id="currency", placeholder="Currency")
            with Horizontal(classes="field"):
                with RadioSet(id="mode"):
                    yield RadioButton("New price", id="by-price", value=True)
                    yield RadioButton("Percent ±", id="by-percent")
                yield Field(id="value", placeholder="32.00 or -10")
            yield Static(PROMPT, id="summary", classes="preview")
            yield DataTable(id="bulk-rows", cursor_type="row")
            with Horizontal(classes="buttons"):
                yield Button("Apply…", variant="warning", id="apply", disabled=True)
                yield Button("Back (esc)", id="back")

    def on_mount(self) -> None:
        look.columns(self.query_one("#bulk-rows", DataTable), [("ID", 6), ("Old", 10), ("New", 12)])
        self.app.run_core(product_paths, done=self.fill)

    def fill(self, paths: list[str]) -> None:
        self.query_one("#bulk-product", Select).set_options([(p, p) for p in paths])
        self.query_one("#bulk-product", Select).focus()

    def request(self) -> dict | None:
        product = self.query_one("#bulk-product", Select)
        value = self.query_one("#value", Input).value.strip()
        if product.is_blank() or not value:
            return None
        by_price = self.query_one("#by-price", RadioButton).value
        currency = self.query_one("#currency", Input).value.strip().upper() or None
        return {"product_path": product.value, "currency": currency,
                "price": value if by_price else None, "percent": None if by_price else value}

    @on(Input.Changed)
    @on(Select.Changed)
    @on(RadioSet.Changed)
    def update_preview(self) -> None:
        request = self.request()
        if request is None:  # the plan on show is no longer the fields' plan
            self.hint(PROMPT)
            self.clear_plan()
            return
        # the request as the preview's arguments: is_reviewed compares them with the fields
        self.preview(preview_plan, done=self.show_plan, **request)

    def show_plan(self, plan: dict) -> None:
        self.plan = plan
        cur = plan["currency"]
        sign = "" if plan["monthly_change"].startswith("-") else "+"
        addons = (f"; add-ons {plan['monthly_addons']} of it"
                  if plan["monthly_addons"] != "0.00" else "")
        # short enough for two lines at 80 columns: the rows keep the rest of the dialog
        text = Text(f"{plan['count']} subscriptions change; monthly revenue "
                    f"{plan['monthly_before']} → {plan['monthly_after']} {cur} "
                    f"({sign}{plan['monthly_change']}{addons}).\n"
                    "From each one's next charge; no proration.")
        for warning in plan["warnings"]:
            text.append(f"\nWarning: {warning}", style=f"bold {look.colour(self.app, 'warning')}")
        self.show_ready(text)
        table = self.query_one("#bulk-rows", DataTable)
        table.clear()
        for row in plan["rows"][:SHOWN]:
            table.add_row(str(row["id"]), row["old"], Text(f"→ {row['new']}", style=look.colour(
                self.app, "success")))
        self.query_one("#apply", Button).disabled = plan["count"] == 0

    def refuse(self, message: str) -> None:
        super().refuse(message)
        self.clear_plan()

    def clear_plan(self) -> None:
        self.plan = None
        self.query_one("#bulk-rows", DataTable).clear()

    @on(Button.Pressed, "#apply")
    def apply(self) -> None:
        from ...billing import bulk
        from .confirm import ConfirmModal

        request, plan = self.request(), self.plan
        # only the plan on show, made for exactly these fields: an edit asks again first
        if not request or not plan or not plan["count"] or not self.is_reviewed(**request):
            return

        def go(yes: bool) -> None:
            if yes and self.is_reviewed(**request):
                self.submit(lambda: bulk.apply(**request, operator=self.app.operator)
                            .as_dict())

        self.app.push_screen(ConfirmModal(
            "Apply new prices", f"Change the price of {plan['count']} subscriptions of "
            f"{request['product_path']}? Each customer is emailed.", "Apply"), go)
