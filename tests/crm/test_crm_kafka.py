"""`filmstudio salesforce-mirror` and `filmstudio notifier` as real processes in their own consumer groups,
behind PostgreSQL, the relay and the bundled broker, against the HTTPS Salesforce fake and an aiosmtpd server:
an outage with a kill -9 loses nothing and repeats nothing; a poison record reaches the dead-letter topic
and a replay sends it once."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from infra.broker import start_broker
from infra.container import Studio, build_studio
from infra.kafka.topics import Topics, consumer_config
from infra.settings import Settings
from processors.backoff import Backoff
from processors.notifier import NOTIFY_TYPES, email_for
from processors.salesforce_mirror import TABLES, MirrorConsumer, MirrorPusher, MirrorStore
from projections.database import SqliteViews
from schemas.film import FilmSpec
from schemas.media import StageFailure
from tests.crm.conftest import Mailbox
from tests.crm.test_salesforce_mirror import STEPS, act, client_for
from tests.support.fakes.salesforce_server import FakeOrg, RunningFake, running_salesforce
from tests.support.postgres import free_port
from tests.support.processes import Processes, wait_for

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow]

PIPELINE = {"cards": [], "titlecards": ["cards"]}
"""The relay's stage set (titlecards), so every stage request has its topic."""
PUBLIC_URL = "https://films.example.com"
BACKOFF, BACKOFF_CAP = 0.3, 1.5


def card_runner(stage: str, spec: FilmSpec, inputs: dict[str, Any], progress: Any) -> Any:
    """Instant stages; a script containing 'fail' fails for good at the last one."""
    if "fail" in spec.script and stage == "titlecards":
        return StageFailure(reason="no cards for that script", retryable=False)
    return {"stage": stage}


@dataclass
class Cluster:
    studio: Studio
    procs: Processes
    salesforce: RunningFake
    mailbox: Mailbox
    bootstrap: str
    tmp: Path

    def drive(self) -> None:
        """Run the film pipeline in this process until it rests (the CRM processes only read the log)."""
        followers = self.studio.embedded_followers()
        while sum(f.run_once() for f in followers):
            pass

    def snapshot(self) -> dict[str, Any]:
        with self.salesforce.org.lock:
            return self.salesforce.org.snapshot()

    def writes(self) -> list[tuple[str, str, dict[str, Any]]]:
        with self.salesforce.org.lock:
            return list(self.salesforce.org.writes)

    def refused(self) -> int:
        with self.salesforce.org.lock:
            return sum(1 for _, _, status in self.salesforce.org.requests if status == 503)


@pytest.fixture
def cluster(postgres_url: str, tmp_path: Path, smtp: tuple[Mailbox, int]) -> Iterator[Cluster]:
    mailbox, smtp_port = smtp
    port = free_port()
    broker = start_broker(port)
    with running_salesforce(FakeOrg()) as salesforce:
        env = {
            "FILMSTUDIO_EVENT_STORE_URL": postgres_url,
            "FILMSTUDIO_VIEWS_URL": postgres_url,
            "FILMSTUDIO_TRANSPORT": "kafka",
            "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{port}",
            "FILMSTUDIO_STAGE_SET": "titlecards",
            "FILMSTUDIO_DATA_DIR": str(tmp_path / "data"),
            "FILMSTUDIO_KAFKA_PARTITIONS": "2",
            "FILMSTUDIO_SALESFORCE_ENABLED": "true",
            "FILMSTUDIO_SALESFORCE_TOKEN_URL": salesforce.token_url,
            "FILMSTUDIO_SALESFORCE_CLIENT_ID": salesforce.org.client_id,
            "FILMSTUDIO_SALESFORCE_CLIENT_SECRET": salesforce.org.client_secret,
            "FILMSTUDIO_SALESFORCE_CA_BUNDLE": salesforce.ca_bundle,
            "FILMSTUDIO_SALESFORCE_BACKOFF_SECONDS": str(BACKOFF),
            "FILMSTUDIO_SALESFORCE_BACKOFF_MAX_SECONDS": str(BACKOFF_CAP),
            "FILMSTUDIO_SMTP_HOST": "127.0.0.1",
            "FILMSTUDIO_SMTP_PORT": str(smtp_port),
            "FILMSTUDIO_EMAIL_FROM": "Studio <studio@example.com>",
            "FILMSTUDIO_PUBLIC_URL": PUBLIC_URL,
        }
        procs = Processes(env, tmp_path)
        init = procs.start("init", "init")
        assert init.wait(90) == 0, procs.log("init")
        procs.running.pop("init")
        settings = Settings(
            data_dir=tmp_path / "data",
            event_store_url=postgres_url,
            views_url=postgres_url,
            public_url=PUBLIC_URL,
            create_tables=False,
        )
        studio = build_studio(settings, runner=card_runner, pipeline=PIPELINE)
        procs.start("relay", "relay")
        try:
            yield Cluster(studio, procs, salesforce, mailbox, f"127.0.0.1:{port}", tmp_path)
        finally:
            procs.stop_all()
            for log in sorted(tmp_path.glob("*.log")):  # shown by pytest only when the test failed
                print(f"===== {log.name}\n{log.read_text(errors='replace')[-4000:]}")
            broker.kill()
            broker.wait(5)
            studio.stop()


def reference_org(cluster: Cluster) -> dict[str, Any]:
    """The mirror built in this process by replaying the whole history into an empty fake org."""
    views = SqliteViews(str(cluster.tmp / "reference.db"))
    store = MirrorStore(views)
    store.setup()
    MirrorConsumer(cluster.studio.store, store).rebuild()
    with running_salesforce(FakeOrg()) as empty:
        MirrorPusher(store, client_for(empty), backoff=Backoff(0.01, 0.01)).run_until_idle()
        return empty.org.snapshot()


def local_versions(studio: Studio) -> dict[tuple[str, str], int]:
    rows = studio.views.query("SELECT sobject, external_id, version FROM sf_records")
    return {(r["sobject"], r["external_id"]): int(r["version"]) for r in rows}


def expected_mail(studio: Studio) -> Counter[str]:
    """One Message-ID per notification event that asks for an e-mail."""
    events = studio.store.read(after=0, limit=100_000, types=NOTIFY_TYPES)
    return Counter(f"<{e.event_id}@filmstudio>" for e in events if email_for(e, studio.store, PUBLIC_URL))


def retry_delays(log: str) -> list[float]:
    return [float(d) for d in re.findall(r"Salesforce unavailable .*; retrying in ([\d.]+) s", log)]


def test_an_outage_with_a_killed_mirror_loses_nothing_repeats_nothing_and_mails_once(
    cluster: Cluster,
) -> None:
    procs, studio, org = cluster.procs, cluster.studio, cluster.salesforce.org
    crm_tables = [*TABLES, "email_outbox"]
    found = studio.views.query(
        "SELECT table_name FROM information_schema.tables WHERE table_name = ANY(%s)", (crm_tables,)
    )
    assert len(found) == len(crm_tables), "filmstudio init created the CRM tables before any CRM process"
    procs.start("mirror", "salesforce-mirror")
    procs.start("notifier", "notifier")
    people: dict[str, uuid.UUID] = {}
    act(studio, 0, people)
    cluster.drive()
    wait_for(lambda: len(cluster.snapshot().get("Contact", {})) == 2, 60, "the accounts to reach Salesforce")

    org.outage(600)  # ended below, once both lives of the mirror have been refused several times
    down_since, accepted_before = time.monotonic(), len(cluster.writes())
    act(studio, 1, people)  # projects and films while Salesforce is down
    cluster.drive()
    wait_for(lambda: cluster.refused() >= 5, 30, "several refused rounds")
    wait_for(lambda: len(cluster.mailbox.messages) == 4, 30, "the film e-mails")  # 3 completed, 1 failed
    procs.kill9("mirror")
    procs.kill9("notifier")  # its outbox and consumer offsets must hold too
    first_life, refused_at_kill, notifier_log = procs.log("mirror"), cluster.refused(), procs.log("notifier")
    act(studio, 2, people)  # credits and a plan change while the mirror is dead
    cluster.drive()
    procs.start("mirror", "salesforce-mirror")
    procs.start("notifier", "notifier")
    act(studio, 3, people)
    cluster.drive()
    wait_for(lambda: cluster.refused() >= refused_at_kill + 5, 60, "the restarted mirror to be refused too")
    assert len(cluster.writes()) == accepted_before, "Salesforce accepted nothing while it was down"
    with org.lock:
        org.down_until = 0.0  # Salesforce is back
    outage = time.monotonic() - down_since

    reference = reference_org(cluster)
    assert {k: len(v) for k, v in reference.items()} == {
        "Contact": 2, "AI_Project__c": 4, "AI_Credit__c": 3, "YouTube_Integration__c": 1,
    }  # fmt: skip
    wait_for(lambda: cluster.snapshot() == reference, 45, "the org to equal the mirror rebuilt from history")
    assert outage > 5.0 and cluster.refused() >= 10, (outage, cluster.refused())

    # Backoff: each life of the mirror retried 0.3, 0.6, 1.2 s, then every 1.5 s (the cap).
    second_life = procs.log("mirror")[len(first_life) :]
    for life in (retry_delays(first_life), retry_delays(second_life)):
        assert life[:3] == [0.3, 0.6, 1.2] and set(life[3:]) <= {1.5}, life
    # Nothing repeated: every accepted write of a record carries a new local version (writes never exceed
    # versions; records changed during the outage went once with their latest content) and differs from
    # the write before it. An identical repeat (an idempotent upsert of the same values) could only come
    # from a kill between Salesforce's answer and the mirror recording it; this kill fell in the outage.
    versions, per_record = local_versions(studio), Counter[tuple[str, str]]()
    last: dict[tuple[str, str], dict[str, Any]] = {}
    for sobject, external, values in cluster.writes():
        key = (sobject, external)
        per_record[key] += 1
        assert last.get(key) != values, f"{key} written twice with the same values"
        last[key] = values
    assert set(per_record) == set(versions)
    assert all(per_record[k] <= versions[k] for k in versions), (per_record, versions)
    assert sum(per_record.values()) < sum(versions.values()), "changes during the outage were coalesced"
    print(  # the figures docs/salesforce.md quotes (pytest -rP shows them)
        f"outage {outage:.1f} s, {cluster.refused()} refused requests, delays {retry_delays(first_life)} then "
        f"{retry_delays(second_life)}, {sum(per_record.values())} writes for {sum(versions.values())} "
        f"local versions of {len(versions)} records"
    )

    # E-mail: exactly one message per notification event, across the notifier's kill -9.
    expected = expected_mail(studio)
    assert sum(expected.values()) >= 4
    wait_for(lambda: len(cluster.mailbox.messages) >= len(expected), 30, "every e-mail")
    restarted = lambda: " assigned " in procs.log("notifier")[len(notifier_log) :]  # noqa: E731
    wait_for(restarted, 30, "the restarted notifier to join its group")
    time.sleep(2.0)  # give a redelivery the chance to send something twice
    assert Counter(str(m["Message-ID"]) for m in cluster.mailbox.messages) == expected


def dead_letter_messages(bootstrap: str, topic: str, at_least: int) -> list[Any]:
    from confluent_kafka import Consumer

    consumer = Consumer(consumer_config(bootstrap, f"inspect-{uuid.uuid4().hex[:8]}"))
    consumer.subscribe([topic])
    found: list[Any] = []
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline and len(found) < at_least:
            message = consumer.poll(0.5)
            if message is not None and not message.error():
                found.append(message)
        end = time.monotonic() + 2.0  # and nothing more
        while time.monotonic() < end:
            message = consumer.poll(0.2)
            if message is not None and not message.error():
                found.append(message)
    finally:
        consumer.close()
    return found


def test_a_refused_record_goes_to_the_dead_letter_topic_and_a_replay_on_kafka_sends_it_once(
    cluster: Cluster,
) -> None:
    procs, studio, org = cluster.procs, cluster.studio, cluster.salesforce.org
    org.poison = lambda sobject, body: sobject == "Contact" and body.get("LastName") == "Omar"
    procs.start("mirror", "salesforce-mirror")
    people: dict[str, uuid.UUID] = {}
    for step in range(STEPS):
        act(studio, step, people)
        cluster.drive()
    store = MirrorStore(studio.views)
    wait_for(lambda: store.dead_letters() and not store.unpublished_letters(), 60, "a published dead letter")

    (letter,) = store.dead_letters()
    topic = Topics(prefix="filmstudio").salesforce_dead_letters
    (message,) = dead_letter_messages(cluster.bootstrap, topic, 1)
    headers = {k: v.decode() for k, v in message.headers()}
    assert headers["filmstudio-dead-letter-id"] == letter["id"]
    assert (headers["filmstudio-sobject"], headers["filmstudio-external-id"]) == (
        "Contact",
        str(people["omar"]),
    )
    assert headers["filmstudio-reason"] == "rejected-by-salesforce"
    assert "FIELD_CUSTOM_VALIDATION_EXCEPTION" in headers["filmstudio-error"]
    assert headers["filmstudio-last-event"] == letter["last_event"]
    assert message.key().decode() == f"Contact:{people['omar']}"
    value = json.loads(message.value())
    assert (value["id"], value["body"]["LastName"]) == (letter["id"], "Omar")
    omar = ("Contact", str(people["omar"]))
    assert not any((s, e) == omar for s, e, _ in cluster.writes())

    org.poison = lambda sobject, body: False
    assert store.replay(letter["id"]) and not store.replay(letter["id"])  # what the admin route calls
    reference = reference_org(cluster)
    wait_for(lambda: cluster.snapshot() == reference, 30, "the replayed record and the ones that waited")
    time.sleep(1.5)  # a second pass must not send it again
    written = Counter((s, e) for s, e, _ in cluster.writes())
    assert written[omar] == 1, "the replayed Contact was written once"
    assert store.dead_letters() == [] and len(store.dead_letters(include_replayed=True)) == 1
    assert len(dead_letter_messages(cluster.bootstrap, topic, 1)) == 1, "a replay parks nothing new"
