"""Subscriptions: the whole store a page at a time, searched as you type."""

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Select, Static

from ...store.queries import PAST_END, SEARCH_CAP
from ...views.subscriptions import (
    REPEAT,
    STATES,
    count as count_rows,
    page as load_page,
    product_paths,
)
from .. import core, look
from ..messages import StoreChanged
from ..rowtable import Column, LazyRows, RowTable
from ..widgets import Field

WIDE = 118  # below this many columns the table drops Product and narrows the rest
COLUMNS = {  # key: (label, width, width when narrow)
    "id": ("ID", 5, 3), "customer": ("Customer", 22, 16), "product": ("Product", 18, 0),
    "amount": ("Amount", 13, 11), "state": ("State", 11, 11), "next": ("Next", 10, 10),
    "flags": ("Flags", 22, 16)}
PAGE = 100
WINDOW = 3 * PAGE  # rows held at once, whatever the store's size


def read_page(kind: str, size: int, *args, **kwargs) -> dict:
    """A page, labelled with what it is for and the rows it asked for: the list has one reader,
    so a newer request of any kind (a search, top, end, the next page) drops every older
    answer."""
    return {**load_page(size, *args, **kwargs), "kind": kind, "size": size}


def first_page() -> dict | None:
    """The list's first page, read before the console starts so that its first frame shows
    rows. Read on the thread that starts the console, alone: read in a worker while Textual
    starts, the two shared the interpreter and a 20 ms read took 250-330 ms. None if it
    cannot be read now: the screen then reads it as any other page, and says why."""
    try:
        return core.in_thread(read_page, "first", PAGE, with_count=False, state=None,
                              product=None, search=None)
    except Exception:  # noqa: BLE001 - said by the screen's own read, in words
        return None


class SearchField(Field):
    """The list's search box. Each change is read at once, from inside the key that made it,
    so that the read overlaps the drawing of the key's echo, instead of beginning after the
    echo is drawn and the Changed message has bubbled up to the screen."""

    def __init__(self, typed: Callable[[], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self._typed = typed

    def watch_value(self) -> None:
        self._typed()

    async def action_submit(self) -> None:
        """Enter leaves for the list at once: the keys typed after it are the list's."""
        await super().action_submit()
        self.screen.set_focus(self.screen.query_one(RowTable))


class SubscriptionsScreen(Screen):
    BINDINGS = [
        # the search box says so. In its turn, not as it arrives (priority): a key typed
        # before it is the list's; those typed after it, sent to the list before focus
        # moved, come back up unhandled and go to the search box (modals/base.typed_ahead)
        Binding("/", "search", "Search", id="search", show=False),
        Binding("enter", "open", "Open", id="open"),
        Binding("b", "bulk", "Bulk price", id="bulk"),
        Binding("m", "charge", "Charge", id="charge-many"),
        Binding("1", "app.switch_mode('subscriptions')", "Subs", show=False,
                id="subscriptions"),  # here already
        Binding("g", "top", "Top", id="top", show=False),
        Binding("G", "end", "End", id="end", show=False),
        Binding("escape", "clear_search", "Clear", id="clear-search", show=False),
    ]

    def __init__(self):
        super().__init__()
        self.rows: list[dict] = []
        self.first: int | None = 0  # the place of rows[0] in the whole list, None: unknown
        self.count = 0
        self.at_start = True
        self.at_end = True
        self.fetching = False
        self.narrow: bool | None = None
        self.products_read = False
        self.counting = False
        self.shown = False  # resumed once: the first time is the mount, its rows just read
        self._searched: str | None = None  # the search of the latest read

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield SearchField(self.search_typed, placeholder="/ search: ID, ref, email, name",
                              id="search")
            yield Select([(s, s) for s in [*STATES, REPEAT]], prompt="State", id="state")
            yield Select([], prompt="Product", id="product")
        yield RowTable(id="subs")
        yield Static(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        self.set_columns()
        table.focus()
        page = self.app.take_first_page()
        if page is None:
            self.reload()
        else:  # the plain list, as reload() would ask for it: its count comes next
            self._keep, self.counting = None, True
            self.show_first(page)

    def set_columns(self) -> None:
        narrow = self.app.size.width < WIDE
        if narrow == self.narrow:
            return
        self.narrow = narrow
        self.set_class(narrow, "narrow")
        self.query_one(RowTable).set_columns(
            [Column(key, label, slim if narrow else wide)
             for key, (label, wide, slim) in COLUMNS.items() if slim or not narrow])
        if self.rows:
            self.redraw()

    def on_resize(self) -> None:
        self.set_columns()

    # --- loading ---------------------------------------------------------------------------

    def filters(self) -> dict:
        state, product = self.query_one("#state", Select), self.query_one("#product", Select)
        search = self.query_one("#search", Input).value.strip()
        return {"state": None if state.is_blank() else state.value,
                "product": None if product.is_blank() else product.value,
                "search": search or None}

    def reload(self, keep_cursor: bool = False) -> None:
        table = self.query_one(RowTable)
        self._keep = self.rows[table.cursor_row]["id"] if keep_cursor and self.rows else None
        # a search is counted with its page (one search); a plain list's count comes after
        # its first rows, which then come up sooner on a large store
        self.counting = not self.filters()["search"]
        top = min(round(table.scroll_y), len(self.rows) - 1)
        if self._keep is None or (self.at_start and table.cursor_row < PAGE):
            # the row kept may have moved down the list (a day run, a charge): a page is read
            # for it; a keystroke keeps no row and reads a screen
            self.read("first", self.first_size() if self._keep is None else None,
                      with_count=not self.counting)
            return
        # deep in the list: read again from the row at the top of the screen, which stays
        # there (keys are (date, id): the key just before a row's is its id less one)
        key, sub_id = self.rows[top]["_key"]
        self._top = None if self.first is None else self.first + top
        self._table_top = table.first + top  # where the table had that row, known or not
        self.read("around", after=(key, sub_id - 1), with_count=not self.counting)

    def first_size(self) -> int:
        """The rows a list read from its top asks for: a screen's and a few more, so that each
        keystroke of a search reads and lays out only what it shows (the rest follows a page
        at a time as the cursor moves)."""
        return min(self.app.size.height + 10, PAGE)

    def read(self, kind: str, size: int | None = None, **kwargs) -> None:
        self.fetching = True
        self._searched = self.filters()["search"]
        self.app.read_core(read_page, kind, PAGE if size is None else size,
                           done=self.show_page, finally_=self.fetched, **kwargs, **self.filters())

    def fetched(self) -> None:
        self.fetching = False

    def show_page(self, page: dict) -> None:
        {"first": self.show_first, "more": self.show_more, "last": self.show_last,
         "around": self.show_around}[page["kind"]](page)

    def show_products(self, paths: list[str]) -> None:
        self.query_one("#product", Select).set_options([(p, p) for p in paths])

    def show_first(self, page: dict, first: int | None = 0, place: int = 0) -> None:
        self.count = page["count"]
        self.rows, self.first = page["rows"], first
        self.at_start, self.at_end = first == 0, len(page["rows"]) < page["size"]
        kept = [i for i, row in enumerate(self.rows) if row["id"] == self._keep]
        self.redraw(kept[0] if kept else 0, place)
        if self.counting:
            self.app.read_core(count_rows, done=self.show_count, **self.filters())
        if not self.products_read:  # after the first rows: they come up sooner alone
            self.products_read = True
            self.app.read_core(product_paths, done=self.show_products)
            self.call_after_refresh(self.app.first_rows_shown)

    def show_around(self, page: dict) -> None:
        """The rows from the one that was at the top of the screen, read again; its place in
        the whole list is the old one (what changed before it is not known until counted)."""
        self.show_first(page, self._top, self._table_top)

    def redraw(self, cursor: int | None = None, place: int = 0) -> None:
        """The rows held, drawn; `place`: the table's place for them when self.first is not
        known (the row that was on top stays there)."""
        table = self.query_one(RowTable)
        row_now = table.cursor_row if cursor is None else cursor
        table.set_rows(LazyRows(self.rows, self._cells), row_now,  # sends no Highlighted
                       first=place if self.first is None else self.first,
                       total=self.known_total())
        self.show_status()

    def known_total(self) -> int | None:
        """The list's length, for the scrollbar, when it and the window's place are known."""
        return None if self.counting or self.first is None else self.count

    def _cells(self, s: dict) -> tuple:
        """A row's cells, made when first drawn, once per row and layout."""
        made = s.get("_cells")
        if made is None or made[0] != self.narrow:
            made = s["_cells"] = (self.narrow, self._make_cells(s))
        return made[1]

    def _make_cells(self, s: dict) -> tuple:
        width = lambda key: COLUMNS[key][2 if self.narrow else 1]  # noqa: E731
        cells = {"id": str(s["id"]),
                 "customer": look.fit(f"{s['customer']['first']} {s['customer']['last']}",
                                      width("customer")),
                 "product": look.fit(s["product"], width("product")),
                 "amount": look.money(s["amount"], s["currency"]),
                 "state": look.state(self.app, s["state"]),
                 "next": s["next_charge_date"] or "—",
                 "flags": look.fit(look.flags(s), width("flags"))}
        if self.narrow:
            del cells["product"]
        return tuple(cells.values())

    def show_count(self, counted: dict) -> None:
        if counted["filters"] == self.filters():
            self.count, self.counting = counted["count"], False
            self.query_one(RowTable).set_total(self.known_total())
            self.show_status()

    def show_status(self) -> None:
        if self.counting:
            text = "Counting…"
        elif self.count == 0:
            text = "No subscription matches." if any(self.filters().values()) else \
                "The store has no subscriptions yet: import some with 'opsconsole import'."
        else:
            if self.count is None:  # a broad search: counting it would read the whole store
                text = f"More than {SEARCH_CAP:,} subscriptions match"
            else:
                text = f"{self.count:,} subscription{'' if self.count == 1 else 's'}"
            text += ", by next charge date"
            if not (self.at_start and self.at_end):
                text += " · g top · G end"
        self.query_one("#status", Static).update(text, layout=False)  # one line, fixed size

    def load_more(self, backwards: bool) -> None:
        if self.fetching or not self.rows:
            return
        edge = self.rows[0] if backwards else self.rows[-1]
        self.read("more", after=edge["_key"], backwards=backwards)

    def show_more(self, page: dict) -> None:
        rows, table = page["rows"], self.query_one(RowTable)
        if page["backwards"]:
            self.at_start = len(rows) < page["size"]
            cursor = table.cursor_row + len(rows)
            self.rows = rows + self.rows
            if self.first is not None:
                self.first = max(self.first - len(rows), 0)
            if len(self.rows) > WINDOW:
                self.rows, self.at_end = self.rows[:WINDOW], False
        else:
            self.at_end = len(rows) < page["size"]
            cursor = table.cursor_row
            self.rows = self.rows + rows
            if len(self.rows) > WINDOW:
                drop = len(self.rows) - WINDOW
                self.rows, self.at_start, cursor = self.rows[drop:], False, cursor - drop
                if self.first is not None:
                    self.first += drop
        self.redraw(cursor)

    # --- events and actions ----------------------------------------------------------------

    @on(RowTable.Highlighted)
    def near_edge(self, event: RowTable.Highlighted) -> None:
        # the next page is read while the cursor is still two screens from the window's edge,
        # so a page-down rarely waits for it; under PAGE rows, so that the window a read
        # shifts never lands the cursor near the other edge
        margin = min(2 * max(self.query_one(RowTable).size.height - 1, 1), PAGE - 1)
        if event.cursor_row >= len(self.rows) - margin and not self.at_end:
            self.load_more(backwards=False)
        elif event.cursor_row < margin and not self.at_start:
            self.load_more(backwards=True)

    @on(RowTable.EdgeWanted)
    def to_edge(self, event: RowTable.EdgeWanted) -> None:
        if event.cursor_row < 0:
            self.action_top()
        else:
            self.action_end()

    @on(RowTable.Selected)
    def selected(self, event: RowTable.Selected) -> None:
        self.open_subscription(self.rows[event.cursor_row]["id"])

    def action_open(self) -> None:
        table = self.query_one(RowTable)
        if self.rows:
            self.open_subscription(self.rows[table.cursor_row]["id"])

    def open_subscription(self, sub_id: int) -> None:
        from .detail import SubscriptionScreen

        self.app.push_screen(SubscriptionScreen(sub_id))

    @on(Select.Changed)
    def filters_changed(self) -> None:
        self.reload()

    def search_typed(self) -> None:
        if self.is_mounted and self.filters()["search"] != self._searched:
            self.reload()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # typed in the search box, `/` is a character of the search
        return not (action == "search" and self.focused is not None
                    and self.focused.id == "search")

    def action_search(self) -> None:
        # at once, not after the keys already waiting (Widget.focus waits its turn): those
        # typed straight after `/` are the search's, not the list's keys (`b` is Bulk price)
        self.set_focus(self.query_one("#search", Input))

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
        self.set_focus(self.query_one(RowTable))  # at once, as Enter does

    def action_bulk(self) -> None:
        from ..modals.bulk import BulkPriceModal

        self.app.push_screen(BulkPriceModal(), self.after_bulk)

    def after_bulk(self, plan: dict | None) -> None:
        if plan:
            self.notify(f"{plan['count']} subscriptions of {plan['product']} repriced.",
                        title="Bulk price")
            self.app.store_changed()

    def action_charge(self) -> None:
        from ..modals.charge import ChargeModal

        self.app.push_screen(ChargeModal())

    def action_top(self) -> None:
        self.reload()

    def action_end(self) -> None:
        self.read("last", after=PAST_END, backwards=True)

    def show_last(self, page: dict) -> None:
        self.rows = page["rows"]
        self.at_start, self.at_end = len(self.rows) < page["size"], True
        counted = not self.counting and self.count is not None
        self.first = max(self.count - len(self.rows), 0) if counted else None
        self.redraw(len(self.rows) - 1)

    def on_store_changed(self, _: StoreChanged) -> None:
        self.reload(keep_cursor=True)

    def on_screen_resume(self) -> None:
        if self.shown:  # back from another screen: what it did may have changed the rows
            self.reload(keep_cursor=True)
        self.shown = True
