"""Support cases as the list and a case's page show them."""

from ..cases import actions, model
from ..errors import Unreadable
from ..store import context


def cases() -> list[dict]:
    """The cases the list shows, then one {"id", "unreadable"} for each it cannot."""
    ctx = context.current()
    unread: list[Unreadable] = []
    shown = model.listing(ctx.now, ctx.timezone, unread=unread)
    return shown + [{"id": exc.row_id, "unreadable": str(exc)} for exc in unread]


def case(case_id: int) -> dict:
    ctx = context.current()
    return model.as_dict(actions.find(case_id), ctx.now, ctx.timezone, full=True)


def due_text(case: dict) -> str:
    """The list's short 'next due' cell (R-CASE-3), the same words `cases list` prints."""
    return model.due_words(case, short=True) or "—"
