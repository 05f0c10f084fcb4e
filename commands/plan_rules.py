"""What a plan allows and what a film costs: pure rules over the plan catalogue.

Tier refusals raise `TierLimit` (403) naming the limit and the cheapest plan that lifts it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid5

from commands.credits import CreditAccount
from commands.errors import Forbidden
from schemas.credits import GrantPlanCredits
from schemas.film import FilmSpec
from schemas.plans import RESOLUTION_RANK, Catalogue, Plan

GRANT_NAMESPACE = UUID("c4d2a9e1-6b3f-4a58-8e7d-2f1b0c9a6d35")

ScriptMeasure = Callable[[FilmSpec], tuple[float, int]]
"""A port: the film's expected length in seconds and its script's word count."""


class TierLimit(Forbidden):
    """The request needs more than the caller's plan allows."""

    title = "Not included in your plan"


@dataclass(frozen=True)
class FilmQuote:
    """What a film will cost, before it is requested."""

    seconds: float
    billed_seconds: int
    credits: int
    words: int


def quote_film(spec: FilmSpec, catalogue: Catalogue, measure: ScriptMeasure) -> FilmQuote:
    """The film's length (its target, else the script's estimate) and the credits it costs."""
    seconds, words = measure(spec)
    pricing = catalogue.pricing
    return FilmQuote(round(seconds, 1), pricing.billed_seconds(seconds), pricing.credits_for(seconds), words)


def quote_seconds(seconds: float, catalogue: Catalogue) -> FilmQuote:
    """The price of a film of a given length."""
    pricing = catalogue.pricing
    return FilmQuote(seconds, pricing.billed_seconds(seconds), pricing.credits_for(seconds), 0)


def minutes(seconds: float) -> str:
    """'1 min', '1 min 30 s', '45 s'."""
    whole = round(seconds)
    m, s = divmod(whole, 60)
    if m and s:
        return f"{m} min {s} s"
    return f"{m} min" if m else f"{s} s"


def check_film(spec: FilmSpec, quote: FilmQuote, plan: Plan, catalogue: Catalogue) -> None:
    """Refuse a film the plan does not allow: length, words, resolution, uploads, features."""
    if quote.seconds > plan.max_seconds:
        better = catalogue.cheapest_plan_where(lambda p: p.max_seconds >= quote.seconds)
        hint = (
            f"upgrade to {better.name} (films up to {minutes(better.max_seconds)})"
            if better
            else "contact us"
        )
        raise TierLimit(
            f"Films on the {plan.name} plan can be up to {minutes(plan.max_seconds)}; this one runs about "
            f"{minutes(quote.seconds)}. Shorten the script or set a shorter target length, or {hint}."
        )
    if plan.max_words is not None and quote.words > plan.max_words:
        limit = plan.max_words
        better = catalogue.cheapest_plan_where(lambda p: p.max_words is None or p.max_words >= quote.words)
        hint = f"upgrade to {better.name}" if better else "contact us"
        raise TierLimit(
            f"Scripts on the {plan.name} plan can have up to {limit:,} words; this one has {quote.words:,}. "
            f"Shorten it by {quote.words - limit:,} words, or {hint}."
        )
    wanted = RESOLUTION_RANK[spec.resolution]
    if wanted > RESOLUTION_RANK[plan.max_resolution]:
        better = catalogue.cheapest_plan_where(lambda p: RESOLUTION_RANK[p.max_resolution] >= wanted)
        hint = f"upgrade to {better.name}" if better else "contact us"
        raise TierLimit(
            f"The {plan.name} plan renders up to {plan.max_resolution}; this project asks for "
            f"{spec.resolution}. Choose {plan.max_resolution} or lower in the project settings, or {hint}."
        )
    _need_feature(spec.music_upload is not None, "uploads", "Your own music uploads", plan, catalogue)
    _need_feature(
        bool(spec.subtitles.translate_to), "subtitles_multi", "Subtitles in more languages", plan, catalogue
    )
    _need_feature(spec.publish is not None, "youtube", "Publishing to YouTube", plan, catalogue)


def _need_feature(used: bool, feature: str, what: str, plan: Plan, catalogue: Catalogue) -> None:
    if not used or feature in plan.features:
        return
    better = catalogue.cheapest_plan_where(lambda p: feature in p.features)
    hint = f"upgrade to {better.name}" if better else "contact us"
    raise TierLimit(
        f"{what}: not included in the {plan.name} plan. Remove it from the project settings, or {hint}."
    )


def check_new_project(plan: Plan, created_this_month: int, catalogue: Catalogue) -> None:
    """Refuse a project beyond the plan's monthly allowance."""
    limit = plan.projects_per_month
    if limit is None or created_this_month < limit:
        return
    better = catalogue.cheapest_plan_where(
        lambda p: p.projects_per_month is None or p.projects_per_month > created_this_month
    )
    hint = f"upgrade to {better.name}" if better else "contact us"
    raise TierLimit(
        f"The {plan.name} plan includes {limit} new projects a month and you have created {created_this_month}. "
        f"Reuse an existing project, wait for next month, or {hint}."
    )


def default_resolution(plan: Plan) -> str:
    """The resolution a new project gets when its creator did not choose one: the studio default
    (FilmSpec's), lowered to the best the plan renders, so a first film is never refused for it."""
    studio_default = str(FilmSpec.model_fields["resolution"].default)
    allowed = RESOLUTION_RANK[plan.max_resolution]
    return studio_default if RESOLUTION_RANK[studio_default] <= allowed else plan.max_resolution


def as_planned(spec: FilmSpec, plan: Plan) -> FilmSpec:
    """The spec as the plan produces it: a watermark on plans that force one."""
    return spec.model_copy(update={"watermark": True}) if plan.watermark and not spec.watermark else spec


def month_start(now: datetime, months_ahead: int = 0) -> datetime:
    index = now.year * 12 + now.month - 1 + months_ahead
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def grant_due(
    state: CreditAccount, catalogue: Catalogue, account_id: UUID, now: datetime
) -> GrantPlanCredits | None:
    """This calendar month's plan credits, unless granted already or a paid period (Stripe grants those) runs."""
    if state.period_end is not None and state.period_end > now:
        return None
    period = f"{now:%Y-%m}"
    if f"grant:{period}" in state.lots:
        return None
    plan = catalogue.plan(state.plan)
    return GrantPlanCredits(
        command_id=uuid5(GRANT_NAMESPACE, f"{account_id}:{period}"),
        account_id=account_id,
        plan=plan.id,
        credits=plan.monthly_credits,
        period=period,
        expires_at=month_start(now, 1),
        now=now,
    )
