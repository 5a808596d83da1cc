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
