"""Webhooks: endpoints with their pending / delivered / failed counts, an endpoint's
deliveries (newest first), and a delivery's attempts; redeliver, enable or disable."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from .. import look
from ..messages import StoreChanged

DELIVERIES_SHOWN = 200
REFRESH_SECONDS = 2.0  # deliveries change without any event being written


def load_webhooks(endpoint: int | None, delivery: int | None) -> dict:
    from ...webhooks import deliveries, endpoints

    found = endpoints.listing()
    ids = [e["id"] for e in found]
    endpoint = endpoint if endpoint in ids else (ids[0] if ids else None)
    rows = (deliveries.listing(endpoint, limit=DELIVERIES_SHOWN, newest_first=True)
            if endpoint is not None else [])
    chosen = delivery if delivery in [r["id"] for r in rows] else (rows[0]["id"] if rows
                                                                   else None)
    return {"endpoints": found, "endpoint": endpoint, "deliveries": rows, "delivery": chosen,
            "attempts": deliveries.attempts(chosen) if chosen is not None else []}


def when(text: str | None) -> str:
    """A stored UTC time, short: '11-22 06:31:05'."""
    return text[5:19].replace("T", " ") if text else ""


class WebhooksScreen(Screen):
    BINDINGS = [Binding("r", "redeliver", "Redeliver", id="redeliver",
                        tooltip="Send the chosen delivery again now (same webhook-id)"),
                Binding("t", "toggle", "Enable/disable", id="toggle-endpoint",
                        tooltip="Disable the chosen endpoint, or enable it again"),
                Binding("5", "app.switch_mode('webhooks')", "Webhooks", show=False)]

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
        self.data: dict = {}
        look.columns(self.query_one("#endpoints", DataTable),
                     [("ID", 4), ("URL", 40), ("Events", 18), ("State", 14), ("Pending", 7),
                      ("Delivered", 9), ("Failed", 6)])
        look.columns(self.query_one("#deliveries", DataTable),
                     [("ID", 6), ("Event", 30), ("Sub", 5), ("Status", 9), ("Tries", 5),
                      ("Next try (UTC)", 14), ("Last", 30)])
        look.columns(self.query_one("#attempts", DataTable),
                     [("#", 3), ("At (UTC)", 14), ("HTTP", 4), ("Took", 8), ("Error", 40)])
        self.query_one("#endpoints", DataTable).focus()
        self.set_interval(REFRESH_SECONDS, self.reload)
        self.reload()

    def reload(self) -> None:
        if self.app.screen is not self:
            return
        self.app.read_core(load_webhooks, self.endpoint, self.delivery, done=self.show)

    def show(self, data: dict) -> None:
        self.data = data
        self.endpoint, self.delivery = data["endpoint"], data["delivery"]
        self.query_one("#deliverer", Static).update(look.plain(self.app.deliverer_state))
        self._fill("#endpoints", [
            (str(e["id"]), [str(e["id"]), look.fit(e["url"], 40),
                            look.fit(",".join(e["events"]), 18),
                            look.fit("enabled" if e["enabled"] else
                                     f"off: {e['disabled_reason']}", 14,
                                     "" if e["enabled"] else "bold red"),
                            str(e["pending"]), str(e["delivered"]),
                            look.fit(str(e["failed"]), 6, "bold red" if e["failed"] else "")])
            for e in data["endpoints"]], self.endpoint)
        self._fill("#deliveries", [
            (str(d["id"]), [str(d["id"]), d["event_type"], str(d["subscription"] or ""),
                            look.fit(d["status"], 9, {"failed": "bold red",
                                                      "pending": "yellow"}.get(d["status"], "")),
                            str(d["attempts"]), when(d["next_attempt_at"]),
                            look.fit(d["last_error"] or str(d["last_status"] or ""), 30)])
            for d in data["deliveries"]], self.delivery)
        self._fill("#attempts", [
            (str(a["number"]), [str(a["number"]), when(a["at"]), str(a["status"] or ""),
                                f"{a['duration_ms']} ms", look.fit(a["error"] or "", 40)])
            for a in data["attempts"]], None)

    def _fill(self, selector: str, rows: list[tuple[str, list]], chosen: int | None) -> None:
        """Replace a table's rows, keeping the cursor on the chosen row."""
        table = self.query_one(selector, DataTable)
        with self.app.batch_update():
            table.clear()
            for key, cells in rows:
                table.add_row(*cells, key=key)
            if chosen is not None and str(chosen) in [k for k, _ in rows]:
                table.move_cursor(row=table.get_row_index(str(chosen)), animate=False)

    @on(DataTable.RowHighlighted, "#endpoints")
    def endpoint_chosen(self, event: DataTable.RowHighlighted) -> None:
        chosen = int(event.row_key.value)
        if chosen != self.endpoint:
            self.endpoint, self.delivery = chosen, None
            self.reload()

    @on(DataTable.RowHighlighted, "#deliveries")
    def delivery_chosen(self, event: DataTable.RowHighlighted) -> None:
        chosen = int(event.row_key.value)
        if chosen != self.delivery:
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
