"""Running queries on the store: the user's (/sparql), the server's own (queries/server/*.rq) and
the curated views', all through the same workers and limits.

The server's own queries and the views' run over the union of all graphs and answer in a fixed
format; a failure among them raises InternalQueryFailed, which the app answers like any error.
"""

import re
from dataclasses import dataclass, replace

from pyoxigraph import NamedNode

from migkg.api import metrics
from migkg.api.conneg import negotiate
from migkg.api.guard import CheckedQuery
from migkg.api.jobs import QueryAnswer, QueryFailure, QueryJob
from migkg.api.jsonio import parse_json
from migkg.api.prefixes import PREFIXES
from migkg.api.result_cache import CacheKey, ResultCache
from migkg.api.settings import Settings
from migkg.api.store import QueryStore, QueryTimedOut
from migkg.queries import load_query

Binding = dict[str, dict[str, str]]  # variable → SPARQL JSON term ({"type", "value", ...})
RESULTS_JSON = "application/sparql-results+json"
_WHERE = re.compile(r"^(?![ \t]*#).*?\bWHERE\s*\{", re.MULTILINE | re.IGNORECASE)


class InternalQueryFailed(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Cached:
    """Where /sparql keeps answers: the release's cache, its version, and whether the client asked
    for a fresh answer (Cache-Control: no-cache)."""

    results: ResultCache
    version: str
    fresh: bool


async def user_query(
    store: QueryStore,
    settings: Settings,
    query: CheckedQuery,
    accept: str | None,
    default_graphs: tuple[str, ...],
    named_graphs: tuple[str, ...],
    cache: Cached,
) -> QueryAnswer | QueryFailure:
    """A /sparql query, in the format its Accept header asks for; from ``cache`` when it holds
    the answer (``cache.fresh``: run it anyway, and keep the new answer).

    Protocol graphs replace the query's own FROM clauses; with neither, it queries the union of all graphs.
    """
    if default_graphs or named_graphs:
        dataset: dict = {"default_graphs": default_graphs, "named_graphs": named_graphs}
    else:
        dataset = {"union_default_graph": not query.has_dataset_clause}
    job = QueryJob(
        text=query.text,
        offers=negotiate(accept),
        base_iri=settings.base_iri,
        max_rows=settings.max_result_rows,
        **dataset,
    )
    key = CacheKey.of(cache.version, job)
    if not cache.fresh and (kept := cache.results.get(key)) is not None:
        return replace(kept, cached=True)
    outcome = await _execute(store, job)
    if isinstance(outcome, QueryAnswer):
        cache.results.put(key, outcome)
    return outcome


def bind_iris(text: str, iris: dict[str, str]) -> str:
    """The query with variables bound to IRIs by a VALUES block opening its WHERE clause.

    Oxigraph plans a VALUES block as the join it starts from; bound through its `substitutions`
    option, the same queries ran up to 12× slower (a resource's provenance, 30 ms against 330 ms).
    The server's own queries all have a WHERE clause, whose first line is not a comment.
    """
    where = _WHERE.search(text)
    if where is None:
        raise ValueError("a query with variables bound by the server needs a WHERE clause")
    names = " ".join(f"?{name}" for name in iris)
    values = " ".join(str(NamedNode(iri)) for iri in iris.values())
    return f"{text[: where.end()]} VALUES ({names}) {{ ({values}) }}{text[where.end() :]}"


async def select(store: QueryStore, settings: Settings, name: str, **iris: str) -> list[Binding]:
    """Run a SELECT of queries/server with variables pre-bound to IRIs; rows as SPARQL JSON bindings."""
    return await select_text(store, settings, load_query("server", name), iris)


async def select_text(
    store: QueryStore, settings: Settings, text: str, iris: dict[str, str] | None = None
) -> list[Binding]:
    """Run a SELECT given as text (a curated view's, say) over the union of all graphs."""
    answer = await _run(store, settings, text, RESULTS_JSON, iris or {})
    return parse_json(answer.body)["results"]["bindings"]


async def ask(store: QueryStore, settings: Settings, name: str, **iris: str) -> bool:
    answer = await _run(store, settings, load_query("server", name), RESULTS_JSON, iris)
    return parse_json(answer.body)["boolean"]


async def construct(store: QueryStore, settings: Settings, name: str, accept: str | None, **iris: str) -> QueryAnswer:
    """Run a CONSTRUCT of queries/server, negotiated like any graph result."""
    return await _run(store, settings, load_query("server", name), accept, iris)


async def _run(
    store: QueryStore, settings: Settings, text: str, accept: str | None, iris: dict[str, str]
) -> QueryAnswer:
    job = QueryJob(
        text=bind_iris(text, iris) if iris else text,
        offers=negotiate(accept),
        base_iri=settings.base_iri,
        max_rows=settings.max_result_rows,
        union_default_graph=True,
        prefixes=PREFIXES,
    )
    outcome = await _execute(store, job)
    if not isinstance(outcome, QueryAnswer):
        raise InternalQueryFailed(outcome.status, outcome.message)
    return outcome


async def _execute(store: QueryStore, job: QueryJob) -> QueryAnswer | QueryFailure:
    """The store's outcome, counted in the metrics when the query timed out or its rows were cut."""
    try:
        outcome = await store.execute(job)
    except QueryTimedOut:
        metrics.query_timed_out()
        raise
    if isinstance(outcome, QueryAnswer) and outcome.truncated:
        metrics.results_truncated()
    return outcome
