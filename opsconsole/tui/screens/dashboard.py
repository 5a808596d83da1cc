"""The dashboard: how the store is doing, at a glance. The figures are views.report's (the
same as `report`); this screen only draws them: MRR, states and cases across the top, revenue
charged per day and the next 30 days' scheduled charges as bars, and the dunning funnel."""

from decimal import Decimal

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static

from ...views.report import report
from .reading import ReadingScreen


def bars(days: list[dict], currency: str, field: str) -> tuple[list[str], list[float]]:
    """One bar per date in one currency: labels 'MM-DD', heights for drawing only (money is
    never computed from them; the figures beside the chart are the exact ones)."""
    labels, heights = [], []
    for day in days:
        cell = next((a for a in day["amounts"] if a["currency"] == currency), None)
        labels.append(day["date"][5:])
        heights.append(float(Decimal(cell[field])) if cell else 0.0)
    return labels, heights


def main_currency(totals: list[dict], field: str, fallback: str) -> str:
    """The currency with the most money in a chart's period: the one its bars show."""
    if not totals:
        return fallback
    return max(totals, key=lambda t: (Decimal(t[field]), t["currency"] == fallback))["currency"]


class DashboardScreen(ReadingScreen):
    BINDINGS = [Binding("4", "app.switch_mode('dashboard')", "Dashboard", show=False,
                        id="dashboard")]

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot  # ~0.1 s: only when the dashboard is opened

        yield Header()
        with VerticalScroll(id="dashboard"):
            with Horizontal(id="dash-top"):
                yield Static("Reading the store…", id="dash-mrr", classes="dash-box")
                yield Static(id="dash-states", classes="dash-box")
                yield Static(id="dash-cases", classes="dash-box")
            yield PlotextPlot(id="dash-revenue", classes="dash-chart")
            yield PlotextPlot(id="dash-scheduled", classes="dash-chart")
            yield Static(id="dash-dunning", classes="dash-box wide")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.chart_titles: dict[str, str] = {}  # the read comes with ScreenResume

    def read(self) -> None:
        self.app.read_core(report, done=self.show)

    def show(self, data: dict) -> None:
        self.query_one("#dash-mrr", Static).update(self.mrr_table(data))
        self.query_one("#dash-states", Static).update(self.states_table(data["states"]))
        self.query_one("#dash-cases", Static).update(self.cases_table(data["cases"]))
        home = data["mrr"][0]["currency"] if data["mrr"] else "USD"
        revenue, scheduled = data["revenue"], data["scheduled"]
        cur = main_currency(revenue["totals"], "net", home)
        total = next(t for t in revenue["totals"] if t["currency"] == cur)
        self.chart("#dash-revenue", *bars(revenue["days"], cur, "net"),
                   f"Revenue charged per day, {cur} (net {total['net']}; last "
                   f"{data['days']} days)")
        cur = main_currency(scheduled["totals"], "amount", home)
        total = next(t for t in scheduled["totals"] if t["currency"] == cur)
        self.chart("#dash-scheduled", *bars(scheduled["days"], cur, "amount"),
                   f"Scheduled, next 30 days, {cur} ({total['amount']}; "
                   f"{scheduled['charges']} charges)")
        self.query_one("#dash-dunning", Static).update(self.dunning_table(data["dunning"],
                                                                           data["days"]))

    def chart(self, selector: str, labels: list[str], heights: list[float], title: str) -> None:
        from textual_plotext import PlotextPlot

        plot = self.query_one(selector, PlotextPlot)
        plt = plot.plt
        plt.clear_figure()
        plt.title(title)
        self.chart_titles[selector] = title
        step = max(1, len(labels) // 8)  # a date every few bars: they stay legible at 80 columns
        plt.bar(list(range(len(labels))), heights, marker="hd", color="cyan")
        plt.xticks(list(range(0, len(labels), step)), labels[::step])
        plot.refresh()

    @staticmethod
    def mrr_table(data: dict) -> Table:
        table = Table(box=None, padding=(0, 1), title="MRR", title_justify="left",
                      title_style="bold")
        table.add_column("Cur")
        table.add_column("Monthly", justify="right")
        table.add_column("Subs", justify="right")
        for row in data["mrr"]:
            table.add_row(row["currency"], row["amount"], str(row["subscriptions"]))
        if data.get("unreadable"):  # rows the store cannot read are left out, and said so
            table.caption = "Left out, cannot be read: " + ", ".join(map(str, data["unreadable"]))
            table.caption_style = "bold red"
            table.caption_justify = "left"
        return table

    @staticmethod
    def states_table(states: dict) -> Table:
        table = Table(box=None, padding=(0, 1), title="Subscriptions", title_justify="left",
                      title_style="bold")
        table.add_column("State")
        table.add_column("", justify="right")
        for state, n in states.items():
            table.add_row(state, str(n))
        return table

    @staticmethod
    def cases_table(cases: dict) -> Table:
        table = Table(box=None, padding=(0, 1), title="Open cases", title_justify="left",
                      title_style="bold")
        table.add_column("Severity")
        table.add_column("Open", justify="right")
        table.add_column("Late", justify="right")
        for row in cases["by_severity"]:
            late = str(row["past_target"])
            table.add_row(row["name"], str(row["open"]),
                          f"[b red]{late}[/]" if row["past_target"] else late)
        return table

    @staticmethod
    def dunning_table(dunning: dict, days: int) -> Table:
        table = Table(box=None, padding=(0, 1), title=f"Dunning, declines of the last {days} "
                      "days", title_justify="left", title_style="bold")
        for name in ("Cur", "Declined", "Day 1", "Day 3", "Day 5", "New card", "Paid",
                     "Deactivated", "Open"):
            table.add_column(name, justify="left" if name == "Cur" else "right")
        if not dunning["currencies"]:
            table.add_row("", "none")
        for f in dunning["currencies"]:
            found = {r["day"]: r for r in f["recovered"]["retry_days"]}
            cell = lambda t: f"{t['count']} · {t['amount']}"  # noqa: E731
            table.add_row(f["currency"], cell(f["declined"]),
                          *(cell(found[d]) if d in found else "0" for d in (1, 3, 5)),
                          cell(f["recovered"]["new_payment_method"]),
                          cell(f["recovered"]["paid"]), cell(f["deactivated"]),
                          cell(f["open"]))
        return table
