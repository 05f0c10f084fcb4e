"""Credit sweeper: lots past their expiry and plan changes that fell due are recorded on time, not only
when the account next sends a command.

Each sweep sends `ExpireCredits` to the accounts with something due; the credit aggregate records
what has fallen due by `now`. The command id derives from what is due, so several sweepers (one per
processors process) record it once: the second is answered with the first one's outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID, uuid5

from commands.bus import CommandBus
from commands.credits import CreditAccount, falling_due
from commands.errors import DomainError
from events.background import BackgroundLoop
from projections.database import ViewDatabase
from schemas.credits import CreditsExpired, ExpireCredits, PlanChanged, credit_account_id

log = logging.getLogger(__name__)

SWEEP_NAMESPACE = UUID("6f3d8a2e-1c5b-4e97-a0d4-8b2c7e5f9a13")
CANDIDATES = (
    "SELECT account_id FROM credit_accounts WHERE (available > 0 OR plan <> %s) AND account_id > %s "
    "ORDER BY account_id LIMIT %s"
)
"""Only accounts with credits to expire or a paid plan (the only kind a scheduled change leaves) can have
something due; paged by account id so a large studio is swept in bounded queries."""


def due_key(state: CreditAccount, now: datetime) -> str | None:
    """What has fallen due for the account by `now`, as a stable text (None: nothing)."""
    parts = []
    for event in falling_due(state, now):
        if isinstance(event, CreditsExpired):
            expires_at = state.lots[event.lot].expires_at
            parts.append(f"expire:{event.lot}@{expires_at.isoformat() if expires_at else ''}")
        elif isinstance(event, PlanChanged):
            parts.append(f"plan:{event.plan}@{event.effective_at.isoformat()}")
    return "|".join(sorted(parts)) or None


class CreditSweeper(BackgroundLoop):
    """Sends ExpireCredits to every account with something due; runs every `interval` seconds in a thread."""

    name = "credit-sweeper"

    def __init__(
        self,
        bus: CommandBus,
        views: ViewDatabase,
        default_plan: str = "free",
        interval: float = 60.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        page: int = 500,
    ) -> None:
        self.bus = bus
        self.views = views
        self.default_plan = default_plan
        self.interval = interval
        self.clock = clock
        self.page = page
        super().__init__(self.name)

    def sweep(self, now: datetime | None = None) -> int:
        """One pass over the candidate accounts; returns how many had something recorded."""
        now = now or self.clock()
        recorded, after = 0, ""
        while True:
            rows = self.views.query(CANDIDATES, (self.default_plan, after, self.page))
            for row in rows:
                recorded += self._sweep_account(UUID(row["account_id"]), now)
            if len(rows) < self.page:
                return recorded
            after = rows[-1]["account_id"]

    def _sweep_account(self, account: UUID, now: datetime) -> int:
        state, _ = self.bus.state_of("credit", credit_account_id(account))
        key = due_key(state, now)
        if key is None:
            return 0
        command = ExpireCredits(
            command_id=uuid5(SWEEP_NAMESPACE, f"{account}:{key}"), account_id=account, now=now
        )
        try:
            outcome = self.bus.handle(command, actor=self.name)
        except DomainError:
            log.exception("sweeping the credits of account %s failed", account)
            return 0
        return 0 if outcome.duplicate or not outcome.events else 1

    def step(self) -> float:
        self.sweep()
        return self.interval
