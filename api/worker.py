"""The query worker: runs inside its own process so that a query can be killed at its deadline.

Each worker opens the store read-only once, then answers jobs from its pipe: it executes the
query with pyoxigraph, takes the format the server chose for the kind of result it got, cuts the
result at the row cap and serializes it with pyoxigraph's own writers. It knows nothing of HTTP.
"""

import signal
import sys
from itertools import islice
from multiprocessing.connection import Connection

import pyoxigraph as ox

from migkg.api.formats import OFFERS, ResultKind, acceptable_list, results_format, write_rdf
from migkg.api.jobs import QueryAnswer, QueryFailure, QueryJob
from migkg.api.syntax_errors import readable, unknown_function


def worker_main(conn: Connection, store_dir: str) -> None:
    """Serve jobs until the parent closes its end of the socket.

    SIGTERM and SIGINT sent to the whole process group (a service manager stopping the server, or
    Ctrl-C) are ignored: the server drains its requests first, then closes the socket or kills us.
    """
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store = ox.Store.read_only(store_dir)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        conn.send(run_job(store, job))


def run_job(store: ox.Store, job: QueryJob) -> QueryAnswer | QueryFailure:
    try:
        result = store.query(job.text, **_query_options(job))
    except SyntaxError as error:
        return QueryFailure(400, f"Malformed query: {readable(str(error), job.text)}")
    except OSError as error:
        return QueryFailure(500, f"The store failed while reading: {error}")
    except RuntimeError as error:  # evaluation errors, e.g. an unknown function or a SERVICE call that failed
        refusal = unknown_function(str(error))
        return QueryFailure(400, refusal) if refusal else QueryFailure(500, f"Query evaluation failed: {error}")
    try:
        return _serialize(result, job)
    except (OSError, RuntimeError) as error:
        return QueryFailure(500, f"Query evaluation failed: {error}")


def _query_options(job: QueryJob) -> dict:
    options: dict = {"base_iri": job.base_iri}
    if job.default_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    if job.named_graphs is not None:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    if job.union_default_graph:
        options["use_default_graph_as_union"] = True
    return options


def _serialize(result: object, job: QueryJob) -> QueryAnswer | QueryFailure:
    if isinstance(result, ox.QueryBoolean):
        kind = ResultKind.BOOLEAN
    elif isinstance(result, ox.QuerySolutions):
        kind = ResultKind.SOLUTIONS
    else:
        kind = ResultKind.GRAPH
    offer = job.offers[kind]
    if offer is None:
        return QueryFailure(
            406, f"No acceptable format for this {kind} result; available: {acceptable_list(OFFERS[kind])}"
        )
    if kind is ResultKind.BOOLEAN:
        return QueryAnswer(kind, offer.content_type, result.serialize(format=results_format(offer)))
    if kind is ResultKind.SOLUTIONS:
        body, truncated = _capped_solutions(result, results_format(offer), job.max_rows)
        return QueryAnswer(kind, offer.content_type, body, truncated)
    triples = list(islice(result, job.max_rows + 1))
    truncated = len(triples) > job.max_rows
    kept = triples[: job.max_rows]
    return QueryAnswer(kind, offer.content_type, write_rdf(kept, offer, job.prefixes), truncated)


class _EnoughRows(Exception):
    pass


class _LineCappedBuffer:
    """A binary sink that stops the writer once it holds ``max_lines`` complete lines."""

    def __init__(self, max_lines: int) -> None:
        self.data = bytearray()
        self.max_lines = max_lines
        self.lines = 0

    def write(self, chunk: bytes) -> int:
        self.data += chunk
        self.lines += chunk.count(b"\n")
        if self.lines > self.max_lines:
            raise _EnoughRows
        return len(chunk)

    def flush(self) -> None:
        pass

    def first_lines(self) -> bytes:
        return b"".join(bytes(self.data).splitlines(keepends=True)[: self.max_lines])


def _capped_solutions(solutions: ox.QuerySolutions, fmt: ox.QueryResultsFormat, max_rows: int) -> tuple[bytes, bool]:
    """Cut at ``max_rows``: write TSV (one solution per line, lossless), stop early, re-read and re-write.

    pyoxigraph cannot serialize a Python list of solutions, so the cut goes through its TSV writer
    and parser; both escape newlines inside terms, so lines and solutions correspond.
    """
    sink = _LineCappedBuffer(max_rows + 1)  # the header line plus max_rows solutions
    try:
        solutions.serialize(sink, format=ox.QueryResultsFormat.TSV)
        truncated = False
    except (_EnoughRows, OSError):
        if sink.lines <= sink.max_lines:
            raise
        truncated = True
    tsv = sink.first_lines()
    if fmt == ox.QueryResultsFormat.TSV:
        return tsv, truncated
    return ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=fmt), truncated


if __name__ == "__main__":  # started by migkg.api.store: python -m migkg.api.worker FD STORE_DIR
    worker_main(Connection(int(sys.argv[1])), sys.argv[2])
