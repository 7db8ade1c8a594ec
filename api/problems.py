"""Every error answer of the server, in the form of the route that failed: an RFC 9457 problem
(application/problem+json) under /api; elsewhere an HTML page with a search box for a browser,
plain text saying what to fix for any other client.

Routes answer errors with `error_for`; errors raised instead (a busy store, a timeout, a failed
internal query, no build, invalid parameters, routing errors) are answered by the handlers that
`add_error_handlers` installs, through the same function.
"""

from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from migkg.api.conneg import prefers_html
from migkg.api.fairness import ClientOverShare, LongLaneFull, StoreBusy
from migkg.api.formats import Offer, acceptable_list
from migkg.api.jsonio import JSONResponse
from migkg.api.querying import InternalQueryFailed
from migkg.api.settings import Settings
from migkg.api.state import TEMPLATES, NoBuild
from migkg.api.store import QueryTimedOut

PROBLEM_MEDIA_TYPE = "application/problem+json"
API_PREFIX = "/api"


class InvalidParameter(BaseModel):
    parameter: str = Field(description="where the fault is: query.limit, path.number, …")
    reason: str


class Problem(BaseModel):
    """An RFC 9457 problem; `hint` says what to try instead, `errors` names each invalid parameter."""

    model_config = ConfigDict(extra="forbid")

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    hint: str | None = None
    errors: list[InvalidParameter] | None = None


def error_for(
    request: Request,
    status: int,
    detail: str,
    *,
    hint: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """An error in the form of the route that failed: problem details under /api, a page for a
    browser elsewhere, plain text for other clients."""
    if request.url.path == API_PREFIX or request.url.path.startswith(f"{API_PREFIX}/"):
        return _problem(request, status, detail, hint, errors, headers)
    if prefers_html(request.headers.get("accept")):
        context = {"status": status, "title": HTTPStatus(status).phrase, "detail": detail, "hint": hint}
        return TEMPLATES.TemplateResponse(request, "error.html", context, status_code=status, headers=headers)
    text = f"{detail} {hint}" if hint else detail
    return PlainTextResponse(text + "\n", status_code=status, headers=headers)


def not_acceptable(request: Request, offers: Iterable[Offer]) -> Response:
    """406: no format in Accept is one of ``offers``."""
    return error_for(
        request,
        406,
        f"None of the formats in Accept is available here; available: {acceptable_list(list(offers))}",
        headers={"Vary": "Accept"},
    )


def _problem(
    request: Request,
    status: int,
    detail: str,
    hint: str | None,
    errors: list[dict[str, str]] | None,
    headers: dict[str, str] | None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if hint:
        body["hint"] = hint
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def add_error_handlers(app: FastAPI, settings: Settings) -> None:
    """Errors raised by routes and by FastAPI, answered through `error_for`."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        """422 naming every invalid parameter and why, instead of FastAPI's own error shape."""
        errors = [
            {"parameter": ".".join(str(part) for part in error["loc"]), "reason": error["msg"]}
            for error in exc.errors()
        ]
        detail = "; ".join(f"{e['parameter']}: {e['reason']}" for e in errors)
        return error_for(
            request,
            422,
            f"Invalid parameters: {detail}",
            errors=errors,
            hint="The OpenAPI description at /openapi.json (or /docs) lists each parameter's type and range.",
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        """Routing errors: a 405, or a 404 that no route caught."""
        detail = f"Nothing is served at {request.url.path}." if exc.status_code == 404 else str(exc.detail)
        return error_for(request, exc.status_code, detail, headers=exc.headers)

    @app.exception_handler(NoBuild)
    async def no_build(request: Request, exc: NoBuild) -> Response:
        return error_for(
            request,
            503,
            str(exc),
            hint="Run `make build`, then restart the server.",
            headers={"Retry-After": str(settings.retry_after)},
        )

    retry = {"Retry-After": str(settings.retry_after)}

    @app.exception_handler(StoreBusy)
    async def busy(request: Request, exc: StoreBusy) -> Response:
        return error_for(
            request,
            503,
            f"All {settings.max_concurrent_queries} query workers stayed busy for as long as the query could "
            f"wait, or {settings.max_waiting_queries} queries (MIGKG_MAX_WAITING_QUERIES) already wait; retry shortly.",
            headers=retry,
        )

    @app.exception_handler(ClientOverShare)
    async def over_share(request: Request, exc: ClientOverShare) -> Response:
        return error_for(
            request,
            429,
            f"This client already has {settings.client_waiting} queries waiting (MIGKG_CLIENT_WAITING) beside the "
            f"{settings.share_per_client} it may run at once (MIGKG_CLIENT_SHARE).",
            hint="Wait for answers before sending more queries.",
            headers=retry,
        )

    @app.exception_handler(LongLaneFull)
    async def long_lane_full(request: Request, exc: LongLaneFull) -> Response:
        return error_for(
            request,
            503,
            f"The query ran past {settings.long_query_after:g} s while {settings.long_lane_size} long queries were "
            "already running, so it was stopped: the other workers are kept for short queries.",
            hint="Retry later, or ask for less: narrow the query or its filters.",
            headers=retry,
        )

    @app.exception_handler(QueryTimedOut)
    async def timed_out(request: Request, exc: QueryTimedOut) -> Response:
        return error_for(
            request,
            503,
            f"The query was not answered within {settings.query_timeout:g} s (MIGKG_QUERY_TIMEOUT, waiting for a "
            "worker included) and was stopped.",
            hint="Ask for less: narrow the query or its filters, or lower its limit.",
            headers=retry,
        )

    @app.exception_handler(InternalQueryFailed)
    async def failed(request: Request, exc: InternalQueryFailed) -> Response:
        return error_for(request, exc.status, exc.message)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error statuses answered with a problem body."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "model": Problem,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
