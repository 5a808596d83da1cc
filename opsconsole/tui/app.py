"""The console app and its one factory, used by the command line and the tests alike."""

import gc
import threading
from collections.abc import Callable
from functools import partial

import peewee
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker, WorkerState, get_current_worker

from ..errors import DomainError
from ..store import context, db as store_db, queries
from . import core, modes
from .messages import CoreDone, CoreFailed, CoreRefused, Request, StoreChanged
from .palette import PaletteCommands
from .screens.subscriptions import SubscriptionsScreen, first_page
from .settings import Settings

POLL_SECONDS = 2.0
DELIVER_RETRY_SECONDS = 10.0
BACKGROUND_AT_LATEST = 1.0  # seconds after start, if the first rows have not come by then


class OpsConsole(PaletteCommands):
    CSS_PATH = "app.tcss"
    TITLE = "opsconsole"
    MODES = {"subscriptions": SubscriptionsScreen,
             **{mode: modes.later(*where) for mode, where in modes.LATER.items()}}
    DEFAULT_MODE = "subscriptions"
    BINDINGS = [
        Binding("1", "switch_mode('subscriptions')", "Subs", id="subscriptions"),
        Binding("2", "switch_mode('cases')", "Cases", id="cases"),
        Binding("3", "switch_mode('activity')", "Activity", id="activity"),
        Binding("4", "switch_mode('dashboard')", "Dashboard", id="dashboard", show=False),
        Binding("5", "switch_mode('webhooks')", "Webhooks", id="webhooks"),
        # out of the footer (full at 80 columns): the header names the count and its key
        Binding("exclamation_mark", "switch_mode('attention')", "Attention", id="attention",
                show=False, tooltip="Everything waiting for an operator (R-ATTN-1)"),
        Binding("d", "next_day", "Next day", id="next-day",
                tooltip="Preview tomorrow's work, then run it"),
        Binding("D", "run_to", "Run to…", id="run-to", tooltip="Run every day up to a date"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "keys", "Keys", id="keys", show=False,
                tooltip="The keys of this screen, and the ids to change them by"),
    ]

    def __init__(self, db: str, operator: str, poll: bool = True, blink: bool = True,
                 deliver: bool = False, settings: Settings | None = None):
        super().__init__()
        self.settings = settings or Settings()
        self.db = db
        self.operator = operator
        self.poll = poll
        self.blink = blink
        self.deliver = deliver  # send webhooks in the background (the real console does)
        self.deliverer_state = "Webhooks are not delivered by this console."
        self._stop_delivering = threading.Event()
        self._asked: dict[str, int] = {}  # reader -> the number of its latest request
        self._seen: tuple | None = None
        # before any screen mounts and starts reading; each read in its own thread takes a
        # kept connection
        store_db.open_store(db, pooled=True)
        self._first_page = first_page()  # the list's first rows, for the first frame
        self._background = False  # begun once the first rows are on screen
        self._drawn = self._rows_seen = False

    def take_first_page(self) -> dict | None:
        """The list's first page read before start, once: a later list reads its own."""
        page, self._first_page = self._first_page, None
        return page

    def on_mount(self) -> None:
        self.apply_settings()
        self.set_timer(BACKGROUND_AT_LATEST, self.begin_background)

    def on_ready(self) -> None:
        """The first frame is on screen (with the first rows, when they were read before)."""
        self._drawn = True
        if self._rows_seen:
            self.begin_background()

    def first_rows_shown(self) -> None:
        self._rows_seen = True
        if self._drawn:
            self.begin_background()

    def begin_background(self) -> None:
        """The header, the poll for other writers and webhook delivery: begun once the first
        rows are on screen (or after a second if they never come), so that their threads do
        not hold the interpreter while the first page is read and drawn."""
        if self._background:
            return
        self._background = True
        # Everything made to start (Textual, the screens, peewee, the first page) lives as long
        # as the app: out of the collector's sight, a full collection no longer walks it all
        # (one measured 57-75 ms in the middle of a key's redraw; now a few ms).
        gc.freeze()
        self.show_store_date()
        if self.poll:
            self.check_for_changes()  # the baseline: what was written before we looked
            self.set_interval(POLL_SECONDS, self.check_for_changes)
        if self.deliver:
            self.deliver_webhooks()
        self.run_worker(modes.import_all, thread=True, group="imports", exit_on_error=False)

    def deliver_webhooks(self) -> None:
        """R-HOOK-6: while the console is open it sends webhooks in a worker thread, never on
        the event loop; if another process already sends them, it waits to take over."""

        def set_state(text: str) -> None:
            self.deliverer_state = text

        def job():
            from ..webhooks import deliverer  # httpx: a sixth of a second, not on the loop

            gc.freeze()  # the modules just imported live as long as the app too

            while not self._stop_delivering.is_set():
                try:
                    stats, holder = core.in_thread(deliverer.deliver, watch=True,
                                                   stop=self._stop_delivering)
                except Exception as exc:  # the store went away, a bug: say so, try again
                    self.call_from_thread(set_state, f"Webhook delivery stopped: "
                                          f"{type(exc).__name__}: {exc}; retrying.")
                    self._stop_delivering.wait(DELIVER_RETRY_SECONDS)
                    continue
                if holder is not None:
                    self.call_from_thread(set_state, f"Webhooks are sent by another process "
                                          f"({holder}); this console takes over if it stops.")
                    self._stop_delivering.wait(DELIVER_RETRY_SECONDS)

        self.deliverer_state = "Webhooks are delivered in the background by this console."
        self.run_worker(job, thread=True, group="deliverer", exit_on_error=False)

    def on_key(self, event) -> None:
        """A key that came back up unhandled: a character typed ahead finds its field."""
        from .modals.base import typed_ahead

        typed_ahead(self.screen, event)

    def on_paste(self, event) -> None:
        """A paste that came back up unhandled: to the field it was meant for."""
        from .modals.base import pasted_ahead

        pasted_ahead(self.screen, event)

    def on_unmount(self) -> None:
        self._stop_delivering.set()

    def apply_settings(self) -> None:
        """The operator's theme and keymap; what cannot be used is said, never fatal."""
        problems = list(self.settings.problems)
        theme = self.settings.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        elif theme:
            problems.append(f"theme {theme!r} is not one of: "
                            f"{', '.join(sorted(self.available_themes))}")
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)

        def check_ids():  # off the event loop: it loads every dialog's module
            unknown = sorted(set(self.settings.keymap) - binding_ids())
            said = problems + [f"no binding has the id {i!r} (? lists them)" for i in unknown]
            self.call_from_thread(say, said)

        def say(said: list[str]) -> None:
            if said:
                self.notify("\n".join(said), title="Settings not used", severity="warning",
                            timeout=15)

        if self.settings.keymap:  # loading every dialog while the console starts slows it
            self.run_worker(check_ids, thread=True, group="settings", exit_on_error=False)
        else:
            say(problems)

    def action_keys(self) -> None:
        from .modals.keys import KeysModal

        self.push_screen(KeysModal(self.screen))

    def show_store_date(self) -> None:
        """The header of every screen: the store's date, and how many things need attention
        (R-ATTN-1), ! to see them."""
        def read():
            from ..views.attention import count  # here: its import is not the loop's time

            return context.current(), count()

        def show(found) -> None:
            ctx, waiting = found
            # the count first: at 80 columns the header cuts the time zone, not the count
            self.sub_title = (f"{waiting} need{'s' if waiting == 1 else ''} attention (!) · "
                              if waiting else "") + \
                f"store date {ctx.today:%a %Y-%m-%d} · {ctx.timezone}"

        self.read_core(read, done=show)

    # --- the core, off the event loop ----------------------------------------------------

    def run_core(self, fn: Callable, *args, done: Callable | None = None,
                 refused: Callable[[str], None] | None = None, latest: str | None = None,
                 failed: Callable[[], None] | None = None, **kwargs) -> None:
        """Call a core function in a worker. A refusal becomes a message (or goes to
        `refused`), any other failure is said in words (then `failed` is called); success goes
        to `done` on the event loop. With `latest` (a preview that follows what is typed), only
        the answer to the newest call under that name is ever handed over."""
        request = Request(latest, self._ask(latest) if latest else 0, done, refused,
                          failed=failed)
        self.run_worker(partial(self.core_job, request, fn, args, kwargs), thread=True,
                        group=latest or "core", exit_on_error=False)

    def read_core(self, fn: Callable, *args, done: Callable,
                  finally_: Callable[[], None] | None = None, **kwargs) -> None:
        """A read for a screen. Every answer is tagged with the request it answers, and only
        the answer to the latest request of the same reader is shown: a slow stale read that
        ends after a newer one is dropped (a thread cannot be stopped, only ignored).
        `finally_` runs after the latest request's answer, refusal or failure."""
        owner = getattr(done, "__self__", None)  # each screen reads for itself
        reader = getattr(done, "__qualname__", "read") + (f"@{id(owner)}" if owner else "")
        request = Request(reader, self._ask(reader), done, None, finally_)
        self.run_worker(partial(self.core_job, request, fn, args, kwargs), thread=True,
                        group=reader, exclusive=True, exit_on_error=False)

    def core_job(self, request: "Request", fn: Callable, args: tuple, kwargs: dict) -> None:
        """The worker behind run_core and read_core: the core call on this thread's own
        connection, its outcome posted back as a typed message. A worker cancelled by a newer
        one of the same reader posts nothing; the ticket drops what slips through."""
        worker = get_current_worker()
        try:
            result = core.in_thread(fn, *args, **kwargs)
        except DomainError as exc:
            answer: Message = CoreRefused(request, str(exc))
        except Exception as exc:  # busy, or a bug: in words, never a traceback
            answer = CoreFailed(request, exc)
        else:
            answer = CoreDone(request, result)
        if not worker.is_cancelled:
            self.post_message(answer)

    def is_latest(self, request: "Request") -> bool:
        return request.reader is None or self._asked.get(request.reader) == request.ticket

    def on_core_done(self, answer: CoreDone) -> None:
        request = answer.request
        owner = getattr(request.done, "__self__", None)
        if isinstance(owner, Widget) and (not owner.is_attached or owner._pruning
                                          or owner._closing):
            # its screen is gone or going (its widgets removed first), or the app is
            # closing: nobody to show it to
            return
        if self.is_latest(request):
            try:
                if request.done is not None:
                    request.done(answer.result)
            finally:
                request.settle()

    def on_core_refused(self, answer: CoreRefused) -> None:
        if self.is_latest(answer.request):
            try:
                (answer.request.refused or self.refusal)(answer.words)
            finally:
                answer.request.settle()

    def on_core_failed(self, answer: CoreFailed) -> None:
        if self.is_latest(answer.request):
            try:
                self.failed(answer.error)
                if answer.request.failed is not None:
                    answer.request.failed()
            finally:
                answer.request.settle()

    def _ask(self, name: str) -> int:
        self._asked[name] = self._asked.get(name, 0) + 1
        return self._asked[name]

    def failed(self, exc: BaseException) -> None:
        """Every failure that is not a refusal, in words: a busy store as such, else a bug."""
        if isinstance(exc, peewee.OperationalError):
            self.notify(f"The store is busy ({exc}); nothing was changed. Try again in a "
                        "moment.", title="Store busy", severity="warning", timeout=10,
                        markup=False)
        else:
            self.notify(f"{type(exc).__name__}: {exc}", title="Internal error",
                        severity="error", timeout=15, markup=False)

    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        """A worker that died of something its own code did not catch: said in words."""
        if event.state == WorkerState.ERROR:
            self.failed(event.worker.error)

    def refusal(self, message: str) -> None:
        # a refusal quotes what was typed or stored: shown as it is, never read as markup
        self.notify(message, title="Refused", severity="error", timeout=8, markup=False)

    def store_changed(self) -> None:
        self.show_store_date()
        for screen in self.screen_stack:
            screen.post_message(StoreChanged())

    def check_for_changes(self) -> None:
        def job():
            seen = core.in_thread(queries.fingerprint)
            if self._seen is not None and seen != self._seen:
                self.call_from_thread(self.store_changed)
            self._seen = seen

        self.run_worker(job, thread=True, group="poll", exclusive=True, exit_on_error=False)

    # --- the clock, from any screen --------------------------------------------------------

    def action_next_day(self) -> None:
        from .modals.day import NextDayModal

        self.push_screen(NextDayModal())

    def action_run_to(self) -> None:
        from .modals.day import RunToModal

        self.push_screen(RunToModal())

    def action_rewind(self) -> None:
        from .modals.rewind import RewindModal

        self.push_screen(RewindModal())

    def after_rewind(self) -> None:
        """The store is another store now: back to the list, every screen read again."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.switch_mode("subscriptions")
        self.store_changed()


def make_app(db: str, operator: str, poll: bool = True, blink: bool = True,
             deliver: bool = False, settings: Settings | None = None) -> OpsConsole:
    from .paste import install

    install()  # before the driver reads the terminal
    return OpsConsole(db, operator, poll, blink, deliver, settings)


def binding_ids() -> set[str]:
    """Every id a keymap may name: the bindings of the app, its screens and dialogs (and
    Textual's own widgets)."""
    import importlib
    import pkgutil

    from textual.dom import DOMNode

    from . import modals, screens

    for package in (modals, screens):  # dialogs are imported when first opened: load them
        for info in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{info.name}")
    ids, classes = set(), [DOMNode]
    while classes:
        cls = classes.pop()
        ids |= {b.id for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding) and b.id}
        classes.extend(cls.__subclasses__())
    return ids
