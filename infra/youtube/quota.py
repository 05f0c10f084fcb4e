"""Quota ledger: YouTube API units spent today by this studio's Google Cloud project, shared by every process."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from projections.database import ViewDatabase
from schemas.video_metadata import VideoMetadata

COSTS = {
    "list": 1,
    "videos.insert": 1600,
    "thumbnails.set": 50,
    "captions.insert": 400,
    "captions.list": 50,
    "playlists.insert": 50,
    "playlistItems.insert": 50,
}
"""Units per call, from YouTube's quota calculator."""
PACIFIC = ZoneInfo("America/Los_Angeles")
"""YouTube's quota day ends at midnight Pacific time."""
DDL = "CREATE TABLE IF NOT EXISTS youtube_quota (day TEXT PRIMARY KEY, used INTEGER NOT NULL)"


class QuotaExhausted(Exception):
    """The call would take the studio past its daily YouTube quota."""

    def __init__(self, needed: int, left: int, resets_in: timedelta) -> None:
        hours, minutes = divmod(int(resets_in.total_seconds()) // 60, 60)
        super().__init__(
            f"YouTube's daily quota for this studio would run out: this needs {needed:,} units and "
            f"{left:,} are left until midnight Pacific time (in {hours} h {minutes:02d} min). "
            "Try again after that, or ask Google for a higher quota for the studio's Cloud project."
        )
        self.needed, self.left, self.resets_in = needed, left, resets_in


def upload_cost(
    metadata: VideoMetadata, caption_tracks: int, thumbnails: bool = True, new_playlist: bool = False
) -> int:
    """Units one upload will spend, finishing steps included."""
    cost = COSTS["videos.insert"]
    if metadata.thumbnail_index is not None and thumbnails:
        cost += COSTS["thumbnails.set"]
    if caption_tracks:
        cost += COSTS["captions.list"] + COSTS["captions.insert"] * caption_tracks
    if metadata.playlist_id or metadata.playlist_auto != "none":
        cost += COSTS["list"] + COSTS["playlistItems.insert"]
        cost += COSTS["playlists.insert"] if new_playlist or metadata.playlist_auto != "none" else 0
    return cost


class QuotaLedger:
    """Reserves units atomically before each call, so parallel workers never overshoot the day's quota."""

    def __init__(
        self,
        db: ViewDatabase,
        daily_limit: int,
        clock: Callable[[], datetime] = lambda: datetime.now(PACIFIC),
    ) -> None:
        self.db = db
        self.daily_limit = daily_limit
        self.clock = clock

    def setup(self) -> None:
        with self.db.transaction() as cur:
            cur.execute(DDL)

    def _day(self) -> tuple[str, timedelta]:
        now = self.clock().astimezone(PACIFIC)
        midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), PACIFIC)
        return now.date().isoformat(), midnight - now

    def used(self) -> int:
        day, _ = self._day()
        rows = self.db.query("SELECT used FROM youtube_quota WHERE day = %s", (day,))
        return int(rows[0]["used"]) if rows else 0

    def remaining(self) -> int:
        return max(0, self.daily_limit - self.used())

    def check(self, units: int) -> None:
        """Raise QuotaExhausted if `units` would not fit in what is left today (reserves nothing)."""
        left = self.remaining()
        if units > left:
            raise QuotaExhausted(units, left, self._day()[1])

    def reserve(self, units: int) -> None:
        """Count `units` as spent today, or raise QuotaExhausted without spending any."""
        day, resets_in = self._day()
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO youtube_quota (day, used) VALUES (%s, 0) ON CONFLICT (day) DO NOTHING", (day,)
            )
            cur.execute(
                "UPDATE youtube_quota SET used = used + %s WHERE day = %s AND used + %s <= %s RETURNING used",
                (units, day, units, self.daily_limit),
            )
            row = cur.fetchone()
        if row is None:
            raise QuotaExhausted(units, self.remaining(), resets_in)
