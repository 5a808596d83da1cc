"""The baseline for bench/terminal.py: a bare Textual app shaped like the console's first screen
(Header, an Input, a DataTable of 300 rows, Footer) and nothing else: no store, no workers.

python bench/bare_app.py     (in a terminal; `/` focuses the Input, escape the table, q quits)

Its rows read like the console's (id, "First LastN", product, amount, state, date, flags), in
the console's column widths, with the console's zebra stripes and row cursor, so what a key
costs here is what the same key costs in Textual itself on this machine and terminal."""

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input

ROWS = 300  # the console holds at most 3 pages of 100 rows (screens/subscriptions.py WINDOW)
COLUMNS = (("ID", 5), ("Customer", 22), ("Product", 18), ("Amount", 13), ("State", 11),
           ("Next", 10), ("Flags", 22))
PRODUCTS = ("monthly", "monthly-eu", "weekly", "yearly", "usage", "daily")


class BareApp(App):
    CSS = "DataTable { height: 1fr; }"  # the console's table fills the screen below the search
    TITLE = "bare"
    SUB_TITLE = "Header, Input, DataTable, Footer"
    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("escape", "table", "Table"),
        Binding("q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="/ search", id="search")
        yield DataTable(id="rows", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        for i in range(1, ROWS + 1):
            table.add_row(str(i), f"First Last{i}", PRODUCTS[i % len(PRODUCTS)],
                          Text(f"{30 * (1 + i % 3)}.00 USD", justify="right"),
                          Text("active", style="bold"), "2026-01-31",
                          "manual" if i % 7 == 0 else "")
        table.focus()

    def action_search(self) -> None:
        self.query_one(Input).focus()

    def action_table(self) -> None:
        self.query_one(DataTable).focus()


if __name__ == "__main__":
    BareApp().run()
