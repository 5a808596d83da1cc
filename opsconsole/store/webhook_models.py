"""The webhook tables (R-HOOK-2..5, schema 5): endpoints, the outbox of deliveries, attempts.

Times here are the wall clock in UTC (naive): retries wait real time, whatever the store's own
clock says (R-HOOK-5)."""

import peewee as pw

from .models import BaseModel, BooleanField, Event


class WebhookEndpoint(BaseModel):
    url = pw.CharField()
    events = pw.TextField(default="*")  # "*" or types and prefixes ("subscription.*"), by ","
    secret = pw.CharField()  # whsec_ + base64
    previous_secret = pw.CharField(null=True)  # still signed with until previous_until
    previous_until = pw.DateTimeField(null=True)
    enabled = BooleanField(default=True)
    disabled_reason = pw.CharField(null=True)  # why it is disabled (by hand, or 410 Gone)
    disabled_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField()


class WebhookDelivery(BaseModel):
    """One event for one endpoint: written with the event, in its transaction (R-HOOK-3)."""

    endpoint = pw.ForeignKeyField(WebhookEndpoint, backref="deliveries", on_delete="CASCADE")
    event = pw.ForeignKeyField(Event, backref="deliveries", on_delete="CASCADE")
    # the store's webhook epoch when it was written: part of its ids, so that ids never repeat
    # for another event after a snapshot is restored (store/journal.py)
    epoch = pw.CharField(default="")
    status = pw.CharField(default="pending")  # pending delivered failed
    attempts = pw.IntegerField(default=0)
    failures = pw.IntegerField(default=0)  # failed attempts since it was last queued: the step
    next_attempt_at = pw.DateTimeField(null=True)  # null once delivered or failed
    last_status = pw.IntegerField(null=True)  # the HTTP status of the last answer
    last_error = pw.TextField(null=True)
    last_attempt_at = pw.DateTimeField(null=True)
    delivered_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField()

    class Meta:
        indexes = (
            (("endpoint", "status", "next_attempt_at", "id"), False),  # what is due, oldest first
            (("status", "next_attempt_at"), False),  # which endpoints have work due
        )


class WebhookAttempt(BaseModel):
    """Every attempt, logged (R-HOOK-4)."""

    delivery = pw.ForeignKeyField(WebhookDelivery, backref="attempt_log", on_delete="CASCADE")
    number = pw.IntegerField()
    at = pw.DateTimeField()
    status_code = pw.IntegerField(null=True)
    error = pw.TextField(null=True)
    duration_ms = pw.IntegerField()
    response = pw.TextField(null=True)  # the first 1 KB of the answer


WEBHOOK_TABLES = [WebhookEndpoint, WebhookDelivery, WebhookAttempt]
