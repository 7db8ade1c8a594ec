"""Checks a query before it reaches the engine.

pyoxigraph has no parse-only call and executes ``SERVICE`` itself, so the guard parses
the query with rdflib's SPARQL parser (parsing only: rdflib never fetches anything here)
to find every ``SERVICE`` target, the dataset clauses and whether the text is an update.

rdflib's parser costs 2–25 ms a query (pyparsing), on the event loop. Most queries need none
of what it finds, and a plain look at the text proves it: a query that begins (after its
prologue) with SELECT, CONSTRUCT, DESCRIBE or ASK is no update, one without the letters
"service" has no SERVICE call and one without "from" has no dataset clause. Such queries skip
the parser with exactly the answer it would give; every other query is parsed, and the
verdict is kept in a small cache keyed by the query text, base IRI and allow-list.

Before any of that, `check_nesting` refuses text nested deeper than the server's limit: the
engine's parser recurses once per bracket and overflows its stack (a segfault) a couple of
thousand levels down, far below the query size limit (tests/api/test_engine_limits.py).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib.term import URIRef, Variable


class QueryRefused(Exception):
    """The query may not run here; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    has_dataset_clause: bool  # FROM / FROM NAMED present: the union default graph must not apply


_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# A prologue (BASE and PREFIX declarations, comments, white space) followed by a query form.
# IRIs here are IRIREFs as the grammar has them (no white space, no <>"{}|^`\\); anything the
# grammar reads differently makes the text unparsable as a query and as an update alike.
# Possessive quantifiers: no backtracking, so the match is linear in the text's length.
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_PROLOGUE = (
    rf"(?:[ \t\r\n]++|#[^\n\r]*+|BASE[ \t\r\n]*+{_IRI}"
    rf"|PREFIX[ \t\r\n]*+(?:[^\W\d_][\w.-]*+)?:[ \t\r\n]*+{_IRI})*+"
)
PROLOGUE = re.compile(_PROLOGUE, re.IGNORECASE)
_QUERY_FORM_FIRST = re.compile(rf"{_PROLOGUE}(?:SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE)
_NEEDS_PARSER = re.compile(r"service|from|\\u", re.IGNORECASE)  # ignoring case, "\\u" finds "\\U" too
_CACHED_VERDICTS = 256

# The tokens inside which brackets do not nest, as SPARQL's lexer reads them, and the brackets.
_LONG_STRINGS = r"'''(?:[^'\\]|\\.|'(?!''))*+'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*+\"\"\""
_SHORT_STRINGS = r"'(?:[^'\\\n\r]|\\.)*+'|\"(?:[^\"\\\n\r]|\\.)*+\""
_NESTING_TOKENS = re.compile(
    rf"(?P<string>{_LONG_STRINGS}|{_SHORT_STRINGS})|(?P<unterminated>[\"'])|(?P<comment>#[^\n\r]*+)|(?P<iri>{_IRI})"
    r"|(?P<open>[{(\[])|(?P<close>[})\]])",
    re.DOTALL,
)
# An IRI-shaped span that a comparison could also read as text (``?a<(?b)&&?c>0``): brackets, a
# quote or a comment sign inside change the nesting between the two readings.
_AMBIGUOUS_IRI = re.compile(r"[()\['#]")
# No reading of a text with fewer opening brackets than this nests deep enough to crash pyoxigraph
# 0.5.13 (its stack overflows near 2,190 nested braces, 4,660 parentheses, 2,540 sub-queries).
ENGINE_SAFE_OPENERS = 1000


def check_nesting(text: str, max_depth: int) -> None:
    """Refuse text whose brackets nest deeper than ``max_depth``, in one linear pass.

    Brackets inside strings, comments and IRIs do not count, as the engine reads them. Where
    ``<…>`` could also be a comparison with brackets inside, only a text with fewer opening
    brackets in all than ``ENGINE_SAFE_OPENERS`` (which no reading can nest too deep) is let through.
    """
    openers = text.count("{") + text.count("(") + text.count("[")
    if openers <= max_depth:  # no reading nests deeper than the text has opening brackets (most queries)
        return
    depth = deepest = 0
    ambiguous = False
    for token in _NESTING_TOKENS.finditer(text):
        kind = token.lastgroup
        if kind == "unterminated":  # the engine stops at this syntax error; scanning on would be quadratic
            break
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "iri" and _AMBIGUOUS_IRI.search(token.group()):
            ambiguous = True
    if deepest > max_depth:
        raise QueryRefused(f"nesting depth {deepest} exceeds the limit {max_depth} (MIGKG_MAX_QUERY_DEPTH).")
    if ambiguous and openers >= ENGINE_SAFE_OPENERS:
        raise QueryRefused(
            "This query's nesting could not be checked: it has many brackets and a <…> holding brackets, "
            "a quote or #, which may be an IRI or a comparison; put spaces around < and > in comparisons."
        )


def check_query(text: str, base_iri: str, service_allowlist: frozenset[str]) -> CheckedQuery:
    """Refuse updates and SERVICE calls outside the allow-list; report dataset clauses."""
    if _plainly_safe(text):
        return CheckedQuery(text, has_dataset_clause=False)
    verdict = _parsed_verdict(text, base_iri, service_allowlist)
    if isinstance(verdict, tuple):
        raise QueryRefused(*verdict)
    return verdict


def _plainly_safe(text: str) -> bool:
    """True when the parser would find no update, no SERVICE and no dataset clause.

    No code-point escape (so the text is what the parser reads), no "service" and no "from"
    anywhere (so no SERVICE and no FROM), and a query form right after the prologue (an update
    must have an update operation there, or nothing).
    """
    return _NEEDS_PARSER.search(text) is None and _QUERY_FORM_FIRST.match(text) is not None


@lru_cache(maxsize=_CACHED_VERDICTS)
def _parsed_verdict(text: str, base_iri: str, service_allowlist: frozenset[str]) -> CheckedQuery | tuple[str, int]:
    """The parser's verdict: the checked query, or the refusal's message and status."""
    try:
        return _check_parsed(text, base_iri, service_allowlist)
    except QueryRefused as refused:
        return str(refused), refused.status


def _check_parsed(text: str, base_iri: str, service_allowlist: frozenset[str]) -> CheckedQuery:
    # rdflib's SPARQL parser (pyparsing) is imported at the first query that needs it, not at start-up
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(text)
    except ParseException:
        _refuse_if_update(text)
        return _check_unparsed(text)
    except TypeError:  # rdflib's parser fails on some valid queries (a negative decimal): the strict check
        return _check_unparsed(text)
    try:
        algebra = translateQuery(parsed, base=base_iri).algebra
    except Exception:  # rdflib cannot build the algebra (its own limits): fall back to the strict check
        return _check_unparsed(text)
    for target in _service_targets(algebra):
        _check_service_target(target, service_allowlist)
    return CheckedQuery(text, has_dataset_clause=bool(algebra.get("datasetClause")))


def _refuse_if_update(text: str) -> None:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except ParseException:
        return
    except TypeError:  # the parser failed on a negative decimal: an update if no query form comes first
        if _QUERY_FORM_FIRST.match(text) is not None:
            return
    raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only.", status=403)


def _check_unparsed(text: str) -> CheckedQuery:
    """rdflib could not parse it: let Oxigraph report the syntax error, unless SERVICE may hide inside.

    A query rdflib cannot read is refused when its text (code-point escapes decoded) contains the
    word SERVICE anywhere, even in a string, because then the guard cannot prove no call goes out.
    """
    decoded = _decode_codepoint_escapes(text)
    if re.search(r"service", decoded, re.IGNORECASE):
        raise QueryRefused(
            "This query could not be checked for SERVICE calls (the guard's parser rejected it); "
            "rewrite it without the word SERVICE or fix its syntax."
        )
    return CheckedQuery(text, has_dataset_clause=bool(re.search(r"\bfrom\b", decoded, re.IGNORECASE)))


def _decode_codepoint_escapes(text: str) -> str:
    return _CODEPOINT_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _service_targets(node: object) -> list[URIRef | Variable]:
    """Every SERVICE target anywhere in the algebra tree (sub-queries, OPTIONAL, UNION, EXISTS…)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    found: list[URIRef | Variable] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, CompValue):
            if current.name == "ServiceGraphPattern":
                found.append(current["term"])
            stack.extend(current.values())
        elif isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, (list, tuple)):
            stack.extend(current)
    return found


def _check_service_target(target: URIRef | Variable, allowlist: frozenset[str]) -> None:
    if isinstance(target, Variable):
        raise QueryRefused(
            f"SERVICE ?{target} is not allowed: the endpoint must be an IRI written in the query "
            "so it can be checked against the allow-list."
        )
    if str(target) not in allowlist:
        allowed = ", ".join(sorted(allowlist)) or "none"
        raise QueryRefused(
            f"SERVICE <{target}> is not on this server's allow-list (allowed: {allowed}); no request was made."
        )
