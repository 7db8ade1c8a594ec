"""Checks a query before it reaches the engine.

pyoxigraph has no parse-only call and executes ``SERVICE`` itself, so the guard parses
the query with rdflib's SPARQL parser (parsing only: rdflib never fetches anything here)
to find every ``SERVICE`` target, the dataset clauses and whether the text is an update.
"""

import re
from dataclasses import dataclass

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
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


def check_query(text: str, base_iri: str, service_allowlist: frozenset[str]) -> CheckedQuery:
    """Refuse updates and SERVICE calls outside the allow-list; report dataset clauses."""
    try:
        parsed = parseQuery(text)
    except ParseException:
        _refuse_if_update(text)
        return _check_unparsed(text)
    try:
        algebra = translateQuery(parsed, base=base_iri).algebra
    except Exception:  # rdflib cannot build the algebra (its own limits): fall back to the strict check
        return _check_unparsed(text)
    for target in _service_targets(algebra):
        _check_service_target(target, service_allowlist)
    return CheckedQuery(text, has_dataset_clause=bool(algebra.get("datasetClause")))


def _refuse_if_update(text: str) -> None:
    try:
        parseUpdate(text)
    except ParseException:
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
            f"SERVICE <{target}> is not on this server's allow-list (allowed: {allowed}); "
            "no request was made."
        )
