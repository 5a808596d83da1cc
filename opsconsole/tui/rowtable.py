"""A table that draws only the rows on screen, each row a strip built once and cached.

The subscriptions list moves its cursor and its window of rows on every key an operator holds
down. DataTable renders each visible cell through Rich again on a cursor move and rebuilds its
rows on a window change; here a row is a handful of segments made once, a cursor move redraws
two lines, and a new window is a new list: what a key costs does not grow with the store."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as TextualStyle


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int


Cell = str | Text  # a Text brings its own style and justification


class LazyRows(Sequence):
    """Rows whose cells are made when first drawn: of a window of 300, ~35 are on screen."""

    def __init__(self, items: list, cells: Callable[[object], tuple[Cell, ...]]) -> None:
        self.items, self.cells = items, cells

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index):  # an int: the table reads one row at a time
        return self.cells(self.items[index])


class RowMessage(Message):
    def __init__(self, table: "RowTable", row: int) -> None:
        super().__init__()
        self.table, self.cursor_row = table, row

    @property
    def control(self) -> "RowTable":
        return self.table


class RowTable(ScrollView, can_focus=True):
    """Rows of cells under a fixed header line, a row cursor, zebra stripes."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("ctrl+home", "edge(-1)", "First row", show=False),
        Binding("ctrl+end", "edge(1)", "Last row", show=False),
        Binding("enter", "select", "Select", show=False),
    ]
    COMPONENT_CLASSES = {"rowtable--header", "rowtable--even", "rowtable--odd",
                         "rowtable--cursor", "rowtable--track", "rowtable--thumb"}
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        scrollbar-size-vertical: 0;  /* the table draws its own, over the whole list */
        &:focus {
            background-tint: $foreground 5%;
            & > .rowtable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        &:dark > .rowtable--even { background: $surface-darken-1 40%; }
        & > .rowtable--header { text-style: bold; background: $panel; color: $foreground; }
        & > .rowtable--even { background: $surface-lighten-1 50%; }
        & > .rowtable--track { background: $scrollbar-background; }
        & > .rowtable--thumb { background: $scrollbar; }
        & > .rowtable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class Highlighted(RowMessage):
        """The operator moved the cursor (a new set of rows moves it silently)."""

    class Selected(RowMessage):
        """Enter on a row, or a click on the cursor's row."""

    class EdgeWanted(RowMessage):
        """ctrl+home / ctrl+end when the rows held are a window of a longer list: the list's
        own first or last row is wanted (`cursor_row`: -1 or 1), which the owner reads."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns: list[Column] = []
        self.rows: Sequence[tuple[Cell, ...]] = []
        self.cursor_row = 0
        # The rows held are a window of a longer list: `first` is the place of rows[0] in it,
        # `total` its length when known. The scrollbar shows the place in the whole list, so
        # a window that shifts under a still screen leaves the screen still.
        self.first = 0
        self.total: int | None = None
        # (id of a row's cells, how it is drawn) -> (those cells, kept alive so the id is
        # not reused while the entry lives; the strip; the strip with each part of the
        # scrollbar beside it): a row shifted by a new window keeps its strip
        self._strips: dict[tuple[int, str], tuple[object, Strip, dict[str, Strip]]] = {}
        self._frame: tuple[int, int, int] | None = None  # thumb and width, once per render
        self._styles: dict[str, Style] = {}  # a component's, by its name
        self._lines: dict[str, Style] = {}  # a line's, by its kind
        self._bars: dict[str, Strip] = {}  # the scrollbar's cell, by its part
        self._over: dict[tuple, Style] = {}
        self._still = False  # scrolling to keep the same rows on screen: nothing to draw

    # --- what it shows -------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def set_columns(self, columns: list[Column]) -> None:
        self.columns = list(columns)
        self._changed()

    def set_rows(self, rows: Sequence[tuple[Cell, ...]], cursor: int = 0, first: int = 0,
                 total: int | None = None) -> None:
        """A new set of rows, the cursor on `cursor`, kept in view; no Highlighted sent.
        `first`, `total`: the rows' place in the whole list and its length (None: unknown)."""
        top = self.first + round(self.scroll_y) - first  # the same top row, in the new rows
        shown = self._shown()
        self.rows, self.first, self.total = rows, first, total
        self.cursor_row = min(max(cursor, 0), len(rows) - 1) if rows else 0
        self._changed(keep_strips=True, draw=False)
        self._still = True
        try:
            self._follow_cursor(max(top, 0))
        finally:
            self._still = False
        rows_now, rest_now = self._shown()
        if rest_now != shown[1] or len(rows_now) != len(shown[0]) \
                or any(a is not b for a, b in zip(rows_now, shown[0])):
            self.refresh()  # else a window shifted under a still screen: nothing to send
        # the strips kept are those of the rows now on screen: a window that shifted under
        # them draws them again from the cache
        top = round(self.scroll_y)
        held = {id(rows[i]) for i in range(top, min(top + self.size.height, len(rows)))}
        self._strips = {k: v for k, v in self._strips.items() if k[0] in held}

    def move_cursor(self, row: int) -> None:
        """Move the cursor as the operator would: kept in view, Highlighted sent."""
        if not self.rows:
            return
        row = min(max(row, 0), len(self.rows) - 1)
        old, self.cursor_row = self.cursor_row, row
        self._refresh_row(old)
        self._refresh_row(row)
        self._follow_cursor()
        self.post_message(self.Highlighted(self, row))

    def set_total(self, total: int | None) -> None:
        """The whole list's length, counted after its rows came."""
        if total != self.total:
            self.total = total
            self.refresh()

    def _changed(self, keep_strips: bool = False, draw: bool = True) -> None:
        if not keep_strips:
            self._strips.clear()
        size = Size(sum(c.width + 2 for c in self.columns) + 1, len(self.rows) + 1)
        if size != self.virtual_size:
            # The table's own region does not follow its rows (its height is set by the
            # screen), so a new row count need not lay the whole screen out again, as setting
            # virtual_size does: the scrollbars are updated (one appearing or going still
            # lays out, by itself) and the table redrawn. A search key changes the count.
            self.set_reactive(RowTable.virtual_size, size)
            self._scroll_update(size)
        if draw:
            self.refresh()

    def _shown(self) -> tuple[list, tuple]:
        """What the table draws: the rows on screen (to compare as the objects they are),
        and the cursor's line, the scrollbar's thumb and the table's size."""
        top, rows = round(self.scroll_y), self.rows
        on_screen = [rows[i] for i in range(top, min(top + self.size.height - 1, len(rows)))]
        return on_screen, (self.cursor_row - top, self.thumb(), self.size)

    def watch_scroll_y(self, old: float, new: float) -> None:
        if not self._still:
            super().watch_scroll_y(old, new)

    def _follow_cursor(self, top: int | None = None) -> None:
        """Scroll to `top` (now: where it is), or as little from it as keeps the cursor seen."""
        seen = max(self.scrollable_content_region.height - 1, 1)  # rows under the header
        top = round(self.scroll_y) if top is None else top
        if self.cursor_row < top:
            top = self.cursor_row
        elif self.cursor_row >= top + seen:
            top = self.cursor_row - seen + 1
        if top != round(self.scroll_y):
            self.scroll_to(y=top, animate=False, immediate=True)

    def _refresh_row(self, row: int) -> None:
        # refresh_line takes a line of the virtual (scrolled) content: the row's line under
        # the header, not where it is on screen
        if 1 <= row + 1 - round(self.scroll_y) < self.size.height:
            self.refresh_line(row + 1)

    # --- keys and mouse ------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step * max(self.size.height - 1, 1))

    def action_edge(self, step: int) -> None:
        held_all = self.first == 0 and self.total is not None and len(self.rows) >= self.total
        if held_all:
            self.move_cursor(0 if step < 0 else len(self.rows) - 1)
        else:
            self.post_message(self.EdgeWanted(self, step))

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        if event.x == self.size.width - 1 and event.y >= 1:  # the scrollbar: a page toward it
            start, size = self.thumb()
            if size and not start <= event.y - 1 < start + size:
                self.action_page(-1 if event.y - 1 < start else 1)
            return
        row = event.y - 1 + round(self.scroll_y)
        if event.y < 1 or not 0 <= row < len(self.rows):
            return
        if row == self.cursor_row:
            self.action_select()
        else:
            self.move_cursor(row)

    def on_focus(self) -> None:
        self._restyle()

    def on_blur(self) -> None:
        self._restyle()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._restyle()

    def _restyle(self) -> None:
        self._styles.clear()
        self._lines.clear()
        self._bars.clear()
        self._over.clear()
        self._strips.clear()
        self.refresh()

    # --- drawing -------------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        """A component's style as DataTable reads its own (alpha backgrounds blended)."""
        if name not in self._styles:
            self._styles[name] = self.get_component_styles(f"rowtable--{name}").rich_style
        return self._styles[name]

    def render_lines(self, crop: Region) -> list[Strip]:
        # what every line needs, measured once for the lines of this render
        start, size = self.thumb()
        self._frame = start, size, self.size.width - (1 if size else 0)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        if self._frame is None:
            start, size = self.thumb()
            width = self.size.width - (1 if size else 0)  # the scrollbar, if rows overflow
        else:
            start, size, width = self._frame
        if y == 0:
            cells, kind = None, "header"
        else:
            row = y - 1 + round(self.scroll_y)
            if row >= len(self.rows):
                return self._with_bar(Strip.blank(width, self.rich_style), y, start, size)
            cells = self.rows[row]
            kind = ("cursor-" if row == self.cursor_row else "") + \
                ("odd" if (self.first + row) % 2 else "even")  # a row keeps its stripe
        key = (id(cells), kind)
        held = self._strips.get(key)
        if held is None or held[0] is not cells:
            held = self._strips[key] = (cells, self._build(cells, kind, width), {})
        scroll_x = round(self.scroll_x)
        line = held[1]
        if scroll_x or line.cell_length != width:  # built as wide as it is drawn: no crop
            return self._with_bar(line.crop(scroll_x, scroll_x + width), y, start, size)
        if not size:
            return line
        part = self._bar_part(y, start, size)
        joined = held[2].get(part)
        if joined is None:
            joined = held[2][part] = Strip.join([line, self._bar(part)]).simplify()
        return joined

    def thumb(self) -> tuple[int, int]:
        """The scrollbar's thumb over the lines under the header: (first line, lines), (0, 0)
        when the whole list fits. Its place is the top row's place in the whole list."""
        track = self.size.height - 1
        known = self.total if self.total is not None else self.first + len(self.rows)
        length = max(known, self.first + len(self.rows))
        if track < 1 or length <= track:
            return 0, 0
        size = max(1, track * track // length)
        top = self.first + round(self.scroll_y)
        return min(round(top * (track - size) / (length - track)), track - size), size

    def _with_bar(self, line: Strip, y: int, start: int, size: int) -> Strip:
        if not size:
            return line
        return Strip.join([line, self._bar(self._bar_part(y, start, size))]).simplify()

    @staticmethod
    def _bar_part(y: int, start: int, size: int) -> str:
        return "header" if y == 0 else "thumb" if start <= y - 1 < start + size else "track"

    def _bar(self, part: str) -> Strip:
        if part not in self._bars:
            self._bars[part] = Strip([Segment(" ", self._style(part))], 1)
        return self._bars[part]

    def _build(self, cells: tuple[Cell, ...] | None, kind: str, width: int) -> Strip:
        """One line, as wide as it is drawn (`width`) or the columns, whichever is wider.
        `kind`: header, even, odd, cursor-even, cursor-odd (the cursor's row keeps its
        stripe under it)."""
        line = self._line_style(kind)
        gap = Segment(" ", line)
        if cells is None:
            cells = tuple(Text(c.label) for c in self.columns)
        segments, used = [], 0
        for column, cell in zip(self.columns, cells):
            text, style, right = _parts(cell)
            short = column.width - cell_len(text)
            text = " " * short + text if right and short > 0 else set_cell_size(text, column.width)
            segments += [gap, Segment(text, line if style is None else self._on(kind, style)),
                         gap]
            used += column.width + 2
        fill = max(width, self.virtual_size.width) - used
        if fill > 0:
            segments.append(Segment(" " * fill, line))
        # one segment per run of a style: each is written with its colours and a reset
        return Strip(Segment.simplify(segments), used + max(fill, 0))

    def on_resize(self) -> None:
        self._strips.clear()
        self._follow_cursor()  # a smaller table keeps its cursor's row in view

    def _line_style(self, kind: str) -> Style:
        """A line's own style: its stripe (or the header), with the cursor's over it."""
        if kind not in self._lines:
            stripe = self._style(kind.removeprefix("cursor-"))
            self._lines[kind] = stripe + self._style("cursor") \
                if kind.startswith("cursor-") else stripe
        return self._lines[kind]

    def _on(self, kind: str, style: str | Style) -> Style:
        """A cell's own style over its line, read as Textual reads it ("auto 60%" included:
        a colour made to contrast with the line's background), the cursor's over both."""
        key = (kind, style)
        if key not in self._over:
            own = TextualStyle.parse(style) if isinstance(style, str) else \
                TextualStyle.from_rich_style(style)
            stripe = self._style(kind.removeprefix("cursor-"))
            made = (TextualStyle.from_rich_style(stripe) + own).rich_style
            self._over[key] = made + self._style("cursor") if kind.startswith("cursor-") \
                else made
        return self._over[key]


def _parts(cell: Cell) -> tuple[str, str | Style | None, bool]:
    if isinstance(cell, Text):
        return cell.plain, cell.style or None, cell.justify == "right"
    return str(cell), None, False
