"""Passwords (argon2) and tokens (HS256 JWT): access and refresh tokens that name their session."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from uuid import UUID, uuid4

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from gateway.problems import Unauthenticated
from infra.settings import Settings

TokenKind = Literal["access", "refresh", "link"]
LINK_TTL = timedelta(hours=1)
ISSUER = "ai-film-studio"
ALGORITHM = "HS256"


class Passwords:
    """Hashes and checks passwords; an unknown account costs the same time as a wrong password."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """True when the password matches; with no stored hash, burn the same work and say no."""
        if not stored_hash:
            if self._dummy is None:
                self._dummy = self.hasher.hash(uuid4().hex)
            stored_hash = self._dummy
            password = password + "\0never"  # never matches the dummy
        try:
            return self.hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False


@dataclass(frozen=True)
class Claims:
    """What a valid token says."""

    account_id: UUID
    session_id: str
    kind: TokenKind
    token_id: str
    expires_at: datetime
    path: str = ""
    """Link tokens only: the one path they open."""


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    access_seconds: int
    refresh_seconds: int


class Tokens:
    """Issues and reads signed tokens; the clock is injectable so tests can make expired ones."""

    def __init__(
        self,
        secret: str,
        access_ttl: timedelta,
        refresh_ttl: timedelta,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.secret = secret
        self.ttl: dict[TokenKind, timedelta] = {
            "access": access_ttl,
            "refresh": refresh_ttl,
            "link": LINK_TTL,
        }
        self.clock = clock

    @classmethod
    def from_settings(cls, settings: Settings) -> Tokens:
        return cls(
            settings.jwt_secret,
            timedelta(minutes=settings.access_token_minutes),
            timedelta(days=settings.refresh_token_days),
        )

    def issue(self, account_id: UUID, session_id: str) -> IssuedTokens:
        return IssuedTokens(
            self.encode(account_id, session_id, "access"),
            self.encode(account_id, session_id, "refresh"),
            int(self.ttl["access"].total_seconds()),
            int(self.ttl["refresh"].total_seconds()),
        )

    def link(self, account_id: UUID, session_id: str, path: str) -> str:
        """A token that opens one GET path for an hour, for clients that cannot send headers (<video>)."""
        return self.encode(account_id, session_id, "link", extra={"path": path})

    def read_link(self, token: str, path: str) -> Claims:
        claims = self.read(token, "link")
        if claims.path != path:
            raise Unauthenticated("This link token was made for another address; use the URL it came with.")
        return claims

    def encode(
        self,
        account_id: UUID,
        session_id: str,
        kind: TokenKind,
        now: datetime | None = None,
        extra: dict[str, str] | None = None,
    ) -> str:
        now = now or self.clock()
        claims = {
            **(extra or {}),
            "iss": ISSUER,
            "sub": str(account_id),
            "sid": session_id,
            "typ": kind,
            "jti": uuid4().hex,
            "iat": int(now.timestamp()),
            "exp": int((now + self.ttl[kind]).timestamp()),
        }
        return jwt.encode(claims, self.secret, algorithm=ALGORITHM)

    def read(self, token: str, kind: TokenKind) -> Claims:
        """The token's claims; Unauthenticated, saying what to do, when expired, forged or of another kind."""
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "sid", "typ", "jti"], "verify_iat": False},
            )
        except jwt.ExpiredSignatureError:
            what = {
                "access": "POST /api/auth/refresh with your refresh token",
                "refresh": "log in again",
                "link": "fetch the film again for fresh links",
            }[kind]
            raise Unauthenticated(f"The {kind} token has expired; {what}.") from None
        except jwt.PyJWTError:
            raise Unauthenticated(f"The {kind} token is not valid; log in again to get a new one.") from None
        if claims["typ"] != kind:
            raise Unauthenticated(f"This is a {claims['typ']} token; send the {kind} token instead.")
        try:
            account_id = UUID(claims["sub"])
        except ValueError:
            raise Unauthenticated("The token names no account; log in again.") from None
        return Claims(
            account_id,
            str(claims["sid"]),
            kind,
            str(claims["jti"]),
            datetime.fromtimestamp(claims["exp"], UTC),
            str(claims.get("path", "")),
        )
