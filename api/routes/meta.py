"""Documents about the dataset: VoID, the example queries, the downloads, the ontology."""

import asyncio
import mimetypes

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from rdflib import Graph

from migkg.api.conneg import OFFERS, ResultKind, choose, prefers_html
from migkg.api.description import VoidCounts, sparql_examples, void_description
from migkg.api.internal import construct, select
from migkg.api.responses import error, not_acceptable, rdf_response
from migkg.api.state import AppState

router = APIRouter()


@router.get("/docs", include_in_schema=False)
async def docs(request: Request) -> HTMLResponse:
    """Swagger UI over /openapi.json, from api/static (no third-party CDN: works offline, leaks nothing)."""
    assets = "/static/node_modules/swagger-ui-dist"
    return get_swagger_ui_html(openapi_url=request.app.openapi_url, title="migkg API",
                               swagger_js_url=f"{assets}/swagger-ui-bundle.js", swagger_css_url=f"{assets}/swagger-ui.css",
                               swagger_favicon_url=f"{assets}/favicon-32x32.png")


@router.get("/.well-known/sparql-examples")
@router.head("/.well-known/sparql-examples", include_in_schema=False)
async def examples(request: Request) -> Response:
    """The example queries as SHACL SPARQLExecutables (SIB sparql-examples convention)."""
    state = AppState.of(request)
    site = state.site_root(request)
    return rdf_response(request, sparql_examples(state.examples, f"{site}/sparql", site))


@router.get("/.well-known/void")
@router.head("/.well-known/void", include_in_schema=False)
async def void(request: Request) -> Response:
    state = AppState.of(request)
    if state.store is None:
        return state.no_store_response()
    if "void" not in state.cache:
        state.cache["void"] = await _void_counts(state)
    dumps = [f.name for f in state.build_info.files] if state.build_info else []
    triples = void_description(state.cache["void"], state.settings.base_iri, state.site_root(request), dumps)
    return rdf_response(request, triples)


async def _void_counts(state: AppState) -> VoidCounts:
    def rows(bindings: list, key: str, value: str) -> list[tuple[str, int]]:
        return [(row[key]["value"], int(row[value]["value"])) for row in bindings]

    store, settings = state.store, state.settings
    totals = (await select(store, settings, "void-totals"))[0]
    return VoidCounts(
        totals={name: int(term["value"]) for name, term in totals.items()},
        classes=rows(await select(store, settings, "void-classes"), "class", "entities"),
        properties=rows(await select(store, settings, "void-properties"), "property", "triples"),
        graphs=rows(await select(store, settings, "void-graphs"), "graph", "triples"),
    )


@router.get("/downloads")
@router.head("/downloads", include_in_schema=False)
async def downloads(request: Request) -> Response:
    """The build's files with sizes and sha256 checksums: HTML for browsers, JSON otherwise."""
    state = AppState.of(request)
    if state.build_info is None:
        return error(404, f"No build-info.json in {state.settings.build_dir}: run `make build`.")
    files = [
        {"name": f.name, "url": f"{state.site_root(request)}/downloads/{f.name}", "size": f.size, "sha256": f.sha256}
        for f in state.build_info.files
    ]
    if prefers_html(request.headers.get("accept")):
        context = {"files": files, "version": state.build_info.version, "built": state.build_info.built}
        return state.templates.TemplateResponse(request, "downloads.html", context, headers={"Vary": "Accept"})
    body = {"version": state.build_info.version, "built": state.build_info.built.isoformat(), "files": files}
    return JSONResponse(body, headers={"Vary": "Accept"})


@router.get("/downloads/{name}")
@router.head("/downloads/{name}", include_in_schema=False)
async def download(request: Request, name: str) -> Response:
    state = AppState.of(request)
    listed = {f.name for f in state.build_info.files} if state.build_info else set()
    path = state.settings.build_dir / name
    if name not in listed or not path.is_file():  # only files the build lists: no path games
        return error(404, f"No download named {name!r}; see /downloads for the list.")
    media_type = _media_type(name)
    return FileResponse(path, media_type=media_type, filename=name)


def _media_type(name: str) -> str:
    by_extension = {".trig": "application/trig", ".nq": "application/n-quads", ".ttl": "text/turtle",
                    ".jsonld": "application/ld+json", ".md": "text/markdown", ".json": "application/json"}
    for extension, media_type in by_extension.items():
        if name.endswith(extension):
            return media_type
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


@router.get("/ontology")
@router.head("/ontology", include_in_schema=False)
async def ontology(request: Request) -> Response:
    """The ontology: pyLODE documentation for browsers, RDF by content negotiation otherwise."""
    state = AppState.of(request)
    if state.store is None:
        return state.no_store_response()
    graph = f"{state.settings.base_iri}graph/ontology"
    accept = request.headers.get("accept")
    if prefers_html(accept):
        if "ontology-html" not in state.cache:
            turtle = await construct(state.store, state.settings, "graph", "text/turtle", graph=graph)
            state.cache["ontology-html"] = await asyncio.to_thread(_document_ontology, turtle.body)
        return HTMLResponse(state.cache["ontology-html"], headers={"Vary": "Accept"})
    if choose(OFFERS[ResultKind.GRAPH], accept) is None:
        return not_acceptable(ResultKind.GRAPH)
    answer = await construct(state.store, state.settings, "graph", accept, graph=graph)
    return Response(answer.body, media_type=answer.content_type, headers={"Vary": "Accept"})


def _document_ontology(turtle: bytes) -> str:
    from pylode import OntPub  # imported on first use: it is slow to import

    return OntPub(ontology=Graph().parse(data=turtle, format="turtle")).make_html()
