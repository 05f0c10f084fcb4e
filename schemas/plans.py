"""The plan catalogue: plans, top-ups, the cancel policy and the pricing rule (configuration, not code)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ResolutionLimit = Literal["480p", "720p", "1080p", "4k"]
RESOLUTION_RANK: dict[str, int] = {"480p": 0, "720p": 1, "1080p": 2, "4k": 3}
CancelPolicy = Literal["capture", "release"]
Feature = Literal[
    "youtube", "priority", "subtitles_multi", "uploads", "api", "salesforce", "white_label"
]


class Plan(BaseModel):
    """One subscription plan and the limits it sets."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    price_cents: int = Field(ge=0)
    currency: str = "usd"
    monthly_credits: int = Field(ge=0)
    max_seconds: int = Field(gt=0, description="longest film, in seconds")
    max_seconds_on_request: int | None = Field(None, description="longer films an operator can enable")
    max_resolution: ResolutionLimit
    watermark: bool = Field(description="films carry the studio watermark")
    max_words: int | None = Field(None, description="longest script in words; None = no limit")
    projects_per_month: int | None = Field(None, description="None = unlimited")
    priority: int = Field(0, description="queue priority: higher runs first")
    features: list[Feature] = []
    stripe_price: str = Field("", description="Stripe price id of the subscription (empty: free)")


class TopUp(BaseModel):
    """A one-off credit pack."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    credits: int = Field(gt=0)
    price_cents: int = Field(ge=0)
    currency: str = "usd"
    enterprise_only: bool = False
    stripe_price: str = ""


class Pricing(BaseModel):
    """Credits per minute, with the film's length rounded up to the next `round_seconds`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    credits_per_minute: float = Field(3.0, gt=0)
    round_seconds: int = Field(30, gt=0)

    def billed_seconds(self, seconds: float) -> int:
        """The film's length rounded up to the next billing step (30 s by default)."""
        step = self.round_seconds
        return max(step, math.ceil(round(seconds, 6) / step) * step)

    def credits_for(self, seconds: float) -> int:
        """Credits a film of this length costs: 30 s = 2, 1 min = 3, 5 min = 15 by default."""
        return math.ceil(round(self.billed_seconds(seconds) * self.credits_per_minute / 60, 6))


class Catalogue(BaseModel):
    """Every plan and top-up, the default plan, the cancel policy and the pricing rule."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    default_plan: str = "free"
    purchased_credits_valid_days: int = 365
    cancel_policy: CancelPolicy = Field("capture", description="what a creator's cancel does with credits")
    cancel_policy_text: str = "Cancelling a film that has started does not refund its credits."
    pricing: Pricing = Pricing()
    plans: list[Plan]
    topups: list[TopUp] = []

    @model_validator(mode="after")
    def _default_plan_exists(self) -> Catalogue:
        ids = [p.id for p in self.plans]
        if len(set(ids)) != len(ids):
            raise ValueError(f"plan ids must be unique, got {ids}")
        if self.default_plan not in ids:
            raise ValueError(f"default_plan {self.default_plan!r} is not one of the plans {ids}")
        return self

    def plan(self, plan_id: str) -> Plan:
        """The plan with this id; an unknown id (a plan since removed) falls back to the default plan."""
        for plan in self.plans:
            if plan.id == plan_id:
                return plan
        return self.plan(self.default_plan)

    def has_plan(self, plan_id: str) -> bool:
        return any(p.id == plan_id for p in self.plans)

    def topup(self, topup_id: str) -> TopUp | None:
        return next((t for t in self.topups if t.id == topup_id), None)

    def cheapest_plan_where(self, allowed: Callable[[Plan], bool]) -> Plan | None:
        """The cheapest plan passing `allowed(plan)`, to name in a tier refusal."""
        fits = [p for p in self.plans if allowed(p)]
        return min(fits, key=lambda p: (p.price_cents, p.priority), default=None)
