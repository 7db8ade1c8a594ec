"""/sparql: the SPARQL 1.1 Protocol for queries, the service description, and YASGUI for browsers."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from migkg.api.conneg import prefers_html
from migkg.api.description import service_description
from migkg.api.guard import QueryRefused, check_query
from migkg.api.protocol import ProtocolRequest, read_get, read_post
from migkg.api.responses import error, rdf_response
from migkg.api.state import AppState
from migkg.api.store import QueryTimedOut, StoreBusy
from migkg.api.worker import QueryAnswer, QueryJob

router = APIRouter()
PATHS = ("/sparql", "/sparql/")


@router.get(PATHS[0], name="sparql")
@router.head(PATHS[0], include_in_schema=False)
@router.api_route(PATHS[1], methods=["GET", "HEAD"], include_in_schema=False)
async def sparql_get(request: Request) -> Response:
    state = AppState.of(request)
    try:
        operation = read_get(request, state.settings.max_query_bytes)
    except QueryRefused as refused:
        return error(refused.status, str(refused))
    if operation.query is None:
        return await _describe_service(request, state)
    return await _answer(request, state, operation)


@router.post(PATHS[0])
@router.post(PATHS[1], include_in_schema=False)
async def sparql_post(request: Request) -> Response:
    state = AppState.of(request)
    try:
        operation = await read_post(request, state.settings.max_query_bytes)
    except QueryRefused as refused:
        return error(refused.status, str(refused))
    if operation.query is None:
        return error(400, "Missing query: send it as the 'query' form field.")
    return await _answer(request, state, operation)


async def _answer(request: Request, state: AppState, operation: ProtocolRequest) -> Response:
    settings = state.settings
    if not operation.query.strip():
        return error(400, "Empty query.")
    try:
        checked = check_query(operation.query, settings.base_iri, frozenset(settings.service_allowlist))
    except QueryRefused as refused:
        return error(refused.status, str(refused))
    if state.store is None:
        return state.no_store_response()
    job = QueryJob(
        text=checked.text,
        accept=request.headers.get("accept"),
        base_iri=settings.base_iri,
        max_rows=settings.max_result_rows,
        **_dataset_options(operation, checked.has_dataset_clause),
    )
    try:
        outcome = await state.store.execute(job)
    except StoreBusy:
        return error(503, f"All {settings.max_concurrent_queries} query workers are busy; retry shortly.",
                     {"Retry-After": str(settings.retry_after)})
    except QueryTimedOut:
        return error(503, f"The query ran longer than {settings.query_timeout:g} s (MIGKG_QUERY_TIMEOUT) "
                          "and was stopped. Narrow it or add a LIMIT.")
    if not isinstance(outcome, QueryAnswer):
        return error(outcome.status, outcome.message, {"Vary": "Accept"})
    headers = {"Vary": "Accept"}
    if outcome.truncated:
        headers["MIGKG-Results-Truncated"] = str(settings.max_result_rows)
    return Response(outcome.body, media_type=outcome.content_type, headers=headers)


def _dataset_options(operation: ProtocolRequest, query_names_dataset: bool) -> dict:
    """Protocol graphs replace the query's own FROM clauses; with neither, query the union of all graphs."""
    if operation.default_graphs or operation.named_graphs:
        return {"default_graphs": operation.default_graphs, "named_graphs": operation.named_graphs}
    return {"union_default_graph": not query_names_dataset}


async def _describe_service(request: Request, state: AppState) -> Response:
    if prefers_html(request.headers.get("accept")):
        return state.templates.TemplateResponse(request, "yasgui.html", {"examples": state.examples})
    endpoint = str(request.url.replace(query="", fragment=""))
    site = state.site_root(request)
    triples = service_description(endpoint, state.graphs, bool(state.settings.service_allowlist), site)
    return rdf_response(request, triples)
