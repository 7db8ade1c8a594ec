"""Differential test of `/sparql`: every example and benchmark query answers, in every format the
server offers for its kind of result, what pyoxigraph answers in-process on the same store.

Between the engine and the client the server puts the guard, the search rewrite, the worker pool,
the row cap (solutions cut through TSV and written again, api/results.py) and content negotiation;
any of them could change an answer in one format without a test of another noticing. Each answer
is parsed back into values and compared with the engine's own result, evaluated once per query with
the options the server gives its workers (api/querying.py, api/worker.py): the union default graph
unless the query names its dataset, and the base IRI. The prefixes the server writes with only name
IRIs in a document, so the values compared do not depend on them.

The server here runs with a row cap of ROW_CAP, and the in-process result is cut at the same place:
about half the queries are cut (a DESCRIBE among them, one answers exactly ROW_CAP rows), so the
truncation header and the cut itself are compared in every format too. Which rows a cut or a LIMIT
keeps is the engine's choice, and both sides run the same engine on the same store, so they keep
the same ones.

Solutions are compared as multisets of rows; under a top-level ORDER BY, as the runs of equal sort
keys in order, each run a multiset (SPARQL leaves the order within a run open). Graphs are sets of
triples, compared up to blank-node renaming when blank nodes occur. CSV keeps neither datatypes nor
term kinds, so it is compared by the strings the CSV results format defines.
"""

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby, islice
from pathlib import Path

import pyoxigraph as ox
import pytest
from api_testing import REPO_ROOT, app_client
from fastapi.testclient import TestClient
from rdflib import Graph, Variable
from rdflib.compare import isomorphic
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from migkg.api.formats import OFFERS, Offer, ResultKind, rdf_format, results_format
from migkg.api.search_service import rewrite_search_calls, search_calls
from migkg.api.settings import Settings
from migkg.api.worker import open_store
from migkg.queries import query_files, read_query

QUERIES = query_files("examples") + query_files(REPO_ROOT / "bench" / "queries")
ROW_CAP = 25
KINDS = {
    "SelectQuery": ResultKind.SOLUTIONS,
    "AskQuery": ResultKind.BOOLEAN,
    "ConstructQuery": ResultKind.GRAPH,
    "DescribeQuery": ResultKind.GRAPH,
}


@dataclass(frozen=True)
class QueryShape:
    """What the comparison needs to know of a query: its kind of result, its dataset, its order."""

    kind: ResultKind
    has_dataset_clause: bool
    order_keys: tuple[str, ...] | None  # None: no top-level ORDER BY


def query_shape(text: str) -> QueryShape:
    query = translateQuery(parseQuery(text)).algebra
    kind = KINDS[query.name]
    order_keys = _order_keys(query) if kind is ResultKind.SOLUTIONS else None
    return QueryShape(kind, bool(query.get("datasetClause")), order_keys)


def _order_keys(select) -> tuple[str, ...] | None:
    """The projected variables a top-level ORDER BY sorts on, as far as its conditions are such variables.

    Rows equal on the first conditions stay together in any valid order, so the longest prefix of
    conditions that are projected variables tells which runs of rows may come in any order (an empty
    prefix: the whole result).
    """
    node = select.p
    while node.name in ("Slice", "Project", "Distinct", "Reduced"):
        node = node.p
    if node.name != "OrderBy":
        return None
    projected = {str(variable) for variable in select.PV}
    keys = []
    for condition in node.expr:
        expression = condition if isinstance(condition, Variable) else condition.expr
        if not isinstance(expression, Variable) or str(expression) not in projected:
            break
        keys.append(str(expression))
    return tuple(keys)


def formats_offered(kind: ResultKind) -> list[Offer]:
    """The first offer of each format: the other media types offered name the same writers."""
    first: dict[str, Offer] = {}
    for offer in OFFERS[kind]:
        first.setdefault(offer.format_name, offer)
    return list(first.values())


SHAPES = {path: query_shape(read_query(path)) for path in QUERIES}
CASES = [
    pytest.param(path, offer, id=f"{path.stem}-{offer.format_name}")
    for path in QUERIES
    for offer in formats_offered(SHAPES[path].kind)
]


@dataclass(frozen=True)
class Expected:
    """The engine's result, cut at the row cap: variables and rows, a boolean, or triples."""

    variables: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()
    boolean: bool | None = None
    triples: frozenset[ox.Triple] = frozenset()
    truncated: bool = False


class InProcess:
    """The release opened as the server's workers open it (which rows a cut keeps depends on the
    store's order); each query evaluated once."""

    def __init__(self, settings: Settings, client: TestClient) -> None:
        self.store = open_store(str(client.app.state.migkg.store.data))
        self.settings = settings
        self.search_index = client.app.state.migkg.search_index()
        self.answers: dict[Path, Expected] = {}

    def expected(self, path: Path) -> Expected:
        if path not in self.answers:
            self.answers[path] = self.evaluate(self._engine_text(read_query(path)), SHAPES[path])
        return self.answers[path]

    def _engine_text(self, text: str) -> str:
        """The text the engine gets: the search SERVICE is the server's own, rewritten as the server does.

        Kept out of `evaluate`: the rewrite's parser leaves frames in reference cycles, and a
        pyoxigraph result held by one of them may be freed on another thread, which pyoxigraph refuses.
        """
        if calls := search_calls(text):
            return rewrite_search_calls(text, calls, self.settings.base_iri, self.search_index)
        return text

    def evaluate(self, text: str, shape: QueryShape) -> Expected:
        result = self.store.query(
            text, base_iri=self.settings.base_iri, use_default_graph_as_union=not shape.has_dataset_clause
        )
        if isinstance(result, ox.QueryBoolean):
            return Expected(boolean=bool(result))
        cap = self.settings.max_result_rows
        if isinstance(result, ox.QuerySolutions):
            variables = tuple(variable.value for variable in result.variables)
            rows = [tuple(solution[v] for v in variables) for solution in islice(result, cap + 1)]
            return Expected(variables=variables, rows=tuple(rows[:cap]), truncated=len(rows) > cap)
        triples = list(islice(result, cap + 1))
        return Expected(triples=frozenset(triples[:cap]), truncated=len(triples) > cap)


@pytest.fixture(scope="module")
def capped_settings(settings: Settings) -> Settings:
    # one worker: the cases run one at a time
    return settings.model_copy(update={"max_result_rows": ROW_CAP, "max_concurrent_queries": 1})


@pytest.fixture(scope="module")
def capped_client(capped_settings: Settings) -> Iterator[TestClient]:
    with app_client(capped_settings) as client:
        yield client


@pytest.fixture(scope="module")
def in_process(capped_settings: Settings, capped_client: TestClient) -> InProcess:
    return InProcess(capped_settings, capped_client)


@pytest.mark.parametrize(("path", "offer"), CASES)
def test_the_endpoint_answers_what_the_engine_answers(
    capped_client: TestClient, in_process: InProcess, path: Path, offer: Offer
) -> None:
    expected = in_process.expected(path)
    response = capped_client.post(
        "/sparql",
        data={"query": read_query(path)},
        headers={"accept": offer.media_type, "cache-control": "no-cache"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == offer.content_type
    assert response.headers["migkg-cache"] == "miss"
    assert response.headers.get("migkg-results-truncated") == (str(ROW_CAP) if expected.truncated else None)
    assert_same_answer(response.content, offer, SHAPES[path], expected)


def test_the_row_cap_cuts_some_queries_and_not_others(in_process: InProcess) -> None:
    """Both sides of the cut are compared: some answers are cut, others whole."""
    assert {in_process.expected(path).truncated for path in QUERIES} == {True, False}


def assert_same_answer(body: bytes, offer: Offer, shape: QueryShape, expected: Expected) -> None:
    if shape.kind is ResultKind.GRAPH:
        assert_same_graph(_parsed_graph(body, offer), expected.triples)
    elif shape.kind is ResultKind.BOOLEAN:
        assert bool(ox.parse_query_results(body, results_format(offer))) is expected.boolean
    elif offer.format_name == "CSV":
        header, *lines = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
        assert tuple(header) == expected.variables
        # the csv module reads an empty line as no field: one variable, unbound
        rows = [tuple(line) if line else ("",) * len(header) for line in lines]
        expected_rows = [tuple(_csv_string(term) for term in row) for row in expected.rows]
        assert_same_rows(rows, expected_rows, expected.variables, shape.order_keys)
    else:
        variables, rows = _parsed_solutions(body, offer)
        assert variables == expected.variables
        assert_same_rows(rows, list(expected.rows), variables, shape.order_keys)


def _parsed_solutions(body: bytes, offer: Offer) -> tuple[tuple[str, ...], list[tuple]]:
    """Variables and rows of terms, the parsed solutions dropped here: the test client's portal keeps
    the test's frame in reference cycles, which the collector may free on the server's thread."""
    solutions = ox.parse_query_results(body, results_format(offer))
    variables = tuple(variable.value for variable in solutions.variables)
    return variables, [tuple(solution[v] for v in variables) for solution in solutions]


def _csv_string(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """A term as SPARQL 1.1 Query Results CSV writes it: an IRI or a lexical form bare, `_:label`, unbound empty."""
    if term is None:
        return ""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def assert_same_rows(
    rows: list[tuple], expected: list[tuple], variables: tuple[str, ...], order_keys: tuple[str, ...] | None
) -> None:
    """The same multiset of rows; under ORDER BY, the same runs of equal sort keys, each the same multiset."""
    if order_keys is None:
        assert Counter(rows) == Counter(expected)
        return
    positions = [variables.index(key) for key in order_keys]

    def runs(table: list[tuple]) -> list[tuple[tuple, Counter]]:
        return [(key, Counter(run)) for key, run in groupby(table, key=lambda row: tuple(row[i] for i in positions))]

    assert runs(rows) == runs(expected)


def _parsed_graph(body: bytes, offer: Offer) -> frozenset[ox.Triple]:
    quads = list(ox.parse(body, format=rdf_format(offer)))
    assert all(quad.graph_name == ox.DefaultGraph() for quad in quads), "a graph result puts triples in a named graph"
    return frozenset(quad.triple for quad in quads)


def assert_same_graph(triples: frozenset[ox.Triple], expected: frozenset[ox.Triple]) -> None:
    if _has_blank_nodes(triples) or _has_blank_nodes(expected):
        assert isomorphic(_rdflib_graph(triples), _rdflib_graph(expected))
    else:
        assert triples == expected


def _has_blank_nodes(triples: frozenset[ox.Triple]) -> bool:
    return any(isinstance(term, ox.BlankNode) for triple in triples for term in (triple.subject, triple.object))


def _rdflib_graph(triples: frozenset[ox.Triple]) -> Graph:
    return Graph().parse(data=ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES), format="nt")
