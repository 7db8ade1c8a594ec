"""Internal queries (api/queries/*.rq, and the curated views) run through the same store, limits and workers as user queries."""

import json
from functools import cache
from pathlib import Path

from migkg.api.settings import Settings
from migkg.api.store import QueryStore
from migkg.api.worker import QueryAnswer, QueryJob

QUERIES_DIR = Path(__file__).resolve().parent / "queries"

Binding = dict[str, dict[str, str]]  # variable → SPARQL JSON term ({"type", "value", ...})


@cache
def load_query(name: str) -> str:
    return (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")


async def select(store: QueryStore, settings: Settings, name: str, **iris: str) -> list[Binding]:
    """Run a SELECT from api/queries with variables pre-bound to IRIs; rows as SPARQL JSON bindings."""
    return await select_text(store, settings, load_query(name), iris)


async def select_text(store: QueryStore, settings: Settings, text: str, iris: dict[str, str] | None = None) -> list[Binding]:
    """Run a SELECT given as text (a curated view's, say) over the union of all graphs."""
    answer = await _run(store, settings, text, "application/sparql-results+json", iris or {})
    return json.loads(answer.body)["results"]["bindings"]


async def ask(store: QueryStore, settings: Settings, name: str, **iris: str) -> bool:
    answer = await _run(store, settings, load_query(name), "application/sparql-results+json", iris)
    return json.loads(answer.body)["boolean"]


async def construct(store: QueryStore, settings: Settings, name: str, accept: str, **iris: str) -> QueryAnswer:
    """Run a CONSTRUCT from api/queries, negotiated like any graph result."""
    return await _run(store, settings, load_query(name), accept, iris)


async def _run(store: QueryStore, settings: Settings, text: str, accept: str, iris: dict[str, str]) -> QueryAnswer:
    job = QueryJob(
        text=text,
        accept=accept,
        base_iri=settings.base_iri,
        max_rows=settings.max_result_rows,
        union_default_graph=True,
        iri_bindings=iris,
        prefixes=PREFIXES,
    )
    outcome = await store.execute(job)
    if not isinstance(outcome, QueryAnswer):
        raise InternalQueryFailed(outcome.status, outcome.message)
    return outcome


class InternalQueryFailed(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


PREFIXES = {
    "mig": "https://w3id.org/migkg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "http://schema.org/",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "void": "http://rdfs.org/ns/void#",
    "sh": "http://www.w3.org/ns/shacl#",
}
