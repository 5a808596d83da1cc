"""The operator's keymap and theme (config.toml), and `?` listing the keys of a screen."""

import sys

from opsconsole.store.models import DayRun, Subscription
from opsconsole.tui import settings
from opsconsole.tui.app import binding_ids, make_app
from tests.tui.conftest import SIZE, open_first, settle


def write_config(tmp_path, text: str):
    path = tmp_path / "opsconsole" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_settings_are_read_from_xdg_config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    write_config(tmp_path, 'theme = "gruvbox"\n[keys]\npause = " P , ctrl+p "\n')
    found = settings.load()
    assert (found.theme, found.keymap, found.problems) == ("gruvbox", {"pause": "P,ctrl+p"}, [])


def test_no_config_file_is_no_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert settings.load() == settings.Settings()


def test_an_unusable_setting_is_named_not_raised(tmp_path):
    broken = write_config(tmp_path, "theme = [\n")
    assert "not read" in settings.load(broken).problems[0]
    odd = write_config(tmp_path, 'theme = 3\ncolour = "red"\n[keys]\npause = ""\ncancel = "c"\n')
    found = settings.load(odd)
    assert found.theme is None and found.keymap == {"cancel": "c"}
    assert len(found.problems) == 3
    assert any("'colour' is not a setting" in p for p in found.problems)


def test_every_binding_has_an_id_a_keymap_can_name():
    ids = binding_ids()
    for expected in ("pause", "cancel", "next-day", "run-to", "subscriptions", "dialog-back",
                     "redeliver", "keys"):
        assert expected in ids


async def test_a_keymap_moves_a_key_on_every_screen(demo_db, tmp_path):
    keymap = settings.Settings(keymap={"pause": "P", "next-day": "n"})
    app = make_app(demo_db, "tester", poll=False, blink=False, settings=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)  # the detail screen hides the app's keys from its footer
        await pilot.press("p")
        await settle(pilot)
        assert type(app.screen).__name__ == "SubscriptionScreen"  # p does nothing now
        await pilot.press("P")
        await settle(pilot)
        assert type(app.screen).__name__ == "PauseModal"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")  # the hidden copy of the app's next-day key moved too
        await settle(pilot)
        assert type(app.screen).__name__ == "NextDayModal"
        await pilot.press("escape")
        await settle(pilot)
        assert Subscription.get_by_id(1).pause_date is None


async def test_unknown_ids_and_themes_are_said_once(demo_db):
    wrong = settings.Settings(theme="no-such-theme", keymap={"pasue": "P"})
    app = make_app(demo_db, "tester", poll=False, blink=False, settings=wrong)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = [n.message for n in app._notifications if n.title == "Settings not used"]
        assert len(said) == 1
        assert "'pasue'" in said[0] and "'no-such-theme'" in said[0]
        assert app.theme != "no-such-theme"


async def test_question_mark_lists_the_keys_of_the_screen(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        table = app.screen.query_one("#keys")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        by_id = {r[2]: r for r in rows}
        assert by_id["pause"][0] == "p" and by_id["cancel"][0] == "c"
        assert "next-day" in by_id  # the app's keys work here too, though not in the footer
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "SubscriptionScreen"


def test_every_later_screen_is_imported_in_the_background():
    """modes.import_all (run once the first rows are on screen) covers every mode but the
    first, so no first visit waits for its imports."""
    from opsconsole.tui import modes
    from opsconsole.tui.app import OpsConsole

    assert set(OpsConsole.MODES) == {OpsConsole.DEFAULT_MODE, *modes.LATER}
    modes.import_all()
    for module, name in modes.LATER.values():
        screen = sys.modules[f"opsconsole.tui.screens.{module}"]
        assert hasattr(screen, name)
    assert "textual_plotext" in sys.modules


async def test_enter_enter_in_the_command_palette_runs_its_command_once(console):
    """Ctrl+P, a command's name and three Enters in one burst: the first Enter runs the
    command and closes the palette. The others, read after it had gone, ran the command again
    and closed the palette again, popping the screens under it and then ending the console."""
    from tests.tui.test_dialogs_trial import _burst

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*("space" if c == " " else c for c in "run the next day"))
        await settle(pilot)
        _burst(app, ("enter", "\r"), ("enter", "\r"), ("enter", "\r"))
        await settle(pilot)
        assert app.is_running and app.return_code is None
        stack = [type(s).__name__ for s in app.screen_stack]
        assert stack[1:] == ["SubscriptionScreen", "NextDayModal"]
        assert DayRun.select().count() == 0


async def test_escape_closes_the_command_palette_and_the_console_goes_on(console):
    """The palette's close-once flag was named as the message pump's own `_closed`: Escape
    left a palette that could never be removed, and no key worked after it."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "SubscriptionsScreen"
        await pilot.press("question_mark")
        await settle(pilot)
        assert type(app.screen).__name__ == "KeysModal"


async def test_enter_enter_in_the_theme_picker_picks_once(console):
    """The palette's "Theme" command opens a second palette of themes: it closes once too."""
    from tests.tui.test_dialogs_trial import _burst

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_change_theme()
        await settle(pilot)
        await pilot.press(*"gruvbox")
        await settle(pilot)
        _burst(app, ("enter", "\r"), ("enter", "\r"), ("enter", "\r"), ("enter", "\r"))
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert [type(s).__name__ for s in app.screen_stack] == ["SubscriptionsScreen"]
        assert app.theme == "gruvbox"
