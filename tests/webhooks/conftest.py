import datetime as dt

import pytest

from tests.webhooks import receiver as rx


@pytest.fixture
def receiver():
    r = rx.start()
    yield r
    rx.stop(r)


class WallClock:
    """An injectable wall clock: tests move it instead of sleeping (R-HOOK-5)."""

    def __init__(self, start: dt.datetime):
        self.moment = start

    def __call__(self) -> dt.datetime:
        return self.moment

    def advance(self, **kw) -> None:
        self.moment += dt.timedelta(**kw)


@pytest.fixture
def wall():
    # a minute ahead: deliveries written during the test (at the real time) are due at once
    return WallClock(dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
                     + dt.timedelta(minutes=1))


@pytest.fixture
def demo_run(new_target):
    """The demo store after two months of days."""
    from opsconsole import clock, demo
    from opsconsole.store import db as store_db

    target = new_target("demo")
    demo.build(target)
    clock.run_days(days=60)
    yield target
    store_db.close_store()


@pytest.fixture(autouse=True)
def _no_proxy_for_loopback(monkeypatch):
    """The deliverer honours HTTP(S)_PROXY as an operator would want; the tests' receiver is on
    127.0.0.1, which no proxy should stand in front of."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
