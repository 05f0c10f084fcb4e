"""The Salesforce mirror: a consumer folds events into local records, a pusher upserts them by external id.

The consumer's effects are idempotent (latest position wins per field, tallies count each key once), so
at-least-once delivery from the log or a Kafka consumer group is safe. A record changed while Salesforce is
down stays dirty and is sent once, with its latest content, when Salesforce is back; a record Salesforce
rejects (4xx) is parked as a dead letter that an administrator can list and replay.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from events.background import BackgroundLoop
from events.store import AlreadyTracked, EventStore, Tracking
from processors.backoff import Backoff
from processors.salesforce_mapping import (
    MIRRORED_TYPES,
    OBJECTS,
    Change,
    SetFields,
    StreamFacts,
    Tally,
    changes_for,
    facts_from,
    parents,
    ready,
    record_body,
)
from projections.database import ViewDatabase
from schemas.credits import credit_account_id
from schemas.envelope import Envelope

log = logging.getLogger(__name__)

DDL = (
    "CREATE TABLE IF NOT EXISTS sf_records (sobject TEXT NOT NULL, external_id TEXT NOT NULL, "
    "version INTEGER NOT NULL, sent_version INTEGER NOT NULL DEFAULT 0, dead INTEGER NOT NULL DEFAULT 0, "
    "first_position BIGINT NOT NULL, last_position BIGINT NOT NULL, last_event TEXT NOT NULL, "
    "PRIMARY KEY (sobject, external_id))",
    "CREATE INDEX IF NOT EXISTS sf_records_dirty ON sf_records (dead, first_position)",
    "CREATE TABLE IF NOT EXISTS sf_fields (sobject TEXT NOT NULL, external_id TEXT NOT NULL, field TEXT NOT NULL, "
    "value TEXT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (sobject, external_id, field))",
    "CREATE TABLE IF NOT EXISTS sf_tallies (sobject TEXT NOT NULL, external_id TEXT NOT NULL, field TEXT NOT NULL, "
    "tally_key TEXT NOT NULL, amount DOUBLE PRECISION NOT NULL, PRIMARY KEY (sobject, external_id, field, tally_key))",
    "CREATE TABLE IF NOT EXISTS sf_streams (stream_id TEXT PRIMARY KEY, owner TEXT, project_id TEXT)",
    "CREATE TABLE IF NOT EXISTS sf_pending (stream_id TEXT NOT NULL, position BIGINT NOT NULL, envelope TEXT NOT NULL, "
    "PRIMARY KEY (stream_id, position))",
    "CREATE TABLE IF NOT EXISTS sf_dead_letters (id TEXT PRIMARY KEY, sobject TEXT NOT NULL, external_id TEXT NOT NULL, "
    "version INTEGER NOT NULL, body TEXT NOT NULL, error TEXT NOT NULL, last_position BIGINT NOT NULL, "
    "last_event TEXT NOT NULL, failed_at TEXT NOT NULL, replayed_at TEXT, published_at TEXT)",
)
TABLES = ("sf_records", "sf_fields", "sf_tallies", "sf_streams", "sf_pending", "sf_dead_letters")
NEEDS_OWNER = frozenset(t for t in MIRRORED_TYPES if t.startswith(("Credits", "Plan", "YouTube", "Upload")))


# --- the port to Salesforce ------------------------------------------------------------------------


class SalesforceUnavailable(Exception):
    """Salesforce did not answer or answered 5xx: try the same records again later."""


@dataclass(frozen=True)
class UpsertResult:
    """Salesforce's answer for one record: accepted, or rejected with its error code and message."""

    ok: bool
    created: bool = False
    error: str = ""


class DeadLetterSink(Protocol):
    def publish(self, letters: Sequence[dict[str, Any]]) -> None:
        """Hand dead letters on (e.g. to a Kafka topic); return only once all are confirmed, else raise."""
        ...


class SalesforcePort(Protocol):
    def upsert(
        self, sobject: str, external_id_field: str, records: Sequence[dict[str, Any]]
    ) -> list[UpsertResult]:
        """Upsert records by external id; one result per record, in order. Raises SalesforceUnavailable."""
        ...


# --- local records ---------------------------------------------------------------------------------


class MirrorStore:
    """The mirror's local records (what Salesforce should hold) in the read-model database."""

    def __init__(self, views: ViewDatabase) -> None:
        self.views = views

    def setup(self) -> None:
        with self.views.transaction() as cur:
            for statement in DDL:
                cur.execute(statement)
        try:
            self.views.query("SELECT published_at FROM sf_dead_letters WHERE 1 = 0")
        except Exception:  # a table from before the dead-letter topic (sqlite3 and psycopg raise differently)
            with self.views.transaction() as cur:
                cur.execute("ALTER TABLE sf_dead_letters ADD COLUMN published_at TEXT")

    def reset(self) -> None:
        """Forget every local record (before a rebuild from history)."""
        with self.views.transaction() as cur:
            for table in TABLES:
                cur.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in DDL:
                cur.execute(statement)

    def apply(self, event: Envelope) -> int:
        """Fold one event into the records; return how many records it changed. Idempotent."""
        with self.views.transaction() as cur:
            return self._apply(cur, event)

    def _apply(self, cur: Any, event: Envelope) -> int:
        stream = str(event.aggregate_id)
        cur.execute("SELECT owner, project_id FROM sf_streams WHERE stream_id = %s", (stream,))
        row = cur.fetchone()
        known = StreamFacts(row[0], row[1]) if row else StreamFacts()
        facts = facts_from(event, known)
        if facts != known:
            self._remember(cur, stream, facts)
        if event.type not in MIRRORED_TYPES:
            return 0
        if event.type in NEEDS_OWNER and facts.owner is None:
            # Its account's registration has not arrived yet (another partition): keep it until it does.
            cur.execute(
                "INSERT INTO sf_pending (stream_id, position, envelope) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (stream, event.position or 0, event.model_dump_json()),
            )
            return 0
        changed = self._write(cur, changes_for(event, facts), event)
        if event.type == "AccountRegistered":
            credit_stream = str(credit_account_id(stream))
            self._remember(cur, credit_stream, StreamFacts(stream))
            cur.execute(
                "SELECT envelope FROM sf_pending WHERE stream_id = %s ORDER BY position", (credit_stream,)
            )
            for (pending,) in cur.fetchall():
                changed += self._apply(cur, Envelope.model_validate_json(pending))
            cur.execute("DELETE FROM sf_pending WHERE stream_id = %s", (credit_stream,))
        return changed

    def _remember(self, cur: Any, stream: str, facts: StreamFacts) -> None:
        cur.execute(
            "INSERT INTO sf_streams (stream_id, owner, project_id) VALUES (%s, %s, %s) ON CONFLICT (stream_id) "
            "DO UPDATE SET owner = excluded.owner, project_id = excluded.project_id",
            (stream, facts.owner, facts.project_id),
        )

    def _write(self, cur: Any, changes: list[Change], event: Envelope) -> int:
        touched: set[tuple[str, str]] = set()
        for change in changes:
            key = (change.sobject, change.external_id)
            if self._set(cur, change) if isinstance(change, SetFields) else self._tally(cur, change):
                touched.add(key)
        position = event.position or 0
        for sobject, external_id in touched:
            cur.execute(
                "INSERT INTO sf_records (sobject, external_id, version, first_position, last_position, last_event) "
                "VALUES (%s, %s, 1, %s, %s, %s) ON CONFLICT (sobject, external_id) DO UPDATE SET "
                "version = sf_records.version + 1, last_position = excluded.last_position, "
                "last_event = excluded.last_event",
                (sobject, external_id, position, position, event.type),
            )
        return len(touched)

    def _set(self, cur: Any, change: SetFields) -> bool:
        changed = False
        for name, value in change.fields.items():
            encoded = json.dumps(value, sort_keys=True)
            cur.execute(
                "SELECT value, position FROM sf_fields WHERE sobject = %s AND external_id = %s AND field = %s",
                (change.sobject, change.external_id, name),
            )
            row = cur.fetchone()
            if row is not None and int(row[1]) >= change.position:
                continue  # a later event already set this field
            cur.execute(
                "INSERT INTO sf_fields (sobject, external_id, field, value, position) VALUES (%s, %s, %s, %s, %s) "
                "ON CONFLICT (sobject, external_id, field) DO UPDATE SET value = excluded.value, "
                "position = excluded.position",
                (change.sobject, change.external_id, name, encoded, change.position),
            )
            changed = changed or row is None or row[0] != encoded
        return changed

    def _tally(self, cur: Any, change: Tally) -> bool:
        result = cur.execute(
            "INSERT INTO sf_tallies (sobject, external_id, field, tally_key, amount) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT DO NOTHING",
            (change.sobject, change.external_id, change.field, change.key, change.amount),
        )
        return bool(result.rowcount)

    def body(self, sobject: str, external_id: str) -> dict[str, Any]:
        """The full record as Salesforce should hold it."""
        fields = {
            r["field"]: json.loads(r["value"])
            for r in self.views.query(
                "SELECT field, value FROM sf_fields WHERE sobject = %s AND external_id = %s",
                (sobject, external_id),
            )
        }
        tallies = {
            r["field"]: float(r["total"])
            for r in self.views.query(
                "SELECT field, SUM(amount) AS total FROM sf_tallies WHERE sobject = %s AND external_id = %s "
                "GROUP BY field",
                (sobject, external_id),
            )
        }
        return record_body(sobject, external_id, fields, tallies)

    def records(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Every local record with its body (for checks and rebuild comparisons)."""
        rows = self.views.query("SELECT sobject, external_id FROM sf_records")
        return {(r["sobject"], r["external_id"]): self.body(r["sobject"], r["external_id"]) for r in rows}

    def dirty(self, limit: int) -> list[dict[str, Any]]:
        return self.views.query(
            "SELECT sobject, external_id, version, sent_version, last_position, last_event FROM sf_records "
            "WHERE dead = 0 AND version > sent_version ORDER BY first_position LIMIT %s",
            (limit,),
        )

    def accepted(self, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these records Salesforce has accepted at least once."""
        found = set()
        for sobject, external_id in keys:
            rows = self.views.query(
                "SELECT 1 AS ok FROM sf_records WHERE sobject = %s AND external_id = %s AND sent_version > 0 "
                "AND dead = 0",
                (sobject, external_id),
            )
            if rows:
                found.add((sobject, external_id))
        return found

    def mark_sent(self, sobject: str, external_id: str, version: int) -> None:
        with self.views.transaction() as cur:
            cur.execute(
                "UPDATE sf_records SET sent_version = %s WHERE sobject = %s AND external_id = %s AND sent_version < %s",
                (version, sobject, external_id, version),
            )

    def park(self, row: dict[str, Any], body: dict[str, Any], error: str) -> str:
        """Move a rejected record to the dead letters; return the dead letter's id."""
        letter = str(uuid.uuid4())
        with self.views.transaction() as cur:
            cur.execute(
                "UPDATE sf_records SET dead = 1 WHERE sobject = %s AND external_id = %s",
                (row["sobject"], row["external_id"]),
            )
            cur.execute(
                "INSERT INTO sf_dead_letters (id, sobject, external_id, version, body, error, last_position, "
                "last_event, failed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    letter,
                    row["sobject"],
                    row["external_id"],
                    row["version"],
                    json.dumps(body, sort_keys=True),
                    error,
                    row["last_position"],
                    row["last_event"],
                    datetime.now(UTC).isoformat(),
                ),
            )
        return letter

    def dead_letters(self, include_replayed: bool = False, limit: int = 100) -> list[dict[str, Any]]:
        where = "" if include_replayed else "WHERE replayed_at IS NULL "
        rows = self.views.query(
            f"SELECT * FROM sf_dead_letters {where}ORDER BY failed_at DESC LIMIT %s", (limit,)
        )
        return [{**r, "body": json.loads(r["body"])} for r in rows]

    def unpublished_letters(self, limit: int = 100) -> list[dict[str, Any]]:
        """Dead letters not yet handed to the dead-letter sink, oldest first."""
        rows = self.views.query(
            "SELECT id, sobject, external_id, version, body, error, last_position, last_event, failed_at "
            "FROM sf_dead_letters WHERE published_at IS NULL ORDER BY failed_at LIMIT %s",
            (limit,),
        )
        return [{**r, "body": json.loads(r["body"])} for r in rows]

    def mark_published(self, letter_ids: Sequence[str]) -> None:
        with self.views.transaction() as cur:
            for letter_id in letter_ids:
                cur.execute(
                    "UPDATE sf_dead_letters SET published_at = %s WHERE id = %s",
                    (datetime.now(UTC).isoformat(), letter_id),
                )

    def replay(self, letter_id: str) -> bool:
        """Send a parked record again (with its current content); False if no such open dead letter."""
        with self.views.transaction() as cur:
            cur.execute(
                "SELECT sobject, external_id FROM sf_dead_letters WHERE id = %s AND replayed_at IS NULL",
                (letter_id,),
            )
            row = cur.fetchone()
            if row is None:
                return False
            cur.execute(
                "UPDATE sf_dead_letters SET replayed_at = %s WHERE id = %s",
                (datetime.now(UTC).isoformat(), letter_id),
            )
            # Dirty again: sent_version one below version, unless a newer version is already waiting.
            cur.execute(
                "UPDATE sf_records SET dead = 0, sent_version = CASE WHEN sent_version >= version "
                "THEN version - 1 ELSE sent_version END WHERE sobject = %s AND external_id = %s",
                (row[0], row[1]),
            )
        return True


# --- consumer and pusher ---------------------------------------------------------------------------


class MirrorConsumer:
    """Folds each event into the local records, then records the consumer's position."""

    name = "salesforce-mirror"

    def __init__(self, store: EventStore, mirror: MirrorStore) -> None:
        self.store = store
        self.mirror = mirror

    def handle(self, event: Envelope, tracking: Tracking) -> None:
        self.mirror.apply(event)
        with suppress(AlreadyTracked):
            self.store.track(tracking)

    def rebuild(self, batch: int = 2000) -> int:
        """Forget the local records and fold the whole history again; every record is sent again."""
        self.mirror.reset()
        after, count = 0, 0
        while events := self.store.read(after=after, limit=batch, types=MIRRORED_TYPES):
            for event in events:
                self.mirror.apply(event)
            count += len(events)
            after = events[-1].position or after
        return count


class MirrorPusher(BackgroundLoop):
    """Upserts dirty records to Salesforce, parents first, retrying with backoff until Salesforce accepts."""

    def __init__(
        self,
        mirror: MirrorStore,
        salesforce: SalesforcePort,
        *,
        backoff: Backoff | None = None,
        batch: int = 200,
        sleep: Callable[[float], Any] | None = None,
        dead_letters: DeadLetterSink | None = None,
    ) -> None:
        self.mirror = mirror
        self.salesforce = salesforce
        self.dead_letters = dead_letters
        self.backoff = backoff or Backoff()
        self.batch = batch
        super().__init__("salesforce-pusher")
        self.sleep = sleep or self._stop.wait
        self.failures = 0
        self.sent = 0
        self.parked = 0

    def push_once(self) -> int:
        """One pass over dirty records; return how many Salesforce accepted (backs off on an outage).
        Dead letters parked so far are then handed to the dead-letter sink, if there is one."""
        try:
            return self._push()
        finally:
            self.publish_dead_letters()

    def publish_dead_letters(self) -> int:
        """Hand unpublished dead letters to the sink; they count as published only once it confirmed them
        (a crash in between publishes them again: readers of the topic dedupe by letter id)."""
        if self.dead_letters is None:
            return 0
        letters = self.mirror.unpublished_letters()
        if not letters:
            return 0
        try:
            self.dead_letters.publish(letters)
        except Exception as error:  # the sink is down: the letters stay in the table and go next pass
            log.warning("could not publish %d dead letters (%s); trying again next pass", len(letters), error)
            return 0
        self.mirror.mark_published([letter["id"] for letter in letters])
        return len(letters)

    def _push(self) -> int:
        rows = self.mirror.dirty(self.batch * 5)
        if not rows:
            return 0
        bodies = {
            (r["sobject"], r["external_id"]): self.mirror.body(r["sobject"], r["external_id"]) for r in rows
        }
        wanted = {p for body in bodies.values() for p in parents(body)}
        present = self.mirror.accepted(wanted)
        accepted = 0
        try:
            for spec in sorted(OBJECTS.values(), key=lambda o: o.rank):
                sendable = [
                    r
                    for r in rows
                    if r["sobject"] == spec.name
                    and ready(spec.name, bodies[(spec.name, r["external_id"])])
                    and all(p in present for p in parents(bodies[(spec.name, r["external_id"])]))
                ][: self.batch]
                if not sendable:
                    continue
                results = self.salesforce.upsert(
                    spec.name, spec.external_id, [bodies[(spec.name, r["external_id"])] for r in sendable]
                )
                for row, result in zip(sendable, results, strict=True):
                    if result.ok:
                        self.mirror.mark_sent(row["sobject"], row["external_id"], row["version"])
                        present.add((row["sobject"], row["external_id"]))
                        accepted += 1
                    else:
                        letter = self.mirror.park(
                            row, bodies[(row["sobject"], row["external_id"])], result.error
                        )
                        self.parked += 1
                        log.warning("Salesforce rejected %s %s (dead letter %s): %s", row["sobject"],
                                    row["external_id"], letter, result.error)  # fmt: skip
        except SalesforceUnavailable as error:
            self.failures += 1
            delay = self.backoff.delay(self.failures)
            log.warning("Salesforce unavailable (%s); retrying in %.1f s", error, delay)
            self.sleep(delay)
            self.sent += accepted
            return accepted
        self.failures = 0
        self.sent += accepted
        return accepted

    def run_until_idle(self, max_rounds: int = 100_000) -> None:
        """Push until nothing sendable is left (records waiting for a parked parent stay dirty)."""
        for _ in range(max_rounds):
            if self.push_once() == 0 and self.failures == 0:
                return

    def step(self) -> float:
        return 0.5 if self.push_once() == 0 and self.failures == 0 else 0.0
