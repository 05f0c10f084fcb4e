"""Credits and plans: the catalogue, balance, history, usage, price estimates; admin adjustments and metrics."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from commands.errors import Invalid, NotFound
from commands.film_order import credit_state
from commands.plan_rules import FilmQuote, quote_film, quote_seconds
from commands.project import owned
from gateway import reads
from gateway.deps import AdminUser, CallerCommands, CurrentUser, StudioDep, ViewsDep
from gateway.models import Accepted, In
from gateway.problems import problem_responses
from projections.credits import LOW_BALANCE
from projections.database import ViewDatabase
from schemas.credits import AdjustCredits
from schemas.plans import Catalogue, Plan, TopUp

router = APIRouter(prefix="/api", tags=["credits"])

HistoryKind = Literal["granted", "purchased", "reserved", "captured", "released", "adjusted", "expired"]


class PlansOut(BaseModel):
    plans: list[Plan]
    topups: list[TopUp]
    cancel_refund_policy: str
    credits_per_minute: float
    round_seconds: int


class BalanceOut(BaseModel):
    balance: int = Field(description="available + reserved")
    reserved: int = Field(description="held for films in production")
    available: int = Field(description="what new films can use")
    plan: str
    plan_name: str
    period_end: datetime | None
    low: bool = Field(description=f"available below {LOW_BALANCE}")
    scheduled_plan: str | None = None
    scheduled_at: datetime | None = None


class HistoryItem(BaseModel):
    id: str
    at: datetime
    kind: str
    credits: int = Field(description="change of the available credits")
    balance_after: int = Field(description="available credits after it")
    film_id: str | None
    reason: str | None


class HistoryOut(BaseModel):
    items: list[HistoryItem]
    next_cursor: int | None = Field(description="pass as `cursor` for older entries")


class UsageDay(BaseModel):
    date: date
    credits: int
    films: int


class UsageOut(BaseModel):
    days: list[UsageDay]


class EstimateOut(BaseModel):
    seconds: float
    billed_seconds: int
    credits: int
    available: int
    affordable: bool
    within_plan: bool
    message: str


class AdjustIn(In):
    credits: int = Field(description="positive adds, negative removes; not 0")
    reason: str = Field(min_length=3, max_length=500, description="why (kept in the ledger)")


class DailyMetric(BaseModel):
    date: date
    films: int
    credits: int
    revenue_cents: int


class MetricsOut(BaseModel):
    daily: list[DailyMetric]
    mrr_by_plan: dict[str, int]
    topup_revenue_cents: int
    users: int
    films: int
    low_balance_accounts: int


@router.get("/plans", summary="Plans and top-ups", tags=["plans"], responses=problem_responses(500))
def plans(studio: StudioDep) -> PlansOut:
    """The plan catalogue: prices, monthly credits, limits and features; top-up packs; the cancel policy."""
    c = studio.catalogue
    return PlansOut(
        plans=c.plans,
        topups=c.topups,
        cancel_refund_policy=c.cancel_policy_text,
        credits_per_minute=c.pricing.credits_per_minute,
        round_seconds=c.pricing.round_seconds,
    )


@router.get("/credits/balance", summary="My credit balance", responses=problem_responses(401))
def balance(caller: CurrentUser, studio: StudioDep) -> BalanceOut:
    """Available and reserved credits and the plan (this month's plan credits are granted on first look)."""
    state = credit_state(studio.bus, caller.id, studio.catalogue, datetime.now(UTC))
    plan = studio.catalogue.plan(state.plan)
    scheduled = state.scheduled
    return BalanceOut(
        balance=state.balance,
        reserved=state.reserved,
        available=state.available,
        plan=plan.id,
        plan_name=plan.name,
        period_end=state.period_end,
        low=state.available < LOW_BALANCE,
        scheduled_plan=scheduled[0] if scheduled else None,
        scheduled_at=scheduled[1] if scheduled else None,
    )


def _history(
    views: ViewDatabase,
    account: str,
    kind: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    cursor: int | None,
) -> list[dict[str, Any]]:
    where: list[str] = ["account_id = %s"]
    params: list[Any] = [account]
    if kind:
        where.append("kind = %s")
        params.append(kind)
    if since:
        where.append("at >= %s")
        params.append(since)
    if until:
        where.append("at < %s")
        params.append(until)
    if cursor is not None:
        where.append("position < %s")
        params.append(cursor)
    sql = (
        "SELECT event_id, at, kind, credits, balance_after, film_id, reason, position FROM credit_ledger "
        f"WHERE {' AND '.join(where)} ORDER BY position DESC LIMIT {int(limit)}"
    )
    return views.query(sql, tuple(params))


@router.get("/credits/history", summary="My credit history", responses=problem_responses(401, 422, 504))
async def history(
    caller: CurrentUser,
    views: ViewsDep,
    kind: HistoryKind | None = None,
    since: Annotated[datetime | None, Query(description="from this time (ISO 8601)")] = None,
    until: Annotated[datetime | None, Query(description="before this time (ISO 8601)")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[int | None, Query(ge=0, description="`next_cursor` of the previous page")] = None,
) -> HistoryOut:
    """Ledger entries, newest first: grants, purchases, reservations, captures, releases, adjustments, expiries."""
    rows = await reads.run(
        views,
        _history,
        views,
        str(caller.id),
        kind,
        _iso(since),
        _iso(until),
        limit,
        cursor,
    )
    items = [
        HistoryItem(
            id=r["event_id"],
            at=r["at"],
            kind=r["kind"],
            credits=r["credits"],
            balance_after=r["balance_after"],
            film_id=r["film_id"],
            reason=r["reason"],
        )
        for r in rows
    ]
    return HistoryOut(items=items, next_cursor=int(rows[-1]["position"]) if len(rows) == limit else None)


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


@router.get("/credits/usage", summary="My usage per day", responses=problem_responses(401, 504))
async def usage(
    caller: CurrentUser, views: ViewsDep, days: Annotated[int, Query(ge=1, le=366)] = 30
) -> UsageOut:
    """Credits spent and films completed per day, for the last `days` days (days without use included)."""
    today = datetime.now(UTC).date()
    first = today - timedelta(days=days - 1)
    rows = await reads.run(
        views,
        views.query,
        "SELECT day, credits, films FROM credit_usage WHERE account_id = %s AND day >= %s",
        (str(caller.id), first.isoformat()),
    )
    by_day = {r["day"]: r for r in rows}
    out = []
    for i in range(days):
        day = first + timedelta(days=i)
        row = by_day.get(day.isoformat())
        out.append(UsageDay(date=day, credits=row["credits"] if row else 0, films=row["films"] if row else 0))
    return UsageOut(days=out)


def estimate_message(quote: FilmQuote, available: int, plan: Plan) -> tuple[bool, str]:
    """(within the plan, what the creator should know) for a quote."""
    within = quote.seconds <= plan.max_seconds
    if not within:
        return False, (
            f"This film runs about {quote.billed_seconds} s; the {plan.name} plan allows up to "
            f"{plan.max_seconds} s. Shorten it or upgrade your plan."
        )
    if quote.credits > available:
        return True, (
            f"This {quote.billed_seconds}-second film costs {quote.credits} credits; you have {available}. "
            "Buy a top-up at /credits before generating it."
        )
    return True, (
        f"This {quote.billed_seconds}-second film costs {quote.credits} credits; you will have "
        f"{available - quote.credits} left."
    )


@router.get("/credits/estimate", summary="What a film would cost", responses=problem_responses(401, 404, 422))
def estimate(
    caller: CurrentUser,
    studio: StudioDep,
    seconds: Annotated[float | None, Query(gt=0, le=3600, description="the film's length")] = None,
    project_id: Annotated[UUID | None, Query(description="price this project's film instead")] = None,
) -> EstimateOut:
    """The credits a film costs (3 per minute, rounded up to the half minute), and whether you can afford it."""
    catalogue: Catalogue = studio.catalogue
    if project_id is not None:
        project, _ = studio.bus.state_of("project", project_id)
        spec = owned(project, caller.id).spec
        assert spec is not None
        quote = quote_film(spec, catalogue, studio.measure)
    elif seconds is not None:
        quote = quote_seconds(seconds, catalogue)
    else:
        raise Invalid("Say what to price: ?seconds=90 for a length, or ?project_id=... for a project's film.")
    state = credit_state(studio.bus, caller.id, catalogue, datetime.now(UTC))
    within, message = estimate_message(quote, state.available, catalogue.plan(state.plan))
    return EstimateOut(
        seconds=quote.seconds,
        billed_seconds=quote.billed_seconds,
        credits=quote.credits,
        available=state.available,
        affordable=quote.credits <= state.available,
        within_plan=within,
        message=message,
    )


# --- administrators -------------------------------------------------------------------------------


@router.post(
    "/admin/accounts/{account_id}/credits",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Adjust an account's credits",
    tags=["admin"],
    responses=problem_responses(401, 403, 404, 422),
)
def adjust(
    account_id: UUID, body: AdjustIn, admin: AdminUser, commands: CallerCommands, studio: StudioDep
) -> Accepted:
    """Adds (positive) or removes (negative) credits, with a reason that stays in the account's ledger."""
    account, _ = studio.bus.state_of("account", account_id)
    if not account.exists:
        raise NotFound("No such account. Find the account id in GET /api/admin/accounts.")
    outcome = commands.send(
        AdjustCredits(account_id=account_id, credits=body.credits, reason=body.reason, admin_id=admin.id)
    )
    return Accepted(id=account_id, position=outcome.position, duplicate=outcome.duplicate)


def _metrics(views: ViewDatabase, first: str, catalogue: Catalogue) -> dict[str, Any]:
    usage = views.query(
        "SELECT day, SUM(credits) AS credits, SUM(films) AS films FROM credit_usage WHERE day >= %s GROUP BY day",
        (first,),
    )
    revenue = views.query(
        "SELECT day, SUM(amount_cents) AS cents FROM credit_payments WHERE day >= %s GROUP BY day", (first,)
    )
    topups = views.query(
        "SELECT COALESCE(SUM(amount_cents), 0) AS cents FROM credit_payments WHERE kind = 'topup'"
    )
    plans = views.query("SELECT plan, COUNT(*) AS n FROM credit_accounts GROUP BY plan")
    totals = views.query(
        "SELECT COUNT(*) AS users, COALESCE(SUM(low), 0) AS low FROM credit_accounts",
    )
    films = views.query("SELECT COALESCE(SUM(films), 0) AS films FROM credit_usage")
    return {
        "usage": {r["day"]: r for r in usage},
        "revenue": {r["day"]: int(r["cents"]) for r in revenue},
        "topups": int(topups[0]["cents"]),
        "plans": {r["plan"]: int(r["n"]) for r in plans},
        "users": int(totals[0]["users"]),
        "low": int(totals[0]["low"]),
        "films": int(films[0]["films"]),
    }


@router.get(
    "/admin/metrics", summary="Usage and revenue", tags=["admin"], responses=problem_responses(401, 403, 504)
)
async def metrics(
    admin: AdminUser, views: ViewsDep, studio: StudioDep, days: Annotated[int, Query(ge=1, le=366)] = 30
) -> MetricsOut:
    """Films, credits and revenue per day; monthly recurring revenue by plan; top-up revenue; users."""
    today = datetime.now(UTC).date()
    first = today - timedelta(days=days - 1)
    m = await reads.run(views, _metrics, views, first.isoformat(), studio.catalogue)
    daily = []
    for i in range(days):
        day = (first + timedelta(days=i)).isoformat()
        u = m["usage"].get(day)
        daily.append(
            DailyMetric(
                date=day,
                films=int(u["films"]) if u else 0,
                credits=int(u["credits"]) if u else 0,
                revenue_cents=m["revenue"].get(day, 0),
            )
        )
    mrr = {
        plan.id: m["plans"].get(plan.id, 0) * plan.price_cents
        for plan in studio.catalogue.plans
        if plan.price_cents
    }
    return MetricsOut(
        daily=daily,
        mrr_by_plan=mrr,
        topup_revenue_cents=m["topups"],
        users=m["users"],
        films=m["films"],
        low_balance_accounts=m["low"],
    )
