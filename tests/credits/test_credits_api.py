"""Credits over HTTP with the bundled catalogue: balance, prices, 402 and 403 refusals, history, admin."""

from __future__ import annotations

import time
import uuid
from typing import Any

from fastapi.testclient import TestClient

from infra.container import Studio
from tests.credits.conftest import make_admin
from tests.gateway.conftest import User, create_project, is_problem, sign_up, wait_for_film

SHORT = {"target_seconds": 60, "resolution": "720p"}


def balance(client: TestClient, user: User) -> dict[str, Any]:
    response = client.get("/api/credits/balance", headers=user.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_new_creator_gets_the_free_plans_three_credits(client: TestClient) -> None:
    user = sign_up(client)
    got = balance(client, user)
    assert (got["available"], got["reserved"], got["balance"], got["plan"]) == (3, 0, 3, "free")
    assert got["low"] is True


def test_plans_list_prices_credits_limits_and_topups(client: TestClient) -> None:
    body = client.get("/api/plans").json()
    plans = {p["id"]: p for p in body["plans"]}
    assert [(p["price_cents"], p["monthly_credits"]) for p in plans.values()] == [
        (0, 3), (3900, 30), (4900, 90), (9900, 300)
    ]  # fmt: skip
    assert plans["free"]["watermark"] and plans["free"]["max_seconds"] == 60
    assert [t["credits"] for t in body["topups"] if t["enterprise_only"]] == [300, 600]
    assert "not refund" in body["cancel_refund_policy"]


def test_estimate_rounds_up_to_the_half_minute(client: TestClient) -> None:
    user = sign_up(client)
    got = {
        s: client.get(f"/api/credits/estimate?seconds={s}", headers=user.headers).json()
        for s in (20, 30, 60, 61, 90, 300)
    }
    assert {s: g["credits"] for s, g in got.items()} == {20: 2, 30: 2, 60: 3, 61: 5, 90: 5, 300: 15}
    assert got[60]["affordable"] and not got[61]["affordable"]
    assert not got[90]["within_plan"] and "upgrade" in got[90]["message"]


def test_estimate_of_a_project_uses_its_script_length(client: TestClient) -> None:
    user = sign_up(client)
    project = create_project(client, user, resolution="720p")
    got = client.get(f"/api/credits/estimate?project_id={project['id']}", headers=user.headers).json()
    assert 0 < got["seconds"] <= 30 and got["credits"] == 2


def test_a_film_beyond_the_balance_is_refused_with_balance_cost_and_how_to_top_up(
    client: TestClient,
) -> None:
    user = sign_up(client)
    project = create_project(client, user, **SHORT)["id"]
    first = client.post(f"/api/projects/{project}/films", headers=user.headers)
    assert first.status_code == 202 and first.json()["credits"] == 3
    problem = is_problem(client.post(f"/api/projects/{project}/films", headers=user.headers), 402)
    assert (problem["balance"], problem["cost"], problem["topup_url"]) == (0, 3, "/credits")
    assert problem["detail"].startswith("You have 0 credits; this 60-second film costs 3.")
    film = wait_for_film(client, user, first.json()["film_id"])
    assert film["status"] == "completed"


def test_plan_limits_are_refused_with_403_naming_the_plan_that_lifts_them(client: TestClient) -> None:
    user = sign_up(client)
    long = create_project(client, user, target_seconds=90, resolution="720p")["id"]
    problem = is_problem(client.post(f"/api/projects/{long}/films", headers=user.headers), 403)
    assert "up to 1 min" in problem["detail"] and "Standard" in problem["detail"]
    sharp = create_project(client, user, target_seconds=60, resolution="1080p")["id"]  # asked for explicitly
    problem = is_problem(client.post(f"/api/projects/{sharp}/films", headers=user.headers), 403)
    assert "720p" in problem["detail"] and "Standard" in problem["detail"]
    wordy = create_project(client, user, script="word " * 501, **SHORT)["id"]
    problem = is_problem(client.post(f"/api/projects/{wordy}/films", headers=user.headers), 403)
    assert "500 words" in problem["detail"]
    assert balance(client, user)["available"] == 3, "refusals take no credits"


def test_free_films_carry_the_watermark(client: TestClient, studio: Studio) -> None:
    user = sign_up(client)
    project = create_project(client, user, watermark=False, **SHORT)["id"]
    film_id = client.post(f"/api/projects/{project}/films", headers=user.headers).json()["film_id"]
    film, _ = studio.bus.state_of("film", uuid.UUID(film_id))
    assert film.spec is not None and film.spec.watermark is True


def test_a_completed_film_is_captured_and_shows_in_history_and_usage(client: TestClient) -> None:
    user = sign_up(client)
    project = create_project(client, user, **SHORT)["id"]
    film_id = client.post(f"/api/projects/{project}/films", headers=user.headers).json()["film_id"]
    assert wait_for_film(client, user, film_id)["status"] == "completed"
    history: list[dict[str, Any]] = []
    for _ in range(100):  # the saga captures just after completion
        history = client.get("/api/credits/history", headers=user.headers).json()["items"]
        if history and history[0]["kind"] == "captured":
            break
        time.sleep(0.05)
    assert [(h["kind"], h["credits"], h["balance_after"]) for h in history] == [
        ("captured", 0, 0), ("reserved", -3, 0), ("granted", 3, 3)
    ]  # fmt: skip
    assert history[0]["film_id"] == film_id
    reserved_only = client.get("/api/credits/history?kind=reserved", headers=user.headers).json()["items"]
    assert [h["kind"] for h in reserved_only] == ["reserved"]
    got = balance(client, user)
    assert (got["available"], got["reserved"]) == (0, 0)
    today = client.get("/api/credits/usage?days=3", headers=user.headers).json()["days"][-1]
    assert (today["credits"], today["films"]) == (3, 1)


def test_admin_adjusts_credits_with_a_reason_and_sees_metrics(client: TestClient, studio: Studio) -> None:
    user, admin = sign_up(client), make_admin(client, studio)
    balance(client, user)
    body = {"credits": 7, "reason": "goodwill after an outage"}
    refused = client.post(f"/api/admin/accounts/{user.id}/credits", json=body, headers=user.headers)
    is_problem(refused, 403)
    done = client.post(f"/api/admin/accounts/{user.id}/credits", json=body, headers=admin.headers)
    assert done.status_code == 202
    assert balance(client, user)["available"] == 10
    too_many = {"credits": -11, "reason": "clawback"}
    problem = is_problem(
        client.post(f"/api/admin/accounts/{user.id}/credits", json=too_many, headers=admin.headers), 422
    )
    assert "at most" in problem["detail"]
    at = {"X-Min-Position": str(done.json()["position"])}
    history = client.get("/api/credits/history?kind=adjusted", headers={**user.headers, **at}).json()["items"]
    assert history[0]["reason"] == "goodwill after an outage" and history[0]["credits"] == 7
    metrics = client.get("/api/admin/metrics?days=2", headers={**admin.headers, **at}).json()
    assert metrics["users"] >= 2 and len(metrics["daily"]) == 2
    assert metrics["mrr_by_plan"] == {"standard": 0, "pro": 0, "enterprise": 0}


def test_a_free_project_without_a_resolution_gets_720p_and_its_film_is_accepted(client: TestClient) -> None:
    user = sign_up(client)
    created = create_project(client, user, target_seconds=60)
    project = client.get(
        f"/api/projects/{created['id']}", headers={**user.headers, "X-Min-Position": str(created["position"])}
    ).json()
    assert project["spec"]["resolution"] == "720p"
    film = client.post(f"/api/projects/{created['id']}/films", headers=user.headers)
    assert film.status_code == 202, film.text


def test_the_free_plans_fourth_project_in_a_month_is_refused_naming_the_limit_and_standard(
    client: TestClient,
) -> None:
    user = sign_up(client)
    position = 0
    for _ in range(3):
        answer = client.post(
            "/api/projects",
            json={"title": "T", "script": "One line."},
            headers={**user.headers, "X-Min-Position": str(position)},
        )
        assert answer.status_code == 202, answer.text
        position = answer.json()["position"]
    fourth = client.post(
        "/api/projects",
        json={"title": "T", "script": "One line."},
        headers={**user.headers, "X-Min-Position": str(position)},
    )
    problem = is_problem(fourth, 403)
    assert "3 new projects a month" in problem["detail"] and "Standard" in problem["detail"]
    listed = client.get("/api/projects", headers={**user.headers, "X-Min-Position": str(position)}).json()
    assert listed["total"] == 3
