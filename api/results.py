"""Writing a query's result as the server answers it: the format chosen for its kind, cut at the row cap.

Shared by the query worker (the embedded store, api/worker.py) and the remote store
(api/remote_store.py), which parses the remote answer into the same pyoxigraph objects first, so
both answer byte for byte alike.
"""

from itertools import islice

import pyoxigraph as ox

from migkg.api.formats import OFFERS, ResultKind, acceptable_list, results_format, write_rdf
from migkg.api.jobs import QueryAnswer, QueryFailure, QueryJob


def serialize(result: object, job: QueryJob) -> QueryAnswer | QueryFailure:
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
