"""Full-text search over the build's `search.sqlite` (written by `migkg.graph.search_index`).

    index = SearchIndex(build_dir / "search.sqlite")
    page = index.search("birth registration", types=["Practice"], limit=10, offset=0)

The user's text never reaches FTS5 as syntax: it is split into words and "quoted phrases", each
becomes an FTS5 string ("…", inner quotes doubled), and they are AND-ed. The last word is a
prefix ("regist" finds "registration"), also matched against the unstemmed vocabulary, since a
prefix longer than the stem ("registra" against the stem "registr") would otherwise miss. An
unclosed quote at the end is a phrase whose last word is a prefix. Results are ranked by BM25
(label column weighted 10, text 1), then by IRI. Whatever the input, the only exception raised
is `SearchQueryInvalid`, whose `reason` says what to fix.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

MAX_QUERY_LENGTH = 200  # characters
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000
SNIPPET_TOKENS = 24
SEMANTIC_SNIPPET = 200  # characters of a semantic hit's text shown (no word matched, so its opening)
LABEL_WEIGHT, TEXT_WEIGHT = 10.0, 1.0
MAX_COMPLETIONS = 64  # unstemmed words the last word may complete to
MIN_COMPLETED = 4  # shorter last words are only matched as stem prefixes (Porter keeps them whole)
_MARK_START, _MARK_END = "\ue000", "\ue001"  # never in the indexed text (see search_index.MARKS)

# One statement for every search. `query` builds the FTS5 expression: :head, then one
# ` OR "word"` per vocabulary word that completes :prefix, then :tail. `ranked` finds the page of
# row ids; snippets are made only for those rows.
_SQL = f"""
WITH
  query (expression) AS (
    SELECT :head || coalesce((
      SELECT group_concat(' OR "' || term || '"', '')
      FROM (SELECT term FROM vocabulary
            WHERE term >= :prefix AND term < :prefix || char(1114111)
            ORDER BY term LIMIT {MAX_COMPLETIONS})
    ), '') || :tail
  ),
  ranked (id, rank) AS (
    SELECT search.rowid, bm25(search, {LABEL_WEIGHT}, {TEXT_WEIGHT})
    FROM search
    WHERE search MATCH (SELECT expression FROM query)
      AND (:types IS NULL OR search.rowid IN (
        SELECT resource FROM resource_type WHERE type IN (SELECT value FROM json_each(:types))))
    ORDER BY 2, 1
    LIMIT :limit OFFSET :offset
  )
SELECT resource.iri, resource.label, resource.types, resource.document, -ranked.rank,
       snippet(search, 1, char(57344), char(57345), '…', {SNIPPET_TOKENS}),
       snippet(search, 0, char(57344), char(57345), '…', {SNIPPET_TOKENS})
FROM ranked
JOIN search ON search.rowid = ranked.id
JOIN resource ON resource.id = ranked.id
WHERE search MATCH (SELECT expression FROM query)
ORDER BY ranked.rank, ranked.id
"""

_RELATED_SQL = """
SELECT other.iri, other.label, other.types, related.score
FROM resource AS subject
JOIN related ON related.resource = subject.id
JOIN resource AS other ON other.id = related.other
WHERE subject.iri = ?
ORDER BY related.rank
LIMIT ?
"""

_OF_TYPES = "SELECT DISTINCT resource FROM resource_type WHERE type IN (SELECT value FROM json_each(?))"
_HIT_SQL = """
SELECT resource.iri, resource.label, resource.types, resource.document, search.text
FROM resource JOIN search ON search.rowid = resource.id
WHERE resource.id = ?
"""

# A quoted phrase (maybe unclosed at the end), or a run of anything but spaces and quotes.
_ITEM = re.compile(r'"([^"]*)("?)|([^\s"]+)')
_WORD = re.compile(r"[^\W_]+")


class SearchQueryInvalid(ValueError):
    """The search parameters cannot be searched; `reason` says why, for a 422 response."""

    def __init__(self, reason: str, parameter: str = "q"):
        super().__init__(reason)
        self.reason = reason
        self.parameter = parameter  # which search parameter is at fault: q, type, limit or offset


@dataclass(frozen=True)
class SearchHit:
    iri: str
    label: str
    types: list[str]  # mig: class local names, sorted
    document: str | None  # the document the resource was extracted from
    snippet: str  # an HTML fragment: the source text escaped, matches in <mark>…</mark>
    score: float  # BM25 relevance, or the cosine of the sentence vectors (higher is better)


@dataclass(frozen=True)
class SearchPage:
    items: list[SearchHit]
    has_more: bool


@dataclass(frozen=True)
class _Match:
    """The FTS5 expression as :head, completions of :prefix, :tail."""

    head: str
    prefix: str | None = None
    tail: str = ""


@dataclass(frozen=True)
class RelatedHit:
    iri: str
    label: str
    types: list[str]
    score: float  # TF-IDF cosine of the two resources' labels and texts


class SearchIndex:
    """The search index of one build, opened read-only; safe to share between threads."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no search index at {self.path}: run `make build`")
        self._connection = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._types = [t for (t,) in self._connection.execute("SELECT DISTINCT type FROM resource_type ORDER BY type")]
        self._by_folded_type = {t.casefold(): t for t in self._types}
        self._vectors = None  # (row ids, matrix): read at the first semantic search

    def close(self) -> None:
        self._connection.close()

    def known_types(self) -> list[str]:
        """The class local names `types` may name (Action, Country, Objective, Practice, …)."""
        return list(self._types)

    def search(self, q: str, types: list[str] | None = None, limit: int = 20, offset: int = 0) -> SearchPage:
        match = fts_query(q)
        type_filter = self._type_filter(types)
        _check_page(limit, offset)
        parameters = {
            "head": match.head,
            "prefix": match.prefix,
            "tail": match.tail,
            "types": type_filter,
            "limit": limit + 1,
            "offset": offset,
        }
        try:
            with self._lock:
                rows = self._connection.execute(_SQL, parameters).fetchall()
        except sqlite3.OperationalError as error:  # FTS5 refused the expression
            raise SearchQueryInvalid(f"the search text cannot be searched ({error})") from error
        items = [
            SearchHit(iri, label, types.split(), document, _snippet(text, label_snippet), score)
            for iri, label, types, document, score, text, label_snippet in rows[:limit]
        ]
        return SearchPage(items=items, has_more=len(rows) > limit)

    def has_vectors(self) -> bool:
        """Whether the build cached a sentence vector for its resources (semantic search)."""
        with self._lock:
            return self._connection.execute("SELECT EXISTS (SELECT 1 FROM vector)").fetchone()[0] == 1

    def semantic_search(
        self, vector: list[float], types: list[str] | None = None, limit: int = 20, offset: int = 0
    ) -> SearchPage:
        """The resources whose sentence vectors are nearest the query's (cosine, best first).

        Needs NumPy, which comes with the optional extra `embed` (the model that embeds the query)."""
        import numpy

        type_filter = self._type_filter(types)
        _check_page(limit, offset)
        with self._lock:
            if self._vectors is None:
                rows = self._connection.execute("SELECT resource, value FROM vector ORDER BY resource").fetchall()
                matrix = numpy.frombuffer(b"".join(value for _, value in rows), dtype="<f2").reshape(len(rows), -1)
                self._vectors = (numpy.array([n for n, _ in rows]), matrix.astype(numpy.float32))
            of_types = [] if type_filter is None else self._connection.execute(_OF_TYPES, (type_filter,)).fetchall()
            wanted = None if type_filter is None else {n for (n,) in of_types}
        ids, matrix = self._vectors
        scores = matrix @ numpy.asarray(vector, dtype=numpy.float32)
        order = [i for i in numpy.argsort(-scores, kind="stable") if wanted is None or int(ids[i]) in wanted]
        page = order[offset : offset + limit + 1]
        with self._lock:
            items = [self._semantic_hit(int(ids[i]), float(scores[i])) for i in page[:limit]]
        return SearchPage(items=items, has_more=len(page) > limit)

    def _semantic_hit(self, resource: int, score: float) -> SearchHit:
        iri, label, types, document, text = self._connection.execute(_HIT_SQL, (resource,)).fetchone()
        opening = text if len(text) <= SEMANTIC_SNIPPET else text[:SEMANTIC_SNIPPET].rsplit(" ", 1)[0] + "…"
        return SearchHit(iri, label, types.split(), document, html.escape(opening or label), round(score, 4))

    def label(self, iri: str) -> str | None:
        """The display label of an indexed resource; None if the index does not hold it."""
        with self._lock:
            row = self._connection.execute("SELECT label FROM resource WHERE iri = ?", (iri,)).fetchone()
        return row[0] if row else None

    def related(self, iri: str, limit: int) -> list[RelatedHit]:
        """The resources most alike the one given, best first (precomputed by the build)."""
        with self._lock:
            rows = self._connection.execute(_RELATED_SQL, (iri, limit)).fetchall()
        return [RelatedHit(other, label, types.split(), score) for other, label, types, score in rows]

    def _type_filter(self, types: list[str] | None) -> str | None:
        if types is None:
            return None
        if isinstance(types, str) or not all(isinstance(t, str) for t in types):
            raise SearchQueryInvalid("type must be a list of class names", "type")
        names = []
        for name in types:
            known = self._by_folded_type.get(name.strip().casefold())
            if known is None:
                raise SearchQueryInvalid(f"unknown type {name[:60]!r}; known types: {', '.join(self._types)}", "type")
            names.append(known)
        return json.dumps(sorted(set(names))) if names else None


def _check_page(limit: int, offset: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise SearchQueryInvalid(f"limit must be an integer from 1 to {MAX_LIMIT}", "limit")
    if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
        raise SearchQueryInvalid(f"offset must be an integer from 0 to {MAX_OFFSET}", "offset")


def fts_query(q: str) -> _Match:
    """The FTS5 expression for the user's text; raises SearchQueryInvalid with the reason."""
    if not isinstance(q, str):
        raise SearchQueryInvalid("the search text must be a string")
    if len(q) > MAX_QUERY_LENGTH:
        raise SearchQueryInvalid(f"the search text is {len(q)} characters long; at most {MAX_QUERY_LENGTH} are allowed")
    # Control characters and lone surrogates separate words (and could not be encoded as UTF-8).
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in q)
    items = []  # (text, kind): kind is "word", "phrase" or "open phrase"
    for found in _ITEM.finditer(text):
        phrase, closing, word = found.groups()
        value = word if word is not None else phrase
        if any(c.isalnum() for c in value):
            items.append((value, "word" if word is not None else "phrase" if closing else "open phrase"))
    if not items:
        raise SearchQueryInvalid("the search text has no words to search for (letters or digits)")
    parts = [_string(value) for value, _ in items[:-1]]
    last, kind = items[-1]
    if kind == "phrase":
        return _Match(" AND ".join([*parts, _string(last)]))
    words = _WORD.findall(last)
    if kind == "word" and len(words) == 1 and len(words[0]) >= MIN_COMPLETED:
        # `"word" *` matches stems starting with the stemmed word; the completions of the
        # unstemmed word are OR-ed in by the SQL.
        return _Match(" AND ".join([*parts, f"({_string(last)} *"]), prefix=_fold(words[0]), tail=")")
    return _Match(" AND ".join([*parts, f"{_string(last)} *"]))


def _string(value: str) -> str:
    """An FTS5 string: the value in double quotes, inner double quotes doubled."""
    return '"' + value.replace('"', '""') + '"'


def _fold(word: str) -> str:
    """The word as the unicode61 tokenizer (remove_diacritics 2) stores it: lower case, no accents."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def _snippet(text_snippet: str | None, label_snippet: str | None) -> str:
    """The text's snippet if the match is there, else the label's; escaped, with <mark>s."""
    chosen = text_snippet if text_snippet and _MARK_START in text_snippet else None
    if chosen is None:
        chosen = (
            label_snippet if label_snippet and _MARK_START in label_snippet else (text_snippet or label_snippet or "")
        )
    return html.escape(chosen).replace(_MARK_START, "<mark>").replace(_MARK_END, "</mark>")
