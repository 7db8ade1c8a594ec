"""Reading a SPARQL 1.1 Protocol request: which operation, which query text, which dataset."""

from dataclasses import dataclass
from urllib.parse import parse_qs

from fastapi import Request
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from migkg.api.guard import QueryRefused

# httptools cannot parse a request target this long (its URL offsets are 16-bit), so uvicorn
# answers a bare 400 before the app sees the request.
HTTPTOOLS_LONGEST_TARGET = 65_535
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class ProtocolRequest:
    query: str | None  # None: no operation (GET /sparql asks for the service description)
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


def read_get(request: Request, max_query_bytes: int) -> ProtocolRequest:
    params = _parse_form(request.scope["query_string"], "query string")
    if "update" in params:
        raise QueryRefused("SPARQL Update is not allowed (and never by GET): this endpoint is read-only.", 403)
    return _protocol_request(params, max_query_bytes)


async def read_post(request: Request, max_query_bytes: int) -> ProtocolRequest:
    media_type, charset = _content_type(request.headers.get("content-type"))
    url_params = _parse_form(request.scope["query_string"], "query string")
    if media_type == SPARQL_UPDATE or (media_type == FORM and "update" in url_params):
        raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only.", 403)
    if media_type not in (FORM, SPARQL_QUERY):
        raise QueryRefused(
            f"Unsupported Content-Type {media_type or '(none)'}: send the query form-encoded "
            f"({FORM}) or directly ({SPARQL_QUERY}).",
            415,
        )
    if charset not in (None, "utf-8"):
        raise QueryRefused(f"Unsupported charset {charset}: SPARQL requests must be UTF-8.", 415)
    body = await _read_body(request, max_query_bytes)
    if media_type == SPARQL_QUERY:
        text = _decode_utf8(body, "body")
        _check_size(text, max_query_bytes)
        if "query" in url_params:
            raise QueryRefused("The query is in the body; do not also pass a query parameter.")
        return ProtocolRequest(text, *_dataset(url_params))
    form = _parse_form(body, "body")
    if "update" in form:
        raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only.", 403)
    merged = {key: url_params.get(key, []) + form.get(key, []) for key in url_params.keys() | form.keys()}
    return _protocol_request(merged, max_query_bytes)


def _protocol_request(params: dict[str, list[str]], max_query_bytes: int) -> ProtocolRequest:
    queries = params.get("query", [])
    if len(queries) > 1:
        raise QueryRefused("More than one query parameter: send exactly one query per request.")
    query = queries[0] if queries else None
    if query is not None:
        _check_size(query, max_query_bytes)
    return ProtocolRequest(query, *_dataset(params))


def _dataset(params: dict[str, list[str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", []))


def _content_type(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    media_type, *params = (part.strip() for part in header.split(";"))
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower().replace("utf8", "utf-8")
    return media_type.lower(), charset


async def _read_body(request: Request, max_query_bytes: int) -> bytes:
    """Read the body, refusing (413) as soon as it is too long to hold a query within the limit."""
    limit = 3 * max_query_bytes + 4096  # form encoding may triple the query, and other fields come with it
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(max_query_bytes)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _too_large(max_query_bytes)
    return bytes(body)


def _parse_form(encoded: bytes, part: str) -> dict[str, list[str]]:
    """Form fields, percent-decoded as UTF-8: bytes that are not UTF-8 are refused, never replaced."""
    try:
        return parse_qs(_decode_utf8(encoded, part), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise _not_utf8(part) from None


def _decode_utf8(encoded: bytes, part: str) -> str:
    try:
        return encoded.decode("utf-8")
    except UnicodeDecodeError:
        raise _not_utf8(part) from None


def _not_utf8(part: str) -> QueryRefused:
    return QueryRefused(f"The request's {part} is not valid UTF-8 (after percent-decoding): SPARQL requests are UTF-8.")


def _check_size(query: str, max_query_bytes: int) -> None:
    if len(query.encode("utf-8")) > max_query_bytes:
        raise _too_large(max_query_bytes)


def _too_large(limit: int) -> QueryRefused:
    return QueryRefused(f"The query is larger than this server's limit of {limit} bytes (MIGKG_MAX_QUERY_BYTES).", 413)


class HttpWithLongTargets(HttpToolsProtocol):
    """uvicorn's httptools protocol, answering 414 with what to do for a target it cannot parse.

    Run the server with ``http=HttpWithLongTargets``: a GET whose query is within
    MIGKG_MAX_QUERY_BYTES may still be longer than this once percent-encoded."""

    def send_400_response(self, msg: str) -> None:
        if len(self.url) <= HTTPTOOLS_LONGEST_TARGET:
            super().send_400_response(msg)
            return
        self.transport.write(_plain_response(414, TARGET_TOO_LONG, self.server_state.default_headers))
        self.transport.close()


TARGET_TOO_LONG = (
    f"The request target is longer than this server reads ({HTTPTOOLS_LONGEST_TARGET} bytes): send a long "
    f"SPARQL query by POST, form-encoded ({FORM}) or directly ({SPARQL_QUERY}).\n"
)


def _plain_response(status: int, text: str, default_headers: list[tuple[bytes, bytes]]) -> bytes:
    body = text.encode("ascii")
    head = [STATUS_LINE[status], *(name + b": " + value + b"\r\n" for name, value in default_headers)]
    head += [b"content-type: text/plain; charset=utf-8\r\n", b"content-length: %d\r\n" % len(body)]
    return b"".join([*head, b"connection: close\r\n\r\n", body])
