"""Documents about the dataset: VoID, the example queries, the downloads and releases, the ontology."""

import asyncio
import mimetypes

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from rdflib import Graph

from migkg.api.conneg import choose, prefers_html
from migkg.api.deps import Built, SiteRoot, State
from migkg.api.description import VoidCounts, sparql_examples, void_description
from migkg.api.formats import OFFERS, ResultKind
from migkg.api.jsonio import JSONResponse
from migkg.api.problems import error_for, not_acceptable
from migkg.api.querying import construct, select
from migkg.api.releases import kept_release
from migkg.api.responses import rdf_response
from migkg.api.routing import Router
from migkg.api.state import AppState
from migkg.api.ui import swagger_ui_page
from migkg.graph.stages.catalog import CATALOG_FILE

router = Router()


@router.get("/docs", include_in_schema=False)
async def docs(request: Request, state: State) -> Response:
    """Swagger UI over /openapi.json, from the project's own copy (no third-party CDN: works offline, leaks nothing)."""
    return swagger_ui_page(request, state)


@router.get("/.well-known/sparql-examples")
@router.head("/.well-known/sparql-examples", include_in_schema=False)
async def examples(request: Request, state: State, site: SiteRoot) -> Response:
    """The example queries as SHACL SPARQLExecutables (SIB sparql-examples convention)."""
    return rdf_response(request, sparql_examples(state.examples, f"{site}/sparql", site))


@router.get("/.well-known/void")
@router.head("/.well-known/void", include_in_schema=False)
async def void(request: Request, state: Built, site: SiteRoot) -> Response:
    if "void" not in state.cache:
        state.cache["void"] = await _void_counts(state)
    dumps = [f.name for f in state.build_info.files]
    triples = void_description(state.cache["void"], state.settings.base_iri, site, dumps)
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
async def downloads(request: Request, state: Built, site: SiteRoot) -> Response:
    """The build's files with sizes and sha256 checksums: HTML for browsers, JSON otherwise."""
    files = [
        {"name": f.name, "url": f"{site}/downloads/{f.name}", "size": f.size, "sha256": f.sha256}
        for f in state.build_info.files
    ]
    if prefers_html(request.headers.get("accept")):
        context = {"files": files, "version": state.build_info.version, "built": state.build_info.built}
        return state.templates.TemplateResponse(request, "downloads.html", context, headers={"Vary": "Accept"})
    body = {"version": state.build_info.version, "built": state.build_info.built.isoformat(), "files": files}
    return JSONResponse(body, headers={"Vary": "Accept"})


@router.get("/downloads/{name}")
@router.head("/downloads/{name}", include_in_schema=False)
async def download(request: Request, state: Built, name: str) -> Response:
    listed = {f.name for f in state.build_info.files}
    path = state.build_dir / name
    if name not in listed or not path.is_file():  # only files the build lists: no path games
        return error_for(request, 404, f"No download named {name!r}; see /downloads for the list.")
    media_type = _media_type(name)
    return FileResponse(path, media_type=media_type, filename=name)


@router.get("/downloads/{release}/{name}")
@router.head("/downloads/{release}/{name}", include_in_schema=False)
async def release_download(request: Request, state: Built, release: str, name: str) -> Response:
    """A file of any release kept beside the current one: the catalogue's download URLs, stable across releases."""
    info = kept_release(state.build_dir, release)
    if info is None:
        return error_for(request, 404, f"No release {release!r} is kept here; see /catalog for the releases.")
    path = state.build_dir.parent / release / name
    if name not in {f.name for f in info.files} or not path.is_file():
        return error_for(request, 404, f"Release {release} has no download named {name!r}; see /catalog.")
    return FileResponse(path, media_type=_media_type(name), filename=name)


@router.get("/catalog")
@router.head("/catalog", include_in_schema=False)
async def catalog(request: Request, state: Built) -> Response:
    """The DCAT catalogue: the releases kept and their distributions (size, media type, sha256)."""
    path = state.build_dir / CATALOG_FILE
    if not path.is_file():
        return error_for(request, 404, "This build has no catalogue: it was not published as a release.")
    if "catalog" not in state.cache:
        state.cache["catalog"] = [quad.triple for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE)]
    return rdf_response(request, state.cache["catalog"])


def _media_type(name: str) -> str:
    by_extension = {
        ".trig": "application/trig",
        ".nq": "application/n-quads",
        ".ttl": "text/turtle",
        ".jsonld": "application/ld+json",
        ".md": "text/markdown",
        ".sssom.tsv": "text/tab-separated-values",
        ".json": "application/json",
    }
    for extension, media_type in by_extension.items():
        if name.endswith(extension):
            return media_type
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


@router.get("/ontology")
@router.head("/ontology", include_in_schema=False)
async def ontology(request: Request, state: Built) -> Response:
    """The ontology: pyLODE documentation for browsers, RDF by content negotiation otherwise."""
    graph = f"{state.settings.base_iri}graph/ontology"
    accept = request.headers.get("accept")
    if prefers_html(accept):
        if "ontology-html" not in state.cache:
            turtle = await construct(state.store, state.settings, "graph", "text/turtle", graph=graph)
            state.cache["ontology-html"] = await asyncio.to_thread(_document_ontology, turtle.body)
        return HTMLResponse(state.cache["ontology-html"], headers={"Vary": "Accept"})
    if choose(OFFERS[ResultKind.GRAPH], accept) is None:
        return not_acceptable(request, OFFERS[ResultKind.GRAPH])
    answer = await construct(state.store, state.settings, "graph", accept, graph=graph)
    return Response(answer.body, media_type=answer.content_type, headers={"Vary": "Accept"})


def _document_ontology(turtle: bytes) -> str:
    from pylode import OntPub  # imported on first use: it is slow to import

    return OntPub(ontology=Graph().parse(data=turtle, format="turtle")).make_html()
