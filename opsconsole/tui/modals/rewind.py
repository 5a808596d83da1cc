"""Rewind to a snapshot (R-SNAP-1): the snapshots with their store dates, then a confirmation
that names what is lost."""

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ...views.clock import snapshot_choices
from .base import Dialog


class RewindModal(Dialog[None]):
    PREVIEW = "#rewind-text"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Rewind to a snapshot", classes="dialog-title")
            yield Static("Reading the snapshots…", id="rewind-text", classes="dialog-text")
            yield OptionList(id="snapshots")

    def on_mount(self) -> None:
        self.data: dict = {}
        self.app.read_core(snapshot_choices, done=self.show)

    def show(self, data: dict) -> None:
        self.data = data
        text = self.query_one("#rewind-text", Static)
        options = self.query_one("#snapshots", OptionList)
        if not data["snapshots"]:
            text.update("No snapshots yet: save one with 'opsconsole snapshot save NAME' "
                        "('demo' saves 'start').")
            return
        text.update(f"The store is on {data['today']:%a %Y-%m-%d}. Choose a snapshot (enter):")
        for name, date, saved in data["snapshots"]:
            options.add_option(Option(f"{name:<20} store date {date:%a %Y-%m-%d}   saved "
                                      f"{saved:%Y-%m-%d %H:%M} UTC", id=name))
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        from .confirm import ConfirmModal

        name = event.option.id
        date = next(d for n, d, _ in self.data["snapshots"] if n == name)
        lost = (f"The store goes back from {self.data['today']:%Y-%m-%d} to {date:%Y-%m-%d}, "
                f"as snapshot '{name}' holds it. Everything written since that snapshot was "
                "saved is lost: charges, events, emails, cases, audit rows and webhook "
                "deliveries. Every console on this store reloads.")

        def chosen(yes: bool | None) -> None:
            if yes:
                self.rewind(name)

        self.app.push_screen(ConfirmModal(f"Rewind to '{name}'?", lost, yes="Rewind"), chosen)

    def rewind(self, name: str) -> None:
        from ...store import snapshots

        def done(snapshot) -> None:
            self.dismiss(None)
            self.app.notify(f"Rewound to snapshot '{snapshot.name}': store date "
                            f"{snapshot.store_date:%a %Y-%m-%d}.", title="Rewound")
            self.app.after_rewind()

        self.app.run_core(snapshots.restore, name, self.app.operator, done=done)
