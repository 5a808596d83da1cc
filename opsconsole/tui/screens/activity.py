"""Activity: the newest events and customer emails, filterable by type."""

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, TabbedContent, TabPane

from ...views.activity import activity as load_activity
from .. import look
from ..messages import StoreChanged


class ActivityScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent():
            with TabPane("Events", id="events-tab"):
                yield Select([], prompt="Every type", id="type")
                yield DataTable(id="events", cursor_type="row", zebra_stripes=True)
            with TabPane("Emails", id="emails-tab"):
                yield DataTable(id="emails", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        look.columns(self.query_one("#events", DataTable),
                     [("At", 16), ("Sub", 5), ("Case", 5), ("Event", 36)])
        look.columns(self.query_one("#emails", DataTable),
                     [("At", 16), ("Sub", 5), ("Email", 24), ("To", 34)])
        self.reload()

    def reload(self) -> None:
        select = self.query_one("#type", Select)
        self.app.read_core(load_activity, None if select.is_blank() else select.value,
                           done=self.show)

    def show(self, data: dict) -> None:
        select = self.query_one("#type", Select)
        if len(select._options) - 1 != len(data["types"]):
            chosen = select.value
            select.set_options([(t, t) for t in data["types"]])
            if chosen in data["types"]:
                select.value = chosen
        events = self.query_one("#events", DataTable)
        events.clear()
        for e in data["events"]:
            events.add_row(e["at"][:16].replace("T", " "), str(e["subscription"] or ""),
                           str(e["payload"].get("id", "")) if e["type"].startswith("case.")
                           else "", e["type"])
        emails = self.query_one("#emails", DataTable)
        emails.clear()
        for n in data["emails"]:
            emails.add_row(n["at"][:16].replace("T", " "), str(n["subscription"] or ""),
                           n["template"], look.fit(n["to"], 34))

    @on(Select.Changed, "#type")
    def type_changed(self) -> None:
        self.reload()

    def on_store_changed(self, _: StoreChanged) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()
