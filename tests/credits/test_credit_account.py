"""The credit account aggregate as pure functions: ledger rules, expiry, at-most-once capture and release."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commands.credits import LOW_BALANCE, CreditAccount, decide, evolve
from commands.errors import DomainError, Invalid, PaymentRequired
from schemas.commands import Command
from schemas.credits import (
    AdjustCredits,
    CancelSubscription,
    CaptureCredits,
    ChangePlan,
    CreditsAdjusted,
    CreditsCaptured,
    CreditsExpired,
    CreditsGranted,
    CreditsLow,
    CreditsPurchased,
    CreditsReleased,
    CreditsReserved,
    ExpireCredits,
    GrantPlanCredits,
    PlanChanged,
    PurchaseCredits,
    ReleaseCredits,
    ReserveCredits,
)
from schemas.envelope import DomainEvent
from schemas.film import FilmSpec

ACCOUNT = uuid.UUID(int=1)
ADMIN = uuid.UUID(int=2)
T0 = datetime(2025, 3, 1, tzinfo=UTC)


def run(state: CreditAccount, command: Command) -> tuple[CreditAccount, list[DomainEvent]]:
    events = decide(command, state)
    for event in events:
        state = evolve(state, event)
    return state, events


def reserve(film: uuid.UUID, credits: int, now: datetime = T0) -> ReserveCredits:
    return ReserveCredits(
        account_id=ACCOUNT,
        reservation_id=film,
        credits=credits,
        project_id=uuid.UUID(int=3),
        owner_id=ACCOUNT,
        spec=FilmSpec(script="x"),
        stages={"script": []},
        now=now,
    )


def grant(
    credits: int, period: str = "2025-03", expires: datetime = T0 + timedelta(days=31)
) -> GrantPlanCredits:
    return GrantPlanCredits(
        account_id=ACCOUNT, plan="free", credits=credits, period=period, expires_at=expires, now=T0
    )


def ledger_sum(events: list[DomainEvent]) -> int:
    """The balance as the sum of the ledger: credits in, minus spent and expired (holds move nothing)."""
    total = 0
    for e in events:
        if isinstance(e, CreditsGranted | CreditsPurchased | CreditsAdjusted):
            total += e.credits
        elif isinstance(e, CreditsCaptured | CreditsExpired):
            total -= e.credits
    return total


def test_reservation_beyond_available_credits_is_refused_with_the_figures() -> None:
    state, _ = run(CreditAccount(), grant(3))
    with pytest.raises(PaymentRequired) as refused:
        run(state, reserve(uuid.uuid4(), 5))
    assert refused.value.extensions == {"available": 3, "cost": 5}
    assert "You have 3 credits" in str(refused.value)


def test_capture_and_release_happen_at_most_once_per_reservation() -> None:
    film = uuid.uuid4()
    state, _ = run(CreditAccount(), grant(10))
    state, _ = run(state, reserve(film, 4))
    assert (state.available, state.reserved, state.balance) == (6, 4, 10)
    state, captured = run(state, CaptureCredits(account_id=ACCOUNT, reservation_id=film, now=T0))
    assert [type(e) for e in captured] == [CreditsCaptured]
    state, again = run(state, CaptureCredits(account_id=ACCOUNT, reservation_id=film, now=T0))
    state, release_after = run(
        state, ReleaseCredits(account_id=ACCOUNT, reservation_id=film, reason="x", now=T0)
    )
    assert again == [] and release_after == []
    assert (state.available, state.reserved, state.balance) == (6, 0, 6)


def test_released_credits_return_to_their_lots() -> None:
    film = uuid.uuid4()
    state, _ = run(CreditAccount(), grant(10))
    state, _ = run(state, reserve(film, 4))
    state, _ = run(
        state, ReleaseCredits(account_id=ACCOUNT, reservation_id=film, reason="render crashed", now=T0)
    )
    assert (state.available, state.reserved, state.balance) == (10, 0, 10)


def test_monthly_grant_replaces_the_previous_one_without_rollover() -> None:
    state, _ = run(CreditAccount(), grant(30, "2025-03"))
    state, _ = run(state, reserve(uuid.uuid4(), 9))
    state, events = run(state, grant(30, "2025-04", T0 + timedelta(days=61)))
    assert CreditsExpired(credits=21, lot="grant:2025-03") in events
    assert state.available == 30 and state.reserved == 9


def test_same_period_grant_is_applied_once() -> None:
    state, _ = run(CreditAccount(), grant(30))
    state, events = run(state, grant(30))
    assert events == [] and state.available == 30


def test_purchased_credits_expire_after_a_year_and_are_spent_after_grants() -> None:
    buy = PurchaseCredits(account_id=ACCOUNT, payment_id="pi_1", credits=10, amount_cents=500, now=T0)
    state, _ = run(CreditAccount(), buy)
    state, _ = run(state, grant(3))
    state, events = run(state, reserve(uuid.uuid4(), 4))
    reserved = next(e for e in events if isinstance(e, CreditsReserved))
    assert reserved.lots == {"grant:2025-03": 3, "purchase:pi_1": 1}
    state, events = run(state, ExpireCredits(account_id=ACCOUNT, now=T0 + timedelta(days=364)))
    assert state.available == 9
    state, events = run(state, ExpireCredits(account_id=ACCOUNT, now=T0 + timedelta(days=366)))
    assert events[0] == CreditsExpired(credits=9, lot="purchase:pi_1")
    assert state.available == 0 and state.balance == 4


def test_same_payment_credits_once() -> None:
    buy = PurchaseCredits(account_id=ACCOUNT, payment_id="pi_1", credits=10, amount_cents=500, now=T0)
    state, _ = run(CreditAccount(), buy)
    state, events = run(state, buy.model_copy(update={"command_id": uuid.uuid4()}))
    assert events == [] and state.available == 10


def test_credits_released_into_an_expired_lot_lapse_at_once() -> None:
    film = uuid.uuid4()
    state, _ = run(CreditAccount(), grant(10, expires=T0 + timedelta(days=1)))
    state, _ = run(state, reserve(film, 4))
    late = T0 + timedelta(days=2)
    state, events = run(state, ReleaseCredits(account_id=ACCOUNT, reservation_id=film, reason="x", now=late))
    assert CreditsExpired(credits=4, lot="grant:2025-03") in events
    assert state.balance == 0


def test_admin_cannot_remove_more_than_available() -> None:
    state, _ = run(CreditAccount(), grant(5))
    with pytest.raises(Invalid, match="at most that many"):
        run(state, AdjustCredits(account_id=ACCOUNT, credits=-6, reason="abuse", admin_id=ADMIN, now=T0))
    state, _ = run(
        state, AdjustCredits(account_id=ACCOUNT, credits=-2, reason="refund clawback", admin_id=ADMIN, now=T0)
    )
    assert state.available == 3


def test_credits_low_is_recorded_when_available_falls_below_the_threshold() -> None:
    state, _ = run(CreditAccount(), grant(LOW_BALANCE + 2))
    state, events = run(state, reserve(uuid.uuid4(), 2))
    assert not any(isinstance(e, CreditsLow) for e in events)
    state, events = run(state, reserve(uuid.uuid4(), 1))
    assert CreditsLow(balance=LOW_BALANCE - 1) in events
    state, events = run(state, reserve(uuid.uuid4(), 1))
    assert not any(isinstance(e, CreditsLow) for e in events), "recorded once per crossing"


def test_cancelled_subscription_returns_to_free_when_the_period_ends() -> None:
    end = T0 + timedelta(days=30)
    state, _ = run(CreditAccount(), ChangePlan(account_id=ACCOUNT, plan="pro", period_end=end, now=T0))
    state, _ = run(state, CancelSubscription(account_id=ACCOUNT, ends_at=end, now=T0))
    state, _ = run(state, ExpireCredits(account_id=ACCOUNT, now=end - timedelta(seconds=1)))
    assert state.plan == "pro"
    state, events = run(state, ExpireCredits(account_id=ACCOUNT, now=end))
    assert PlanChanged(plan="free", previous="pro", effective_at=end) in events
    assert state.plan == "free"


# --- properties over random command sequences ---------------------------------------------------

FILMS = [uuid.UUID(int=100 + i) for i in range(6)]
commands = st.one_of(
    st.builds(lambda f, c: reserve(f, c), st.sampled_from(FILMS), st.integers(0, 12)),
    st.builds(lambda f: CaptureCredits(account_id=ACCOUNT, reservation_id=f, now=T0), st.sampled_from(FILMS)),
    st.builds(
        lambda f: ReleaseCredits(account_id=ACCOUNT, reservation_id=f, reason="failed", now=T0),
        st.sampled_from(FILMS),
    ),
    st.builds(lambda n, p: grant(n, f"2025-{p:02d}"), st.integers(0, 30), st.integers(1, 4)),
    st.builds(
        lambda n, p, d: PurchaseCredits(
            account_id=ACCOUNT,
            payment_id=f"pi_{p}",
            credits=n,
            amount_cents=n * 50,
            now=T0 - timedelta(days=d),
        ),
        st.integers(1, 20),
        st.integers(0, 5),
        st.integers(0, 400),
    ),
    st.builds(
        lambda n: AdjustCredits(account_id=ACCOUNT, credits=n, reason="support", admin_id=ADMIN, now=T0),
        st.integers(-15, 15),
    ),
    st.builds(lambda d: ExpireCredits(account_id=ACCOUNT, now=T0 + timedelta(days=d)), st.integers(0, 400)),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(commands, max_size=40))
def test_ledger_invariants_hold_for_any_command_sequence(sequence: list[Command]) -> None:
    state, log = CreditAccount(), list[DomainEvent]()
    for command in sequence:
        try:
            state, events = run(state, command)
        except DomainError:
            continue
        log.extend(events)
        assert state.balance == ledger_sum(log), "balance = sum of the ledger"
        assert all(lot.remaining >= 0 for lot in state.lots.values()), "no lot below zero"
        assert state.available >= 0 and state.balance >= 0
    settled = [e.reservation_id for e in log if isinstance(e, CreditsCaptured | CreditsReleased)]
    assert len(settled) == len(set(settled)), "each reservation captured or released at most once"
    reserved = [e.reservation_id for e in log if isinstance(e, CreditsReserved)]
    assert len(reserved) == len(set(reserved)), "each film reserved at most once"
