"""One subscription: what it is, what happened to it, and the actions that start here."""

from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from ...views.detail import detail as load_detail
from .. import look
from ..messages import StoreChanged


class SubscriptionScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="back", show=False),
        Binding("p", "pause", "Pause", id="pause"),
        # shown where it applies: the overview's Pause line says "x cancels it"
        Binding("x", "cancel_pause", "Cancel pause", id="cancel-pause", show=False),
        Binding("r", "resume", "Resume", id="resume"),
        Binding("c", "cancel", "Cancel", id="cancel"),
        Binding("u", "uncancel", "Uncancel", id="uncancel"),
        Binding("o", "prorate", "Prorate", id="prorate"),
        Binding("m", "charge", "Charge", id="charge"),
        Binding("a", "addon_add", "Add-on", id="addon-add",
                tooltip="Add an add-on its product offers (from the next charge)"),
        Binding("A", "addon_remove", "Remove add-on", id="addon-remove", show=False),
        Binding("e", "change", "Change", id="change",
                tooltip="Next charge date, end date, product, quantity or price; no proration"),
        # R-DUN-5, R-MANUAL-1, R-MANUAL-2: out of the footer (full at 80 columns); ? and the
        # command palette list them
        Binding("C", "payment", "Payment method", id="payment", show=False,
                tooltip="Set the card; an overdue one is charged now"),
        Binding("M", "manual_renew", "Manual renewal", id="manual-renew", show=False,
                tooltip="Renew manually; the card is deleted"),
        Binding("dollar_sign", "pay", "Pay now", id="pay", show=False,
                tooltip="The customer pays a manual renewal now"),
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
                with TabPane("Account", id="account-tab"):
                    yield Static(id="account-summary")
                    yield DataTable(id="account", cursor_type="row")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        look.columns(self.query_one("#events", DataTable),
                     [("At", 16), ("Event", 24), ("State after", 11), ("Webhooks", 15)])
        look.columns(self.query_one("#charges", DataTable),
                     [("Date", 10), ("Kind", 8), ("Amount", 13), ("Status", 9), ("Reason", 30)])
        look.columns(self.query_one("#emails", DataTable),
                     [("At", 16), ("Email", 24), ("To", 34)])
        look.columns(self.query_one("#account", DataTable),
                     [("ID", 4), ("Product", 15), ("State", 11), ("Amount", 11), ("Next", 10),
                      ("Flags", 12)])
        self.reload()

    def reload(self) -> None:
        self.app.read_core(load_detail, self.sub_id, done=self.show)

    def show(self, data: dict) -> None:
        self.data = data
        self.query_one("#overview", Static).update(self.overview(data))
        events = self.query_one("#events", DataTable)
        events.clear()
        for e in data["events"]:
            hook = data["webhooks"].get(e["id"], "")
            events.add_row(e["at"][:16].replace("T", " "), e["type"].removeprefix(
                "subscription."), e["payload"].get("state", ""),
                look.fit(hook, 15, "bold red" if "failed" in hook else ""))
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
        self.show_account(data["account"])

    def show_account(self, account: dict) -> None:
        """R-ACCOUNT-1: the customer's other subscriptions; enter opens one."""
        others = account["others"]
        totals = ", ".join(f"{t['total']} {t['currency']}" for t in account["charges_total"])
        summary = look.plain(
            f"{account['first']} {account['last']} <{account['email']}>: "
            + (f"{len(others)} other subscription{'' if len(others) == 1 else 's'}"
               if others else "no other subscription")
            + f"; charged in all {totals or 'nothing yet'}"
            + ("  ·  enter opens one" if others else ""))
        self.query_one("#account-summary", Static).update(summary)
        table = self.query_one("#account", DataTable)
        table.clear()
        for o in others:
            flag = "repeat trial" if o["repeat_trial"] else ""
            table.add_row(str(o["id"]), look.fit(o["product"], 15),
                          look.state(self.app, o["state"]),
                          look.money(o["amount"], o["currency"]), o["next_charge_date"] or "—",
                          flag, key=str(o["id"]))

    @on(DataTable.RowSelected, "#account")
    def open_other(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(SubscriptionScreen(int(event.row_key.value)))

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
             f"{s['amount']} {s['currency']} per "
             + ("charge" if s["interval"] == "adhoc" else "period")),
            ("Add-ons", look.fit(", ".join(
                f"{a['path']} × {a['quantity']} ({a['price']})" for a in s["addons"])
                or "none", None), "", look.plain("a add · A remove")),
            ("Discount", discount, "Card", card),
            ("Began", s["begin_date"], "Next charge", s["next_charge_date"] or "—"),
            ("Ends", s["end_date"] or "—", "Canceled for", s["cancel_date"] or "—"),
            ("Pause", f"{s['pause_date']} → {s['resume_date']}"
             + ("  (x cancels it)" if s["state"] != "paused" else "") if s["pause_date"]
             else "—",
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
        self._confirm("Cancel the scheduled pause", lambda found: (
            f"The pause from {found['pause_date']} is removed; the subscription stays active "
            "and is charged on its next date."), "cancel_pause")

    def action_uncancel(self) -> None:
        self._confirm("Uncancel", lambda found: (
            f"The cancel date {found['cancel_date']} is cleared; the subscription renews as "
            "before."), "uncancel")

    def _confirm(self, title: str, text: Callable[[dict], str], action: str) -> None:
        """The core's check first (its refusal is said at once, no dialog), then the dialog
        saying what the action changes."""
        from ...billing import actions
        from ..modals.confirm import ConfirmModal

        def ask(found: dict) -> None:
            self.app.push_screen(ConfirmModal(title, text(found), title),
                                 lambda yes: yes and self.app.run_core(
                                     getattr(actions, action), self.sub_id,
                                     self.app.operator, done=self._done))

        self.app.run_core(getattr(actions, f"check_{action}"), self.sub_id, done=ask)

    def action_addon_add(self) -> None:
        from ..modals.addons import AddonAddModal

        self.app.push_screen(AddonAddModal(self.sub_id), self._after_modal)

    def action_addon_remove(self) -> None:
        from ..modals.addons import AddonRemoveModal

        self.app.push_screen(AddonRemoveModal(self.sub_id), self._after_modal)

    def action_change(self) -> None:
        from ..modals.change import ChangeModal

        self.app.push_screen(ChangeModal(self.sub_id), self._after_modal)

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

    def action_payment(self) -> None:
        from ..modals.payment import PaymentModal

        self.app.push_screen(PaymentModal(self.sub_id), self._after_modal)

    def action_pay(self) -> None:
        from ..modals.payment import PayModal

        self.app.push_screen(PayModal(self.sub_id), self._after_modal)

    def action_manual_renew(self) -> None:
        from ...billing import actions
        from ..modals.payment import ManualRenewModal

        self.app.push_screen(ManualRenewModal(self.sub_id),
                             lambda yes: yes and self.app.run_core(
                                 actions.manual_renew, self.sub_id, self.app.operator,
                                 done=self._after_modal))

    def _after_modal(self, outcome) -> None:
        if outcome is not None:
            self._done(outcome)
