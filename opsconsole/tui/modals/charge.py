"""Charge by hand: managed and overdue subscriptions, several at once, each on its own."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Label, Static

from ...views.charging import charge_each, chargeable
from .. import look
from .base import Dialog


class ChargeModal(Dialog[None]):
    """Marked rows are charged each on its own; the results stay on screen."""

    PREVIEWED = False
    BINDINGS = [Binding("space", "mark", "Mark", id="charge-mark"),
                Binding("a", "mark_all", "Mark all", id="charge-all")]

    def __init__(self):
        super().__init__()
        self.rows: list[dict] = []
        self.marked: set[int] = set()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Label("Charge now: managed and overdue subscriptions", classes="dialog-title")
            yield Static("space marks a row, a marks all; each is charged on its own.",
                         id="charge-help", classes="dialog-text")
            yield DataTable(id="chargeable", cursor_type="row")
            with Horizontal(classes="buttons"):
                yield Button("Charge marked", variant="primary", id="charge", disabled=True)
                yield Button("Back (esc)", id="back")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        look.columns(table, [("", 1), ("ID", 4), ("Customer", 16), ("Why", 11), ("Amount", 11),
                             ("Result", 32)],
                     keys=["mark", "id", "customer", "why", "amount", "result"])
        table.focus()
        self.app.run_core(chargeable, done=self.show)

    def show(self, rows: list[dict]) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        for s in rows:
            why = "managed" if s["due"]["kind"] == "managed" else \
                f"overdue {s['overdue_days']}d"
            table.add_row(" ", str(s["id"]),
                          look.fit(f"{s['customer']['first']} {s['customer']['last']}", 16),
                          why, look.money(s["due"]["amount"], s["due"]["currency"]), "",
                          key=str(s["id"]))
        if not rows:
            self.query_one("#charge-help", Static).update(
                "Nothing to charge: no managed or overdue subscriptions.")

    def action_mark(self) -> None:
        table = self.query_one(DataTable)
        if not self.rows:
            return
        sub_id = self.rows[table.cursor_row]["id"]
        self.marked ^= {sub_id}
        table.update_cell(str(sub_id), "mark", "✓" if sub_id in self.marked else " ")
        self.query_one("#charge", Button).disabled = not self.marked
        if table.cursor_row < len(self.rows) - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_mark_all(self) -> None:
        table = self.query_one(DataTable)
        self.marked = {s["id"] for s in self.rows}
        for s in self.rows:
            table.update_cell(str(s["id"]), "mark", "✓")
        self.query_one("#charge", Button).disabled = not self.marked

    @on(Button.Pressed, "#charge")
    def charge(self) -> None:
        ids = [s["id"] for s in self.rows if s["id"] in self.marked]
        self.query_one("#charge", Button).disabled = True
        self.app.run_core(lambda: list(charge_each(ids, self.app.operator)),
                          done=self.show_results)

    def show_results(self, results: list[dict]) -> None:
        table = self.query_one(DataTable)
        ok, bad = look.colour(self.app, "success"), look.colour(self.app, "error")
        for r in results:
            table.update_cell(str(r["id"]), "result",
                              look.fit(r["message"], 32, ok if r["ok"] else bad))
        done = sum(r["ok"] for r in results)
        self.query_one("#charge-help", Static).update(
            f"{done} of {len(results)} charged.")
        self.marked.clear()
        self.app.store_changed()
