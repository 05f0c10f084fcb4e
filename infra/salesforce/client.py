"""The mirror's port to Salesforce through simple-salesforce: OAuth 2.0 client credentials, then
sObject Collections upserts by external id (200 records per request), re-authenticating on 401."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceAuthenticationFailed,
    SalesforceError,
    SalesforceExpiredSession,
    SalesforceMalformedRequest,
)
from simple_salesforce.login import token_login

from infra.settings import Settings
from processors.salesforce_mirror import SalesforceUnavailable, UpsertResult

log = logging.getLogger(__name__)


class _PinnedCaSession(requests.Session):
    """A session that trusts the configured CA file even when REQUESTS_CA_BUNDLE is set (requests lets the
    environment win over `session.verify`)."""

    def __init__(self, ca_bundle: str) -> None:
        super().__init__()
        self.verify = ca_bundle

    def merge_environment_settings(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        settings: dict[str, Any] = super().merge_environment_settings(*args, **kwargs)
        settings["verify"] = self.verify
        return settings


def _errors(item: dict[str, Any]) -> str:
    return "; ".join(
        f"{e.get('statusCode') or e.get('errorCode')}: {e.get('message')}" for e in item.get("errors", [])
    )


class SalesforceClient:
    """Upserts records by external id; raises SalesforceUnavailable when a retry later can help."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        api_version: str = "62.0",
        ca_bundle: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.api_version = api_version
        self.session = _PinnedCaSession(ca_bundle) if ca_bundle else requests.Session()
        self.timeout = timeout
        self.logins = 0
        self._sf: Salesforce | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> SalesforceClient:
        if not settings.salesforce_client_id or not settings.salesforce_client_secret:
            raise ValueError(
                "The Salesforce mirror needs FILMSTUDIO_SALESFORCE_CLIENT_ID and FILMSTUDIO_SALESFORCE_CLIENT_SECRET "
                "(the connected app's consumer key and secret); see docs/salesforce.md."
            )
        return cls(
            settings.salesforce_token_url,
            settings.salesforce_client_id,
            settings.salesforce_client_secret,
            api_version=settings.salesforce_api_version,
            ca_bundle=settings.salesforce_ca_bundle,
        )

    def login(self) -> Salesforce:
        """A new access token by the client-credentials flow (the connected app's run-as user)."""
        try:
            token, instance = token_login(
                self.token_url,
                {
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                },
                "login",
                self.client_id,
                None,
                None,
                self.session,
            )
        except SalesforceAuthenticationFailed as error:
            hint = (
                " Check FILMSTUDIO_SALESFORCE_CLIENT_ID/SECRET and that the connected app enables the "
                "client credentials flow with a run-as user."
                if error.code in ("invalid_client", "invalid_grant", "unauthorized_client")
                else ""
            )
            raise SalesforceUnavailable(f"login refused: {error}.{hint}") from error
        except (requests.ConnectionError, requests.Timeout) as error:
            raise SalesforceUnavailable(f"token endpoint unreachable: {error}") from error
        self.logins += 1
        self._sf = Salesforce(
            instance_url=f"https://{instance}",
            session_id=token,
            version=self.api_version,
            session=self.session,
        )
        return self._sf

    def _call(self, path: str, body: dict[str, Any]) -> Any:
        with self._lock:
            sf = self._sf or self.login()
        try:
            return sf.restful(path, method="PATCH", json=body, timeout=self.timeout)
        except SalesforceExpiredSession:
            log.info("Salesforce session expired; logging in again")
            with self._lock:
                sf = self.login()
            return sf.restful(path, method="PATCH", json=body, timeout=self.timeout)

    def upsert(
        self, sobject: str, external_id_field: str, records: Sequence[dict[str, Any]]
    ) -> list[UpsertResult]:
        body = {"allOrNone": False, "records": [{"attributes": {"type": sobject}, **r} for r in records]}
        try:
            answer = self._call(f"composite/sobjects/{sobject}/{external_id_field}", body)
        except SalesforceMalformedRequest as error:
            if len(records) == 1:
                return [UpsertResult(False, error=f"{error.status}: {error.content!r}")]
            # The whole request was refused: send one by one, so only the bad record is parked.
            return [self.upsert(sobject, external_id_field, [r])[0] for r in records]
        except (requests.ConnectionError, requests.Timeout) as error:
            raise SalesforceUnavailable(f"connection failed: {error}") from error
        except SalesforceAuthenticationFailed as error:
            raise SalesforceUnavailable(f"cannot log in: {error}") from error
        except SalesforceError as error:
            if error.status >= 500 or error.status in (408, 429):
                raise SalesforceUnavailable(f"{error.status}: {error.content!r}") from error
            return [UpsertResult(False, error=f"{error.status}: {error.content!r}") for _ in records]
        return [
            UpsertResult(True, created=bool(item.get("created")))
            if item.get("success")
            else UpsertResult(False, error=_errors(item))
            for item in answer
        ]
