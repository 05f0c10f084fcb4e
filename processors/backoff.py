"""Exponential backoff with a cap, for senders that retry until a remote service accepts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """Delay before retry number `failures` (1-based): base, 2*base, 4*base ... up to `cap` seconds."""

    base: float = 1.0
    cap: float = 300.0

    def delay(self, failures: int) -> float:
        if failures <= 0:
            return 0.0
        return float(min(self.cap, self.base * 2 ** min(failures - 1, 30)))
