"""One error format for the whole API: RFC 9457 problem details, with every error mapped to a status here."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from commands.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, PaymentRequired
from events.store import ConcurrencyConflict
from gateway.models import FieldError, Problem

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class Unauthenticated(Exception):
    """The request carries no valid credentials (missing, expired or revoked token, wrong password)."""

    title = "Not authenticated"


class AdminOnly(Exception):
    """The caller is logged in but this route is for administrators."""

    title = "Administrators only"


class NotCaughtUp(Exception):
    """The read model did not reach the position the client asked to read at in time."""

    title = "Read model not caught up"


class TooLarge(Exception):
    """An upload is over its size limit."""

    title = "Upload too large"


STATUS_BY_ERROR: dict[type[Exception], int] = {
    TooLarge: 413,
    NotFound: 404,
    PaymentRequired: 402,
    Forbidden: 403,
    Conflict: 409,
    Invalid: 422,
    DomainError: 400,
    ConcurrencyConflict: 409,
    Unauthenticated: 401,
    AdminOnly: 403,
    NotCaughtUp: 504,
}
"""The one place where an error kind becomes an HTTP status (looked up along the class's MRO)."""


def status_for(error: Exception) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 500


def problem_type(status: int) -> str:
    """A stable, relative type URI per status, e.g. `/problems/not-found`."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return "about:blank"
    return "/problems/" + phrase.lower().replace(" ", "-").replace("'", "")


def problem_response(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    instance: str | None = None,
    errors: list[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """A problem+json response; `extensions` adds members such as the balance and cost of a 402."""
    problem = Problem(
        type=problem_type(status),
        title=title or HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=instance,
        errors=errors,
    )
    return JSONResponse(
        {**(extensions or {}), **problem.model_dump(mode="json", exclude_none=True)},
        status_code=status,
        headers=headers,
        media_type=PROBLEM_JSON,
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting problem+json answers."""
    return {
        status: {"model": Problem, "description": HTTPStatus(status).phrase, "content": {PROBLEM_JSON: {}}}
        for status in statuses
    }


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Post-process an OpenAPI document: every 4xx/5xx answer is problem+json (FastAPI's 422 included)."""
    problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if status[0] in "45":
                    response["content"] = {PROBLEM_JSON: problem}
                    if status == "422":
                        response["description"] = "Invalid request: `errors` names each field to fix"
    schemas = schema.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return schema


def field_errors(error: RequestValidationError) -> list[FieldError]:
    """Pydantic's error list, as the field to fix and what is wrong with it."""
    found = []
    for item in error.errors():
        loc = [str(part) for part in item.get("loc", ())]
        where = loc[0] if loc and loc[0] in ("body", "query", "path", "header", "cookie") else "body"
        parts = loc[1:] if loc and loc[0] == where else loc
        message = str(item.get("msg", "is not valid")).removeprefix("Value error, ")
        if item.get("type") == "missing":
            message = "This field is required."
        elif item.get("type") == "json_invalid":
            message = "The body is not valid JSON: " + str(
                item.get("ctx", {}).get("error", "check the syntax")
            )
        found.append(
            FieldError(
                field=".".join(parts) or where,
                location=where,
                message=message,
                type=str(item.get("type", "")),
            )
        )
    return found


async def _validation_problem(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = field_errors(error)
    named = "; ".join(f"{e.field}: {e.message}" for e in errors)
    return problem_response(
        422,
        f"Fix {'this field' if len(errors) == 1 else 'these fields'} and send the request again. {named}",
        title="Invalid request",
        instance=request.url.path,
        errors=errors,
    )


async def _http_problem(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    detail = str(error.detail)
    if error.status_code == 404 and detail == "Not Found":
        detail = f"No route matches {request.method} {request.url.path}. See /docs for the routes."
    elif error.status_code == 405:
        allowed = allowed_methods(request)
        detail = f"{request.method} is not allowed on {request.url.path}. Use one of: {', '.join(allowed)}."
        return problem_response(405, detail, instance=request.url.path, headers={"Allow": ", ".join(allowed)})
    return problem_response(error.status_code, detail, instance=request.url.path, headers=error.headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette's Allow names only the first route's)."""
    return [
        method
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL
            for route in request.app.router.routes
        )
    ]


async def _known_problem(request: Request, error: Exception) -> JSONResponse:
    status = status_for(error)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    title = getattr(error, "title", None)
    extensions = getattr(error, "extensions", None)
    return problem_response(
        status, str(error), title=title, instance=request.url.path, headers=headers, extensions=extensions
    )


async def _unexpected_problem(request: Request, error: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return problem_response(
        500,
        "Something went wrong on our side. Try again; if it keeps happening, tell the operator.",
        instance=request.url.path,
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error the app can raise through problem+json."""
    app.add_exception_handler(RequestValidationError, _validation_problem)
    app.add_exception_handler(StarletteHTTPException, _http_problem)
    for error_type in STATUS_BY_ERROR:
        app.add_exception_handler(error_type, _known_problem)
    app.add_exception_handler(Exception, _unexpected_problem)
