"""R-EVT-1 and R-AUDIT-1."""

import datetime as dt
import json

import peewee
import pytest
from hypothesis import given, strategies as st

from opsconsole.billing import actions
from opsconsole.store.models import Audit, Event, Notification
from tests.conftest import d


def test_R_EVT_1_events_carry_the_state_after_the_change(store):
    sub = store.sub(next_charge="2026-02-01", email="ev@example.com")
    assert store.events(sub) == ["subscription.activated"]
    actions.pause(sub, 1)
    event = Event.select().where(Event.subscription == sub).order_by(Event.id.desc()).get()
    payload = json.loads(event.payload)
    assert event.type == "subscription.updated"
    assert payload["pause_date"] == "2026-02-01" and payload["state"] == "active"
    assert event.at == dt.datetime(2026, 1, 30)  # store time, not the wall clock
    mail = Notification.get(Notification.subscription == sub)
    assert (mail.template, mail.recipient, mail.at) == \
        ("Subscription Paused", "ev@example.com", dt.datetime(2026, 1, 30))


def test_R_AUDIT_1_every_operator_action_is_recorded(store):
    sub = store.sub(next_charge="2026-02-01")
    actions.cancel(sub, operator="maria")
    row = Audit.select().order_by(Audit.id.desc()).get()
    assert (row.operator, row.action, row.subscription_id) == ("maria", "cancel", sub)
    assert json.loads(row.before)["cancel_date"] is None
    assert json.loads(row.after)["cancel_date"] == "2026-02-01"
    assert row.at == dt.datetime(2026, 1, 30)
    assert abs(row.wall_at - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < \
        dt.timedelta(minutes=5)


def test_R_AUDIT_1_the_log_cannot_be_edited(store):
    sub = store.sub()
    actions.cancel(sub, operator="maria")
    with pytest.raises(peewee.IntegrityError, match="cannot be edited"):
        Audit.update(operator="someone").execute()
    with pytest.raises(peewee.IntegrityError, match="cannot be edited"):
        Audit.delete().execute()
    assert Audit.select().where(Audit.operator == "maria").count() == 1
    store.run_until(str(d("2026-02-02")))


def test_R_AUDIT_1_no_code_path_edits_or_deletes_the_audit_log():
    import re
    from pathlib import Path

    package = Path(__file__).resolve().parents[2] / "opsconsole"
    pattern = re.compile(r"Audit\s*\.\s*(update|delete|replace|insert_many|bulk_update)|"
                         r"(UPDATE|DELETE FROM)\s+audit\b|\.delete_instance\(", re.I)
    offenders = [str(p) for p in package.rglob("*.py")
                 if pattern.search(p.read_text()) and p.name != "models.py"]
    assert offenders == []


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(st.text(max_size=8), inner, max_size=6),
    max_leaves=30)


@given(_json_values)
def test_R_EVT_1_payloads_and_audit_rows_are_json_dumps_text(value):
    """journal.dumps (json's C encoder made once) writes exactly what json.dumps writes."""
    from opsconsole.store import journal

    assert journal.dumps(value) == json.dumps(value)
