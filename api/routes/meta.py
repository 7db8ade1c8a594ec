"""Documents about the dataset: VoID, the example queries, the downloads, the ontology."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from migkg.api.description import sparql_examples
from migkg.api.responses import rdf_response
from migkg.api.state import AppState

router = APIRouter()


@router.api_route("/.well-known/sparql-examples", methods=["GET", "HEAD"])
async def examples(request: Request) -> Response:
    """The example queries as SHACL SPARQLExecutables (SIB sparql-examples convention)."""
    state = AppState.of(request)
    site = state.site_root(request)
    return rdf_response(request, sparql_examples(state.examples, f"{site}/sparql", site))
