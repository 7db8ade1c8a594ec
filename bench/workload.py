"""The workload: the SPARQL queries of bench/queries/*.rq, and three REST views with their SPARQL twins.

A REST view's twin is the SPARQL the view runs, sent to migkg's /sparql by the client: the
view's own file in queries/views/ rendered with the same parameter values by the server's own
code (migkg.api.views), header comments dropped, so both sides ask the store the same thing.
An item view runs its main query and then its part queries; the twin sends them one after
another on one connection and is timed as one operation.

Every SPARQL request carries ``Cache-Control: no-cache`` unless it is built with ``cached=True``
(the ``mix-repeated`` workload): migkg then runs the query rather than answering a repeated text
from its result cache (api/result_cache.py). The peers ignore the header; all servers get it alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from loadgen import Operation, Step, sparql_get

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = Path(__file__).resolve().parent / "queries"
VIEWS_DIR = ROOT / "queries" / "views"
SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
NO_CACHE = (("Cache-Control", "no-cache"),)  # migkg runs the query again instead of answering from its cache


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    accept: str
    summary: str


def load_queries(directory: Path = QUERIES_DIR) -> list[Query]:
    queries = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        summary = first.lstrip("# ").strip() if first.startswith("#") else path.stem
        graph_result = re.search(r"^\s*(DESCRIBE|CONSTRUCT)\b", text, re.MULTILINE | re.IGNORECASE)
        queries.append(Query(path.stem, text, N_TRIPLES if graph_result else SPARQL_JSON, summary))
    return queries


def sparql_step(sparql_path: str, text: str, accept: str, cached: bool = False) -> Step:
    """A GET of ``text``; with ``Cache-Control: no-cache`` unless ``cached``."""
    step = sparql_get(sparql_path, text, accept)
    return step if cached else replace(step, headers=step.headers + NO_CACHE)


def query_operation(query: Query, sparql_path: str, cached: bool = False) -> Operation:
    return Operation(query.name, (sparql_step(sparql_path, query.text, query.accept, cached),))


@dataclass(frozen=True)
class RestView:
    name: str
    target: str  # path and query string on migkg
    twin: tuple[str, ...] | None  # the SPARQL texts the view runs; None: it runs no SPARQL
    twin_note: str

    def operation(self) -> Operation:
        return Operation(f"view:{self.name}", (Step("GET", self.target, (("Accept", "application/json"),)),))

    def twin_operation(self, sparql_path: str) -> Operation | None:
        if not self.twin:
            return None
        return Operation(f"twin:{self.name}", tuple(sparql_step(sparql_path, t, SPARQL_JSON) for t in self.twin))


def _strip_header(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("#+"))


def _render_view(name: str, values: dict[str, object]) -> tuple[str, ...] | None:
    """The SPARQL texts the view ``name`` runs for ``values``, as the server renders them."""
    path = VIEWS_DIR / f"{name}.rq"
    if not path.is_file():
        return None
    from migkg.api.views import load_view  # the server's own renderer: the same text, byte for byte

    view = load_view(path)
    terms = view.terms(values)
    main = _strip_header(view.query.render(terms))
    if view.kind == "list":
        main += f"\nLIMIT {view.default_limit + 1} OFFSET 0"  # what a first page asks for
    return (main, *(_strip_header(part.query.render(terms)) for part in view.parts))


def rest_views() -> list[RestView]:
    objective = _render_view("objective", {"number": 4})
    practices = _render_view("practices", {"sdg_target": "10.7"})
    return [
        RestView(
            "objective",
            "/api/objectives/4",
            objective,
            "queries/views/objective.rq, then its parts (actions, practices, SDG targets), in sequence",
        ),
        RestView(
            "practices",
            "/api/practices?sdg_target=10.7",
            practices,
            "queries/views/practices.rq with ?sdg_target bound, first page (LIMIT default+1)",
        ),
        RestView(
            "search",
            "/api/search?q=" + quote("birth registration"),
            None,
            "SQLite FTS5, no SPARQL; compared with 06-text-filter, the SPARQL way to find the words",
        ),
    ]
