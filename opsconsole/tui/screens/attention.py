"""Attention (R-ATTN-1): everything an operator must act on, with its reason, its age and the
action that clears it, one key away. An item leaves when its cause is gone (views.attention
says what ends each), never by being hidden here."""

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from ...views.attention import attention
from .. import look
from ..widgets import act_in_turn
from .reading import ReadingScreen

KIND_WORDS = {"set-aside": "Set aside", "last-retry": "Last retry", "case-past-target":
              "Case late", "webhook-gone": "Endpoint gone", "webhook-failed": "Webhook failed",
              "import-rejected": "Import rows"}
SHORT_SUBJECT = {"subscription": "sub", "delivery": "delivery", "endpoint": "endpoint",
                 "case": "case", "import": "import"}


class InTurnTable(DataTable):
    """A table whose keys act in its turn (act_in_turn): the screen's priority Enter, handled
    as it arrives, acted before the Downs typed ahead of it had moved the cursor."""

    async def _on_key(self, event: events.Key) -> None:
        if self.screen.focused is self:
            await act_in_turn(self, event)


class AttentionScreen(ReadingScreen):
    # priority: the table's own enter (select, not in the footer) would hide this one
    BINDINGS = [Binding("enter", "act", "Act on it", id="attention-act", priority=True,
                        tooltip="Open what the item is about: the subscription, case or "
                        "webhooks"),
                *look.global_keys_hidden()]

    def compose(self) -> ComposeResult:
        yield Header()
        yield InTurnTable(id="attention", cursor_type="row", zebra_stripes=True)
        yield Static(id="attention-how")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.items: list[dict] = []
        self.width = 0
        self.set_columns()  # the read comes with ScreenResume, which a first show sends too

    def on_resize(self) -> None:
        self.set_columns()

    def set_columns(self) -> None:
        width = self.app.size.width
        if width == self.width:
            return
        self.width = width
        self.reason_width = max(width - (14 + 10 + 7) - 2 * 4 - 2, 20)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        look.columns(table, [("What", 14), ("Subject", 10), ("Age", 7),
                             ("Reason", self.reason_width)])
        if self.items:
            self.fill()

    def read(self) -> None:
        self.app.read_core(attention, done=self.show)

    def show(self, data: dict) -> None:
        self.items = data["items"]
        self.fill()
        if not self.items:
            self.query_one("#attention-how", Static).update(
                "Nothing needs you: no set-aside subscriptions, last retries, late cases, "
                "failed webhooks or rejected import rows.")
        else:
            self.show_how()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        with self.app.batch_update():
            table.clear()
            for i, item in enumerate(self.items):
                table.add_row(Text(KIND_WORDS.get(item["kind"], item["kind"]), style="bold"),
                              f"{SHORT_SUBJECT.get(item['subject'], item['subject'])} "
                              f"{item['id']}", item["age"],
                              look.fit(item["reason"], self.reason_width), key=str(i))
            if self.items:
                table.move_cursor(row=min(row, len(self.items) - 1))

    @on(DataTable.RowHighlighted)
    def show_how(self) -> None:
        item = self.chosen()
        if item is not None:
            self.query_one("#attention-how", Static).update(Text.assemble(
                (item["reason"], ""), "\n", ("Clears: ", "bold"), item["clears"], "\n",
                ("Do: ", "bold"), item["command"]))

    def chosen(self) -> dict | None:
        table = self.query_one(DataTable)
        if not self.items or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    def action_act(self) -> None:
        """The item's own place, where the action that clears it is a key: a subscription's
        screen, a case, the webhooks screen; an import's rows are fixed in the file.
        Enter is a priority key, handled as it arrives: it acts in the table's turn, after the
        cursor keys typed before it, which already wait there."""
        self.query_one(DataTable).call_later(self._act)

    def _act(self) -> None:
        item = self.chosen()
        if item is None:
            return
        subject = item["subject"]
        if subject == "subscription":
            from .detail import SubscriptionScreen

            self.app.push_screen(SubscriptionScreen(int(item["id"])))
        elif subject == "case":
            from .cases import CaseScreen

            self.app.push_screen(CaseScreen(int(item["id"])))
        elif subject in ("delivery", "endpoint"):
            self.app.switch_mode("webhooks")
        else:
            self.app.notify(item["command"], title="Do this", timeout=10)
