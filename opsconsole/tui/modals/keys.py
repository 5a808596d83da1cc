"""`?`: the keys of the screen in front, with what each does and the id a keymap names it by
(settings.py)."""

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Label, Static

from .. import look
from ..settings import config_path
from .base import Dialog


def screen_keys(app, screen: Screen) -> list[tuple[str, str, str]]:
    """(keys, what, id) for every binding of ours that works on the screen: the screen's own,
    then the app's. Textual's own widget keys (scrolling, copying) carry no id and are left
    out: they are the same everywhere."""
    rows: dict[str, tuple[str, str, str]] = {}
    found = sorted(screen.active_bindings.values(), key=lambda a: a.node is not screen)
    for active in found:
        binding = active.binding
        if not binding.description or not binding.id:
            continue
        name = binding.id
        shown = app.get_key_display(binding)
        if name in rows:  # another key for the same action
            keys, what, ident = rows[name]
            if shown not in keys.split(" "):
                rows[name] = (f"{keys} {shown}", what, ident)
            continue
        rows[name] = (shown, binding.tooltip or binding.description, binding.id)
    return list(rows.values())


class KeysModal(Dialog[None]):
    def __init__(self, screen: Screen):
        super().__init__()
        self.shown_for = screen

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Label("Keys on this screen", classes="dialog-title")
            yield DataTable(id="keys", cursor_type="row", zebra_stripes=True)
            yield Static(f"Change them in {config_path()} ([keys] id = \"key\").",
                         classes="dialog-text")
            with Horizontal(classes="buttons"):
                yield Button("Back (esc)", id="back")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        what = 44 if self.app.size.width >= 100 else 32  # the ids whole at 80 columns
        look.columns(table, [("Key", 10), ("What", what), ("Id", 16)])
        for keys, text, ident in screen_keys(self.app, self.shown_for):
            table.add_row(keys, look.fit(text, what), ident)
        table.focus()
