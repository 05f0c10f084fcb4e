"""The gateway's own parts, built once per app: token service, password hasher and timing knobs."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.security import Passwords, Tokens
from infra.container import Studio


@dataclass(frozen=True)
class Gateway:
    """Everything a request handler needs besides the request: the studio and the gateway's settings."""

    studio: Studio
    tokens: Tokens
    passwords: Passwords
    read_wait_seconds: float = 5.0
    """How long a read with X-Min-Position (or a login) waits for the read model to catch up."""
    stream_poll_seconds: float = 0.2
    """How often the progress stream looks at the film's row."""
    stream_heartbeat_seconds: float = 15.0
    """A comment line this often keeps proxies from closing an idle progress stream."""
