"""Writing a query's result as the server answers it: the format chosen for its kind, cut at the row cap.

Shared by the query worker (the embedded store, api/worker.py) and the remote store
(api/remote_store.py), which parses the remote answer into the same pyoxigraph objects first, so
both answer byte for byte alike.
"""

from collections.abc import Callable
from itertools import islice

import pyoxigraph as ox

from migkg.api.formats import OFFERS, ResultKind, acceptable_list, results_format, write_rdf
from migkg.api.jobs import QueryAnswer, QueryFailure, QueryJob

TSV = ox.QueryResultsFormat.TSV
# What a writer puts once per solution, or more often (inside a term) but never less: how many
# rows a result written so far holds at most, its count plus the offset. JSON separates solutions
# by `},{` (and a literal may hold it); XML opens each with `<result>` (a literal's `<` is escaped);
# CSV ends the header and each solution with a line break (a quoted term may hold more).
_ROW_MARKS: dict[ox.QueryResultsFormat, tuple[bytes, int]] = {
    ox.QueryResultsFormat.JSON: (b"},{", 1),
    ox.QueryResultsFormat.XML: (b"<result>", 0),
    ox.QueryResultsFormat.CSV: (b"\n", -1),
    TSV: (b"\n", -1),  # exact: TSV escapes the line breaks in terms
}


def serialize(result: object, job: QueryJob, again: Callable[[], object]) -> QueryAnswer | QueryFailure:
    """``result`` written for ``job``; ``again`` evaluates the query afresh, for a result that may pass the row cap."""
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
        body, truncated = _capped_solutions(result, results_format(offer), job.max_rows, again)
        return QueryAnswer(kind, offer.content_type, body, truncated)
    triples = list(islice(result, job.max_rows + 1))
    truncated = len(triples) > job.max_rows
    kept = triples[: job.max_rows]
    return QueryAnswer(kind, offer.content_type, write_rdf(kept, offer, job.prefixes), truncated)


class _EnoughRows(Exception):
    pass


class _RowBoundedBuffer:
    """A binary sink that stops the writer once the rows it holds may pass ``max_rows``, by ``fmt``'s
    row marks (``_ROW_MARKS``), counted across the writer's chunks."""

    def __init__(self, fmt: ox.QueryResultsFormat, max_rows: int) -> None:
        self.mark, offset = _ROW_MARKS[fmt]
        self.max_marks = max_rows - offset
        self.marks = 0
        self.chunks: list[bytes] = []
        self._tail = b""  # the last len(mark) - 1 bytes written: a mark may begin there and end in the next chunk

    def write(self, chunk: bytes) -> int:
        chunk = bytes(chunk)
        reach = len(self.mark) - 1
        self.marks += chunk.count(self.mark) + (self._tail + chunk[:reach]).count(self.mark)
        self._tail = (self._tail + chunk)[-reach:] if reach else b""
        self.chunks.append(chunk)
        if self.marks > self.max_marks:
            raise _EnoughRows
        return len(chunk)

    def flush(self) -> None:
        pass

    def data(self) -> bytes:
        return b"".join(self.chunks)


def _capped_solutions(
    solutions: ox.QuerySolutions, fmt: ox.QueryResultsFormat, max_rows: int, again: Callable[[], object]
) -> tuple[bytes, bool]:
    """The solutions in ``fmt``, cut at ``max_rows``: written straight in ``fmt`` while they may not pass it
    (one pass, in pyoxigraph's own writer); past that, cut exactly through TSV (one solution a line)."""
    if fmt != TSV:
        sink = _RowBoundedBuffer(fmt, max_rows)
        if _written_within(solutions, sink, fmt):
            return sink.data(), False
        solutions = again()
    sink = _RowBoundedBuffer(TSV, max_rows)
    truncated = not _written_within(solutions, sink, TSV)
    tsv = b"".join(sink.data().splitlines(keepends=True)[: max_rows + 1]) if truncated else sink.data()
    if fmt == TSV:
        return tsv, truncated
    # pyoxigraph cannot serialize a Python list of solutions: the cut TSV is read back and written in fmt
    return ox.parse_query_results(tsv, TSV).serialize(format=fmt), truncated


def _written_within(solutions: ox.QuerySolutions, sink: _RowBoundedBuffer, fmt: ox.QueryResultsFormat) -> bool:
    """Whether the writer wrote every solution into ``sink`` before it could pass the bound."""
    try:
        solutions.serialize(sink, format=fmt)
        return True
    except (_EnoughRows, OSError):  # pyoxigraph may report the sink's exception as an OSError
        if sink.marks <= sink.max_marks:
            raise
        return False
