"""Everything an operator must act on, in one list (SPEC R-ATTN-1): `attention [--json]`, and
the console's attention screen and the count in its header.

Each item has its kind, the subject (`subject` and `id`), the reason, when it began (`since`)
and its age, on the store clock or, for webhook deliveries and endpoints, on the wall clock
(`clock`: "store" or "wall"; R-HOOK-5's retries run on wall time), the action that clears it
(`action`, a short id the console binds to a key, and `command`, a command line that does it or
shows what to do) and, in `clears`, what makes it leave the list.

An item leaves the list when its cause is gone; nothing hides or dismisses one. The causes and
what ends them:

- `set-aside`: a day set the subscription aside (R-INPUT-3: an audit row `set-aside` for
  that date, its work rolled back). Gone when a later run has done the subscription's work for
  that date or a later one (its `last_run` reached the date: run-day tries it again on each run),
  or when it is deactivated (it has no daily work left to fail, e.g. an operator cancelled it
  now). One item per subscription, aged from the first day still unresolved, with the last
  error.
- `last-retry`: an overdue subscription whose last dunning day (its last retry, R-DUN-2; for a
  manual renewal its last notice) has passed unpaid: the next thing its dunning does is
  deactivate it (R-DUN-4). From that day until it is collected (a new payment method, R-DUN-5; a
  retry now, R-CHARGE-3; a payment, R-MANUAL-1) or deactivated.
- `case-past-target`: an open case whose next target (response or update, R-CASE-3;
  cases.model.next_due) has passed. Gone when a support note answers it (a new target is set),
  or it moves to Pending Closure or Closed (no target runs).
- `webhook-gone`: an endpoint disabled by a 410 answer (R-HOOK-5). Gone when it is enabled
  again or removed. Wall clock.
- `webhook-failed`: a delivery marked failed after its last retry (R-HOOK-5). Gone when it is
  redelivered (pending again; it comes back if it fails again) or its endpoint is removed.
  Wall clock.
- `import-rejected`: an import that imported rows and rejected others (its audit row `import`
  records the rejected rows' numbers and referenceIds; an import that imports nothing writes
  nothing and says why at once, R-INPUT-9). Gone when every rejected row's referenceId is a
  subscription of the store (imported since, from any file), or when a later import of a file of
  the same name was recorded with no row rejected. A rejected row without a referenceId is
  cleared by the second only.

Every cause is found through an index (store/reports.py, webhooks/deliveries.attention): the
list costs the same on a store of ten thousand or a million subscriptions."""

import datetime as dt
import functools
import shlex
from pathlib import PurePath

from ..billing import subs
from ..billing.money import format_amount
from ..cases import model as case_model, rules as case_rules
from ..store import context, journal, reports, rows as store_rows
from ..store.context import iso as _iso
from ..text import escape
from ..webhooks import deliveries

iso = functools.lru_cache(maxsize=4096)(_iso)  # many items share a time (a day's retries)
KINDS = ("set-aside", "last-retry", "case-past-target", "webhook-gone", "webhook-failed",
         "import-rejected")
ROWS_NAMED = 5  # rejected rows named in an import's reason


def attention(wall_now: dt.datetime | None = None) -> dict:
    """The list, by kind (in KINDS order), oldest first within a kind."""
    ctx = context.current()
    wall = wall_now or journal.wall_now()
    items = (_set_aside(ctx) + _last_retry(ctx) + _cases(ctx) + _webhooks(wall)
             + _imports(ctx))
    order = {kind: i for i, kind in enumerate(KINDS)}
    items.sort(key=lambda i: (order[i["kind"]], -i["_age"], i["id"]))
    for item in items:
        seconds = max(int(item.pop("_age").total_seconds()), 0)
        item["age"], item["age_seconds"] = _age(seconds), seconds
    return {"date": ctx.today.isoformat(), "count": len(items),
            "by_kind": {kind: sum(1 for i in items if i["kind"] == kind) for kind in KINDS},
            "items": items}


def count() -> int:
    """How many items the list has (the console's header)."""
    return attention()["count"]


def _age(seconds: int) -> str:
    """A short age: '3 d', '2 d 5 h', '7 h', '12 min', '<1 min'."""
    days, rest = divmod(seconds, 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days >= 3 or (days and not hours):
        return f"{days} d"
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h"
    return f"{minutes} min" if minutes else "<1 min"


def _item(kind: str, subject: str, id_, reason: str, since: str | None, clock: str,
          age: dt.timedelta, action: str, command: str, clears: str, **more) -> dict:
    return {"kind": kind, "subject": subject, "id": id_, "reason": reason, "since": since,
            "clock": clock, "_age": age, "action": action, "command": command,
            "clears": clears, **more}


# --- R-INPUT-3 ----------------------------------------------------------------------------------

def _set_aside(ctx) -> list[dict]:
    rows = reports.audit_rows("set-aside")
    if not rows:
        return []
    runs = reports.runs_of(sorted({sub for _, sub, _, _ in rows if sub is not None}))
    found: dict[int, dict] = {}
    for audit_id, sub_id, at, detail in rows:
        state, last_run = runs.get(sub_id, ("deactivated", None))
        data = store_rows.loads(detail, "audit", audit_id, "detail") if detail else {}
        day = dt.date.fromisoformat(data["date"]) if data.get("date") else at.date()
        if state == "deactivated" or (last_run is not None and last_run >= day):
            continue  # done by a later run, or no daily work left to fail
        entry = found.setdefault(sub_id, {"first": at, "times": 0})
        entry["times"] += 1
        entry["day"], entry["error"] = day, data.get("error", "")
    items = []
    for sub_id, entry in found.items():
        times = f" ({entry['times']} runs since {entry['first'].date()})" \
            if entry["times"] > 1 else ""
        items.append(_item(
            "set-aside", "subscription", sub_id,
            f"run-day set subscription {sub_id} aside on {entry['day']}{times}: "
            f"{escape(entry['error'])}",
            iso(entry["first"], ctx.timezone), "store", ctx.now - entry["first"],
            "open-subscription", f"opsconsole subs show {sub_id}",
            "a later run-day does its work (fix what the error names first), or it is "
            "deactivated"))
    return items


# --- R-DUN-2..4 ---------------------------------------------------------------------------------

def _last_retry(ctx) -> list[dict]:
    items = []
    for sub in reports.overdue():
        day = subs.last_chance(sub)
        if day is None:
            continue
        since = dt.datetime.combine(day, dt.time())
        deactivates = subs.deactivation_day(sub)
        owed = f"{format_amount(sub.dunning_amount, sub.currency)} {sub.currency}" \
            if sub.dunning_amount is not None else "its renewal"
        ref = f" ({escape(sub.reference_id)})" if sub.reference_id else ""
        if sub.manual_renew:
            what, action = "its last overdue notice went out", "pay"
            command = f"opsconsole pay {sub.id} --token TOKEN"
        else:
            what, action = "its last retry was declined", "payment"
            command = f"opsconsole payment {sub.id} --token TOKEN"
        items.append(_item(
            "last-retry", "subscription", sub.id,
            f"subscription {sub.id}{ref} overdue since {sub.overdue_since}: {what} on {day}; "
            f"it is deactivated on {deactivates} unless {owed} is collected",
            iso(since, ctx.timezone), "store", ctx.now - since, action, command,
            "collected (a new payment method, a retry now, a payment) or deactivated",
            deactivates=deactivates.isoformat()))
    return items


# --- R-CASE-3 ----------------------------------------------------------------------------------

def _cases(ctx) -> list[dict]:
    items = []
    for case in reports.cases_past_target(ctx.now):
        target = "first response" if case_model.due_target(case) == "response" else "update"
        severity = case_rules.SEVERITY_NAMES[case.severity]
        due = iso(case.due_at, ctx.timezone)
        items.append(_item(
            "case-past-target", "case", case.id,
            f"case {case.id} ({severity}, {case.status}) {escape(case.subject)!r}: {target} "
            f"was due {due}",
            due, "store", ctx.now - case.due_at, "note-case",
            f"opsconsole cases note {case.id} TEXT",
            "a support note (a response or an update), or Pending Closure or Closed"))
    return items


# --- R-HOOK-5 ----------------------------------------------------------------------------------

def _wall(since: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(since).replace(tzinfo=None) if since else None


def _webhooks(wall: dt.datetime) -> list[dict]:
    items = []
    for found in deliveries.attention():
        since = _wall(found["since"])
        age = wall - since if since else dt.timedelta(0)
        if found["kind"] == "webhook-failed":
            items.append(_item(
                "webhook-failed", "delivery", found["delivery"], escape(found["reason"]),
                found["since"], "wall", age, "redeliver",
                f"opsconsole webhooks redeliver {found['delivery']}",
                "redelivered (pending again), or its endpoint removed",
                endpoint=found["endpoint"]))
        else:
            items.append(_item(
                "webhook-gone", "endpoint", found["endpoint"], escape(found["reason"]),
                found["since"], "wall", age, "enable-endpoint",
                f"opsconsole webhooks enable {found['endpoint']}",
                "enabled again, or removed"))
    return items


# --- R-IMPORT-1 ----------------------------------------------------------------------------------

def _imports(ctx) -> list[dict]:
    rows = [(audit_id, at, store_rows.loads(detail, "audit", audit_id, "detail"))
            for audit_id, _, at, detail in reports.audit_rows("import") if detail]
    clean: dict[str, int] = {}  # file name -> the last import of it that rejected nothing
    for audit_id, _, data in rows:
        if not data.get("rejected"):
            clean[PurePath(str(data.get("file", ""))).name] = audit_id
    open_ = [(audit_id, at, data) for audit_id, at, data in rows
             if data.get("rejected")
             and clean.get(PurePath(str(data.get("file", ""))).name, 0) < audit_id]
    wanted = sorted({r["reference_id"] for _, _, data in open_
                     for r in data.get("rejected_rows", ()) if r.get("reference_id")})
    present = reports.references_present(wanted) if wanted else set()
    items = []
    for audit_id, at, data in open_:
        known = data.get("rejected_rows")
        if known is not None:
            left = [r for r in known if r.get("reference_id") not in present]
            if not left:
                continue
            named = ", ".join(f"{r['row']} ({escape(r['reference_id'] or 'no referenceId')})"
                              for r in left[:ROWS_NAMED])
            more = f" and {len(left) - ROWS_NAMED} more" if len(left) > ROWS_NAMED else ""
            still = f"{len(left)} of {data['rejected']} rejected rows not in the store: " \
                    f"row {named}{more}"
        else:  # recorded before the rows were (schema 5): the count alone
            still = f"{data['rejected']} rows rejected"
        file = str(data.get("file", ""))
        items.append(_item(
            "import-rejected", "import", audit_id,
            f"import of {escape(file)} on {at.date()} (imported {data.get('imported', 0)}): "
            f"{still}",
            iso(at, ctx.timezone), "store", ctx.now - at, "import",
            f"opsconsole import {shlex.quote(escape(file))}",
            "each rejected row imported (corrected, from any file), or the file imported again "
            "with no row rejected", file=file))
    return items
