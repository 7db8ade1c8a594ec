"""ETag, Last-Modified and Cache-Control on successful GET/HEAD answers; 304 when the client's copy is current.

A plain ASGI middleware rather than Starlette's BaseHTTPMiddleware: that one runs each response
through an extra task and stream, which cost about 12% of the server's CPU on light queries
(bench/results/profiles)."""

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from migkg.api.state import AppState

KEPT_ON_304 = (b"etag", b"last-modified", b"cache-control", b"vary")


class CachingHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        state: AppState = scope["app"].state.migkg
        not_modified = False

        async def send_with_validators(message: Message) -> None:
            nonlocal not_modified
            if message["type"] == "http.response.start" and message["status"] == 200 and state.build_info:
                headers = MutableHeaders(scope=message)
                etag = _etag(scope, state.build_info.etag_seed, headers.get("content-type", ""))
                headers["ETag"] = etag
                headers["Last-Modified"] = state.build_info.last_modified
                if "cache-control" not in headers:
                    headers["Cache-Control"] = f"public, max-age={state.settings.cache_max_age}"
                if etag in _etags(Headers(scope=scope).get("if-none-match")):
                    not_modified = True
                    kept = [(k, v) for k, v in message["headers"] if k.lower() in KEPT_ON_304]
                    message = {"type": "http.response.start", "status": 304, "headers": kept}
            elif message["type"] == "http.response.body" and not_modified:
                if message.get("more_body", False):
                    return  # the body of a 304 is never sent
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_validators)


def _etag(scope: Scope, seed: str, content_type: str) -> str:
    """A weak validator for this build, this URL and this representation."""
    variant = f"{scope['path']}?{scope.get('query_string', b'').decode('latin-1')}|{content_type}"
    return f'W/"{seed}-{hashlib.sha256(variant.encode()).hexdigest()[:16]}"'


def _etags(header: str | None) -> set[str]:
    return {tag.strip() for tag in (header or "").split(",") if tag.strip()}
