"""RFC 9457 problem details: the error body of every /api route."""

from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from migkg.api.responses import error

PROBLEM_MEDIA_TYPE = "application/problem+json"


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


def problem(request: Request, status: int, detail: str, *, hint: str | None = None,
            errors: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
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


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 naming every invalid parameter and why, instead of FastAPI's own error shape."""
    errors = [{"parameter": ".".join(str(part) for part in error["loc"]), "reason": error["msg"]}
              for error in exc.errors()]
    detail = "; ".join(f"{e['parameter']}: {e['reason']}" for e in errors)
    return problem(request, 422, f"Invalid parameters: {detail}", errors=errors,
                   hint="The OpenAPI description at /openapi.json (or /docs) lists each parameter's type and range.")


def error_for(request: Request, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    """An error in the form of the route that failed: problem details under /api, plain text elsewhere."""
    if request.url.path == "/api" or request.url.path.startswith("/api/"):
        return problem(request, status, detail, headers=headers)
    return error(status, detail, headers)


async def http_error(request: Request, exc: HTTPException) -> Response:
    """Routing errors: a 405, or a 404 that no route caught."""
    return error_for(request, exc.status_code, str(exc.detail), exc.headers)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error statuses answered with a problem body."""
    return {
        status: {"description": HTTPStatus(status).phrase, "model": Problem,
                 "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
        for status in statuses
    }
