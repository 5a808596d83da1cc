"""The console's own messages: a write seen, and what a core worker brings back."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.message import Message


class StoreChanged(Message):
    """Something was written: by this console, or by another process on the same store."""


@dataclass(frozen=True)
class Request:
    """One call to the core from the console. `reader` names who asked (a screen's reader, a
    preview): only the answer to its newest request (`ticket`) is handed over. None: an
    action, every answer handed over."""

    reader: str | None
    ticket: int
    done: Callable[[Any], None] | None = None
    refused: Callable[[str], None] | None = None
    finally_: Callable[[], None] | None = None
    failed: Callable[[], None] | None = None  # after a failure that is not a refusal is said

    def settle(self) -> None:
        if self.finally_ is not None:
            self.finally_()


class CoreDone(Message):
    """A core call's result, posted from its worker thread."""

    def __init__(self, request: Request, result: Any) -> None:
        super().__init__()
        self.request, self.result = request, result


class CoreRefused(Message):
    """A core call refused (a DomainError): its words, for the operator."""

    def __init__(self, request: Request, words: str) -> None:
        super().__init__()
        self.request, self.words = request, words


class CoreFailed(Message):
    """A core call failed for another reason: a busy store, or a bug."""

    def __init__(self, request: Request, error: Exception) -> None:
        super().__init__()
        self.request, self.error = request, error
