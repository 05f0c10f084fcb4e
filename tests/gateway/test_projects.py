"""Projects over HTTP: create, read your writes, list, change, delete, audit, idempotency, errors."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from infra.container import Studio
from tests.gateway.conftest import SCRIPT, User, create_project, is_problem, make_app, sign_up


def pos(position: int) -> dict[str, str]:
    return {"X-Min-Position": str(position)}


def test_created_project_is_readable_at_its_position(client: TestClient) -> None:
    user = sign_up(client)
    accepted = create_project(client, user, title="Monsoon", fps=30, aspects=["16:9", "9:16"])
    assert accepted["position"] > 0 and accepted["duplicate"] is False
    project = client.get(
        f"/api/projects/{accepted['id']}", headers={**user.headers, **pos(accepted["position"])}
    )
    assert project.status_code == 200
    body = project.json()
    assert body["title"] == "Monsoon" and body["film_count"] == 0
    assert body["spec"]["script"] == SCRIPT
    assert body["spec"]["fps"] == 30 and body["spec"]["aspects"] == ["16:9", "9:16"]
    assert body["spec"]["resolution"] == "1080p"  # a default filled in


def test_min_position_works_as_a_query_parameter_too(client: TestClient) -> None:
    user = sign_up(client)
    accepted = create_project(client, user)
    url = f"/api/projects/{accepted['id']}?min_position={accepted['position']}"
    assert client.get(url, headers=user.headers).status_code == 200


def test_a_position_the_read_model_never_reaches_is_a_504_problem(studio: Studio) -> None:
    with TestClient(make_app(studio, read_wait_seconds=0.2)) as impatient:
        user = sign_up(impatient)
        far = studio.store.last_position() + 1000
        problem = is_problem(impatient.get("/api/projects", headers={**user.headers, **pos(far)}), 504)
        assert str(far) in problem["detail"] and "Retry" in problem["detail"]


def test_project_list_holds_only_mine_newest_first_in_pages(client: TestClient) -> None:
    me, other = sign_up(client), sign_up(client)
    create_project(client, other, title="Not mine")
    last = 0
    for n in range(5):
        last = create_project(client, me, title=f"Film {n}")["position"]
    first_page = client.get("/api/projects?limit=2", headers={**me.headers, **pos(last)}).json()
    assert first_page["total"] == 5 and first_page["limit"] == 2 and first_page["offset"] == 0
    assert [p["title"] for p in first_page["items"]] == ["Film 4", "Film 3"]
    rest = client.get("/api/projects?limit=10&offset=2", headers=me.headers).json()
    assert [p["title"] for p in rest["items"]] == ["Film 2", "Film 1", "Film 0"]


def test_patch_changes_only_the_given_fields(client: TestClient) -> None:
    user = sign_up(client)
    project_id = create_project(client, user, title="Draft", music="ambient")["id"]
    patch = client.patch(
        f"/api/projects/{project_id}",
        json={"title": "Final", "subtitles": {"burn_in": False}},
        headers=user.headers,
    )
    assert patch.status_code == 202
    assert patch.json()["id"] == project_id
    body = client.get(
        f"/api/projects/{project_id}", headers={**user.headers, **pos(patch.json()["position"])}
    ).json()
    assert body["title"] == "Final"
    assert body["spec"]["music"] == "ambient" and body["spec"]["script"] == SCRIPT
    assert body["spec"]["subtitles"]["burn_in"] is False
    assert body["version"] == 2


def test_patch_with_an_out_of_range_value_names_the_field(client: TestClient) -> None:
    user = sign_up(client)
    project_id = create_project(client, user)["id"]
    response = client.patch(
        f"/api/projects/{project_id}", json={"fps": 25, "target_seconds": 5}, headers=user.headers
    )
    problem = is_problem(response, 422)
    assert {e["field"] for e in problem["errors"]} == {"fps", "target_seconds"}
    assert all(e["location"] == "body" for e in problem["errors"])


def test_a_change_the_domain_refuses_is_a_422_problem_saying_why(client: TestClient) -> None:
    user = sign_up(client)
    project_id = create_project(client, user)["id"]
    problem = is_problem(
        client.patch(f"/api/projects/{project_id}", json={"title": None}, headers=user.headers), 422
    )
    assert problem["title"] == "Invalid request" and "not valid" in problem["detail"]


def test_patch_with_no_fields_asks_for_one(client: TestClient) -> None:
    user = sign_up(client)
    project_id = create_project(client, user)["id"]
    problem = is_problem(client.patch(f"/api/projects/{project_id}", json={}, headers=user.headers), 422)
    assert "at least one field" in problem["detail"]


def test_unknown_and_missing_fields_on_create_are_named(client: TestClient) -> None:
    user = sign_up(client)
    response = client.post("/api/projects", json={"title": "X", "colour_grade": "teal"}, headers=user.headers)
    problem = is_problem(response, 422)
    fields = {e["field"]: e for e in problem["errors"]}
    assert fields["script"]["type"] == "missing" and fields["script"]["message"] == "This field is required."
    assert fields["colour_grade"]["type"] == "extra_forbidden"


def test_malformed_json_is_a_problem(client: TestClient) -> None:
    user = sign_up(client)
    response = client.post(
        "/api/projects", content=b'{"title": ', headers={**user.headers, "Content-Type": "application/json"}
    )
    problem = is_problem(response, 422)
    assert problem["errors"][0]["type"] == "json_invalid"


def test_deleted_project_is_gone_from_reads_and_cannot_be_changed(client: TestClient) -> None:
    user = sign_up(client)
    project_id = create_project(client, user)["id"]
    deleted = client.delete(f"/api/projects/{project_id}", headers=user.headers)
    assert deleted.status_code == 202
    at = pos(deleted.json()["position"])
    is_problem(client.get(f"/api/projects/{project_id}", headers={**user.headers, **at}), 404)
    assert client.get("/api/projects", headers=user.headers).json()["total"] == 0
    is_problem(client.patch(f"/api/projects/{project_id}", json={"title": "Back"}, headers=user.headers), 404)
    is_problem(client.delete(f"/api/projects/{project_id}", headers=user.headers), 404)


def test_audit_trail_lists_what_happened_in_order(client: TestClient) -> None:
    user = sign_up(client)
    project_id = create_project(client, user)["id"]
    patched = client.patch(
        f"/api/projects/{project_id}", json={"music": "piano"}, headers=user.headers
    ).json()
    trail = client.get(
        f"/api/projects/{project_id}/audit", headers={**user.headers, **pos(patched["position"])}
    )
    items = trail.json()["items"]
    assert [i["type"] for i in items] == ["ProjectCreated", "ProjectUpdated"]
    assert items[1]["summary"] == "changed music"
    assert {i["actor"] for i in items} == {str(user.id)}
    assert trail.json()["next_after"] is None


def count_events(studio: Studio) -> int:
    return len(studio.store.read(after=0, limit=1_000_000))


def test_repeating_an_idempotency_key_returns_the_first_outcome_and_appends_nothing(
    client: TestClient, studio: Studio
) -> None:
    user = sign_up(client)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = client.post(
        "/api/projects", json={"title": "Once", "script": SCRIPT}, headers={**user.headers, **key}
    )
    events = count_events(studio)
    again = client.post(
        "/api/projects", json={"title": "Once", "script": SCRIPT}, headers={**user.headers, **key}
    )
    assert again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["position"] == first.json()["position"]
    assert again.json()["duplicate"] is True
    assert count_events(studio) == events
    listing = client.get("/api/projects", headers={**user.headers, **pos(first.json()["position"])}).json()
    assert listing["total"] == 1


def test_two_users_sending_the_same_idempotency_key_get_their_own_projects(client: TestClient) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    alice, bob = sign_up(client), sign_up(client)
    a = client.post("/api/projects", json={"title": "A", "script": SCRIPT}, headers={**alice.headers, **key})
    b = client.post("/api/projects", json={"title": "B", "script": SCRIPT}, headers={**bob.headers, **key})
    assert a.json()["id"] != b.json()["id"] and b.json()["duplicate"] is False


def test_an_idempotency_key_that_is_not_a_uuid_is_named(client: TestClient, new_user: object) -> None:
    user: User = sign_up(client)
    response = client.post(
        "/api/projects",
        json={"title": "A", "script": SCRIPT},
        headers={**user.headers, "Idempotency-Key": "abc"},
    )
    problem = is_problem(response, 422)
    assert problem["errors"][0]["field"] == "Idempotency-Key" and problem["errors"][0]["location"] == "header"


def test_unknown_route_and_wrong_method_are_problems(client: TestClient) -> None:
    missing = is_problem(client.get("/api/nothing-here"), 404)
    assert "/docs" in missing["detail"]
    wrong = client.put("/api/projects")
    problem = is_problem(wrong, 405)
    assert "GET" in problem["detail"] and "POST" in problem["detail"]


def test_a_path_id_that_is_not_a_uuid_is_named(client: TestClient) -> None:
    user = sign_up(client)
    problem = is_problem(client.get("/api/projects/42", headers=user.headers), 422)
    assert problem["errors"][0]["field"] == "project_id" and problem["errors"][0]["location"] == "path"


def test_an_unexpected_error_is_a_500_problem_that_hides_the_internals(studio: Studio) -> None:
    app = make_app(studio)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret internal state")

    with TestClient(app, raise_server_exceptions=False) as c:
        problem = is_problem(c.get("/api/boom"), 500)
        assert "secret" not in problem["detail"] and "Try again" in problem["detail"]


def test_one_idempotency_key_on_two_projects_changes_both(client: TestClient) -> None:
    user = sign_up(client)
    first, second = create_project(client, user)["id"], create_project(client, user)["id"]
    key = {**user.headers, "Idempotency-Key": str(uuid.uuid4())}
    a = client.patch(f"/api/projects/{first}", json={"title": "One"}, headers=key).json()
    b = client.patch(f"/api/projects/{second}", json={"title": "Two"}, headers=key).json()
    assert (a["id"], b["id"]) == (first, second) and b["duplicate"] is False
    titles = client.get("/api/projects", headers={**user.headers, **pos(b["position"])}).json()["items"]
    assert sorted(p["title"] for p in titles) == ["One", "Two"]
