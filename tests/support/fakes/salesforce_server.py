"""A local Salesforce REST fake over HTTPS: OAuth 2.0 token endpoint, sObject upsert by external id, GET by
id, simple SOQL queries and sObject Collections upserts, with the fields of the SFDX metadata this repo
ships (an unknown field is refused as Salesforce would). Errors can be injected: outages (503 for a time
on the fake's clock), poison records (400 / per-record errors) and expired sessions (401)."""

from __future__ import annotations

import json
import re
import secrets
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from tests.support.fakes.tls import self_signed_certificate

METADATA = (
    Path(__file__).resolve().parents[3]
    / "infra"
    / "salesforce"
    / "force-app"
    / "main"
    / "default"
    / "objects"
)
STANDARD_FIELDS = {"Contact": {"Id", "LastName", "FirstName", "Email", "Phone"}}
REQUIRED = {"Contact": {"LastName"}}
PREFIX = {"Contact": "003", "AI_Project__c": "a01", "AI_Credit__c": "a02", "YouTube_Integration__c": "a03"}


def schema_from_metadata(root: Path = METADATA) -> dict[str, set[str]]:
    """Object -> writable fields, read from the SFDX source (custom fields plus a few standard ones)."""
    objects: dict[str, set[str]] = {}
    for folder in sorted(root.iterdir()):
        fields = {
            p.name.removesuffix(".field-meta.xml") for p in (folder / "fields").glob("*.field-meta.xml")
        }
        meta = folder / f"{folder.name}.object-meta.xml"
        if meta.exists() and "<type>Text</type>\n    </nameField>" in meta.read_text().replace(
            "        <type>", "    <type>"
        ):
            fields.add("Name")
        objects[folder.name] = fields | STANDARD_FIELDS.get(folder.name, {"Id"})
    return objects


class RecordError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: list[str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or []


@dataclass
class FakeOrg:
    """The org's state and the injected faults; the HTTP handler calls into it under one lock."""

    client_id: str = "fake-client-id"
    client_secret: str = "fake-client-secret"
    clock: Callable[[], float] = time.monotonic
    schema: dict[str, set[str]] = field(default_factory=schema_from_metadata)
    records: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    writes: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    """Every accepted write: (object, external id value, the fields written)."""
    requests: list[tuple[str, str, int]] = field(default_factory=list)
    down_until: float = 0.0
    poison: Callable[[str, dict[str, Any]], bool] = lambda sobject, body: False
    lock: threading.RLock = field(default_factory=threading.RLock)
    _ids: int = 0

    # --- faults -------------------------------------------------------------------------------------
    def outage(self, seconds: float) -> None:
        """Answer 503 to everything for `seconds` of the fake's clock."""
        self.down_until = self.clock() + seconds

    def expire_sessions(self) -> None:
        self.tokens.clear()

    # --- reading the org ----------------------------------------------------------------------------
    def by_external_id(self, sobject: str, field_name: str) -> dict[str, dict[str, Any]]:
        return {str(r[field_name]): r for r in self.records.get(sobject, {}).values() if r.get(field_name)}

    def snapshot(
        self, without: tuple[str, ...] = ("Id", "Contact__c", "CreatedDate", "LastModifiedDate")
    ) -> dict[str, Any]:
        """Every record by object and external id, without the fields that differ between two orgs."""
        externals = {
            o: next((f for f in fs if f.startswith("AI_") and f.endswith("ID__c")), "Id")
            for o, fs in self.schema.items()
        }
        return {
            sobject: {
                str(r.get(externals[sobject])): {k: v for k, v in r.items() if k not in without}
                for r in rows.values()
            }
            for sobject, rows in self.records.items()
        }

    # --- writing ------------------------------------------------------------------------------------
    def upsert(self, sobject: str, ext_field: str, ext_value: str, body: dict[str, Any]) -> tuple[str, bool]:
        if sobject not in self.schema:
            raise RecordError(
                404, "NOT_FOUND", f"The requested resource does not exist: sobject type '{sobject}'"
            )
        if ext_field not in self.schema[sobject]:
            raise RecordError(
                404,
                "NOT_FOUND",
                f"Provided external ID field does not exist or is not accessible: {ext_field}",
            )
        values: dict[str, Any] = {}
        for key, value in body.items():
            if key == "attributes":
                continue
            if key.endswith("__r") and isinstance(value, dict):
                values[key[:-3] + "__c"] = self._resolve(sobject, key, value)
                continue
            if key not in self.schema[sobject]:
                raise RecordError(
                    400, "INVALID_FIELD", f"No such column '{key}' on sobject of type {sobject}", [key]
                )
            values[key] = value
        if str(values.get(ext_field, ext_value)) != ext_value:
            raise RecordError(
                400, "INVALID_FIELD", f"The external ID in the URL and the body differ for {ext_field}"
            )
        values[ext_field] = ext_value
        if self.poison(sobject, values):
            raise RecordError(
                400, "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Rejected by a validation rule", list(values)
            )
        existing = self.by_external_id(sobject, ext_field).get(ext_value)
        if existing is None:
            missing = REQUIRED.get(sobject, set()) - {k for k, v in values.items() if v}
            if missing:
                raise RecordError(
                    400,
                    "REQUIRED_FIELD_MISSING",
                    f"Required fields are missing: {sorted(missing)}",
                    sorted(missing),
                )
            self._ids += 1
            record_id = f"{PREFIX.get(sobject, 'a09')}{self._ids:015d}"[:18]
            self.records.setdefault(sobject, {})[record_id] = {"Id": record_id, **values}
            created = True
        else:
            existing.update(values)
            record_id, created = existing["Id"], False
        self.writes.append((sobject, ext_value, values))
        return record_id, created

    def _resolve(self, sobject: str, relationship: str, reference: dict[str, Any]) -> str:
        field_name = relationship[:-3] + "__c"
        if field_name not in self.schema[sobject]:
            raise RecordError(
                400, "INVALID_FIELD", f"No such column '{relationship}' on sobject of type {sobject}"
            )
        target = "Contact"
        ((key, value),) = [(k, v) for k, v in reference.items() if k != "attributes"]
        found = self.by_external_id(target, key).get(str(value))
        if found is None:
            raise RecordError(
                400,
                "INVALID_FIELD",
                f"Foreign key external ID: {value} not found for field {key} in entity {target}",
                [relationship],
            )
        return str(found["Id"])


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _dispatch(self, method: str) -> None:
        org = self.server.org
        url = urlparse(self.path)
        raw = self._body()
        with org.lock:
            down = org.clock() < org.down_until
            status = self._route(org, method, url.path, url.query, raw, down)
            org.requests.append((method, url.path, status))

    def _route(self, org: FakeOrg, method: str, path: str, query: str, raw: bytes, down: bool) -> int:
        if path == "/services/oauth2/token" and method == "POST":
            if down:
                self._send(503, {"error": "temporarily_unavailable", "error_description": "maintenance"})
                return 503
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            if form.get("grant_type") != "client_credentials":
                self._send(
                    400, {"error": "unsupported_grant_type", "error_description": "grant type not supported"}
                )
                return 400
            if (form.get("client_id"), form.get("client_secret")) != (org.client_id, org.client_secret):
                self._send(
                    400, {"error": "invalid_client", "error_description": "invalid client credentials"}
                )
                return 400
            token = "00D" + secrets.token_hex(16)
            org.tokens.add(token)
            host, port = str(self.server.server_address[0]), int(self.server.server_address[1])
            self._send(
                200,
                {
                    "access_token": token,
                    "instance_url": f"https://{host}:{port}",
                    "token_type": "Bearer",
                    "issued_at": str(int(time.time() * 1000)),
                    "id": f"https://{host}:{port}/id/00D/005",
                },
            )
            return 200
        if down:
            self._send(
                503, [{"errorCode": "SERVER_UNAVAILABLE", "message": "Salesforce is down for maintenance"}]
            )
            return 503
        bearer = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        if bearer not in org.tokens:
            self._send(401, [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])
            return 401
        match = re.fullmatch(r"/services/data/v\d+\.\d+/(.*)", path)
        if match is None:
            self._send(404, [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}])
            return 404
        rest = [unquote(p) for p in match.group(1).split("/")]
        try:
            if method == "PATCH" and rest[:2] == ["composite", "sobjects"] and len(rest) == 4:
                return self._collection(org, rest[2], rest[3], json.loads(raw))
            if method == "PATCH" and rest[0] == "sobjects" and len(rest) == 4:
                record_id, created = org.upsert(rest[1], rest[2], rest[3], json.loads(raw))
                self._send(
                    201 if created else 204,
                    {"id": record_id, "success": True, "errors": [], "created": True} if created else None,
                )
                return 201 if created else 204
            if method == "GET" and rest[0] == "sobjects" and len(rest) in (3, 4):
                rows = org.records.get(rest[1], {})
                found = (
                    rows.get(rest[2]) if len(rest) == 3 else org.by_external_id(rest[1], rest[2]).get(rest[3])
                )
                if found is None:
                    raise RecordError(404, "NOT_FOUND", "The requested resource does not exist")
                self._send(200, {"attributes": {"type": rest[1]}, **found})
                return 200
            if method == "GET" and rest[0] == "query":
                return self._query(org, parse_qs(query).get("q", [""])[0])
        except RecordError as error:
            self._send(
                error.status, [{"errorCode": error.code, "message": error.message, "fields": error.fields}]
            )
            return error.status
        self._send(404, [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}])
        return 404

    def _collection(self, org: FakeOrg, sobject: str, ext_field: str, body: dict[str, Any]) -> int:
        records = body.get("records", [])
        if len(records) > 200:
            raise RecordError(
                400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records"
            )
        results = []
        for record in records:
            if (record.get("attributes") or {}).get("type") != sobject:
                results.append(
                    {
                        "success": False,
                        "errors": [
                            {
                                "statusCode": "INVALID_TYPE",
                                "message": "attributes.type must be " + sobject,
                                "fields": [],
                            }
                        ],
                    }
                )
                continue
            try:
                record_id, created = org.upsert(sobject, ext_field, str(record.get(ext_field, "")), record)
            except RecordError as error:
                results.append(
                    {
                        "success": False,
                        "errors": [
                            {"statusCode": error.code, "message": error.message, "fields": error.fields}
                        ],
                    }
                )
                continue
            results.append({"id": record_id, "success": True, "errors": [], "created": created})
        self._send(200, results)
        return 200

    def _query(self, org: FakeOrg, soql: str) -> int:
        found = re.fullmatch(
            r"SELECT (.+?) FROM (\w+)(?: WHERE (\w+) = '([^']*)')?", soql.strip(), re.IGNORECASE
        )
        if found is None:
            raise RecordError(
                400,
                "MALFORMED_QUERY",
                f"The fake understands SELECT a, b FROM X [WHERE f = 'v'], not: {soql}",
            )
        names = [n.strip() for n in found.group(1).split(",")]
        rows = list(org.records.get(found.group(2), {}).values())
        if found.group(3):
            rows = [r for r in rows if str(r.get(found.group(3))) == found.group(4)]
        out = [{"attributes": {"type": found.group(2)}, **{n: r.get(n) for n in names}} for r in rows]
        self._send(200, {"totalSize": len(out), "done": True, "records": out})
        return 200

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    org: FakeOrg


@dataclass
class RunningFake:
    org: FakeOrg
    url: str
    ca_bundle: str

    @property
    def token_url(self) -> str:
        return f"{self.url}/services/oauth2/token"


@contextmanager
def running_salesforce(org: FakeOrg | None = None) -> Iterator[RunningFake]:
    """Serve a fake org over HTTPS on a free loopback port; yields its URLs and the CA file to trust."""
    org = org or FakeOrg()
    with tempfile.TemporaryDirectory(prefix="fake-sf-") as tmp:
        cert, key = self_signed_certificate(Path(tmp), "fake.salesforce.test")
        server = _Server(("127.0.0.1", 0), _Handler)
        server.org = org
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield RunningFake(org, f"https://127.0.0.1:{server.server_address[1]}", str(cert))
        finally:
            server.shutdown()
            server.server_close()
