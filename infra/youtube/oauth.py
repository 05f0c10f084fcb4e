"""Connecting a channel: Google's OAuth 2.0 authorisation-code flow with PKCE (google-auth-oauthlib)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC
from typing import Any
from uuid import UUID

from google_auth_oauthlib.flow import Flow

from infra.youtube.config import SCOPES, YouTubeSettings
from infra.youtube.vault import TokenVault, VaultLocked

STATE_SECONDS = 900
"""How long a connect link stays valid."""


class ConnectRefused(Exception):
    """The OAuth round trip did not give the studio access (bad or stale state, denied consent, bad code)."""


@dataclass(frozen=True)
class Grant:
    """The tokens Google granted for one studio account."""

    account_id: UUID
    tokens: dict[str, Any]


class ConnectFlow:
    """Builds the consent link and exchanges the code; the state is sealed, so any gateway can finish it."""

    def __init__(self, settings: YouTubeSettings, vault: TokenVault) -> None:
        self.settings = settings
        self.vault = vault

    def _flow(self, verifier: str) -> Flow:
        config = {
            "web": {
                "client_id": self.settings.client_id,
                "client_secret": self.settings.client_secret,
                "auth_uri": self.settings.auth_uri,
                "token_uri": self.settings.token_uri,
                "redirect_uris": [self.settings.redirect_uri],
            }
        }
        return Flow.from_client_config(
            config, scopes=SCOPES, redirect_uri=self.settings.redirect_uri, code_verifier=verifier
        )

    def authorization_url(self, account_id: UUID) -> str:
        """Google's consent page for this account; offline access so a refresh token comes back."""
        verifier = secrets.token_urlsafe(72)[:96]
        state = self.vault.seal(json.dumps({"account": str(account_id), "verifier": verifier}))
        url, _ = self._flow(verifier).authorization_url(
            state=state, access_type="offline", include_granted_scopes="true", prompt="consent"
        )
        return str(url)

    def exchange(self, code: str, state: str) -> Grant:
        """Trade the code from Google's redirect for tokens (PKCE verifier from the sealed state)."""
        try:
            opened = json.loads(self.vault.open(state, ttl=STATE_SECONDS))
        except (VaultLocked, ValueError) as error:
            raise ConnectRefused(
                "This connect link is invalid or older than 15 minutes. Start again from GET /api/youtube/connect."
            ) from error
        flow = self._flow(opened["verifier"])
        verify: str | bool = str(self.settings.ca_bundle) if self.settings.ca_bundle else True
        try:
            flow.fetch_token(code=code, verify=verify)
        except Exception as error:  # oauthlib raises many kinds; all mean the same to the creator
            raise ConnectRefused(
                f"Google did not accept the authorisation ({error}). Start again from GET /api/youtube/connect."
            ) from error
        credentials = flow.credentials
        if not credentials.refresh_token:
            raise ConnectRefused(
                "Google sent no refresh token, so uploads would stop within the hour. Remove the studio's "
                "access at https://myaccount.google.com/permissions and connect again."
            )
        return Grant(UUID(opened["account"]), tokens_of(credentials))


def tokens_of(credentials: Any) -> dict[str, Any]:
    """What the vault keeps of google.oauth2 Credentials."""
    expiry = credentials.expiry
    return {
        "token": credentials.token,
        "refresh_token": credentials.refresh_token,
        "expiry": expiry.replace(tzinfo=UTC).isoformat() if expiry else None,
        "scopes": list(credentials.scopes or SCOPES),
    }
