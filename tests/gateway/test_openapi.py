"""The API describes itself at /docs and /openapi.json, and refuses cross-origin use unless configured."""

from __future__ import annotations

from fastapi.testclient import TestClient

from infra.container import Studio
from tests.gateway.conftest import make_app


def test_every_route_has_a_tag_a_summary_and_documents_its_problems(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    tags = {t["name"] for t in spec["tags"]}
    assert {"auth", "projects", "films", "artifacts", "admin"} <= tags
    operations = [(path, m, op) for path, ops in spec["paths"].items() for m, op in ops.items()]
    assert len(operations) >= 15
    for path, method, op in operations:
        assert op.get("summary") and set(op.get("tags", ())) <= tags and op.get("tags"), (path, method)
        errors = {s: r for s, r in op["responses"].items() if s[0] in "45"}
        assert errors, (path, method)
        assert all(list(r["content"]) == ["application/problem+json"] for r in errors.values()), (
            path,
            method,
        )
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_docs_page_is_served(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_cross_origin_requests_get_no_cors_headers_by_default(client: TestClient) -> None:
    preflight = client.options(
        "/api/projects", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_configured_origins_are_allowed(studio: Studio) -> None:
    with TestClient(make_app(studio, cors_origins=["https://studio.example"])) as c:
        preflight = c.options(
            "/api/projects",
            headers={"Origin": "https://studio.example", "Access-Control-Request-Method": "POST"},
        )
        assert preflight.headers["access-control-allow-origin"] == "https://studio.example"
