"""Pure mapping of studio events to the Salesforce records they change (no I/O).

Each event yields `SetFields` (field values as of the event's log position: the latest position wins, so
the order in which partitions deliver does not matter) and `Tally` entries (keyed amounts summed into a
field, each key counted once, so redelivery changes nothing). The mirror's record is the fold of both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schemas.envelope import Envelope


@dataclass(frozen=True)
class SObject:
    """A Salesforce object the mirror writes: its external id field, what it needs before it can be sent."""

    name: str
    external_id: str
    rank: int
    """Parents first: a record is sent after the records its lookups point at."""
    required: tuple[str, ...] = ()
    tallies: tuple[str, ...] = ()
    """Fields summed from tallies; 0 until something is counted."""


CONTACT = SObject(
    "Contact",
    "AI_Film_User_ID__c",
    0,
    required=("LastName",),
    tallies=("Credit_Balance__c", "Total_Films_Generated__c"),
)
PROJECT = SObject("AI_Project__c", "AI_Project_ID__c", 1, required=("Name",), tallies=("Films_Generated__c",))
CREDIT = SObject("AI_Credit__c", "AI_Credit_Transaction_ID__c", 2, required=("Type__c",))
YOUTUBE = SObject(
    "YouTube_Integration__c",
    "AI_YouTube_Integration_ID__c",
    2,
    required=("Name",),
    tallies=("Videos_Published__c",),
)
OBJECTS = {o.name: o for o in (CONTACT, PROJECT, CREDIT, YOUTUBE)}
RELATIONSHIPS = {"Contact__r": CONTACT}
"""Lookup by external id in a record body -> the object it points at."""


@dataclass(frozen=True)
class SetFields:
    sobject: str
    external_id: str
    fields: dict[str, Any]
    position: int


@dataclass(frozen=True)
class Tally:
    sobject: str
    external_id: str
    field: str
    key: str
    amount: float


Change = SetFields | Tally


@dataclass(frozen=True)
class StreamFacts:
    """What earlier events of the stream told: whose it is and which project a film belongs to."""

    owner: str | None = None
    project_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


CREDIT_DELTAS = {
    "CreditsGranted": 1,
    "CreditsPurchased": 1,
    "CreditsReserved": -1,
    "CreditsCaptured": 0,
    "CreditsReleased": 1,
    "CreditsAdjusted": 1,
    "CreditsExpired": -1,
}
"""Ledger transactions and their sign on the available balance (a capture spends what was reserved)."""

FILM_STATUS = {
    "FilmRequested": "Running",
    "FilmCompleted": "Completed",
    "FilmFailed": "Failed",
    "FilmCancelled": "Cancelled",
}

MIRRORED_TYPES = (
    "AccountRegistered",
    "ProjectCreated",
    "ProjectUpdated",
    "ProjectDeleted",
    *FILM_STATUS,
    *CREDIT_DELTAS,
    "PlanChanged",
    "YouTubeConnected",
    "YouTubeDisconnected",
    "UploadRequested",
    "UploadPublished",
)


def owner_reference(owner: str) -> dict[str, Any]:
    """A lookup to the owner's Contact by its external id (Salesforce resolves it on upsert)."""
    return {"attributes": {"type": "Contact"}, "AI_Film_User_ID__c": owner}


def facts_from(event: Envelope, known: StreamFacts) -> StreamFacts:
    """The stream facts after this event."""
    p = event.payload
    owner = p.get("owner_id") or p.get("account_id") or known.owner
    project = p.get("project_id") or known.project_id
    return StreamFacts(str(owner) if owner else None, str(project) if project else None, known.extra)


def changes_for(event: Envelope, facts: StreamFacts) -> list[Change]:
    """The record changes one event makes, given what its stream said before (owner, project)."""
    p, at, kind = event.payload, event.position or 0, event.type
    agg = str(event.aggregate_id)
    when = event.occurred_at.isoformat()
    if kind == "AccountRegistered":
        name = (p.get("display_name") or p["email"])[:80]
        return [SetFields(CONTACT.name, agg, {"LastName": name, "Email": p["email"]}, at)]
    if kind == "ProjectCreated":
        owner = p["owner_id"]
        fields = {
            "Name": (p["spec"].get("title") or "Untitled")[:80],
            "Contact__r": owner_reference(owner),
            "Status__c": "Active",
            "Created_At__c": when,
        }
        return [SetFields(PROJECT.name, agg, fields, at)]
    if kind == "ProjectUpdated":
        title = p.get("changes", {}).get("title")
        return [SetFields(PROJECT.name, agg, {"Name": str(title)[:80]}, at)] if title else []
    if kind == "ProjectDeleted":
        return [SetFields(PROJECT.name, agg, {"Status__c": "Deleted"}, at)]
    if kind in FILM_STATUS:
        project = p.get("project_id") or facts.project_id
        if not project:
            return []
        status = {"Last_Film_Status__c": FILM_STATUS[kind], "Last_Film_ID__c": agg}
        out: list[Change] = [SetFields(PROJECT.name, project, status, at)]
        owner = p.get("owner_id") or facts.owner
        if kind == "FilmCompleted":
            out.append(Tally(PROJECT.name, project, "Films_Generated__c", agg, 1))
            if owner:
                out.append(Tally(CONTACT.name, owner, "Total_Films_Generated__c", agg, 1))
        return out
    owner = facts.owner
    if owner is None:
        return []
    if kind in CREDIT_DELTAS:
        credits = int(p.get("credits", 0))
        delta = CREDIT_DELTAS[kind] * credits
        reference = p.get("reservation_id") or p.get("payment_id") or p.get("lot") or ""
        description = p.get("reason") or " ".join(str(p[k]) for k in ("plan", "period") if p.get(k))
        record = {
            "Contact__r": owner_reference(owner),
            "Type__c": kind.removeprefix("Credits"),
            "Credits__c": delta if kind != "CreditsCaptured" else -credits,
            "Reference__c": str(reference)[:80],
            "Description__c": str(description)[:255],
            "Occurred_At__c": when,
        }
        return [
            SetFields(CREDIT.name, str(event.event_id), record, at),
            Tally(CONTACT.name, owner, "Credit_Balance__c", str(event.event_id), delta),
        ]
    if kind == "PlanChanged":
        return [SetFields(CONTACT.name, owner, {"Subscription_Tier__c": p["plan"]}, at)]
    if kind in ("YouTubeConnected", "YouTubeDisconnected"):
        connected = kind == "YouTubeConnected"
        integration: dict[str, Any] = {
            "Contact__r": owner_reference(owner),
            "Channel_ID__c": p.get("channel_id", ""),
            "Connected__c": connected,
        }
        if connected:
            integration["Name"] = (p.get("title") or p.get("channel_id") or "YouTube")[:80]
        return [
            SetFields(YOUTUBE.name, owner, integration, at),
            SetFields(CONTACT.name, owner, {"YouTube_Channel_Connected__c": connected}, at),
        ]
    if kind == "UploadPublished":
        return [
            SetFields(YOUTUBE.name, owner, {"Last_Video_URL__c": p.get("url", "")}, at),
            Tally(YOUTUBE.name, owner, "Videos_Published__c", agg, 1),
        ]
    return []


def record_body(
    sobject: str, external_id: str, fields: dict[str, Any], tallies: dict[str, float]
) -> dict[str, Any]:
    """The full record the mirror holds: set fields, tallied fields (0 when none) and the external id."""
    spec = OBJECTS[sobject]
    body = {**fields, **{t: 0 for t in spec.tallies}, **tallies}
    for name in spec.tallies:
        body[name] = int(body[name]) if float(body[name]).is_integer() else body[name]
    body[spec.external_id] = external_id
    return body


def ready(sobject: str, body: dict[str, Any]) -> bool:
    """Whether the record has what Salesforce requires before it can be created."""
    return all(body.get(name) for name in OBJECTS[sobject].required)


def parents(body: dict[str, Any]) -> list[tuple[str, str]]:
    """(object, external id) of every record this one looks up."""
    found = []
    for relationship, target in RELATIONSHIPS.items():
        reference = body.get(relationship)
        if isinstance(reference, dict) and reference.get(target.external_id):
            found.append((target.name, str(reference[target.external_id])))
    return found
