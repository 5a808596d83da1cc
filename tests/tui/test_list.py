"""The subscriptions list: a window of pages over the store, one reader, the latest answer
wins (issue: the console never shows a stale answer)."""

import time

import pytest

from tests.tui.conftest import SIZE, settle


@pytest.fixture
def small_pages(monkeypatch):
    from opsconsole.tui.screens import subscriptions

    monkeypatch.setattr(subscriptions, "PAGE", 10)
    monkeypatch.setattr(subscriptions, "WINDOW", 20)
    return subscriptions


async def test_top_after_paging_puts_the_cursor_on_the_first_row_and_keys_still_move_it(
        console, small_pages):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen, table = app.screen, app.screen.query_one("#subs")
        for _ in range(25):
            await pilot.press("down")
            await settle(pilot, rounds=2)
        assert not screen.at_start
        await pilot.press("g")
        await settle(pilot)
        assert screen.at_start and screen.rows[0]["id"] == 1 and table.cursor_row == 0
        await pilot.press("down")
        await settle(pilot)
        assert table.cursor_row == 1
        for _ in range(12):  # past the first page: the next one is fetched and shown
            await pilot.press("down")
            await settle(pilot, rounds=2)
        assert len(screen.rows) > 10 and screen.rows[table.cursor_row]["id"] != 1


async def test_a_slow_next_page_of_an_old_list_never_lands_in_a_newer_search(
        console, small_pages, monkeypatch):
    pages = small_pages.load_page

    def slow_next_pages(size, after=None, **kwargs):
        if after is not None:  # the next page of the unsearched list
            time.sleep(0.8)
        return pages(size, after=after, **kwargs)

    monkeypatch.setattr(small_pages, "load_page", slow_next_pages)
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        for _ in range(9):
            await pilot.press("down")  # the last row: the next page is asked for
        await pilot.pause(0.1)
        await pilot.press("/", *"knuth")
        await pilot.pause(1.5)  # the slow page has come back by now
        await settle(pilot)
        assert [r["customer"]["last"] for r in screen.rows] == ["Knuth"]
        assert screen.query_one("#subs").row_count == 1



def table_lines(table) -> list[list]:
    return [list(table.render_line(y)) for y in range(table.size.height)]


async def test_the_scrollbar_shows_the_place_in_the_whole_list_and_a_shifted_window_leaves_the_screen_still(  # noqa: E501
        console, small_pages, monkeypatch):
    # nine rows on screen, pages of 10, 30 held: the proportions of the real 38, 100 and 300
    monkeypatch.setattr(small_pages, "WINDOW", 30)
    pages = small_pages.load_page

    def slow_next_pages(size, after=None, **kwargs):
        if after is not None:  # a read the screen asks for as the cursor nears an edge
            time.sleep(0.3)
        return pages(size, after=after, **kwargs)

    monkeypatch.setattr(small_pages, "load_page", slow_next_pages)
    app = console()
    async with app.run_test(size=(120, 16)) as pilot:
        await settle(pilot)
        screen, table = app.screen, app.screen.query_one("#subs")
        total = screen.count
        assert total == 59 and table.total == total
        track = table.size.height - 1
        drawn = []  # the lines the table draws for the terminal
        render_line = table.render_line
        table.render_line = lambda y: drawn.append(y) or render_line(y)
        place, shifts = 0, 0
        for key in ["down"] * 58 + ["up"] * 58:
            await pilot.press(key)
            place += 1 if key == "down" else -1
            # the rows now on screen, before a read the key asked for lands
            before, first = table_lines(table), table.first
            drawn.clear()
            await settle(pilot, rounds=2)
            if table.first != first:
                # the window moved under a cursor that did not: nothing on screen changed,
                # and nothing was drawn again for the terminal
                assert not drawn, (key, place, first, table.first, drawn)
                changed = [y for y, line in enumerate(table_lines(table)) if line != before[y]]
                assert not changed, (key, place, first, table.first, changed)
                shifts += 1
            assert table.first + table.cursor_row == place  # its place in the whole list
            top = table.first + round(table.scroll_y)
            start, size = table.thumb()
            assert size == track * track // total
            assert start == round(top * (track - size) / (total - track))
        assert shifts >= 4  # windows let go of rows at both ends, going down and coming back
        await pilot.press("G")
        await settle(pilot)
        assert table.first + len(table.rows) == total
        start, size = table.thumb()
        assert start + size == track and table.cursor_row == len(table.rows) - 1


async def test_the_first_page_is_read_once_before_start_and_a_failed_one_is_read_again(
        console, small_pages, monkeypatch):
    pages, calls = small_pages.load_page, []

    def counted(size, **kwargs):
        calls.append(kwargs.get("after"))
        if len(calls) == 1 and fail:
            raise RuntimeError("not now")
        return pages(size, **kwargs)

    monkeypatch.setattr(small_pages, "load_page", counted)
    for fail in (False, True):
        calls.clear()
        app = console()
        assert len(calls) == 1  # read as the console is made, before it runs
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert [r["id"] for r in screen.rows][:1] == [1] and screen.count == 59
            # at start: the one read (and, if it failed, the screen's own); never a reread
            assert calls == [None] * (2 if fail else 1)



async def test_a_cursor_move_in_a_scrolled_table_is_drawn(console, small_pages, monkeypatch):
    # the screen as the terminal gets it: a move redraws two lines, and those must be the
    # lines the rows are on when the table is scrolled
    monkeypatch.setattr(small_pages, "WINDOW", 30)
    app = console()
    async with app.run_test(size=(120, 16)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#subs")
        for _ in range(2):
            await pilot.press("pagedown")
            await settle(pilot, rounds=2)
        assert table.scroll_y > 0
        shown = app.export_screenshot()
        await pilot.press("up")
        await settle(pilot)
        moved = app.export_screenshot()
        assert moved != shown
        await pilot.press("down")
        await settle(pilot)
        assert app.export_screenshot() == shown


async def test_back_from_a_subscription_deep_in_the_list_keeps_the_cursor_and_the_screen(
        console, small_pages, monkeypatch):
    # the list reads itself again on the way back (what was done there may change it); deep
    # in the list, past its first page, it read the first page and the cursor went to the top
    monkeypatch.setattr(small_pages, "WINDOW", 30)
    app = console()
    async with app.run_test(size=(120, 16)) as pilot:
        await settle(pilot)
        screen, table = app.screen, app.screen.query_one("#subs")
        for _ in range(4):
            await pilot.press("pagedown")
            await settle(pilot, rounds=2)
        await pilot.press("up")
        await settle(pilot)
        place = table.first + table.cursor_row
        assert place >= small_pages.PAGE
        chosen, shown = screen.rows[table.cursor_row]["id"], app.export_screenshot()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not screen
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert screen.rows[table.cursor_row]["id"] == chosen
        assert table.first + table.cursor_row == place
        assert app.export_screenshot() == shown
        await pilot.press("up")  # and the list goes on from there, both ways
        await settle(pilot)
        assert table.first + table.cursor_row == place - 1


async def test_ctrl_home_and_ctrl_end_go_to_the_ends_of_the_whole_list(console, small_pages):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen, table = app.screen, app.screen.query_one("#subs")
        total = screen.count
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert table.first + table.cursor_row == total - 1  # not the last of the rows held
        assert screen.rows[table.cursor_row]["id"] == screen.rows[-1]["id"]
        await pilot.press("ctrl+home")
        await settle(pilot)
        assert table.first == 0 and table.cursor_row == 0 and screen.at_start


async def test_a_smaller_terminal_keeps_the_cursor_row_in_view(console):
    app = console()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#subs")
        for _ in range(30):
            await pilot.press("down")
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        top = round(table.scroll_y)
        assert top <= table.cursor_row < top + table.size.height - 1  # under the header


async def test_a_read_from_the_top_asks_for_a_screen_of_rows_and_the_rest_follows(console):
    """A search's keystroke (or g, or a filter) reads the rows a screen shows and a few more,
    not a whole page: each keystroke reads and lays out less. The rest of the list comes a page
    at a time as the cursor moves, none lost (the demo store has 59 subscriptions)."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen, table = app.screen, app.screen.query_one("#subs")
        assert len(screen.rows) == 59  # the start's first page, read before the first frame
        await pilot.press("g")
        await settle(pilot)
        assert len(screen.rows) == SIZE[1] + 10 and not screen.at_end
        for _ in range(70):
            await pilot.press("down")
        await settle(pilot)
        assert screen.at_end and len(screen.rows) == 59 and table.cursor_row == 58
        keys = [r["_key"] for r in screen.rows]  # in list order, each once
        assert keys == sorted(keys) and len({r["id"] for r in screen.rows}) == 59


async def test_keys_typed_at_once_after_slash_go_into_the_search_not_to_the_list_s_keys(console):
    """A typist, or a terminal delivering a burst, can have the keys after `/` waiting before
    `/` is handled: they belong to the search box. `b` here is the list's Bulk price key."""
    from textual import events

    from opsconsole.tui.screens.subscriptions import SubscriptionsScreen

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, char in (("slash", "/"), ("b", "b"), ("o", "o"), ("b", "b")):
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)  # all queued before the first is handled
        await settle(pilot)
        assert isinstance(app.screen, SubscriptionsScreen)  # no dialog opened
        assert app.screen.query_one("#search").value == "bob"
        await pilot.press("/", "x")  # in the search box, `/` is text
        assert app.screen.query_one("#search").value == "bob/x"


async def test_a_line_of_the_list_is_one_segment_per_run_of_a_style(console):
    """Each segment reaches the terminal with its colours and a reset (~40 bytes): a line made
    of a segment per cell and gap was ~1.2 KB, a screen of rows ~40 KB a key. Drawn merged,
    a line is its text and a few styles."""
    from rich.console import Console

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#subs")
        lines = table_lines(table)
        assert len(lines) == SIZE[1] - 4 or len(lines) > 10
        for segments in lines:
            styles = [s.style for s in segments]
            assert all(a != b for a, b in zip(styles, styles[1:])), styles
        terminal = Console(color_system="truecolor", force_terminal=True)
        written = sum(len(table.render_line(y).render(terminal))
                      for y in range(table.size.height))
        shown = sum(len(s.text) for line in lines for s in line)
        assert written < 3 * shown, (written, shown)


async def test_rows_the_store_cannot_read_keep_their_place_and_the_pages_go_past_them(
        console, demo_db, small_pages):
    """A store file written to by hand (SQLite keeps any value in any column): the list shows
    such a row where it belongs, as unreadable, pages on past it, and opening it says why."""
    import sqlite3

    from opsconsole.store.models import Subscription

    with sqlite3.connect(demo_db) as conn:
        conn.execute("UPDATE subscription SET price = 'abc' WHERE id = 3")
        conn.execute("UPDATE subscription SET next_charge_date = '2026-13-45' WHERE id = 9")
        conn.execute("UPDATE subscription SET quantity = -2 WHERE id = 5")  # R-INPUT-1
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        seen: dict[int, str] = {}
        for _ in range(Subscription.select().count() + 5):  # down the whole list, page by page
            for row in screen.rows:
                seen[row["id"]] = row["state"]
            await pilot.press("down")
            await settle(pilot, rounds=2)
        assert sorted(seen) == [s.id for s in Subscription.select().order_by(Subscription.id)]
        assert (seen[3], seen[5], seen[9]) == ("unreadable",) * 3
        assert list(seen.values()).count("unreadable") == 3
        await pilot.press("g")
        await settle(pilot)
        for _ in range([r["id"] for r in screen.rows].index(3)):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        said = [n.message for n in app._notifications]
        assert any("subscription 3 holds price 'abc', which the store cannot read" in m
                   for m in said), said
