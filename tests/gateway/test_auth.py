"""Accounts and sessions over HTTP: register, log in, refresh, log out, me, roles."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
from fastapi.testclient import TestClient

from commands.account import account_id_for
from gateway.security import Tokens
from infra.container import Studio
from schemas.commands import ChangeRole
from tests.gateway.conftest import is_problem, register, sign_up


def test_registered_creator_logs_in_and_sees_themself(client: TestClient) -> None:
    registered = register(client, "Asha@Example.com")
    assert registered.status_code == 201
    assert registered.headers["location"] == "/api/me"
    assert registered.json()["id"] == str(account_id_for("asha@example.com"))
    # Login right after registering works: it checks the aggregate, not the read model.
    login = client.post("/api/auth/login", json={"email": "asha@example.com", "password": "correct horse"})
    assert login.status_code == 200
    tokens = login.json()
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 15 * 60
    assert tokens["refresh_expires_in"] == 14 * 24 * 3600
    me = client.get("/api/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200
    assert me.json() == {
        "id": str(account_id_for("asha@example.com")),
        "email": "asha@example.com",
        "display_name": "Asha",
        "role": "creator",
        "language": "en",
    }


def test_both_tokens_name_the_login_session(client: TestClient, studio: Studio) -> None:
    user = sign_up(client)
    secret = studio.settings.jwt_secret
    access = jwt.decode(user.tokens["access_token"], secret, algorithms=["HS256"], issuer="ai-film-studio")
    refresh = jwt.decode(user.tokens["refresh_token"], secret, algorithms=["HS256"], issuer="ai-film-studio")
    assert access["sid"] == refresh["sid"] == user.tokens["session_id"]
    assert access["typ"] == "access" and refresh["typ"] == "refresh"
    assert access["exp"] - access["iat"] == 15 * 60
    assert refresh["exp"] - refresh["iat"] == 14 * 24 * 3600
    account, _ = studio.bus.state_of("account", user.id)
    assert user.tokens["session_id"] in account.sessions


def test_duplicate_email_is_a_409_problem(client: TestClient) -> None:
    assert register(client, "ravi@example.com").status_code == 201
    problem = is_problem(register(client, "  RAVI@example.com "), 409)
    assert "already exists" in problem["detail"]


def test_wrong_password_and_unknown_email_get_the_same_401(client: TestClient) -> None:
    sign_up(client, "mei@example.com")
    wrong = client.post("/api/auth/login", json={"email": "mei@example.com", "password": "not the password"})
    unknown = client.post(
        "/api/auth/login", json={"email": "nobody@example.com", "password": "correct horse"}
    )
    assert is_problem(wrong, 401) == {**is_problem(unknown, 401)}
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_request_without_token_is_a_401_problem_asking_for_bearer(client: TestClient) -> None:
    response = client.get("/api/me")
    problem = is_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in problem["detail"]


def test_expired_access_token_is_refused_with_a_refresh_hint(client: TestClient, studio: Studio) -> None:
    user = sign_up(client)
    tokens = Tokens.from_settings(studio.settings)
    old = tokens.encode(
        user.id, user.tokens["session_id"], "access", now=datetime.now(UTC) - timedelta(minutes=16)
    )
    problem = is_problem(client.get("/api/me", headers={"Authorization": f"Bearer {old}"}), 401)
    assert "expired" in problem["detail"] and "/api/auth/refresh" in problem["detail"]


def test_expired_refresh_token_is_refused(client: TestClient, studio: Studio) -> None:
    user = sign_up(client)
    tokens = Tokens.from_settings(studio.settings)
    old = tokens.encode(
        user.id, user.tokens["session_id"], "refresh", now=datetime.now(UTC) - timedelta(days=15)
    )
    problem = is_problem(client.post("/api/auth/refresh", json={"refresh_token": old}), 401)
    assert "expired" in problem["detail"]


def test_token_signed_with_another_secret_is_refused(client: TestClient) -> None:
    user = sign_up(client)
    forged = Tokens("someone-elses-secret", timedelta(minutes=15), timedelta(days=1)).encode(
        user.id, user.tokens["session_id"], "access"
    )
    is_problem(client.get("/api/me", headers={"Authorization": f"Bearer {forged}"}), 401)


def test_refresh_token_is_not_accepted_as_an_access_token(client: TestClient) -> None:
    user = sign_up(client)
    response = client.get("/api/me", headers={"Authorization": f"Bearer {user.tokens['refresh_token']}"})
    assert "send the access token" in is_problem(response, 401)["detail"]


def test_refresh_rotates_the_session_and_refuses_the_old_tokens(client: TestClient) -> None:
    user = sign_up(client)
    response = client.post("/api/auth/refresh", json={"refresh_token": user.tokens["refresh_token"]})
    assert response.status_code == 200
    fresh = response.json()
    assert fresh["session_id"] != user.tokens["session_id"]
    assert (
        client.get("/api/me", headers={"Authorization": f"Bearer {fresh['access_token']}"}).status_code == 200
    )
    # The rotated-away session is over: its access token and a second use of its refresh token fail.
    is_problem(client.get("/api/me", headers=user.headers), 401)
    reuse = client.post("/api/auth/refresh", json={"refresh_token": user.tokens["refresh_token"]})
    assert "Log in again" in is_problem(reuse, 401)["detail"]
    again = client.post("/api/auth/refresh", json={"refresh_token": fresh["refresh_token"]})
    assert again.status_code == 200


def test_logout_revokes_the_sessions_access_and_refresh_tokens(client: TestClient) -> None:
    user = sign_up(client)
    other_device = client.post(
        "/api/auth/login", json={"email": user.email, "password": user.password}
    ).json()
    assert client.post("/api/auth/logout", headers=user.headers).status_code == 204
    is_problem(client.get("/api/me", headers=user.headers), 401)
    is_problem(client.post("/api/auth/refresh", json={"refresh_token": user.tokens["refresh_token"]}), 401)
    # Only that session ended: the same account's other session still works.
    other = {"Authorization": f"Bearer {other_device['access_token']}"}
    assert client.get("/api/me", headers=other).status_code == 200


def test_login_retried_with_an_idempotency_key_reopens_the_same_session(
    client: TestClient, studio: Studio
) -> None:
    user = sign_up(client)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"email": user.email, "password": user.password}
    first = client.post("/api/auth/login", json=body, headers=key).json()
    events_before = studio.store.last_position()
    second = client.post("/api/auth/login", json=body, headers=key).json()
    assert first["session_id"] == second["session_id"]
    assert studio.store.last_position() == events_before
    assert (
        client.get("/api/me", headers={"Authorization": f"Bearer {second['access_token']}"}).status_code
        == 200
    )


def test_short_password_is_a_problem_naming_the_field(client: TestClient) -> None:
    response = client.post(
        "/api/auth/register", json={"email": "not-an-email", "password": "short", "display_name": "X"}
    )
    problem = is_problem(response, 422)
    fields = {e["field"]: e["message"] for e in problem["errors"]}
    assert set(fields) == {"email", "password"}
    assert "8 characters" in fields["password"]
    assert "name@example.com" in fields["email"]
    assert "password" in problem["detail"] and "email" in problem["detail"]


def test_admin_routes_refuse_creators_and_serve_admins(client: TestClient, studio: Studio) -> None:
    creator = sign_up(client)
    admin = sign_up(client)
    problem = is_problem(client.get("/api/admin/films", headers=admin.headers), 403)
    assert "administrators" in problem["detail"]
    outcome = studio.bus.handle(ChangeRole(account_id=admin.id, role="admin"))
    headers = {**admin.headers, "X-Min-Position": str(outcome.position)}
    assert client.get("/api/me", headers=headers).json()["role"] == "admin"
    assert client.get("/api/admin/films", headers=headers).status_code == 200
    is_problem(client.get("/api/admin/films", headers=creator.headers), 403)
