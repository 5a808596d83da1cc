"""One subscription: what it is, what happened to it, and the actions that start here."""

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from .. import look
from ..messages import StoreChanged


def load_detail(sub_id: int) -> dict:
    """The subscription and its history, newest first; runs in a worker."""
    from ...billing import present, subs
    from ...store import context, queries

    ctx = context.current()
    sub = subs.find(sub_id)
    data = present.subscription(sub)
    data["today"] = ctx.today  # for the short flags
    data["events"] = [present.event(e, ctx.timezone)
                      for e in queries.events(sub.id).order_by(queries.Event.id.desc())]
    data["charges"] = [present.charge(c)
                       for c in queries.charges(sub.id).order_by(queries.Charge.id.desc())]
    data["emails"] = [present.notification(n, ctx.timezone) for n in
                      queries.notifications(sub.id).order_by(queries.Notification.id.desc())]
    return data


class SubscriptionScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back", show=False),
        Binding("p", "pause", "Pause", id="pause"),
        Binding("x", "cancel_pause", "Cancel pause", id="cancel-pause"),
        Binding("r", "resume", "Resume", id="resume"),
        Binding("c", "cancel", "Cancel", id="cancel"),
        Binding("u", "uncancel", "Uncancel", id="uncancel"),
        Binding("o", "prorate", "Prorate", id="prorate"),
        Binding("m", "charge", "Charge", id="charge"),
        *look.global_keys_hidden(),
    ]

    def __init__(self, sub_id: int):
        super().__init__()
        self.sub_id = sub_id
        self.data: dict | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail"):
            yield Static(id="overview")
            with TabbedContent(id="history"):
                with TabPane("Timeline", id="timeline"):
                    yield DataTable(id="events", cursor_type="row")
                with TabPane("Charges", id="charges-tab"):
                    yield DataTable(id="charges", cursor_type="row")
                with TabPane("Emails", id="emails-tab"):
                    yield DataTable(id="emails", cursor_type="row")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        look.columns(self.query_one("#events", DataTable),
                     [("At", 16), ("Event", 26), ("State after", 12)])
        look.columns(self.query_one("#charges", DataTable),
                     [("Date", 10), ("Kind", 8), ("Amount", 13), ("Status", 9), ("Reason", 30)])
        look.columns(self.query_one("#emails", DataTable),
                     [("At", 16), ("Email", 24), ("To", 34)])
        self.reload()

    def reload(self) -> None:
        self.app.read_core(load_detail, self.sub_id, done=self.show)

    def show(self, data: dict) -> None:
        self.data = data
        self.query_one("#overview", Static).update(self.overview(data))
        events = self.query_one("#events", DataTable)
        events.clear()
        for e in data["events"]:
            events.add_row(e["at"][:16].replace("T", " "), e["type"].removeprefix(
                "subscription."), e["payload"].get("state", ""))
        charges = self.query_one("#charges", DataTable)
        charges.clear()
        for c in data["charges"]:
            status = Text(c["status"], style=look.colour(
                self.app, "success" if c["status"] == "completed" else "error"))
            charges.add_row(c["date"], c["kind"], look.money(c["amount"], c["currency"]), status,
                            look.fit(c["reason"] or "", 30))
        emails = self.query_one("#emails", DataTable)
        emails.clear()
        for n in data["emails"]:
            emails.add_row(n["at"][:16].replace("T", " "), n["template"], look.fit(n["to"], 34))

    def overview(self, s: dict) -> Table:
        c, pm = s["customer"], s["payment_method"]
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", justify="right")
        grid.add_column()
        grid.add_column(style="bold", justify="right")
        grid.add_column()
        discount = "none"
        if s["discount"]:
            left = s["discount"]["remaining"]
            unit = "%" if s["discount"]["type"] == "percent" else f" {s['currency']}"
            discount = f"{s['discount']['value']}{unit} off, " + (
                f"{left} charges left" if left is not None else "every charge")
        card = f"•••• {pm['last4'] or '????'}  exp {pm['expiry'] or '?'}" if pm else (
            "none (renews manually)" if s["manual_renew"] else "none")
        state = look.state(self.app, s["state"])
        if look.flags(s):
            state.append(f"  {look.flags(s)}")
        rows = [
            ("Subscription", f"{s['id']}" + (f"  ({s['reference_id']})" if s["reference_id"]
                                              else ""), "State", state),
            ("Customer", look.fit(f"{c['first']} {c['last']}", None), "Email",
             look.fit(c["email"], None)),
            ("Product", s["product"], "Every",
             "managed (charged by hand)" if s["interval"] == "adhoc"
             else f"{s['interval_length']} {s['interval']}"),
            ("Price", f"{s['price']} {s['currency']} × {s['quantity']}", "Amount",
             f"{s['amount']} {s['currency']} per period"),
            ("Discount", discount, "Card", card),
            ("Began", s["begin_date"], "Next charge", s["next_charge_date"] or "—"),
            ("Ends", s["end_date"] or "—", "Canceled for", s["cancel_date"] or "—"),
            ("Pause", f"{s['pause_date']} → {s['resume_date']}" if s["pause_date"] else "—",
             "Last prorated", s["last_prorated"] or "—"),
        ]
        for row in rows:
            grid.add_row(*row)
        return grid

    def on_store_changed(self, _: StoreChanged) -> None:
        self.reload()

    # --- actions: each opens a modal that shows what will happen first -------------------

    def _done(self, outcome) -> None:
        severity = "information" if outcome.ok else "warning"
        self.notify(outcome.message, title=f"Subscription {self.sub_id}", severity=severity)
        self.app.store_changed()

    def action_pause(self) -> None:
        from ..modals.pause import PauseModal

        self.app.push_screen(PauseModal(self.sub_id), self._after_modal)

    def action_cancel(self) -> None:
        from ..modals.cancel import CancelModal

        self.app.push_screen(CancelModal(self.sub_id), self._after_modal)

    def action_resume(self) -> None:
        from ...billing import actions
        from ..modals.confirm import ConfirmModal

        def ask(preview: dict) -> None:
            text = (f"Resume subscription {self.sub_id} now? It is charged "
                    f"{preview['amount']} {preview['currency']} now, and a new period starts "
                    "today.")
            self.app.push_screen(ConfirmModal("Resume now", text, "Resume and charge"),
                                 lambda yes: yes and self.app.run_core(
                                     actions.resume, self.sub_id, self.app.operator,
                                     done=self._done))

        self.app.run_core(actions.preview_resume, self.sub_id, done=ask)

    def action_cancel_pause(self) -> None:
        self._confirm("Cancel the scheduled pause",
                      "The subscription stays active and is charged on its next date.",
                      "cancel_pause")

    def action_uncancel(self) -> None:
        self._confirm("Uncancel", "The cancel date is cleared; the subscription renews as "
                      "before.", "uncancel")

    def _confirm(self, title: str, text: str, action: str) -> None:
        from ...billing import actions
        from ..modals.confirm import ConfirmModal

        self.app.push_screen(ConfirmModal(title, text, title),
                             lambda yes: yes and self.app.run_core(
                                 getattr(actions, action), self.sub_id, self.app.operator,
                                 done=self._done))

    def action_prorate(self) -> None:
        from ..modals.prorate import ProrateModal

        self.app.push_screen(ProrateModal(self.sub_id), self._after_modal)

    def action_charge(self) -> None:
        from ...billing import actions
        from ..modals.confirm import ConfirmModal

        def ask(preview: dict) -> None:
            what = "Retry the overdue charge" if preview["kind"] == "retry" else "Charge"
            text = f"{what} of {preview['amount']} {preview['currency']} now?"
            self.app.push_screen(ConfirmModal("Charge now", text, "Charge"),
                                 lambda yes: yes and self.app.run_core(
                                     actions.charge, self.sub_id, self.app.operator,
                                     done=self._done))

        self.app.run_core(actions.preview_charge, self.sub_id, done=ask)

    def _after_modal(self, outcome) -> None:
        if outcome is not None:
            self._done(outcome)
