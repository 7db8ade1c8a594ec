"""ETag, Last-Modified and Cache-Control on successful GET/HEAD answers; 304 when the client's copy is current.

A plain ASGI middleware rather than Starlette's BaseHTTPMiddleware: that one runs each response
through an extra task and stream, which cost about 12% of the server's CPU on light queries
(bench/results/profiles)."""

import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from migkg.api.asgi_headers import add_headers, header
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
                etag = _etag(scope, state.build_info.etag_seed, header(message.get("headers", ()), b"content-type"))
                validators = [(b"etag", etag), (b"last-modified", state.build_info.last_modified.encode("latin-1"))]
                if header(message.get("headers", ()), b"cache-control") is None:
                    validators.append((b"cache-control", b"public, max-age=%d" % state.settings.cache_max_age))
                add_headers(message, *validators)
                if etag in _etags(header(scope["headers"], b"if-none-match")):
                    not_modified = True
                    kept = [(k, v) for k, v in message["headers"] if k.lower() in KEPT_ON_304]
                    message = {"type": "http.response.start", "status": 304, "headers": kept}
            elif message["type"] == "http.response.body" and not_modified:
                if message.get("more_body", False):
                    return  # the body of a 304 is never sent
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_validators)


def _etag(scope: Scope, seed: str, content_type: bytes | None) -> bytes:
    """A weak validator for this build, this URL and this representation."""
    variant = b"%s?%s|%s" % (scope["path"].encode(), scope.get("query_string", b""), content_type or b"")
    return b'W/"%s-%s"' % (seed.encode(), hashlib.sha256(variant).hexdigest()[:16].encode())


def _etags(if_none_match: bytes | None) -> set[bytes]:
    return {tag.strip() for tag in (if_none_match or b"").split(b",") if tag.strip()}
