"""The pieces every fake Stripe resource shares: ids, a movable clock, errors, list objects, expansion."""

from __future__ import annotations

import calendar
import secrets
import string
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

API_VERSION = "2026-10-28.endive"
ALPHABET = string.ascii_letters + string.digits

Obj = dict[str, Any]


class StripeError(Exception):
    """An API error, rendered as Stripe renders them: `{"error": {type, code, message, param}}`."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body: Obj = {"error": {"type": type, "message": message}}
        if code:
            self.body["error"]["code"] = code
            self.body["error"]["doc_url"] = f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}"
        if param:
            self.body["error"]["param"] = param


def missing(kind: str, object_id: str, param: str = "id") -> StripeError:
    return StripeError(404, f"No such {kind}: '{object_id}'", code="resource_missing", param=param)


def required(param: str) -> StripeError:
    return StripeError(400, f"Missing required param: {param}.", code="parameter_missing", param=param)


def invalid(param: str, message: str) -> StripeError:
    return StripeError(400, message, code="parameter_invalid_empty" if not message else None, param=param)


def new_id(prefix: str, length: int = 24) -> str:
    return f"{prefix}_{''.join(secrets.choice(ALPHABET) for _ in range(length))}"


def add_month(timestamp: int) -> int:
    """One calendar month later (Jan 31 -> Feb 28/29), as Stripe bills monthly subscriptions."""
    at = datetime.fromtimestamp(timestamp, UTC)
    year, month = (at.year + 1, 1) if at.month == 12 else (at.year, at.month + 1)
    day = min(at.day, calendar.monthrange(year, month)[1])
    return int(at.replace(year=year, month=month, day=day).timestamp())


@dataclass
class Clock:
    """Wall time plus an offset that tests move forward, like a Stripe test clock."""

    offset: int = 0

    def now(self) -> int:
        return int(time.time()) + self.offset

    def advance_to(self, timestamp: int) -> None:
        self.offset += max(0, timestamp - self.now())


def as_int(params: Obj, key: str, *, default: int | None = None) -> int:
    raw = params.get(key)
    if raw is None or raw == "":
        if default is None:
            raise required(key)
        return default
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise StripeError(
            400, f"Invalid integer: {raw}", code="parameter_invalid_integer", param=key
        ) from None


def as_bool(params: Obj, key: str, default: bool = False) -> bool:
    raw = params.get(key)
    if raw is None:
        return default
    if raw in ("true", "false"):
        return raw == "true"
    raise StripeError(400, f"Invalid boolean: {raw}", code="parameter_invalid_boolean", param=key)


def metadata(params: Obj, key: str = "metadata") -> dict[str, str]:
    value = params.get(key) or {}
    if not isinstance(value, dict):
        raise StripeError(400, f"Invalid object for {key}", param=key)
    return {k: str(v) for k, v in value.items() if v != ""}


@dataclass
class Store:
    """Objects by id, in creation order (lists are newest first, as Stripe returns them)."""

    objects: dict[str, Obj] = field(default_factory=dict)

    def add(self, obj: Obj) -> Obj:
        self.objects[obj["id"]] = obj
        return obj

    def get(self, kind: str, object_id: str, param: str = "id") -> Obj:
        obj = self.objects.get(object_id)
        if obj is None or obj["object"] != kind:
            raise missing(kind, object_id, param)
        return obj

    def page(self, kind: str, url: str, params: Obj, **filters: Any) -> Obj:
        """A list object: newest first, `limit` (1-100, default 10) after `starting_after`."""
        limit = as_int(params, "limit", default=10)
        if not 1 <= limit <= 100:
            raise StripeError(400, "This value must be between 1 and 100.", param="limit")
        found = [
            o
            for o in reversed(self.objects.values())
            if o["object"] == kind and all(o.get(k) == v for k, v in filters.items() if v is not None)
        ]
        after = params.get("starting_after")
        if after:
            ids = [o["id"] for o in found]
            if after not in ids:
                raise missing(kind, str(after), "starting_after")
            found = found[ids.index(after) + 1 :]
        return list_object(found[:limit], url, has_more=len(found) > limit)

    def expand(self, obj: Obj, paths: list[str]) -> Obj:
        """A copy with the ids at the given dotted paths replaced by the objects (`expand[]=a.b`)."""
        out = dict(obj)
        for path in paths:
            head, _, rest = path.partition(".")
            value = out.get(head)
            if isinstance(value, str) and value in self.objects:
                value = self.objects[value]
            if isinstance(value, dict) and rest:
                value = self.expand(value, [rest])
            out[head] = value
        return out


def list_object(data: list[Obj], url: str, *, has_more: bool = False) -> Obj:
    return {"object": "list", "data": data, "has_more": has_more, "url": url}
