"""Webhooks: endpoints with their pending / delivered / failed counts, an endpoint's
deliveries (newest first), and a delivery's attempts; redeliver, enable or disable."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ...views.webhooks import webhooks as load_webhooks
from .. import look
from ..messages import StoreChanged

REFRESH_SECONDS = 2.0  # deliveries change without any event being written


def when(text: str | None) -> str:
    """A stored UTC time, short: '11-22 06:31:05'."""
    return text[5:19].replace("T", " ") if text else ""


def event_words(event_type: str, narrow: bool) -> str:
    """Narrow terminals drop the 'subscription.' every subscription event starts with."""
    return event_type.removeprefix("subscription.") if narrow else event_type


class WebhooksScreen(Screen):
    BINDINGS = [Binding("r", "redeliver", "Redeliver", id="redeliver",
                        tooltip="Send the chosen delivery again now (same webhook-id)"),
                Binding("t", "toggle", "Enable/disable", id="toggle-endpoint",
                        tooltip="Disable the chosen endpoint, or enable it again"),
                *look.global_keys_hidden()]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="deliverer")
        yield DataTable(id="endpoints", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="deliveries", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.endpoint: int | None = None
        self.delivery: int | None = None
        self.filling = False
        self.data: dict = {}
        self.width = 0
        self.set_columns()
        self.query_one("#endpoints", DataTable).focus()
        self.set_interval(REFRESH_SECONDS, self.reload)
        self.reload()

    def set_columns(self) -> None:
        """Fixed widths, the text columns taking what the terminal has left (80 columns and
        up; narrow ones leave out the attempt count)."""
        width = self.app.size.width
        if width == self.width:
            return
        self.width = width
        self.narrow = width < 100
        left = lambda fixed: max(width - sum(fixed) - 2 * (len(fixed) + 1) - 2, 10)  # noqa: E731
        counts = [("Pend", 5), ("Done", 5), ("Fail", 5)] if self.narrow else \
            [("Pending", 7), ("Delivered", 9), ("Failed", 6)]
        self.events_width, self.state_width = (12, 10) if self.narrow else (16, 14)
        self.url_width = left([4, self.events_width, self.state_width, *(w for _, w in counts)])
        self.event_width = event_w = 16 if self.narrow else 30
        middle = [6, event_w, 5, 9] + ([] if self.narrow else [5]) + [14]
        self.last_width = left(middle)
        self.error_width = left([3, 14, 4, 8])
        specs = {
            "#endpoints": [("ID", 4), ("URL", self.url_width), ("Events", self.events_width),
                           ("State", self.state_width), *counts],
            "#deliveries": [("ID", 6), ("Event", event_w), ("Sub", 5), ("Status", 9)]
            + ([] if self.narrow else [("Tries", 5)])
            + [("Next try (UTC)", 14), ("Last", self.last_width)],
            "#attempts": [("#", 3), ("At (UTC)", 14), ("HTTP", 4), ("Took", 8),
                          ("Error", self.error_width)],
        }
        for selector, spec in specs.items():
            table = self.query_one(selector, DataTable)
            table.clear(columns=True)
            look.columns(table, spec)
        if self.data:
            self.show(self.data)

    def on_resize(self) -> None:
        self.set_columns()

    def reload(self) -> None:
        if self.app.screen is not self:
            return
        self.app.read_core(load_webhooks, self.endpoint, self.delivery, done=self.show)

    def show(self, data: dict) -> None:
        self.data = data
        self.endpoint, self.delivery = data["endpoint"], data["delivery"]
        state = look.plain(self.app.deliverer_state)
        for problem in data["unreadable"]:  # left out of the tables: named, never hidden
            state.append("\n" + problem, style="bold red")
        self.query_one("#deliverer", Static).update(state)
        self._fill("#endpoints", [
            (str(e["id"]), [str(e["id"]), look.fit(e["url"], self.url_width),
                            look.fit(",".join(e["events"]), self.events_width),
                            look.fit("enabled" if e["enabled"] else
                                     f"off: {e['disabled_reason']}", self.state_width,
                                     "" if e["enabled"] else "bold red"),
                            str(e["pending"]), str(e["delivered"]),
                            look.fit(str(e["failed"]), 6, "bold red" if e["failed"] else "")])
            for e in data["endpoints"]], self.endpoint)
        self._fill("#deliveries", [
            (str(d["id"]), [str(d["id"]), look.fit(event_words(d["event_type"], self.narrow),
                                                     self.event_width),
                            str(d["subscription"] or ""),
                            look.fit(d["status"], 9, {"failed": "bold red",
                                                      "pending": "yellow"}.get(d["status"], "")),
                            *([] if self.narrow else [str(d["attempts"])]),
                            when(d["next_attempt_at"]),
                            look.fit(d["last_error"] or str(d["last_status"] or ""),
                                     self.last_width)])
            for d in data["deliveries"]], self.delivery)
        self._fill("#attempts", [
            (str(a["number"]), [str(a["number"]), when(a["at"]), str(a["status"] or ""),
                                f"{a['duration_ms']} ms",
                                look.fit(a["error"] or "", self.error_width)])
            for a in data["attempts"]], None)

    def _fill(self, selector: str, rows: list[tuple[str, list]], chosen: int | None) -> None:
        """Replace a table's rows, keeping the cursor on the chosen row."""
        table = self.query_one(selector, DataTable)
        self.filling = True  # the cursor moved by a refill is not the operator choosing
        with self.app.batch_update():
            table.clear()
            for key, cells in rows:
                table.add_row(*cells, key=key)
            if chosen is not None and str(chosen) in [k for k, _ in rows]:
                table.move_cursor(row=table.get_row_index(str(chosen)), animate=False)
        self.call_after_refresh(self._filled)

    def _filled(self) -> None:
        self.filling = False

    @on(DataTable.RowHighlighted, "#endpoints")
    def endpoint_chosen(self, event: DataTable.RowHighlighted) -> None:
        chosen = int(event.row_key.value)
        if chosen != self.endpoint and not self.filling:
            self.endpoint, self.delivery = chosen, None
            self.reload()

    @on(DataTable.RowHighlighted, "#deliveries")
    def delivery_chosen(self, event: DataTable.RowHighlighted) -> None:
        chosen = int(event.row_key.value)
        if chosen != self.delivery and not self.filling:
            self.delivery = chosen
            self.reload()

    def action_redeliver(self) -> None:
        from ...webhooks import deliveries

        if self.delivery is None:
            self.notify("No delivery chosen.", severity="warning")
            return
        chosen = self.delivery
        self.app.run_core(deliveries.redeliver, chosen, self.app.operator,
                          done=lambda _: self.changed(f"Delivery {chosen} will be sent again "
                                                      "now."))

    def action_toggle(self) -> None:
        from ...webhooks import endpoints

        row = next((e for e in self.data.get("endpoints", []) if e["id"] == self.endpoint),
                   None)
        if row is None:
            self.notify("No endpoint chosen; add one with 'opsconsole webhooks add URL'.",
                        severity="warning")
            return
        enable = not row["enabled"]
        self.app.run_core(endpoints.set_enabled, row["id"], enable, self.app.operator,
                          done=lambda _: self.changed(
                              f"Endpoint {row['id']} {'enabled' if enable else 'disabled'}."))

    def changed(self, message: str) -> None:
        self.notify(message)
        self.app.store_changed()

    def on_store_changed(self, _: StoreChanged) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()
