"""Reading a SPARQL 1.1 Protocol request: which operation, which query text, which dataset."""

from dataclasses import dataclass
from urllib.parse import parse_qs

from fastapi import Request

from migkg.api.guard import QueryRefused

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class ProtocolRequest:
    query: str | None  # None: no operation (GET /sparql asks for the service description)
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


def read_get(request: Request, max_query_bytes: int) -> ProtocolRequest:
    params = parse_qs(request.url.query, keep_blank_values=True)
    if "update" in params:
        raise QueryRefused("SPARQL Update is not allowed (and never by GET): this endpoint is read-only.", 403)
    return _protocol_request(params, max_query_bytes)


async def read_post(request: Request, max_query_bytes: int) -> ProtocolRequest:
    media_type, charset = _content_type(request.headers.get("content-type"))
    if media_type == SPARQL_UPDATE or (media_type == FORM and "update=" in request.url.query):
        raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only.", 403)
    if media_type not in (FORM, SPARQL_QUERY):
        raise QueryRefused(
            f"Unsupported Content-Type {media_type or '(none)'}: send the query form-encoded "
            f"({FORM}) or directly ({SPARQL_QUERY}).",
            415,
        )
    if charset not in (None, "utf-8"):
        raise QueryRefused(f"Unsupported charset {charset}: SPARQL requests must be UTF-8.", 415)
    body = await _read_body(request, limit=3 * max_query_bytes + 4096)  # form encoding may triple it
    text = _decode_utf8(body)
    url_params = parse_qs(request.url.query, keep_blank_values=True)
    if media_type == SPARQL_QUERY:
        _check_size(text, max_query_bytes)
        if "query" in url_params:
            raise QueryRefused("The query is in the body; do not also pass a query parameter.")
        return ProtocolRequest(text, *_dataset(url_params))
    form = parse_qs(text, keep_blank_values=True)
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


async def _read_body(request: Request, limit: int) -> bytes:
    """Read the body, refusing (413) as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _too_large(limit)
    return bytes(body)


def _decode_utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise QueryRefused(f"The request body is not valid UTF-8 ({error}).") from None


def _check_size(query: str, max_query_bytes: int) -> None:
    if len(query.encode("utf-8")) > max_query_bytes:
        raise _too_large(max_query_bytes)


def _too_large(limit: int) -> QueryRefused:
    return QueryRefused(f"The query is larger than this server's limit of {limit} bytes (MIGKG_MAX_QUERY_BYTES).", 413)
