"""The row cap of api/results.py on pyoxigraph's own writers: a result within the cap is written as the
engine writes it, byte for byte; one past it keeps exactly the first rows; literals that look like
row boundaries in a format change neither."""

import csv
import io
from collections.abc import Callable

import pyoxigraph as ox
import pytest

from migkg.api.conneg import negotiate
from migkg.api.formats import OFFERS, ResultKind, results_format
from migkg.api.jobs import QueryAnswer, QueryJob
from migkg.api.results import _RowBoundedBuffer, serialize

EX = "http://example.org/"
# terms that hold what marks a row in one format or another: JSON's `},{`, XML's `<result>`, line breaks
AWKWARD = [
    "every mark: },{},{ <result><result> \n\n\r\n",
    'a "},{" b',
    "},{},{},{",
    "<result></result><result>",
    "two\nlines\r\nand a tab\t",
    'say ""hi""',
]
QUERY = "SELECT ?s ?o ?missing WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?missing } } ORDER BY ?s"
FORMATS = sorted({offer.media_type: offer for offer in OFFERS[ResultKind.SOLUTIONS]}.values(), key=str)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for number, text in enumerate(AWKWARD * 3):
        subject = ox.NamedNode(f"{EX}s{number:02d}")
        store.add(ox.Quad(subject, ox.NamedNode(f"{EX}says"), ox.Literal(text, language="en")))
    return store


def _answer(store: ox.Store, query: str, media_type: str, max_rows: int) -> QueryAnswer:
    job = QueryJob(text=query, offers=negotiate(media_type), base_iri=EX, max_rows=max_rows)
    again: Callable[[], object] = lambda: store.query(query)  # noqa: E731
    answer = serialize(store.query(query), job, again)
    assert isinstance(answer, QueryAnswer)
    return answer


def _rows(body: bytes, media_type: str) -> list[tuple]:
    """The rows of an answer: as terms, or for CSV (which pyoxigraph does not read) as Python's csv reads them."""
    offer = negotiate(media_type)[ResultKind.SOLUTIONS]
    if offer.format_name == "CSV":
        return [tuple(row) for row in csv.reader(io.StringIO(body.decode(), newline=""))][1:]
    solutions = ox.parse_query_results(body, results_format(offer))
    names = [variable.value for variable in solutions.variables]
    return [tuple(solution[name] for name in names) for solution in solutions]


@pytest.mark.parametrize("media_type", [offer.media_type for offer in FORMATS])
def test_a_result_within_the_cap_is_the_engines_own_writing(store: ox.Store, media_type: str) -> None:
    offer = negotiate(media_type)[ResultKind.SOLUTIONS]
    expected = store.query(QUERY).serialize(format=results_format(offer))
    for max_rows in (len(AWKWARD) * 3, 10_000):
        answer = _answer(store, QUERY, media_type, max_rows)
        assert (answer.body, answer.truncated) == (expected, False)


@pytest.mark.parametrize("media_type", [offer.media_type for offer in FORMATS])
def test_a_result_past_the_cap_keeps_exactly_its_first_rows(store: ox.Store, media_type: str) -> None:
    every_row = _rows(_answer(store, QUERY, media_type, 10_000).body, media_type)
    for max_rows in (1, 4, len(every_row) - 1):
        answer = _answer(store, QUERY, media_type, max_rows)
        assert answer.truncated
        assert _rows(answer.body, media_type) == every_row[:max_rows]


@pytest.mark.parametrize("media_type", [offer.media_type for offer in FORMATS])
def test_a_literal_that_looks_like_many_rows_is_not_cut(store: ox.Store, media_type: str) -> None:
    """One row whose literal holds many of every format's row marks, under a cap of one row."""
    query = f"SELECT ?o WHERE {{ <{EX}s00> ?p ?o }}"
    answer = _answer(store, query, media_type, 1)
    offer = negotiate(media_type)[ResultKind.SOLUTIONS]
    assert (answer.body, answer.truncated) == (store.query(query).serialize(format=results_format(offer)), False)


@pytest.mark.parametrize("media_type", [offer.media_type for offer in FORMATS])
def test_row_marks_split_between_chunks_count_once(store: ox.Store, media_type: str) -> None:
    """The writer hands its output over in chunks (8 KiB from pyoxigraph); any split counts alike."""
    offer = negotiate(media_type)[ResultKind.SOLUTIONS]
    fmt = results_format(offer)
    body = store.query(QUERY).serialize(format=fmt)
    whole = _RowBoundedBuffer(fmt, 10_000)
    whole.write(body)
    for size in (1, 2, 3, 7, 8, 9):
        split = _RowBoundedBuffer(fmt, 10_000)
        for start in range(0, len(body), size):
            split.write(body[start : start + size])
        assert (split.marks, split.data()) == (whole.marks, body)
