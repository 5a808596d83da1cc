"""The store clock: preview tomorrow, run it, or run to a date, with a report of each day."""

import datetime as dt

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, ProgressBar, Static

from ...text import escape
from ...views.clock import preview_tomorrow, run_tomorrow, today
from ..core import in_thread
from ..widgets import Field
from .base import Dialog

LABELS = {"charged": "Charged", "declined": "Declined", "retried": "Retried",
          "paused": "Paused", "resumed": "Resumed", "deactivated": "Deactivated",
          "reminders": "Reminders", "overdue_notices": "Overdue notices",
          "cases_closed": "Cases closed"}
SHOWN = 14  # days in the run-to report: the dialog's height
SHORT = {"charged": "Chg", "declined": "Decl", "retried": "Retry", "paused": "Pause",
         "resumed": "Resume", "deactivated": "Deact", "reminders": "Remind",
         "overdue_notices": "Notice", "cases_closed": "Cases"}


def day_table(report: dict) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold")
    table.add_column()
    for key, label in LABELS.items():
        value = report["counts"][key]
        table.add_row(str(value), label if value else f"[dim]{label}[/dim]")
    for money in report.get("revenue", ()):  # add-ons included (R-ADDON-3)
        table.add_row(f"{money['amount']} {money['currency']}",
                      f"Taken in (add-ons {money['addons']} {money['currency']} of it)")
    for item in report.get("set_aside", ()):  # R-INPUT-3: never silent
        table.add_row("[b red]![/]", Text(f"Subscription {item['subscription']} set aside: "
                                           f"{escape(item['error'])}", style="red"))
    return table


def days_table(reports: list[dict]) -> Table:
    table = Table(box=None, padding=(0, 1), header_style="bold")
    table.add_column("Date")
    for key in LABELS:
        table.add_column(SHORT[key], justify="right")
    for report in reports:
        table.add_row(report["date"], *(str(report["counts"][k] or "·") for k in LABELS))
    aside = sorted({item["subscription"] for r in reports for item in r.get("set_aside", ())})
    if aside:
        table.caption = Text(f"Set aside (see the audit log): subscription "
                             f"{', '.join(map(str, aside))}", style="red")
    return table


class ClockModal(Dialog[None]):
    """What the clock dialogs share: once days have run, only Close is left."""

    BINDINGS = [Binding("escape", "back", "Close", id="dialog-back")]

    def finished(self) -> None:
        self.query_one("#run", Button).display = False
        self.query_one("#close", Button).focus()
        self.app.store_changed()

    @on(Button.Pressed, "#close")
    def close(self) -> None:
        self.dismiss(None)


class NextDayModal(ClockModal):
    """Tomorrow's work before it happens; then the day's report."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Next day", classes="dialog-title", id="day-title")
            yield Static("Working out what tomorrow will do…", id="day-body")
            with Horizontal(classes="buttons"):
                yield Button("Run the day (enter)", variant="primary", id="run",
                             disabled=True)
                yield Button("Close (esc)", id="close")

    def on_mount(self) -> None:
        self.app.run_core(preview_tomorrow, done=self.show_preview)

    def show_day(self, reports: list[dict], title: str) -> None:
        report = reports[-1]
        date = dt.date.fromisoformat(report["date"])
        self.query_one("#day-title", Label).update(title.format(f"{date:%a %Y-%m-%d}"))
        self.query_one("#day-body", Static).update(day_table(report))

    def show_preview(self, reports: list[dict]) -> None:
        self.show_day(reports, "Tomorrow, {}, will…")
        run = self.query_one("#run", Button)
        run.disabled = False
        run.focus()

    @on(Button.Pressed, "#run")
    def run(self) -> None:
        self.query_one("#run", Button).disabled = True
        self.query_one("#day-body", Static).update("Running the day…")
        self.app.run_core(run_tomorrow, done=self.show_report)

    def show_report(self, reports: list[dict]) -> None:
        self.show_day(reports, "Day report, {}")
        self.finished()


class RunToModal(ClockModal):
    """Run every day up to a date, in a worker, with progress; then a report per day."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Run to date", classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("Run every day up to")
                # no max_length: a leading space never costs the last digit
                yield Field(id="until", placeholder="YYYY-MM-DD")
            yield Static(id="run-message", classes="dialog-text")
            yield ProgressBar(id="progress", show_eta=False)
            yield Static(id="report")
            with Horizontal(classes="buttons"):
                yield Button("Run (enter)", variant="primary", id="run")
                yield Button("Close (esc)", id="close")

    def on_mount(self) -> None:
        def fill(today: dt.date) -> None:
            until = self.query_one("#until", Input)
            until.value = (today + dt.timedelta(days=7)).isoformat()
            until.focus()

        self.app.run_core(today, done=fill)
        self.query_one(ProgressBar).display = False

    running = False

    @on(Input.Submitted)
    @on(Button.Pressed, "#run")
    def run(self) -> None:
        from ... import clock

        if self.running:  # enter in the date field while the days run: one run at a time
            return
        text = self.query_one("#until", Input).value.strip()
        try:
            until = dt.date.fromisoformat(text)
        except ValueError:
            # what was typed, as typed: never read as markup
            self.query_one("#run-message", Static).update(Text(f"{text!r} is not a date "
                                                                "(YYYY-MM-DD)."))
            return
        self.running = True
        self.query_one("#run", Button).disabled = True
        bar = self.query_one(ProgressBar)
        bar.display = True

        def progress(report: dict) -> None:
            self.app.call_from_thread(bar.advance, 1)
            self.app.call_from_thread(self.query_one("#run-message", Static).update,
                                      f"Ran {report['date']}…")

        def job():
            from ...errors import DomainError

            try:
                total = in_thread(lambda: (clock.target_date(until=until) -
                                           clock.today()).days)
                self.app.call_from_thread(bar.update, total=max(total, 1))
                reports = in_thread(clock.run_days, until=until, on_day=progress)
            except DomainError as exc:
                self.app.call_from_thread(self.refused, str(exc))
                return
            except Exception as exc:  # a busy store, a bug: said, and the dialog usable again
                self.app.call_from_thread(self.app.failed, exc)
                self.app.call_from_thread(self.refused, f"Not run: {type(exc).__name__}: {exc}")
                return
            self.app.call_from_thread(self.show_report, reports)

        self.run_worker(job, thread=True, group="run-to", exit_on_error=False)

    def refused(self, message: str) -> None:
        self.running = False
        self.query_one("#run-message", Static).update(Text(message))
        self.query_one("#run", Button).disabled = False
        self.query_one(ProgressBar).display = False

    def show_report(self, reports: list[dict]) -> None:
        if not reports:  # nothing ran: another date can still be given
            self.refused("Nothing to run: the store is already at that date.")
            return
        self.running = False
        self.query_one(ProgressBar).display = False
        shown = reports[-SHOWN:]
        message = f"Ran {len(reports)} day{'s' if len(reports) != 1 else ''}."
        if len(shown) < len(reports):
            message += f" The last {len(shown)} are below."
        self.query_one("#run-message", Static).update(message)
        self.query_one("#report", Static).update(days_table(shown))
        self.finished()
