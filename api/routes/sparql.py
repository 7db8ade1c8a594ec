"""/sparql: the SPARQL 1.1 Protocol for queries, the service description, and YASGUI for browsers."""

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from migkg.api.conneg import prefers_html
from migkg.api.deps import State, site_root
from migkg.api.description import service_description
from migkg.api.guard import QueryRefused, check_nesting, check_query
from migkg.api.jobs import QueryAnswer
from migkg.api.problems import error_for
from migkg.api.protocol import ProtocolRequest, read_get, read_post
from migkg.api.querying import Cached, user_query
from migkg.api.responses import rdf_response
from migkg.api.routing import Router
from migkg.api.search_service import rewrite_search_calls, search_calls
from migkg.api.state import AppState
from migkg.api.ui import yasgui_page

router = Router()
PATHS = ("/sparql", "/sparql/")


@router.get(PATHS[0], name="sparql")
@router.head(PATHS[0], include_in_schema=False)
@router.api_route(PATHS[1], methods=["GET", "HEAD"], include_in_schema=False)
async def sparql_get(request: Request, state: State) -> Response:
    try:
        operation = read_get(request, state.settings.max_query_bytes)
    except QueryRefused as refused:
        return error_for(request, refused.status, str(refused))
    if operation.query is None:
        return await _describe_service(request, state)
    return await _answer(request, state, operation)


@router.post(PATHS[0])
@router.post(PATHS[1], include_in_schema=False)
async def sparql_post(request: Request, state: State) -> Response:
    try:
        operation = await read_post(request, state.settings.max_query_bytes)
    except QueryRefused as refused:
        return error_for(request, refused.status, str(refused))
    if operation.query is None:
        return error_for(request, 400, "Missing query: send it as the 'query' form field.")
    return await _answer(request, state, operation)


async def _answer(request: Request, state: AppState, operation: ProtocolRequest) -> Response:
    settings = state.settings
    if not operation.query.strip():
        return error_for(request, 400, "Empty query.")
    try:
        text = operation.query
        check_nesting(text, settings.max_query_depth)
        if calls := search_calls(text):  # answered here: the guard then checks a text without them
            text = rewrite_search_calls(text, calls, settings.base_iri, state.search_index())
        checked = check_query(text, settings.base_iri, frozenset(settings.service_allowlist))
    except QueryRefused as refused:
        return error_for(request, refused.status, str(refused))
    # Checked here rather than as the route's dependency: /sparql also answers without a build
    # (the service description, YASGUI, refusals). A busy store or a timeout is answered by the app's handlers.
    store = state.require_build().store
    cache = Cached(state.results, state.build_info.version, _wants_fresh(request))
    outcome = await user_query(
        store, settings, checked, request.headers.get("accept"), operation.default_graphs, operation.named_graphs, cache
    )
    if not isinstance(outcome, QueryAnswer):
        return error_for(request, outcome.status, outcome.message, headers={"Vary": "Accept"})
    headers = {"Vary": "Accept", "MIGKG-Cache": "hit" if outcome.cached else "miss"}
    if outcome.truncated:
        headers["MIGKG-Results-Truncated"] = str(settings.max_result_rows)
    return Response(outcome.body, media_type=outcome.content_type, headers=headers)


class SparqlEndpoint:
    """ASGI middleware, the innermost of the app's: answers /sparql itself, ahead of FastAPI's own
    stack (its exception middleware, router, request wrapper and dependency injection), which cost
    about as much CPU as the rest of a light query's handling in this process (bench/results/README.md).
    The FastAPI routes above stay for the OpenAPI description.

    Errors raised while answering go to the app's own exception handlers (``handlers``: the app's
    ``exception_handlers``), as from any route; other methods are the router's usual 405."""

    def __init__(self, app: ASGIApp, handlers: dict) -> None:
        self.app = app
        self.handlers = handlers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in PATHS:
            await self.app(scope, receive, send)
            return
        scope["route"] = _SERVED[scope["path"]]  # the access log and the metrics name a request by it
        request = Request(scope, receive)
        try:
            response = await self._respond(request)
        except Exception as error:
            handler = next((self.handlers[c] for c in type(error).__mro__ if c in self.handlers), None)
            if handler is None:
                raise
            response = await handler(request, error)
        await response(scope, receive, send)

    async def _respond(self, request: Request) -> Response:
        state = request.app.state.migkg
        if request.method == "POST":
            return await sparql_post(request, state)
        if request.method in ("GET", "HEAD"):
            return await sparql_get(request, state)
        raise HTTPException(405, headers={"Allow": "GET, HEAD, POST"})


@dataclass(frozen=True)
class _ServedPath:
    """Where a request was routed, as FastAPI's routes tell the access log (``path_format``)."""

    path_format: str


_SERVED = {path: _ServedPath(path) for path in PATHS}


def _wants_fresh(request: Request) -> bool:
    """Whether the client asked for the query to run again (Cache-Control: no-cache, or HTTP/1.0's Pragma)."""
    directives = f"{request.headers.get('cache-control', '')},{request.headers.get('pragma', '')}".lower()
    return any(part.strip() in ("no-cache", "no-store") for part in directives.split(","))


async def _describe_service(request: Request, state: AppState) -> Response:
    if prefers_html(request.headers.get("accept")):
        return yasgui_page(request, state)
    endpoint = str(request.url.replace(query="", fragment=""))
    settings = state.settings
    triples = service_description(
        endpoint, state.graphs, bool(settings.service_allowlist), await site_root(request), settings.max_query_depth
    )
    return rdf_response(request, triples)
