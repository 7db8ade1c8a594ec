"""The guard's shortcut (queries it can clear without rdflib's parser) gives the parser's own verdict."""

import random
from pathlib import Path

import pytest

from migkg.api.guard import QueryRefused, _check_parsed, _plainly_safe, check_nesting, check_query

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


def nesting_refusal(text: str, limit: int = 100) -> str | None:
    try:
        check_nesting(text, limit)
    except QueryRefused as refused:
        assert refused.status == 400
        return str(refused)
    return None


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("SELECT * WHERE " + "{ " * 101 + "}" * 101, 101),
        ("SELECT * WHERE { FILTER(" + "(" * 100 + "1" + ")" * 100 + ") }", 102),
        ("SELECT * WHERE { ?s ?p " + "[ <p> " * 101 + "1" + " ]" * 101 + " }", 102),
        ("SELECT * WHERE " + "{ ?s ?p ?o } " * 500 + "{" * 101 + "}" * 101, 101),  # depth, not count
    ],
)
def test_nesting_deeper_than_the_limit_is_refused_with_its_depth(text: str, depth: int) -> None:
    assert nesting_refusal(text) == f"nesting depth {depth} exceeds the limit 100 (MIGKG_MAX_QUERY_DEPTH)."
    assert nesting_refusal(text, limit=depth) is None


@pytest.mark.parametrize(
    "inert",
    [
        '"' + "{" * 500 + '"',
        "'" + "(" * 500 + "'",
        '"""\n' + "{" * 500 + '\n"""',
        "'''" + "[" * 500 + "'''",
        '"\\"' + "{" * 500 + '"',  # an escaped quote does not end the string
        "# " + "{" * 500 + "\n",
        "<http://example.org/" + "(" * 500 + ">",
    ],
)
def test_brackets_in_strings_comments_and_iris_do_not_nest(inert: str) -> None:
    assert nesting_refusal(f"SELECT * WHERE {{ ?s ?p {inert} }}") is None


def test_closing_brackets_in_strings_comments_and_iris_hide_no_nesting() -> None:
    hiding = ['"' + "}" * 50 + '"', "# " + ")" * 50 + "\n", "<x" + ")" * 50 + ">"]
    for inert in hiding:
        assert nesting_refusal("{ " * 60 + inert + "{ " * 60) is not None, inert


def test_a_comparison_that_reads_like_an_iri_cannot_hide_deep_nesting() -> None:
    """``?x<((…(?a>`` is an IRI to the lexer and a comparison to the engine: with many brackets, refused."""
    hidden = "SELECT * WHERE { FILTER(" + "?x<((((?a>?b||<))))>=" * 400 + "1" + ")" * 1601 + " }"
    assert "could not be checked" in nesting_refusal(hidden)
    few = "SELECT * WHERE { FILTER(?x<(?a)&&?y>0) }"
    assert nesting_refusal(few) is None


def test_an_unterminated_string_ends_the_check_where_the_engine_stops() -> None:
    assert nesting_refusal('SELECT * WHERE { "open ' + "{" * 200) is None  # a syntax error before any depth


def test_the_nesting_check_is_linear_on_hostile_text() -> None:
    import time

    hostile = ['"' * 60000, "'''" + "'" * 60000, "<" * 60000, "#" * 60000, "{" * 60000, '"\\' * 30000, "<a" * 30000]
    for text in hostile:
        started = time.perf_counter()
        nesting_refusal(text)
        assert time.perf_counter() - started < 0.5, text[:10]


@pytest.mark.parametrize(
    ("text", "has_dataset_clause"),
    [
        ("SELECT ?x FROM <urn:g> { VALUES ?x { -0.5 } }", True),  # rdflib's parser raises TypeError on it
        ("SELECT ?s { ?s ?p -1.5 } # from nowhere", True),
        ("INSERT DATA { <urn:a> <urn:b> -1.5 }", None),
    ],
)
def test_a_negative_decimal_the_guard_s_parser_cannot_read_is_checked_strictly(text, has_dataset_clause) -> None:
    checked = verdict(_check_parsed, text)
    if has_dataset_clause is None:
        assert checked[1] == 403, checked
    else:
        assert checked.has_dataset_clause is has_dataset_clause


def test_a_negative_decimal_with_service_is_refused_as_unreadable() -> None:
    message, status = verdict(_check_parsed, "SELECT * { SERVICE <http://x/sparql> { ?s ?p -1.5 } }")
    assert status == 400 and "could not be checked for SERVICE" in message
