"""Keys in the order they were typed. A text field takes characters as they reach it, but
Backspace, arrows and Enter only once they have bubbled up to the app as bindings: in a burst
(a fast typist, a paste of keys, a slow frame) the characters typed after them overtook them."""

from opsconsole.store.models import CaseNote
from tests.tui.conftest import SIZE, settle
from tests.tui.test_dialogs_review import dialog
from tests.tui.test_dialogs_trial import _burst, open_case, open_note


def keys(text: str) -> list[tuple[str, str | None]]:
    """`text` as (key, character) pairs; ⌫ is Backspace, ← Left, ⏎ Enter."""
    named = {"⌫": ("backspace", None), "←": ("left", None), "⏎": ("enter", "\r"),
             "/": ("slash", "/"), " ": ("space", " ")}
    return [named.get(c, (c, c)) for c in text]


async def search_after_bulk(console, typed: str) -> str:
    """`typed` in one burst on the list opens Bulk price; the search box's text once it is
    closed."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        _burst(app, *keys(typed))
        await settle(pilot)
        assert dialog(app) == "BulkPriceModal"
        await pilot.press("escape")
        await settle(pilot)
        return app.screen.query_one("#search").value


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
    assert await search_after_bulk(console, "/ada⏎b") == "ada"


async def note_typed(app, pilot, typed: str) -> str:
    """`typed` in one burst on a case's note form: one note is saved and the case is on screen
    again; the note's text."""
    await open_note(pilot)
    notes = CaseNote.select().count()
    _burst(app, *keys(typed))
    await settle(pilot)
    assert app.is_running and dialog(app) == "CaseScreen"
    assert CaseNote.select().count() == notes + 1
    return CaseNote.select().order_by(CaseNote.id.desc()).get().text


async def test_a_note_typed_in_a_burst_is_saved_as_typed(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        assert await note_typed(app, pilot, "abx⌫c←⌫⏎") == "ac"


async def test_keys_typed_after_a_form_s_enter_never_change_what_it_sends(console):
    """`ok⏎⌫⌫q` on a note form on screen: the note is "ok". The keys after the Enter were
    typed into the field before the form read it, and the note was saved as "q"."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        assert await note_typed(app, pilot, "ok⏎⌫⌫q") == "ok"


async def test_keys_after_an_enter_that_sends_nothing_are_typed_on(console):
    """An Enter on a form that is refused sends nothing: the keys after it are the field's."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_note(pilot)
        notes = CaseNote.select().count()
        _burst(app, *keys("⏎ok"))  # an empty note is refused
        await settle(pilot)
        assert dialog(app) == "NoteModal" and app.screen.focused.value == "ok"
        assert CaseNote.select().count() == notes


async def test_editing_keys_typed_with_the_key_that_opens_a_dialog_edit_its_field(console):
    """`p10←⌫2` in one burst: the characters typed ahead of the Pause dialog were kept and
    its editing keys dropped ("102"); they are typed in order ("20"). Enter typed ahead still
    never acts."""
    from tests.tui.conftest import open_first

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        _burst(app, *keys("p10←⌫2⏎"))
        await settle(pilot)
        assert dialog(app) == "PauseModal"
        assert app.screen.query_one("#periods").value == "20"


async def test_a_key_typed_before_slash_is_the_list_s(console):
    """`b/x`: b is the list's Bulk price key, typed before `/`. `/` acted as it arrived, ahead
    of b, and b went into the search ("xb"). In order, Bulk price opens, and what follows is
    typed into its field as a person typing slowly would see."""
    assert await search_after_bulk(console, "b/x") == ""


async def test_a_paste_with_the_key_that_opens_a_dialog_lands_in_its_field(console):
    """`n` and a paste in one burst on a case: the paste reached the case screen, which
    dropped it, while typed characters landed in the note."""
    from textual import events

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_case(pilot)
        _burst(app, ("n", "n"))
        paste = events.Paste("called back")
        paste.set_sender(app)
        app._driver.send_message(paste)
        await settle(pilot)
        assert dialog(app) == "NoteModal" and app.screen.focused.value == "called back"
