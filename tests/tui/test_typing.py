"""Keys in the order they were typed. A text field takes characters as they reach it, but
Backspace, arrows and Enter only once they have bubbled up to the app as bindings: in a burst
(a fast typist, a paste of keys, a slow frame) the characters typed after them overtook them."""

from opsconsole.store.models import CaseNote
from tests.tui.conftest import SIZE, settle
from tests.tui.test_dialogs_review import dialog
from tests.tui.test_dialogs_trial import _burst, open_note


def keys(text: str) -> list[tuple[str, str | None]]:
    """`text` as (key, character) pairs; ⌫ is Backspace, ← Left, ⏎ Enter."""
    named = {"⌫": ("backspace", None), "←": ("left", None), "⏎": ("enter", "\r"),
             "/": ("slash", "/"), " ": ("space", " ")}
    return [named.get(c, (c, c)) for c in text]


async def test_a_backspace_in_a_burst_deletes_what_was_typed_before_it(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        _burst(app, *keys("/x⌫⌫⌫bob"))
        await settle(pilot)
        assert app.screen.query_one("#search").value == "bob"
        _burst(app, *keys("⌫⌫←a"))
        await settle(pilot)
        assert app.screen.query_one("#search").value == "ab"


async def test_keys_typed_past_the_search_s_enter_are_the_list_s(console):
    """`/ada⏎b`: the search is "ada"; b, typed after Enter left the search box, is the
    list's Bulk price key, not a fourth letter of the search."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        _burst(app, *keys("/ada⏎b"))
        await settle(pilot)
        assert dialog(app) == "BulkPriceModal"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#search").value == "ada"


async def test_a_note_typed_in_a_burst_is_saved_as_typed(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_note(pilot)
        notes = CaseNote.select().count()
        _burst(app, *keys("abx⌫c←⌫⏎"))
        await settle(pilot)
        assert dialog(app) == "CaseScreen"
        assert CaseNote.select().count() == notes + 1
        newest = CaseNote.select().order_by(CaseNote.id.desc()).get()
        assert newest.text == "ac"
