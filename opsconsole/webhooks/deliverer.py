"""The deliverer (R-HOOK-4..7): sends what is due, logs every attempt, schedules retries.

One lane per endpoint, each with its own HTTP client and at most four requests in flight, so a
slow or dead endpoint holds up only its own deliveries. A lane takes its due deliveries oldest
first and writes their outcomes every moment or so in one short transaction; billing never
waits on the network, and a crash before an outcome is written means that delivery is sent
again with the same webhook-id (at least once). Times are the wall clock, from `now`, which
tests replace."""

import contextlib
import datetime as dt
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import httpx
import peewee as pw

from ..errors import DomainError
from ..store import batch, engine, journal
from ..store.models import Event, Store, database
from ..store.webhook_models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from ..text import blank_controls
from . import deadline, endpoints as ep, signing

SCHEDULE = tuple(dt.timedelta(seconds=s) for s in
                 (10, 60, 300, 1800, 7200, 21600, 43200, 86400))  # after each failure
TIMEOUT = 10.0  # seconds for a 2xx answer
IN_FLIGHT = 4  # requests at once per endpoint
CHUNK = 256  # deliveries a lane takes at a time
FLUSH_EVERY = 0.5  # seconds between writes of outcomes (or FLUSH_ROWS, whichever first)
FLUSH_ROWS = 200
STOP_WAIT = 2.0  # seconds a stopped deliverer waits for attempts in the air
RESPONSE_KEPT = 1024  # bytes of an answer logged
LONGEST_WAIT = dt.timedelta(days=7)  # a Retry-After beyond this is taken as this


def next_try(failures: int, finished: dt.datetime,
             retry_after: dt.timedelta | None) -> dt.datetime | None:
    """When a delivery that has now failed `failures` times in a row is tried again; None once
    the schedule is spent (it is marked failed and kept)."""
    if failures > len(SCHEDULE):
        return None
    wait = SCHEDULE[failures - 1]
    if retry_after is not None:
        wait = max(wait, min(retry_after, LONGEST_WAIT))
    return finished + wait


def retry_after(value: str | None, now: dt.datetime) -> dt.timedelta | None:
    """A Retry-After header: seconds, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]{1,12}", value):
        return dt.timedelta(seconds=min(int(value), int(LONGEST_WAIT.total_seconds())))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(when.astimezone(dt.UTC).replace(tzinfo=None) - now, dt.timedelta(0))


@dataclass
class Job:
    delivery: int
    epoch: str
    body: bytes


@dataclass
class Outcome:
    delivery: int
    epoch: str  # the row's identity with its id: a restored store may reuse the id
    at: dt.datetime
    finished: dt.datetime
    duration_ms: int
    status: int | None = None
    error: str | None = None
    response: str | None = None
    retry_after: dt.timedelta | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300


@dataclass
class Stats:
    delivered: int = 0
    failed_attempts: int = 0
    gave_up: int = 0
    endpoints_gone: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    errors: list[str] = field(default_factory=list)  # the last few things that went wrong

    def add(self, delivered: int, failed: int, gave_up: int) -> None:
        with self.lock:
            self.delivered += delivered
            self.failed_attempts += failed
            self.gave_up += gave_up

    @property
    def attempts(self) -> int:
        return self.delivered + self.failed_attempts

    def error(self, text: str) -> None:
        with self.lock:
            self.errors = [*self.errors[-9:], text]


class Deliverer:
    def __init__(self, now: Callable[[], dt.datetime] = journal.wall_now,
                 timeout: float = TIMEOUT, stop: threading.Event | None = None,
                 transport: httpx.BaseTransport | None = None):
        self.now = now
        self.timeout = timeout
        self.stop = stop or threading.Event()
        self.transport = transport  # tests may bind a local address; never a mock
        self.stats = Stats()
        self._lanes: dict[int, threading.Thread] = {}
        self._halt = threading.Event()  # run() has ended: lanes stop taking work
        self._clients: dict[int, httpx.Client] = {}

    def stopping(self) -> bool:
        return self.stop.is_set() or self._halt.is_set()

    # --- the whole ----------------------------------------------------------------------

    def run(self, watch: bool = False, poll: float = 1.0) -> Stats:
        """Send what is due, lane by lane; with `watch`, keep at it until `stop` is set (a
        busy store is waited out then). The caller holds engine.deliverer_lock. Once stopped,
        attempts still in the air are given STOP_WAIT seconds; one cut off is sent again later
        with the same webhook-id."""
        timezone = Store.get().timezone
        try:
            while not self.stop.is_set():
                try:
                    due = self.due_endpoints()
                except pw.OperationalError as exc:
                    if not watch:
                        raise
                    self.stats.error(f"the store could not be read: {exc}")
                    self.stop.wait(poll)
                    continue
                for endpoint in due:
                    lane = self._lanes.get(endpoint)
                    if lane is None or not lane.is_alive():
                        lane = threading.Thread(target=self._lane, args=(endpoint, timezone),
                                                name=f"webhooks-{endpoint}", daemon=True)
                        self._lanes[endpoint] = lane
                        lane.start()
                if watch:
                    self.stop.wait(poll)
                    continue
                before = self.stats.attempts
                for lane in list(self._lanes.values()):
                    lane.join()
                if self.stats.attempts == before or not self.due_endpoints():
                    break  # all sent, or lanes that cannot get on (their errors say why)
        finally:
            self._halt.set()
            if self.stop.is_set():  # stopped by hand: cut what is in the air (sent again later)
                for client in list(self._clients.values()):
                    with contextlib.suppress(Exception):
                        client.close()
            until = time.monotonic() + STOP_WAIT
            for lane in list(self._lanes.values()):
                lane.join(max(until - time.monotonic(), 0))
        return self.stats

    def due_endpoints(self) -> list[int]:
        D, E = WebhookDelivery, WebhookEndpoint
        return [e for (e,) in (D.select(D.endpoint).distinct().join(E)
                               .where(D.status == "pending", D.next_attempt_at <= self.now(),
                                      E.enabled == True)  # noqa: E712
                               .tuples())]

    # --- one endpoint ---------------------------------------------------------------------

    def _lane(self, endpoint_id: int, timezone: str) -> None:
        limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
        client = httpx.Client(timeout=self.timeout, limits=limits,
                              transport=self.transport or deadline.transport(limits))
        self._clients[endpoint_id] = client
        pool = ThreadPoolExecutor(IN_FLIGHT, thread_name_prefix=f"webhooks-{endpoint_id}")
        try:
            while not self.stopping():
                endpoint = WebhookEndpoint.get_or_none(WebhookEndpoint.id == endpoint_id)
                if endpoint is None or not endpoint.enabled:
                    return
                jobs = self._due(endpoint_id, timezone)
                if not jobs:
                    return
                secrets = ep.signing_secrets(endpoint, self.now())
                futures = [pool.submit(self._send, client, endpoint.url, secrets, job)
                           for job in jobs]
                if self._collect(endpoint_id, futures):
                    return  # 410 Gone: the endpoint is disabled
        except Exception as exc:  # a busy or broken store: what was not written is sent again
            why = str(exc) if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
            self.stats.error(f"endpoint {endpoint_id}: {why}")
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            client.close()
            database.close()  # this thread's connection

    def _due(self, endpoint_id: int, timezone: str) -> list[Job]:
        D = WebhookDelivery
        rows = (D.select(D.id, D.epoch, D.event, Event.id, Event.type, Event.at, Event.payload)
                .join(Event, pw.JOIN.LEFT_OUTER)
                .where(D.endpoint == endpoint_id, D.status == "pending",
                       D.next_attempt_at <= self.now())
                .order_by(D.id).limit(CHUNK).tuples())
        jobs = []
        for delivery, epoch, named, event, type_, at, payload in rows:
            if event is None:  # a store written to by hand: said, never sent, never in silence
                self.stats.error(f"webhook delivery {delivery} holds event_id {named}, which "
                                 "must be the id of an event the store has; it is not sent")
                continue
            jobs.append(Job(delivery, epoch,
                            signing.body(epoch, event, type_, at, timezone, payload)))
        return jobs

    def _collect(self, endpoint_id: int, futures) -> bool:
        """Write outcomes as they come, a few at a time; True if the endpoint answered 410."""
        buffer: list[Outcome] = []
        last = time.monotonic()
        gone = False
        for future in as_completed(futures):
            outcome = future.result()
            if outcome is None:  # stopped before it was sent: it stays due
                continue
            buffer.append(outcome)
            gone = gone or outcome.status == 410
            if len(buffer) >= FLUSH_ROWS or time.monotonic() - last >= FLUSH_EVERY:
                self._record(endpoint_id, buffer)
                buffer, last = [], time.monotonic()
        if buffer:
            self._record(endpoint_id, buffer)
        return gone

    def _send(self, client: httpx.Client, url: str, secrets: list[str], job: Job
              ) -> Outcome | None:
        if self.stopping():
            return None
        at = self.now()
        stamp = int(at.replace(tzinfo=dt.UTC).timestamp())
        headers = signing.headers(secrets, signing.webhook_id(job.epoch, job.delivery), stamp,
                                  job.body)
        start = time.monotonic()
        status = error = response = wait = None
        try:
            with deadline.Deadline(self.timeout), \
                    client.stream("POST", url, content=job.body, headers=headers) as answer:
                status = answer.status_code
                response = _head(answer)
                if status in (429, 503):
                    wait = retry_after(answer.headers.get("retry-after"), at)
        except httpx.TimeoutException:
            error = f"no answer within {self.timeout:g} s"
        except httpx.HTTPError as exc:
            error = _describe(exc)
        except Exception as exc:  # a URL httpx cannot use, an answer it cannot read
            error = blank_controls(f"{type(exc).__name__}: {exc}", " ")[:500]
        if error is not None and self.stopping():
            return None  # cut off by the stop, not the endpoint's doing: it stays due
        seconds = time.monotonic() - start
        if error is None and seconds > self.timeout:
            error = f"answered after {seconds:.1f} s (more than {self.timeout:g} s)"
        elif error is None and not 200 <= status < 300:
            error = f"HTTP {status}"
        return Outcome(job.delivery, job.epoch, at, self.now(), int(seconds * 1000), status,
                       error, response, wait)

    def _record(self, endpoint_id: int, outcomes: list[Outcome]) -> None:
        """The attempts and what follows from them, in one transaction (executemany)."""
        D = WebhookDelivery
        delivered = failed = gave_up = 0
        updates, attempts = [], []
        with database.atomic():
            known = {i: (attempts_, failures, epoch) for i, attempts_, failures, epoch in
                     D.select(D.id, D.attempts, D.failures, D.epoch)
                     .where(D.id.in_([o.delivery for o in outcomes])).tuples()}
            for o in outcomes:
                if o.delivery not in known or known[o.delivery][2] != o.epoch:
                    continue  # removed with its endpoint, or another row since a restore
                number, failures, _ = known[o.delivery]
                number += 1
                attempts.append((o.delivery, number, o.at, o.status, o.error, o.duration_ms,
                                 o.response))
                if o.ok:
                    delivered += 1
                    status, failures, when, done = "delivered", 0, None, o.finished
                else:
                    failed += 1
                    failures += 1
                    when = next_try(failures, o.finished, o.retry_after)
                    gave_up += when is None
                    status, done = ("pending" if when else "failed"), None
                updates.append((status, number, failures, when, o.status, o.error, o.at, done,
                                o.delivery))
            if updates:
                batch.write([_statement(D, _UPDATED, updates, update=True),
                             _statement(WebhookAttempt, _ATTEMPT, attempts)])
            gone = next((o for o in outcomes if o.status == 410), None)
            if gone is not None:
                ep.set_enabled(endpoint_id, False, operator="webhooks",
                               reason=f"410 Gone at {ep.utc(gone.at)}", now=gone.at)
        self.stats.add(delivered, failed, gave_up)
        if gone is not None:
            self.stats.endpoints_gone.append(endpoint_id)


_UPDATED = ("status", "attempts", "failures", "next_attempt_at", "last_status", "last_error",
            "last_attempt_at", "delivered_at")
_ATTEMPT = ("delivery", "number", "at", "status_code", "error", "duration_ms", "response")


def _statement(model, names: tuple[str, ...], rows: list[tuple], update: bool = False):
    """An executemany statement for `rows` (an update's rows end with the id)."""
    meta = model._meta
    fields = [meta.fields[n] for n in names]
    columns = [f'"{f.column_name}"' for f in fields]
    p = database.param
    if update:
        sql = (f'UPDATE "{meta.table_name}" SET ' + ", ".join(f"{c} = {p}" for c in columns)
               + f' WHERE "{meta.primary_key.column_name}" = {p}')
        fields = fields + [meta.primary_key]
    else:
        sql = (f'INSERT INTO "{meta.table_name}" ({", ".join(columns)}) VALUES '
               f'({", ".join([p] * len(columns))})')
    return sql, [[f.db_value(v) for f, v in zip(fields, row)] for row in rows]


def _head(answer: httpx.Response) -> str | None:
    """The first KB of an answer, read no further (an answer may be endless)."""
    data = b""
    for chunk in answer.iter_raw():  # as sent: a compressed answer is not inflated
        data += chunk
        if len(data) >= RESPONSE_KEPT:
            break
    return data[:RESPONSE_KEPT].decode("utf-8", errors="replace") or None


def _describe(exc: httpx.HTTPError) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError) and "refused" in text.lower():
        return "connection refused"
    if isinstance(exc, (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError)):
        return f"connection reset or closed ({blank_controls(text, ' ')})"
    return blank_controls(f"{type(exc).__name__}: {text}", " ")


def deliver(watch: bool = False, stop: threading.Event | None = None,
            now: Callable[[], dt.datetime] = journal.wall_now,
            timeout: float = TIMEOUT) -> tuple[Stats | None, str | None]:
    """Take the deliverer's lock and send; (stats, None), or (None, who holds the lock)."""
    with engine.deliverer_lock(database.obj) as holder:
        if holder is not None:
            return None, holder
        return Deliverer(now=now, timeout=timeout, stop=stop).run(watch=watch), None

