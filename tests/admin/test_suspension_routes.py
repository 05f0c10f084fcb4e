"""Suspending an account over the admin API: sessions end at once, log-in and refresh say why, reinstating
lets it back in; administrators find accounts by e-mail, role and status."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.gateway.conftest import User, is_problem


def suspend(client: TestClient, admin: User, user: User, reason: str = "spam films") -> dict:  # type: ignore[type-arg]
    response = client.post(f"/api/admin/accounts/{user.id}/suspend", json={"reason": reason}, headers=admin.headers)
    assert response.status_code == 202, response.text
    return dict(response.json())


def test_suspension_ends_open_sessions_at_once(client: TestClient, admin: User, new_user: Callable[[], User]) -> None:
    user = new_user()
    assert client.get("/api/me", headers=user.headers).status_code == 200
    suspend(client, admin, user)
    is_problem(client.get("/api/me", headers=user.headers), 401)
    is_problem(client.get("/api/projects", headers=user.headers), 401)


def test_a_suspended_account_cannot_log_in_and_is_told_why_and_whom_to_contact(
    client: TestClient, admin: User, new_user: Callable[[], User]
) -> None:
    user = new_user()
    suspend(client, admin, user, reason="repeated copyright complaints")
    body = is_problem(client.post("/api/auth/login", json={"email": user.email, "password": user.password}), 403)
    assert body["title"] == "Account suspended"
    assert "repeated copyright complaints" in body["detail"] and "Contact the studio's administrators" in body["detail"]
    # A wrong password still answers 401: the suspension is no news to someone without the password.
    is_problem(client.post("/api/auth/login", json={"email": user.email, "password": "not it at all"}), 401)


def test_a_suspended_account_cannot_refresh(client: TestClient, admin: User, new_user: Callable[[], User]) -> None:
    user = new_user()
    suspend(client, admin, user, reason="abuse")
    body = is_problem(client.post("/api/auth/refresh", json={"refresh_token": user.tokens["refresh_token"]}), 403)
    assert "abuse" in body["detail"]


def test_reinstated_account_logs_in_again_but_old_sessions_stay_ended(
    client: TestClient, admin: User, new_user: Callable[[], User]
) -> None:
    user = new_user()
    suspend(client, admin, user)
    reinstated = client.post(f"/api/admin/accounts/{user.id}/reinstate", json={"note": "appeal accepted"},
                             headers=admin.headers)  # fmt: skip
    assert reinstated.status_code == 202
    login = client.post("/api/auth/login", json={"email": user.email, "password": user.password})
    assert login.status_code == 200, login.text
    assert client.get("/api/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"}).status_code == 200
    is_problem(client.get("/api/me", headers=user.headers), 401)


def test_suspension_needs_a_reason_an_admin_and_another_account(
    client: TestClient, admin: User, new_user: Callable[[], User]
) -> None:
    user, other = new_user(), new_user()
    is_problem(client.post(f"/api/admin/accounts/{user.id}/suspend", json={"reason": ""}, headers=admin.headers), 422)
    is_problem(client.post(f"/api/admin/accounts/{user.id}/suspend", json={"reason": "x"}, headers=other.headers), 403)
    is_problem(client.post(f"/api/admin/accounts/{admin.id}/suspend", json={"reason": "x"}, headers=admin.headers), 409)
    missing = "00000000-0000-4000-8000-000000000000"
    is_problem(client.post(f"/api/admin/accounts/{missing}/suspend", json={"reason": "x"}, headers=admin.headers), 404)
    assert client.get("/api/me", headers=user.headers).status_code == 200  # none of that touched the user


def test_admins_find_accounts_by_email_role_and_status(
    client: TestClient, admin: User, new_user: Callable[[], User]
) -> None:
    users = [new_user() for _ in range(3)]
    suspend(client, admin, users[0], reason="spam")
    by_email = client.get("/api/admin/accounts", params={"email": users[1].email[:6].upper()}, headers=admin.headers)
    assert by_email.status_code == 200
    assert [a["email"] for a in by_email.json()["items"]] == [users[1].email]
    suspended = client.get("/api/admin/accounts", params={"status": "suspended", "limit": 200},
                           headers=admin.headers).json()  # fmt: skip
    row = next(a for a in suspended["items"] if a["id"] == str(users[0].id))
    assert row["status"] == "suspended" and row["suspension_reason"] == "spam"
    assert row["status_changed_by"] == str(admin.id)
    assert all(a["status"] == "suspended" for a in suspended["items"])
    admins = client.get("/api/admin/accounts", params={"role": "admin", "limit": 200}, headers=admin.headers).json()
    assert str(admin.id) in {a["id"] for a in admins["items"]} and all(a["role"] == "admin" for a in admins["items"])
    everyone = client.get("/api/admin/accounts", params={"limit": 2, "offset": 1}, headers=admin.headers).json()
    assert len(everyone["items"]) == 2 and everyone["total"] >= 5 and everyone["offset"] == 1
    # The e-mail filter is a literal substring: `_` and `%` match only themselves.
    assert client.get("/api/admin/accounts", params={"email": "%"}, headers=admin.headers).json()["total"] == 0


def test_creators_cannot_list_accounts(client: TestClient, new_user: Callable[[], User]) -> None:
    is_problem(client.get("/api/admin/accounts", headers=new_user().headers), 403)
