"""The Salesforce mirror against a local HTTPS fake of the REST API, through simple-salesforce."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from infra.container import Studio
from infra.salesforce.client import SalesforceClient
from processors.backoff import Backoff
from processors.follower import Follower
from processors.salesforce_mapping import MIRRORED_TYPES
from processors.salesforce_mirror import MirrorConsumer, MirrorPusher, MirrorStore
from schemas.commands import CreateProject, RegisterAccount, RequestFilm, UpdateProject
from schemas.credits import AdjustCredits, ChangePlan, PurchaseCredits
from schemas.film import FilmSpec
from schemas.publishing import ConnectYouTube
from tests.support.fakes.salesforce_server import FakeOrg, RunningFake, running_salesforce


class FakeClock:
    """Time that passes only when someone sleeps: a minutes-long outage takes milliseconds."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def salesforce(clock: FakeClock) -> Iterator[RunningFake]:
    with running_salesforce(FakeOrg(clock=clock.time)) as fake:
        yield fake


def client_for(fake: RunningFake) -> SalesforceClient:
    return SalesforceClient(
        fake.token_url, fake.org.client_id, fake.org.client_secret, ca_bundle=fake.ca_bundle
    )


class Mirror:
    """The consumer following the log in-process and the pusher, as the embedded studio runs them."""

    def __init__(
        self, studio: Studio, fake: RunningFake, clock: FakeClock, name: str = "salesforce-mirror"
    ) -> None:
        self.studio = studio
        self.store = MirrorStore(studio.views)
        self.store.setup()
        self.consumer = MirrorConsumer(studio.store, self.store)
        self.follower = Follower(name, studio.store, self.consumer.handle, MIRRORED_TYPES)
        self.client = client_for(fake)
        self.pusher = MirrorPusher(self.store, self.client, backoff=Backoff(1.0, 60.0), sleep=clock.sleep)

    def sync(self) -> None:
        followers = self.studio.embedded_followers()
        while sum(f.run_once() for f in followers):
            pass
        self.follower.run_until_idle()
        self.pusher.run_until_idle()


def act(studio: Studio, step: int, people: dict[str, UUID]) -> None:
    """One step of a small but complete history: accounts, projects, films, credits, plans, YouTube."""
    bus, now = studio.bus, datetime.now(UTC)
    if step == 0:
        for name in ("meera", "omar"):
            people[name] = bus.handle(
                RegisterAccount(email=f"{name}@example.com", display_name=name.title(), password_hash="h")
            ).aggregate_id
    elif step == 1:
        for name, owner in people.items():
            for i in range(2):
                spec = FilmSpec(
                    script="please fail" if (name, i) == ("omar", 1) else "fine", title=f"{name} {i}"
                )
                project = bus.handle(CreateProject(owner_id=owner, spec=spec)).aggregate_id
                bus.handle(RequestFilm(project_id=project, owner_id=owner, spec=spec, stages=studio.pipeline))
                if i == 0:
                    bus.handle(
                        UpdateProject(
                            project_id=project, owner_id=owner, changes={"title": f"{name} renamed"}
                        )
                    )
    elif step == 2:
        bus.handle(
            PurchaseCredits(
                account_id=people["meera"], payment_id="pi_1", credits=100, amount_cents=900, now=now
            )
        )
        bus.handle(
            PurchaseCredits(
                account_id=people["omar"], payment_id="pi_2", credits=40, amount_cents=400, now=now
            )
        )
        bus.handle(ChangePlan(account_id=people["meera"], plan="creator", now=now))
    elif step == 3:
        bus.handle(
            AdjustCredits(account_id=people["omar"], credits=-15, reason="refund", admin_id=uuid4(), now=now)
        )
        bus.handle(ConnectYouTube(account_id=people["meera"], channel_id="UC123", title="Meera Makes Films"))


STEPS = 4


def test_live_mirror_holds_what_the_history_says(
    studio: Studio, salesforce: RunningFake, clock: FakeClock
) -> None:
    mirror = Mirror(studio, salesforce, clock)
    people: dict[str, UUID] = {}
    for step in range(STEPS):
        act(studio, step, people)
        mirror.sync()

    org = salesforce.org.snapshot()
    meera, omar = org["Contact"][str(people["meera"])], org["Contact"][str(people["omar"])]
    assert (meera["LastName"], meera["Email"], meera["Subscription_Tier__c"]) == (
        "Meera",
        "meera@example.com",
        "creator",
    )
    assert (meera["Total_Films_Generated__c"], omar["Total_Films_Generated__c"]) == (2, 1)
    assert (meera["Credit_Balance__c"], omar["Credit_Balance__c"]) == (100, 25)
    assert (meera["YouTube_Channel_Connected__c"], omar.get("YouTube_Channel_Connected__c")) == (True, None)
    assert sorted(
        (p["Name"], p["Last_Film_Status__c"], p["Films_Generated__c"]) for p in org["AI_Project__c"].values()
    ) == [
        ("meera 1", "Completed", 1),
        ("meera renamed", "Completed", 1),
        ("omar 1", "Failed", 0),
        ("omar renamed", "Completed", 1),
    ]
    credits = sorted((c["Type__c"], c["Credits__c"]) for c in org["AI_Credit__c"].values())
    assert credits == [("Adjusted", -15), ("Purchased", 40), ("Purchased", 100)]
    (channel,) = org["YouTube_Integration__c"].values()
    assert (channel["Name"], channel["Channel_ID__c"], channel["Connected__c"]) == (
        "Meera Makes Films",
        "UC123",
        True,
    )
    # Lookups point at the owner's Contact in the org.
    contact_ids = {r["Id"]: ext for ext, r in _raw(salesforce.org, "Contact").items()}
    assert {contact_ids[r["Contact__c"]] for r in _raw(salesforce.org, "AI_Project__c").values()} == {
        str(people["meera"]),
        str(people["omar"]),
    }


def _raw(org: FakeOrg, sobject: str) -> dict[str, dict[str, object]]:
    external = {"Contact": "AI_Film_User_ID__c", "AI_Project__c": "AI_Project_ID__c"}[sobject]
    return org.by_external_id(sobject, external)


def test_mirror_rebuilt_from_history_equals_the_mirror_built_live(
    studio: Studio, salesforce: RunningFake, clock: FakeClock
) -> None:
    live = Mirror(studio, salesforce, clock)
    people: dict[str, UUID] = {}
    for step in range(STEPS):
        act(studio, step, people)
        live.sync()
    with running_salesforce(FakeOrg(clock=clock.time)) as empty_org:
        rebuilt = Mirror(studio, empty_org, clock, name="salesforce-rebuild")
        replayed = rebuilt.consumer.rebuild()
        rebuilt.pusher.run_until_idle()
        assert replayed > 20
        assert empty_org.org.snapshot() == salesforce.org.snapshot()
        assert sum(len(v) for v in empty_org.org.snapshot().values()) == 2 + 4 + 3 + 1
        # Rebuilding again into the same org writes the same records and changes nothing.
        before = empty_org.org.snapshot()
        rebuilt.consumer.rebuild()
        rebuilt.pusher.run_until_idle()
        assert empty_org.org.snapshot() == before


def test_an_outage_of_minutes_loses_nothing_and_repeats_nothing(
    studio: Studio, salesforce: RunningFake, clock: FakeClock
) -> None:
    mirror = Mirror(studio, salesforce, clock)
    people: dict[str, UUID] = {}
    salesforce.org.outage(5 * 60)
    for step in range(STEPS):  # the whole history happens while Salesforce is down
        act(studio, step, people)
        followers = studio.embedded_followers()
        while sum(f.run_once() for f in followers):
            pass
        mirror.follower.run_until_idle()
        assert mirror.pusher.push_once() == 0
    mirror.pusher.run_until_idle()

    org = salesforce.org
    refused = sum(1 for _, _, status in org.requests if status == 503)
    assert refused >= 8 and sum(clock.slept) >= 5 * 60
    assert clock.slept[:8] == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]  # exponential, capped at a minute
    writes = Counter((sobject, external) for sobject, external, _ in org.writes)
    assert set(writes.values()) == {1}, "every record was written once, with its final content"
    assert len(writes) == 10
    with running_salesforce(FakeOrg(clock=clock.time)) as reference:
        calm = Mirror(studio, reference, clock, name="calm")
        calm.consumer.rebuild()
        calm.pusher.run_until_idle()
        assert org.snapshot() == reference.org.snapshot()


def test_a_poison_record_is_parked_its_children_wait_and_a_replay_after_the_fix_sends_them(
    studio: Studio, salesforce: RunningFake, clock: FakeClock
) -> None:
    salesforce.org.poison = lambda sobject, body: sobject == "Contact" and body.get("LastName") == "Omar"
    mirror = Mirror(studio, salesforce, clock)
    people: dict[str, UUID] = {}
    for step in range(STEPS):
        act(studio, step, people)
        mirror.sync()

    (letter,) = mirror.store.dead_letters()
    assert (letter["sobject"], letter["external_id"]) == ("Contact", str(people["omar"]))
    assert "FIELD_CUSTOM_VALIDATION_EXCEPTION" in letter["error"] and letter["body"]["LastName"] == "Omar"
    org = salesforce.org.snapshot()
    assert set(org["Contact"]) == {str(people["meera"])}
    assert sorted(p["Name"] for p in org["AI_Project__c"].values()) == ["meera 1", "meera renamed"]
    waiting = mirror.store.dirty(100)
    assert {r["sobject"] for r in waiting} == {"AI_Project__c", "AI_Credit__c"}  # omar's, held back

    salesforce.org.poison = lambda sobject, body: False
    assert mirror.store.replay(letter["id"]) and not mirror.store.replay(letter["id"])
    mirror.pusher.run_until_idle()
    assert mirror.store.dead_letters() == [] and mirror.store.dirty(100) == []
    org = salesforce.org.snapshot()
    assert org["Contact"][str(people["omar"])]["Credit_Balance__c"] == 25
    assert len(org["AI_Project__c"]) == 4 and len(org["AI_Credit__c"]) == 3


def test_an_expired_session_logs_in_again_and_the_write_goes_through(
    studio: Studio, salesforce: RunningFake, clock: FakeClock
) -> None:
    mirror = Mirror(studio, salesforce, clock)
    people: dict[str, UUID] = {}
    act(studio, 0, people)
    mirror.sync()
    salesforce.org.expire_sessions()
    act(studio, 1, people)
    mirror.sync()
    assert mirror.client.logins == 2 and mirror.pusher.failures == 0
    assert sum(1 for _, _, status in salesforce.org.requests if status == 401) == 1
    assert len(salesforce.org.snapshot()["AI_Project__c"]) == 4


def test_redelivered_events_change_nothing(studio: Studio, salesforce: RunningFake, clock: FakeClock) -> None:
    mirror = Mirror(studio, salesforce, clock)
    people: dict[str, UUID] = {}
    for step in range(STEPS):
        act(studio, step, people)
        mirror.sync()
    writes = len(salesforce.org.writes)
    for event in studio.store.read(after=0, limit=10_000, types=MIRRORED_TYPES):
        assert mirror.store.apply(event) == 0
    mirror.pusher.run_until_idle()
    assert len(salesforce.org.writes) == writes


class FlakySink:
    """A dead-letter sink (the Kafka topic's port) that can be unreachable."""

    def __init__(self) -> None:
        self.down = True
        self.published: list[str] = []

    def publish(self, letters: Sequence[dict[str, Any]]) -> None:
        if self.down:
            raise ConnectionError("broker unreachable")
        self.published += [letter["id"] for letter in letters]


def test_a_dead_letter_reaches_the_sink_once_even_when_the_sink_was_down_at_first(
    studio: Studio, salesforce: RunningFake, clock: FakeClock
) -> None:
    salesforce.org.poison = lambda sobject, body: sobject == "Contact" and body.get("LastName") == "Omar"
    mirror = Mirror(studio, salesforce, clock)
    mirror.pusher.dead_letters = sink = FlakySink()
    people: dict[str, UUID] = {}
    for step in range(STEPS):
        act(studio, step, people)
        mirror.sync()
    (letter,) = mirror.store.dead_letters()
    assert sink.published == [] and [u["id"] for u in mirror.store.unpublished_letters()] == [letter["id"]]
    assert len(salesforce.org.snapshot()["AI_Project__c"]) == 2, "pushing went on while the sink was down"
    sink.down = False
    mirror.pusher.push_once()
    mirror.pusher.push_once()
    assert sink.published == [letter["id"]] and mirror.store.unpublished_letters() == []
