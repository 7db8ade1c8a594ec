"""The guard's shortcut (queries it can clear without rdflib's parser) gives the parser's own verdict."""

import random
from pathlib import Path

import pytest

from migkg.api.guard import QueryRefused, _check_parsed, _plainly_safe, check_query

BASE = "https://w3id.org/migkg/"
ROOT = Path(__file__).resolve().parents[2]
PIECES = [
    "SELECT",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "WHERE",
    "*",
    "?s ?p ?o",
    "{",
    "}",
    "<x>",
    "<http://x#y>",
    ";",
    "'''",
    '"',
    "INSERT DATA { <a> <b> <c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://x>",
    "clear all",
    "WITH <g>",
    "PREFIX a: <http://x/>",
    "PREFIX : <y>",
    "BASE <http://b/>",
    "# a comment with select\n",
    "#",
    "\n",
    " ",
    "\\u0041",
    "\\U00000053",
    "FROM <g>",
    "SERVICE <http://x/sparql> { }",
    "GRAPH ?g",
    "FILTER(1)",
    "LIMIT 1",
]


def verdict(check, text):
    try:
        return check(text, BASE, frozenset())
    except QueryRefused as refused:
        return str(refused), refused.status


def corpus() -> list[str]:
    files = [
        p.read_text(encoding="utf-8")
        for folder in ("queries", "bench/queries")
        for p in sorted((ROOT / folder).rglob("*.rq"))
    ]
    rng = random.Random(6)
    made = [" ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12))) for _ in range(1500)]
    prefixed = [rng.choice(PIECES) + " " + rng.choice(files) for _ in range(300)] if files else []
    return files + made + prefixed


def test_the_shortcut_gives_the_parsers_verdict_on_every_text():
    texts = corpus()
    shortcut = [t for t in texts if _plainly_safe(t)]
    assert len(shortcut) > 100  # the corpus exercises the shortcut, not only the parser
    for text in texts:
        assert verdict(check_query, text) == verdict(_check_parsed, text), text


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX a: <b>",  # a prologue alone is a (no-op) update: refused 403 by the parser
        "# select\nPREFIX a: <b>",
        "INSERT DATA { <a> <b> <c> }",
        "SELECT * FROM <http://example.org/g> { ?s ?p ?o }",
        "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "\\u0053ELECT * { ?s ?p ?o }",
        '# \\u000AINSERT DATA { <a> <b> """\nSELECT """ }',  # an escape can end a comment: parsed, refused
    ],
)
def test_texts_that_need_the_parser_are_not_cleared_by_the_shortcut(text):
    assert not _plainly_safe(text)


def test_the_shortcut_is_linear_on_hostile_text():
    import time

    for text in ("# " * 30000 + "X", "#\n" * 30000 + "X", "PREFIX a: <b> " * 4000 + "X", " " * 60000):
        started = time.perf_counter()
        _plainly_safe(text)
        assert time.perf_counter() - started < 0.5
