"""``SERVICE <https://w3id.org/migkg/search>``: the full-text index inside SPARQL.

    PREFIX search: <https://w3id.org/migkg/search#>
    SELECT ?practice ?score WHERE {
      SERVICE <https://w3id.org/migkg/search> {
        ?practice search:query "birth registration" ; search:type "Practice" ;
                  search:score ?score ; search:snippet ?snippet ; search:limit 10 .
      }
      ?practice mig:carriedOutIn ?place .
    }

The server answers the block itself: it runs the search on the build's index and puts the hits
in the query's text as a ``VALUES`` block, in the block's place, before the query reaches the
engine. So the engine never sees the SERVICE (nothing is fetched) and the same query works on
every store. Inside the block: one subject variable (the hit), ``search:query`` (the text, as
/api/search reads it), then optionally ``search:type`` (a class local name, repeatable),
``search:limit`` (default 20), ``search:offset``, and the variables ``search:score`` (BM25,
higher is better) and ``search:snippet`` (the text around the match, plain). ``SERVICE SILENT``
turns a search that cannot run into no hits instead of an error.
"""

import html
import re
from dataclasses import dataclass

from rdflib.term import Literal, URIRef, Variable

from migkg.api.guard import PROLOGUE, QueryRefused
from migkg.api.search import SearchIndex, SearchQueryInvalid
from migkg.graph.core.namespaces import BASE, MIG
from migkg.graph.core.namespaces import SEARCH as TERMS

SEARCH_SERVICE = BASE + "search"
DEFAULT_LIMIT = 20
_OPTIONS = {TERMS.query, TERMS.type, TERMS.limit, TERMS.offset, TERMS.score, TERMS.snippet}
_OUTPUTS = (TERMS.score, TERMS.snippet)

# SERVICE [SILENT] <iri>|prefix:name { — outside strings, IRIs and comments (see search_calls).
_GAP = r"(?:\s|#[^\n\r]*)"  # white space and comments, as the grammar skips them
_HEADER = re.compile(
    rf"SERVICE(?P<silent>{_GAP}+SILENT)?{_GAP}*"
    r"(?:<(?P<iri>[^<>\"{}|^`\\\x00-\x20]*)>|(?P<pname>[^\W\d_][\w.-]*:|:)(?P<local>[\w.:%-]*))"
    rf"{_GAP}*\{{",
    re.IGNORECASE,
)
# What the scanner must step over whole: comments, strings (long first), IRIs, braces.
_TOKEN = re.compile(
    r"#[^\n\r]*|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r"|\"(?:[^\"\\\n\r]|\\.)*\"|'(?:[^'\\\n\r]|\\.)*'|<[^<>\"{}|^`\\\x00-\x20]*>|[{}]|(?<![\w?$:])SERVICE\b",
    re.IGNORECASE,
)
_SERVICE_WORD = re.compile(r"service", re.IGNORECASE)
_PREFIX_DECLARATION = re.compile(r"PREFIX\s*([^\W\d_][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)


@dataclass(frozen=True)
class SearchCall:
    start: int  # the SERVICE keyword
    end: int  # just after the closing brace
    body: str  # the text between the braces
    silent: bool


@dataclass(frozen=True)
class SearchRequest:
    hit: Variable
    query: str
    types: list[str] | None
    limit: int
    offset: int
    outputs: dict[URIRef, Variable]  # search:score / search:snippet → the variable bound to it


def search_calls(text: str) -> list[SearchCall]:
    """The query's SERVICE blocks addressed to the search service, in order; none without the word SERVICE."""
    if _SERVICE_WORD.search(text) is None:
        return []
    namespaces = {prefix or "": iri for prefix, iri in _PREFIX_DECLARATION.findall(_prologue(text))}
    found: list[SearchCall] = []
    position = 0
    while (token := _TOKEN.search(text, position)) is not None:
        position = token.end()
        if token.group(0).upper() != "SERVICE":
            continue
        header = _HEADER.match(text, token.start())
        if header is None or _target(header, namespaces) != SEARCH_SERVICE:
            continue
        close = _closing_brace(text, header.end())
        found.append(SearchCall(token.start(), close + 1, text[header.end() : close], bool(header.group("silent"))))
        position = close + 1
    return found


def rewrite_search_calls(text: str, calls: list[SearchCall], base_iri: str, index: SearchIndex) -> str:
    """The query with each search call replaced by a VALUES block of its hits.

    A call the scanner could not read stays in the text, and the guard refuses it like any SERVICE
    off the allow-list: nothing is ever sent to the search IRI.
    """
    prologue = _prologue(text)
    for call in reversed(calls):
        values = _values_block(call, prologue, base_iri, index)
        text = text[: call.start] + values + text[call.end :]
    return text


def _prologue(text: str) -> str:
    return PROLOGUE.match(text).group(0)


def _target(header: re.Match, namespaces: dict[str, str]) -> str | None:
    if header.group("iri") is not None:
        return header.group("iri")
    namespace = namespaces.get(header.group("pname").rstrip(":"))
    return None if namespace is None else namespace + header.group("local")


def _closing_brace(text: str, position: int) -> int:
    """The index of the brace that closes the one just before ``position``."""
    depth = 1
    while (token := _TOKEN.search(text, position)) is not None:
        position = token.end()
        if token.group(0) == "{":
            depth += 1
        elif token.group(0) == "}":
            depth -= 1
            if depth == 0:
                return token.start()
    raise QueryRefused(f"The SERVICE <{SEARCH_SERVICE}> block is not closed: a '}}' is missing.")


def _values_block(call: SearchCall, prologue: str, base_iri: str, index: SearchIndex) -> str:
    request = _read_request(call, prologue, base_iri)
    try:
        hits = index.search(request.query, request.types, request.limit, request.offset).items
    except SearchQueryInvalid as invalid:
        if call.silent:
            hits = []
        else:
            term = "query" if invalid.parameter == "q" else invalid.parameter  # /api/search's q is search:query
            raise _invalid(f"search:{term}: {invalid.reason}") from None
    columns = [request.hit, *request.outputs.values()]
    rows = []
    for hit in hits:
        values = {TERMS.score: Literal(hit.score), TERMS.snippet: Literal(_plain(hit.snippet))}
        cells = [URIRef(hit.iri), *(values[output] for output in request.outputs)]
        rows.append("(" + " ".join(cell.n3() for cell in cells) + ")")
    return f"VALUES ({' '.join(column.n3() for column in columns)}) {{ {' '.join(rows)} }}"


def _read_request(call: SearchCall, prologue: str, base_iri: str) -> SearchRequest:
    """The search the block asks for: triple patterns about one variable, with the search's terms only."""
    # rdflib's SPARQL parser (pyparsing) is imported at the first search block, not at start-up
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        parsed = parseQuery(f"{prologue} SELECT * WHERE {{ {call.body} }}")
        algebra = translateQuery(parsed, base=base_iri).algebra["p"]["p"]
    except ParseException as error:
        raise _invalid(f"its body cannot be read ({error.msg}, column {error.col})") from None
    if not (isinstance(algebra, CompValue) and algebra.name == "BGP"):
        raise _invalid("it may hold only triple patterns (no FILTER, OPTIONAL, nested groups…)")
    triples = algebra["triples"]
    subjects = {s for s, _, _ in triples}
    if len(subjects) != 1 or not isinstance(hit := next(iter(subjects)), Variable):
        raise _invalid("its patterns must all have the same variable as subject: the hit")
    options: dict[URIRef, list] = {}
    for _, predicate, value in triples:
        if predicate not in _OPTIONS:
            known = ", ".join(sorted(f"search:{term.removeprefix(str(TERMS))}" for term in _OPTIONS))
            raise _invalid(f"{predicate.n3()} is not one of its terms ({known})")
        options.setdefault(predicate, []).append(value)
    return SearchRequest(
        hit=hit,
        query=_query_text(options),
        types=[_type_name(value) for value in options[TERMS.type]] if TERMS.type in options else None,
        limit=_one_integer(options, TERMS.limit, DEFAULT_LIMIT),
        offset=_one_integer(options, TERMS.offset, 0),
        outputs={term: _one_variable(options, term) for term in _OUTPUTS if term in options},
    )


def _one(options: dict[URIRef, list], term: URIRef) -> object:
    values = options[term]
    if len(values) > 1:
        raise _invalid(f"search:{term.removeprefix(str(TERMS))} is given {len(values)} times; give it once")
    return values[0]


def _query_text(options: dict[URIRef, list]) -> str:
    if TERMS.query not in options:
        raise _invalid("it needs search:query with the text to search for")
    value = _one(options, TERMS.query)
    if not isinstance(value, Literal) or not isinstance(value.value, str):
        raise _invalid("search:query must be a string")
    return str(value)


def _one_integer(options: dict[URIRef, list], term: URIRef, default: int) -> int:
    if term not in options:
        return default
    value = _one(options, term)
    if not isinstance(value, Literal) or not isinstance(value.value, int) or isinstance(value.value, bool):
        raise _invalid(f"search:{term.removeprefix(str(TERMS))} must be an integer")
    return value.value


def _one_variable(options: dict[URIRef, list], term: URIRef) -> Variable:
    value = _one(options, term)
    if not isinstance(value, Variable):
        raise _invalid(f"search:{term.removeprefix(str(TERMS))} must be a variable, which the search binds")
    return value


def _type_name(value: object) -> str:
    """A class as the index names it: its local name ("Practice"), given as a string or as mig:Practice."""
    if isinstance(value, URIRef) and str(value).startswith(str(MIG)):
        return str(value).removeprefix(str(MIG))
    if isinstance(value, Literal) and isinstance(value.value, str):
        return str(value)
    raise _invalid(f"search:type must be a class name or an IRI of the migkg ontology, not {value.n3()}")


def _plain(snippet: str) -> str:
    """The snippet without its HTML: the <mark>s dropped, the escapes undone."""
    return html.unescape(snippet.replace("<mark>", "").replace("</mark>", ""))


def _invalid(reason: str) -> QueryRefused:
    return QueryRefused(f"SERVICE <{SEARCH_SERVICE}>: {reason}.")
