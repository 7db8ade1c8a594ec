"""The same API over a remote SPARQL 1.1 store (``MIGKG_STORE_URL``), Debian's Virtuoso 7.2.5 tested.

A query takes the same way as on the embedded store: admitted by the same FairScheduler and
long-query lane, bounded by the same deadline. pyoxigraph then plans it on an empty store, which
refuses what the worker would refuse in the worker's words and lets none of the remote store's own
extensions through (Virtuoso's ``define`` pragmas and ``bif:`` SQL functions, say). The store is
asked for a lossless format of ours (SPARQL results JSON, N-Triples), whose answer pyoxigraph reads
back and api/results.py writes exactly as the worker does: the same formats, row cap and bytes.

What Virtuoso does differently, absorbed here (docs/remote-store.md):
- a direct POST (``application/sparql-query``) gets no answer at all: queries go form-encoded;
- without an Accept header it may answer HTML, and its CSV and TSV differ: we always ask for ours;
- its "all graphs" include its system graphs: queries over the union are sent with the release's
  graphs (the loader's record, checked against the store) as their dataset, a protocol graph
  outside the release as none, and an empty protocol graph list as a graph that holds nothing;
- at its ``timeout`` it answers 200 with the results so far (``X-SQL-State: S1TAT``): a timeout;
- ASK comes back as solutions of one variable ``__ASK_RETVAL`` (a row when true, none when false);
- ``GRAPH ?g { }`` answers one empty row rather than one row per graph: it is rewritten as a scan;
- a pattern in a graph outside the dataset matches once when its variables are unused (an ASK of
  constants is true): ``GRAPH <iri>`` outside the named graphs sent is rewritten as NO_GRAPH;
- DESCRIBE adds the triples pointing at the resource: its CBD mode answers what Oxigraph does.
"""

import asyncio
import re
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from migkg.api.fairness import FairScheduler, LongQueryLane, QueryCosts, Shares
from migkg.api.guard import PROLOGUE
from migkg.api.jobs import QueryAnswer, QueryFailure, QueryJob
from migkg.api.results import serialize
from migkg.api.store import QueryTimedOut, admitted, answered_in_lanes
from migkg.api.syntax_errors import readable, unknown_function
from migkg.queries import load_query

CONNECT_TIMEOUT = 5.0  # seconds to reach the store; past it the store "did not answer"
READ_GRACE = 2.0  # seconds beyond the query timeout that the HTTP client waits (the deadline stops us first)
FORM = "application/x-www-form-urlencoded"
SOLUTIONS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
# Holds nothing: what the protocol's empty list of graphs, and a graph outside the dataset, become.
NO_GRAPH = "urn:migkg:remote-store:no-graph"
# The graph where the loader records the release the store holds: each graph's quads (void:triples).
RELEASE_RECORD = "urn:migkg:remote-store:release"
VOID_TRIPLES = "http://rdfs.org/ns/void#triples"
VERSION_INFO = "http://www.w3.org/2002/07/owl#versionInfo"  # the record's: the release's version
TIMED_OUT_STATE = "S1TAT"  # Virtuoso's SQL state for "returning incomplete results" at its timeout
# Virtuoso pragma, ignored but by DESCRIBE: the concise bounded description, Oxigraph's DESCRIBE.
DESCRIBE_AS_CBD = 'define sql:describe-mode "CBD"\n'
# Planning a query here checks it as the worker would; holding nothing, it evaluates nothing that counts.
_PLANNER = ox.Store()
_ASK = re.compile(r"ASK\b", re.IGNORECASE)
# Spans no pattern starts inside, as api/guard.py reads them: strings, comments and IRIs.
_LONG_STRINGS = r"'''(?:[^'\\]|\\.|'(?!''))*+'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*+\"\"\""
_SHORT_STRINGS = r"'(?:[^'\\\n\r]|\\.)*+'|\"(?:[^\"\\\n\r]|\\.)*+\""
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_PREFIXED_NAME = r"(?:[^\W\d_][\w.-]*+)?:[^\s{}]*+"  # up to the group: the planner reads it exactly
_GRAPH_PATTERN = re.compile(
    rf"(?P<skip>{_LONG_STRINGS}|{_SHORT_STRINGS}|#[^\n\r]*+|{_IRI})"
    r"|(?<![\w?$:])GRAPH\s*+"
    rf"(?:(?P<variable>[?$][^\W]\w*+)\s*+\{{\s*+\}}|(?P<name>{_IRI}|{_PREFIXED_NAME})(?P<empty>\s*+\{{\s*+\}})?)",
    re.IGNORECASE,
)


class RemoteStore:
    """A SPARQL 1.1 endpoint holding the release (loaded by ``migkg load-virtuoso``), shared between
    clients by a FairScheduler; ``query_timeout`` bounds each query's wait and run together."""

    def __init__(
        self, url: str, release_version: str, shares: Shares, lane: LongQueryLane, query_timeout: float, base_iri: str
    ) -> None:
        self.url = url
        self.release_version = release_version  # build-info.json's: the store must hold this release
        self.lane = lane
        self.query_timeout = query_timeout
        self.base_iri = base_iri
        self.scheduler = FairScheduler(shares, lane, QueryCosts())  # as on the embedded store: short queries go first
        self.graphs: tuple[str, ...] = ()  # the release's, as the store records it (queries/remote/release-graphs.rq)
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(query_timeout + READ_GRACE, connect=CONNECT_TIMEOUT),
            limits=httpx.Limits(max_connections=shares.workers),
        )

    async def start(self) -> None:
        """Reads which graphs the store's release has and checks the store holds each of them whole;
        ConnectionError when it does not answer, RuntimeError when it holds no release, another
        release or only part of one (so the release is not opened, and the server says why)."""
        recorded = await self._graph_sizes("release-graphs", [RELEASE_RECORD])
        if not recorded:
            raise RuntimeError(
                f"the remote store at {self.url} records no release: "
                "load the release into it first (`migkg load-virtuoso`, docs/remote-store.md)"
            )
        versions = [solution["version"].value for solution in await self._select("release-version", [RELEASE_RECORD])]
        if versions != [self.release_version]:
            held = ", ".join(versions) or "none recorded"
            raise RuntimeError(
                f"the remote store at {self.url} holds release version {held}, not {self.release_version}: "
                "load this release into it (`migkg load-virtuoso`)"
            )
        held = await self._graph_sizes("graph-sizes", sorted(recorded))
        if held != recorded:
            differing = ", ".join(
                f"<{graph}> {held.get(graph, 0)} of {quads}"
                for graph, quads in sorted(recorded.items())
                if held.get(graph, 0) != quads
            )
            raise RuntimeError(
                f"the remote store at {self.url} does not hold the release it records (quads held: {differing}): "
                "load the release into it again (`migkg load-virtuoso`)"
            )
        self.graphs = tuple(sorted(recorded))

    async def _graph_sizes(self, name: str, named_graphs: list[str]) -> dict[str, int]:
        """The ``?graph ?quads`` rows of queries/remote/NAME.rq over ``named_graphs``."""
        solutions = await self._select(name, named_graphs)
        return {solution["graph"].value: int(solution["quads"].value) for solution in solutions}

    async def _select(self, name: str, named_graphs: list[str]) -> ox.QuerySolutions:
        """The solutions of queries/remote/NAME.rq over ``named_graphs``."""
        parameters = {"named-graph-uri": named_graphs}
        try:
            response = await self._http.post(
                self.url,
                content=_form(load_query("remote", name), self.base_iri, parameters),
                headers=_headers(SOLUTIONS_JSON),
            )
        except httpx.HTTPError as error:
            raise ConnectionError(self._unreachable(error)) from error
        if response.status_code != 200:
            raise RuntimeError(
                f"the remote store at {self.url} answered {response.status_code}: {_first_line(response)}"
            )
        return ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)

    async def close(self) -> None:
        await self._http.aclose()

    @property
    def idle_workers(self) -> None:
        """The remote endpoint's workers are its own, out of sight."""
        return None

    async def execute(self, job: QueryJob) -> QueryAnswer | QueryFailure:
        admission = await admitted(self.scheduler, self.query_timeout, job.text)
        try:
            return await self._run(job, admission.at, admission.deadline)
        finally:
            self.scheduler.release(admission.client, admission.finished())

    async def _run(self, job: QueryJob, admitted: float, deadline: float) -> QueryAnswer | QueryFailure:
        """A request given up is cancelled: its connection closes, and the store's own timeout, sent
        with it, ends its work."""
        answer = asyncio.ensure_future(self._answer(job, deadline))
        try:
            return await answered_in_lanes(answer, self.lane, admitted, deadline)
        finally:
            answer.cancel()

    async def _answer(self, job: QueryJob, deadline: float) -> QueryAnswer | QueryFailure:
        planned = _plan(job)
        if isinstance(planned, QueryFailure):  # refused before the store is asked, in the worker's words
            return planned
        asks_graph = isinstance(planned, ox.QueryTriples)
        dataset = self._dataset(job)
        text = _graph_patterns_rewritten(job.text, job.base_iri, dataset.get("named-graph-uri"))
        parameters = {**dataset, "maxrows": job.max_rows + 1, "timeout": _milliseconds_left(deadline)}
        try:
            response = await self._http.post(
                self.url,
                content=_form(text, job.base_iri, parameters),
                headers=_headers(N_TRIPLES if asks_graph else SOLUTIONS_JSON),
            )
        except httpx.ReadTimeout:
            raise QueryTimedOut from None
        except httpx.HTTPError as error:
            return QueryFailure(503, self._unreachable(error))
        if response.headers.get("x-sql-state") == TIMED_OUT_STATE:
            raise QueryTimedOut
        if response.status_code != 200:
            return self._refused(response)
        return _serialized(response.content, job, asks_graph, asks_boolean=_is_ask(job.text))

    def _dataset(self, job: QueryJob) -> dict[str, list[str]]:
        """The protocol's graph parameters for the job's dataset (api/worker.py's ``_query_options``).

        The named graphs sent always include NO_GRAPH, for ``_graph_patterns_rewritten``; an empty
        list of default graphs is sent as NO_GRAPH, since Virtuoso reads none as "all graphs"."""
        if job.union_default_graph:
            return {"default-graph-uri": list(self.graphs), "named-graph-uri": [*self.graphs, NO_GRAPH]}
        dataset = {}
        if job.default_graphs is not None:
            dataset["default-graph-uri"] = self._of_release(job.default_graphs) or [NO_GRAPH]
        if job.named_graphs is not None:
            dataset["named-graph-uri"] = [*self._of_release(job.named_graphs), NO_GRAPH]
        return dataset

    def _of_release(self, graphs: tuple[str, ...]) -> list[str]:
        """The release's graphs among ``graphs``: the store's others are none of ours, as the embedded
        store holds none of them."""
        return [graph for graph in graphs if graph in self.graphs]

    def _unreachable(self, error: httpx.HTTPError) -> str:
        return f"The remote store at {self.url} did not answer: {str(error) or type(error).__name__}"

    def _refused(self, response: httpx.Response) -> QueryFailure:
        """A query pyoxigraph accepts that the store will not run (its SPARQL differs), or a store failing."""
        if 400 <= response.status_code < 500:
            return QueryFailure(400, f"The remote store at {self.url} refused this query: {_first_line(response)}")
        return QueryFailure(
            500, f"Query evaluation failed: the remote store answered {response.status_code}: {_first_line(response)}"
        )


def _plan(job: QueryJob) -> object | QueryFailure:
    """The planned result (its type tells the kind), or the refusal the worker would answer.

    pyoxigraph evaluates an ASK at once and a SELECT only when read, so an ASK is planned as the
    SELECT of the same pattern; its syntax errors are read from the ASK itself, for their positions.
    """
    try:
        return _PLANNER.query(_as_select(job.text), base_iri=job.base_iri)
    except SyntaxError:
        try:
            return _PLANNER.query(job.text, base_iri=job.base_iri)
        except SyntaxError as error:
            return QueryFailure(400, f"Malformed query: {readable(str(error), job.text)}")
        except RuntimeError as error:
            return _planning_failure(error)
    except RuntimeError as error:
        return _planning_failure(error)


def _planning_failure(error: RuntimeError) -> QueryFailure:
    refusal = unknown_function(str(error))
    return QueryFailure(400, refusal) if refusal else QueryFailure(500, f"Query evaluation failed: {error}")


def _as_select(text: str) -> str:
    """An ASK query as the SELECT of one constant, which is valid exactly where the ASK is."""
    prologue_end = PROLOGUE.match(text).end()
    if not _ASK.match(text, prologue_end):
        return text
    variable = "ask"
    while re.search(rf"[?$]{variable}\b", text):
        variable += "_"
    return f"{text[:prologue_end]}SELECT (1 AS ?{variable}){text[prologue_end + 3 :]}"


def _is_ask(text: str) -> bool:
    return _ASK.match(text, PROLOGUE.match(text).end()) is not None


def _graph_patterns_rewritten(text: str, base_iri: str, named_graphs: list[str] | None) -> str:
    """The query's graph patterns as Virtuoso answers them right; strings, comments and other IRIs
    left as they are.

    ``GRAPH ?g { }`` becomes the sub-query it means, the graphs holding a triple (Virtuoso answers
    it with one unbound row). ``GRAPH <iri>`` naming a graph outside ``named_graphs`` (when sent)
    becomes ``GRAPH <NO_GRAPH>``, which they include (``GRAPH <iri> { }`` a group with no solution):
    Virtuoso lets a pattern in a graph outside the dataset match once when no variable of it is
    used, so an ASK of constants in it is true.
    """
    outside = set()
    if named_graphs is not None:
        prologue = text[: PROLOGUE.match(text).end()]
        for name in {match["name"] for match in _GRAPH_PATTERN.finditer(text) if match["name"]}:
            iri = _resolved(prologue, base_iri, name)
            if iri is not None and iri not in named_graphs:
                outside.add(name)

    def rewrite(match: re.Match) -> str:
        if match["variable"]:
            graph = match["variable"]
            return f"{{ SELECT DISTINCT {graph} WHERE {{ GRAPH {graph} {{ ?_s ?_p ?_o }} }} }}"
        if match["name"] in outside:  # NO_GRAPH would match an empty pattern once: it is in the dataset
            return "{ FILTER(false) }" if match["empty"] else f"GRAPH {ox.NamedNode(NO_GRAPH)}"
        return match[0]

    return _GRAPH_PATTERN.sub(rewrite, text)


def _resolved(prologue: str, base_iri: str, term: str) -> str | None:
    """The IRI a term of the query (an IRI, a prefixed name) stands for, read by the planner under
    the query's prologue; None when it reads no IRI there."""
    try:
        solution = next(iter(_PLANNER.query(f"{prologue}SELECT * WHERE {{ BIND({term} AS ?iri) }}", base_iri=base_iri)))
    except (SyntaxError, RuntimeError):
        return None
    return solution["iri"].value if isinstance(solution["iri"], ox.NamedNode) else None


def _serialized(body: bytes, job: QueryJob, asks_graph: bool, asks_boolean: bool) -> QueryAnswer | QueryFailure:
    """The store's answer, read back into pyoxigraph's objects, written as the worker writes its own."""
    try:
        if asks_graph:
            result: object = [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        else:
            result = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
            if asks_boolean and not isinstance(result, ox.QueryBoolean):
                result = _boolean(any(True for _ in result))  # Virtuoso's __ASK_RETVAL row, or none
        return serialize(result, job, lambda: ox.parse_query_results(body, ox.QueryResultsFormat.JSON))
    except (SyntaxError, OSError, RuntimeError) as error:
        return QueryFailure(500, f"Query evaluation failed: the remote store's answer could not be read: {error}")


def _boolean(value: bool) -> ox.QueryBoolean:
    return ox.parse_query_results(
        b'{"head": {}, "boolean": %s}' % (b"true" if value else b"false"), ox.QueryResultsFormat.JSON
    )


def _form(text: str, base_iri: str, parameters: dict) -> bytes:
    """The query form-encoded (Virtuoso ignores direct POST bodies), with our base and the CBD pragma."""
    query = f"{DESCRIBE_AS_CBD}BASE {ox.NamedNode(base_iri)}\n{text}"
    return urlencode({"query": query, **parameters}, doseq=True).encode()


def _headers(accept: str) -> dict[str, str]:
    return {"Accept": accept, "Content-Type": FORM}


def _milliseconds_left(deadline: float) -> int:
    return max(int((deadline - asyncio.get_running_loop().time()) * 1000), 1)


def _first_line(response: httpx.Response) -> str:
    return next((line.strip() for line in response.text.splitlines() if line.strip()), "(no message)")
