"""Turns the engine's parse errors into messages a person can act on.

pyoxigraph reports a malformed query as "error at L:C: expected …", where the list is what its
PEG parser tried last. Keywords are read as fixed-length runs of characters, so the list is
mostly keywords that were never plausible ("expected OPTIONAL") and the position is where the
longest of those reads ended, past the mistake (eight characters for OPTIONAL). Where the list
names a rule the parser checks itself (an unknown prefix, a bad IRI), the engine's words and
position are kept; where it names nothing ("<unreported>"), the rule is the one on blank-node
labels, and the label used twice is named.

Otherwise the position is found again with the engine itself: the query is cut after each
token and the cut is asked whether some continuation could still make a query (followed by
padding and a NUL, so that the probe never runs). The first token that cannot be continued is
the one to quote.
"""

import re

import pyoxigraph as ox

_ENGINE_ERROR = re.compile(r"error at (\d+):(\d+): expected (.*)", re.DOTALL)
_EXPECTED_ITEM = re.compile(r"\"(?:[^\"\\]|\\.)*\"|\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]|<unreported>|[^,]+")
_CODEPOINT_ESCAPE = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")
_STRING = (
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
)
_UNCLOSED_STRING = r'"(?:[^"\\\n]|\\.)*' r"|'(?:[^'\\\n]|\\.)*"
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_TOKEN = re.compile(
    rf"{_STRING}|{_UNCLOSED_STRING}|{_IRI}"
    r"|[?$]\w+|_:[\w.-]*\w|(?:[^\W\d][\w.-]*)?:[\w.:%\\-]*|[^\W\d][\w-]*"
    r"|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
    r"|\^\^|&&|\|\||!=|<=|>=|<<|>>|\{\||\|\}|\S"
)
_SKIPPED = re.compile(r"(?:\s+|#[^\n]*)+")
_BLANK_NODE_LABEL = re.compile(r"_:[\w.-]*\w|_:\w")
_PROBE_PADDING = " " * 40  # longer than any keyword the parser reads, so reads end inside it
_PROBE_BASE = "http://example.org/"  # a base, as the server gives one: relative IRIs are no mistake
_CLOSERS = {"{": "}", "(": ")", "[": "]"}
_MAX_QUOTED = 40


def readable(message: str, query: str) -> str:
    """The engine's parse error as "error at L:C: reason", the line quoted, a caret under column C."""
    match = _ENGINE_ERROR.fullmatch(message)
    if match is None:
        return message
    # The engine decodes \\u escapes before parsing, so its positions count in the decoded text.
    text = _CODEPOINT_ESCAPE.sub(_decoded_escape, query)
    engine_offset = _offset(text, int(match[1]), int(match[2]))
    items = [item.strip() for item in _EXPECTED_ITEM.findall(match[3].removeprefix("one of "))]
    rules = [item for item in items if _is_sentence(item)]
    if rules:
        return _located(text, engine_offset, _rule_reason(rules, text, engine_offset))
    if "<unreported>" in items:
        return _located(text, engine_offset, _unreported_reason(text))
    if _CODEPOINT_ESCAPE.search(text):  # the probes would decode these a second time: keep the engine's place
        return _located(text, engine_offset, "the query cannot be read at or before this point")
    stop = _first_unreadable_token(text)
    if stop is None:
        return _located(text, engine_offset, "the query cannot be read at or before this point")
    return _located(text, stop, _token_reason(text, stop))


def unknown_function(message: str) -> str | None:
    """The refusal of a query calling a function the engine does not know, or None for other errors.

    The engine finds out when it plans the query, and says so as an evaluation error.
    """
    match = re.fullmatch(r"The custom function (<[^>]*>) is not supported", message)
    if match is None:
        return None
    return (
        f"Unknown function {match[1]}: this endpoint evaluates the functions of SPARQL 1.1 "
        "and the XSD casts, and no extension function."
    )


def _decoded_escape(escape: re.Match) -> str:
    code_point = int(escape[0][2:], 16)
    is_scalar = code_point < 0xD800 or 0xDFFF < code_point <= 0x10FFFF
    return chr(code_point) if is_scalar else escape[0]  # the engine leaves the others for its parser to refuse


def _is_sentence(item: str) -> bool:
    """A message the grammar gives itself ("Prefix not found"), as opposed to a token it tried."""
    return " " in item and not item.startswith(('"', "["))


def _rule_reason(rules: list[str], text: str, offset: int) -> str:
    if "Prefix not found" in rules:
        prefix = re.search(r"((?:[^\W\d][\w.-]*)?):[\w.:%\\-]*$", text[:offset])
        if prefix is not None:
            return f"unknown prefix '{prefix[1]}:': declare it with PREFIX {prefix[1]}: <…>"
        return "a prefix used here is not declared"
    if "IRI parsing failed" in rules:
        iri = re.search(r"<[^<>]*>\s*$", text[:offset])
        if iri is not None:
            return f"{iri[0].strip()} is not a valid IRI"
    return "; ".join(rules)


def _unreported_reason(text: str) -> str:
    """The engine names no reason; the one rule it checks this way is where blank-node labels may recur."""
    labels = _BLANK_NODE_LABEL.findall(_without_strings_and_comments(text))
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if not repeated:
        return "the query cannot be read at or before this point"
    return (
        f"the blank node label {', '.join(repeated)} is used where it may not be: a label names one node "
        "within one block of triples, so it cannot recur in another block nor appear in an expression "
        "(use a variable instead)"
    )


def _token_reason(query: str, offset: int) -> str:
    if offset >= len(query.rstrip()):
        if _ends_inside_string(query):
            return "the query ends too early: a string is not closed"
        missing = _unclosed_bracket(query)
        if missing is not None:
            return f"the query ends too early: a '{missing}' is missing"
        return "the query ends too early"
    token = _TOKEN.match(query, offset)[0]
    shown = token if len(token) <= _MAX_QUOTED else token[:_MAX_QUOTED] + "…"
    return f"unexpected '{shown}' here"


def _first_unreadable_token(query: str) -> int | None:
    """The offset of the first token after which no continuation makes a query, or None."""
    if _can_continue(query):
        return len(query)
    cuts = [0, *_token_ends(query)]
    if not _can_continue(""):
        return None
    low, high = 0, len(cuts) - 1  # the cut at cuts[low] can continue, the one at cuts[high] cannot
    while high - low > 1:
        middle = (low + high) // 2
        if _can_continue(query[: cuts[middle]]):
            low = middle
        else:
            high = middle
    return _skip_blanks(query, cuts[low])


def _skip_blanks(query: str, position: int) -> int:
    skipped = _SKIPPED.match(query, position)
    return position if skipped is None else skipped.end()


def _token_ends(query: str) -> list[int]:
    ends = []
    position = 0
    while True:
        position = _skip_blanks(query, position)
        token = _TOKEN.match(query, position)
        if token is None:
            return ends
        position = token.end()
        ends.append(position)


def _can_continue(prefix: str) -> bool:
    """True when the engine reads all of ``prefix`` and stops only at the padding's end.

    The NUL after the padding makes every probe malformed, so none is ever evaluated.
    """
    probe = prefix + _PROBE_PADDING + "\x00"
    try:
        ox.Store().query(probe, base_iri=_PROBE_BASE)
    except SyntaxError as error:
        match = _ENGINE_ERROR.fullmatch(str(error))
        return match is not None and _offset(probe, int(match[1]), int(match[2])) >= len(prefix) + len(_PROBE_PADDING)
    return False


def _ends_inside_string(query: str) -> bool:
    ends = _token_ends(query)
    if not ends:
        return False
    last = query[_skip_blanks(query, ends[-2] if len(ends) > 1 else 0) : ends[-1]]
    return last[0] in "\"'" and re.fullmatch(_STRING, last) is None


def _unclosed_bracket(query: str) -> str | None:
    open_brackets: list[str] = []
    for char in _without_strings_and_comments(query):
        if char in _CLOSERS:
            open_brackets.append(char)
        elif char in _CLOSERS.values() and open_brackets and _CLOSERS[open_brackets[-1]] == char:
            open_brackets.pop()
    return _CLOSERS[open_brackets[-1]] if open_brackets else None


def _without_strings_and_comments(query: str) -> str:
    """The query with strings, IRIs and comments blanked, so their brackets and labels do not count."""
    return re.sub(rf"{_STRING}|{_IRI}|#[^\n]*", " ", query)


def _offset(text: str, line: int, column: int) -> int:
    """The engine's 1-based line and column (in characters) as an offset into ``text``."""
    lines = text.split("\n")
    return sum(len(previous) + 1 for previous in lines[: line - 1]) + column - 1


def _located(text: str, offset: int, reason: str) -> str:
    if not text[offset:].strip():  # at the end: point just after the last character, on its line
        offset = len(text.rstrip())
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    line_number = text.count("\n", 0, offset) + 1
    column = offset - line_start + 1
    caret = "".join("\t" if char == "\t" else " " for char in line[: column - 1]) + "^"
    return f"error at {line_number}:{column}: {reason}\n    {line}\n    {caret}"
