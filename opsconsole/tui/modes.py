"""The console's screens other than the first: imported when first shown, or in the background
once the first rows are on screen, whichever comes first."""

import importlib
from collections.abc import Callable

from textual.screen import Screen

LATER = {"cases": ("cases", "CasesScreen"), "activity": ("activity", "ActivityScreen"),
         "dashboard": ("dashboard", "DashboardScreen"),
         "webhooks": ("webhooks", "WebhooksScreen"),
         "attention": ("attention", "AttentionScreen")}


def later(module: str, name: str) -> Callable[[], Screen]:
    """A mode's screen, imported when it is first shown: the first screen comes up sooner
    (the dashboard's charts alone take a tenth of a second to import)."""
    def make() -> Screen:
        return getattr(importlib.import_module(f"{__package__}.screens.{module}"), name)()
    return make


def import_all() -> None:
    """Every later screen's module and the dashboard's charts, so that the first visit to a
    screen does not wait for them (the dashboard's first open: ~0.1 s of imports)."""
    for module, _name in LATER.values():
        importlib.import_module(f"{__package__}.screens.{module}")
    importlib.import_module("textual_plotext")
