"""Every request's id, its access-log line and its count in the metrics: ASGI middleware, outermost.

The id is the client's own ``X-Request-ID`` when it is a sane token (a proxy's or a caller's, so one
id follows a request across systems), else a new one; it is echoed in the response's
``X-Request-ID`` and written in the access log, one JSON object a line (``JsonLines``; ``LOGGING``
is the configuration `migkg serve` runs with). Answers of the probe routes are logged at DEBUG:
a load balancer asks every few seconds.

A plain ASGI middleware rather than Starlette's BaseHTTPMiddleware, for the reason caching.py gives.
"""

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from migkg.api import metrics
from migkg.api.asgi_headers import add_headers, header

HEADER = "X-Request-ID"
HEADER_NAME = HEADER.lower().encode()
SANE_ID = re.compile(r"[A-Za-z0-9._:+/=-]{1,128}")
NO_ANSWER = 499  # the client hung up before any answer (nginx's status for it)
ACCESS_LOG = logging.getLogger("migkg.access")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "migkg.api.request_ids.JsonLines"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "loggers": {"uvicorn": {"level": "INFO"}, "migkg": {"level": "INFO"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},  # asyncio's and the libraries' warnings: JSON lines too
}


class RequestIds:
    """``quiet_paths``: the probes, whose answers are logged at DEBUG unless they fail."""

    def __init__(self, app: ASGIApp, quiet_paths: tuple[str, ...]) -> None:
        self.app = app
        self.quiet_paths = frozenset(quiet_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _sane(header(scope["headers"], HEADER_NAME)) or uuid.uuid4().hex
        started = time.perf_counter()
        status = NO_ANSWER

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                add_headers(message, (HEADER_NAME, request_id.encode("latin-1")))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            if status == NO_ANSWER:  # Starlette's own 500 would be sent outside this middleware, without the id
                await PlainTextResponse("Internal Server Error", status_code=500)(scope, receive, send_with_id)
            raise
        finally:
            self._observe(scope, request_id, status, time.perf_counter() - started)

    def _observe(self, scope: Scope, request_id: str, status: int, seconds: float) -> None:
        route = _route(scope)
        metrics.request_answered(route, status, seconds)
        quiet = scope["path"] in self.quiet_paths and status < 400
        ACCESS_LOG.log(
            logging.DEBUG if quiet else logging.INFO,
            "%s %s %s",
            scope["method"],
            scope["path"],
            status,
            extra={
                "fields": {
                    "request_id": request_id,
                    "method": scope["method"],
                    "route": route,
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                    "client": scope["client"][0] if scope.get("client") else None,
                }
            },
        )


class JsonLines(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message, and the record's ``fields``."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _sane(request_id: bytes | None) -> str | None:
    if request_id is None or not SANE_ID.fullmatch(text := request_id.decode("latin-1")):
        return None
    return text


def _route(scope: Scope) -> str:
    """The template of the route that served the request (``/id/{path}``): raw paths would make a
    label value per resource."""
    route = scope.get("route")
    return getattr(route, "path_format", metrics.UNMATCHED_ROUTE)
