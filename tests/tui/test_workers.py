"""The console's workers: the latest answer always wins, and every failure is said in words
(issue: the console never shows a stale answer)."""

import time

import peewee

from tests.tui.conftest import SIZE, settle


def busy(*args, **kwargs):
    raise peewee.OperationalError("database is locked")


async def test_a_slow_stale_read_never_overwrites_a_newer_one(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = []

        def reader(value):
            shown.append(value)

        def slow():
            time.sleep(0.6)
            return "stale"

        app.read_core(slow, done=reader)
        await pilot.pause(0.1)
        app.read_core(lambda: "newer", done=reader)
        await pilot.pause(1.2)  # the slow one has ended too by now
        assert shown == ["newer"]


async def test_a_slow_stale_preview_never_overwrites_a_newer_one(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = []

        def slow():
            time.sleep(0.6)
            return "stale"

        app.run_core(slow, done=shown.append, latest="preview")
        await pilot.pause(0.1)
        app.run_core(lambda: "newer", done=shown.append, latest="preview")
        await pilot.pause(1.2)
        assert shown == ["newer"]


async def test_a_busy_store_during_a_read_says_busy_not_internal_error(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        app.read_core(busy, done=lambda _: None)
        await settle(pilot)
        titles = [n.title for n in app._notifications]
        assert "Store busy" in titles and "Internal error" not in titles


async def test_an_answer_for_a_screen_that_is_gone_is_dropped(console):
    """A count that came back while the console closed once raised NoMatches on exit."""
    from opsconsole.tui.screens.subscriptions import SubscriptionsScreen

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        gone = SubscriptionsScreen()
        shown = []
        gone.show_status = lambda: shown.append("status")  # would need the screen's widgets

        def slow():
            time.sleep(0.3)
            return {"count": 1, "filters": {}}

        app.read_core(slow, done=gone.show_count)  # a screen never mounted: not attached
        await pilot.pause(0.6)
        await settle(pilot)
        assert shown == [] and app.is_running


async def test_a_form_whose_send_failed_can_be_sent_again(console, monkeypatch):
    """A send that fails with no refusal (a busy store) is said in words, and the form stays
    as it was: Enter sends it again. Before, the form kept waiting for an answer that had come."""
    from opsconsole.cases import actions
    from opsconsole.store.models import CaseNote
    from tests.tui.test_dialogs_review import dialog
    from tests.tui.test_dialogs_trial import open_note

    add_note = actions.add_note

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_note(pilot)
        await pilot.press(*"hello")
        await settle(pilot)
        notes = CaseNote.select().count()
        monkeypatch.setattr(actions, "add_note", busy)
        await pilot.press("enter")
        await settle(pilot)
        assert [n.title for n in app._notifications][-1] == "Store busy"
        assert dialog(app) == "NoteModal" and CaseNote.select().count() == notes
        monkeypatch.setattr(actions, "add_note", add_note)
        await pilot.press("enter")
        await settle(pilot)
        assert dialog(app) == "CaseScreen" and CaseNote.select().count() == notes + 1


async def test_a_reviewed_action_whose_send_failed_can_be_confirmed_again(console, monkeypatch):
    """The same for a dialog with a preview: after the failure the preview on show still
    answers the fields, so Confirm is there again and acts on exactly them."""
    from opsconsole.billing import actions
    from opsconsole.store.models import Subscription
    from tests.tui.conftest import open_first
    from tests.tui.test_dialogs_review import dialog

    pause = actions.pause

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert dialog(app) == "PauseModal" and app.screen.ready
        monkeypatch.setattr(actions, "pause", busy)
        await pilot.press("enter")
        await settle(pilot)
        assert [n.title for n in app._notifications][-1] == "Store busy"
        assert dialog(app) == "PauseModal" and app.screen.ready
        assert not app.screen.query_one("#confirm").disabled
        monkeypatch.setattr(actions, "pause", pause)
        await pilot.press("enter")
        await settle(pilot)
        assert dialog(app) == "SubscriptionScreen"
        assert Subscription.get_by_id(1).pause_date is not None
