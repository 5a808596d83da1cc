"""How things look: state colours from the theme, short flags, money with its currency."""

from rich.text import Text

from ..text import escape

STATE_COLOURS = {"active": "success", "trial": "accent", "overdue": "error",
                 "paused": "warning", "deactivated": "text-muted", "unreadable": "error"}


def colour(app, name: str) -> str:
    return app.theme_variables.get(name, "")


def state(app, value: str) -> Text:
    return Text(value, style=f"bold {colour(app, STATE_COLOURS.get(value, 'foreground'))}")


def fit(text: str, width: int | None, style: str = "") -> Text:
    """Cut to a column's width with an ellipsis, so nothing is cut off silently. Stored text
    is shown as typed: never read as markup, a control character as its escape (R-INPUT-4)."""
    text = escape(text)
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return Text(text, style=style, end="", no_wrap=True)


def plain(value) -> Text:
    """A long text for a panel: its own lines kept, each escaped, never read as markup."""
    if isinstance(value, Text):
        return value
    return Text("\n".join(escape(line) for line in str(value).split("\n")))


def flags(s: dict) -> str:
    from ..billing.present import flags as sub_flags

    return ", ".join(sub_flags(s, today=s.get("today")))


def money(amount: str, currency: str) -> Text:
    return Text(f"{amount} {currency}", justify="right")


def global_keys_hidden():
    """The app's keys, still working on a detail screen but left out of its footer so the
    screen's own actions fit in 80 columns."""
    from textual.binding import Binding

    # the app's own ids: a keymap that moves one of them moves these too
    return [Binding("1", "app.switch_mode('subscriptions')", "Subscriptions", show=False,
                    id="subscriptions"),
            Binding("2", "app.switch_mode('cases')", "Cases", show=False, id="cases"),
            Binding("3", "app.switch_mode('activity')", "Activity", show=False, id="activity"),
            Binding("4", "app.switch_mode('dashboard')", "Dashboard", show=False,
                    id="dashboard"),
            Binding("5", "app.switch_mode('webhooks')", "Webhooks", show=False, id="webhooks"),
            Binding("exclamation_mark", "app.switch_mode('attention')", "Attention",
                    show=False, id="attention"),
            Binding("d", "app.next_day", "Next day", show=False, id="next-day"),
            Binding("D", "app.run_to", "Run to…", show=False, id="run-to"),
            Binding("q", "app.quit", "Quit", show=False, id="quit")]


def columns(table, spec: list[tuple[str, int]], keys: list[str] | None = None) -> None:
    """Fixed column widths: a table drawn at once, not re-measured later when idle."""
    for i, (label, width) in enumerate(spec):
        table.add_column(label, width=width, key=keys[i] if keys else None)
