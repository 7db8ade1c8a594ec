"""The full-text search index: `search.sqlite`, an SQLite FTS5 index over the labels and texts of
every resource, written into the build directory next to the store (read by `migkg.api.search`).

What goes in comes from `queries/build/search-documents.rq`, run with pyoxigraph over the freshly
loaded store. Each resource is one row of the FTS5 table `search` with two columns, `label` (its
labels, names, titles and acronyms) and `text` (its long texts), tokenised with Porter stemming
over `unicode61` with diacritics removed. Beside it:

- `resource`: the display label (rdfs:label), the mig: classes and the source document of each
  row; row ids follow the IRIs' order, so ordering by row id is ordering by IRI;
- `resource_type`: (class local name, row id), for filtering by type;
- `vocabulary`: every word of the index *before* stemming. A prefix query on stems misses words
  whose stem is shorter than the typed prefix ("registra" is not a prefix of the stem "registr"),
  so the search also looks up the last word's completions here (see `migkg.api.search`);
- `related`: each resource's nearest neighbours ("more like this", `/api/related/{key}`): the
  resources whose labels and texts are most alike by TF-IDF cosine over word stems (the
  crosswalk's `lexical.TfIdf`), best first;
- `vector`: each resource's sentence vector (the model of the crosswalk's embeddings, read from
  the same cache, keyed by the checksum of `semantic_text`), for `/api/search?mode=semantic`;
- `meta`: the schema version and the number of resources.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from migkg.graph.stages.crosswalk.embeddings import pack, text_key
from migkg.graph.stages.crosswalk.lexical import TfIdf
from migkg.queries import load_query

FILE_NAME = "search.sqlite"
SCHEMA_VERSION = 3
RELATED_PER_RESOURCE = 10
RELATED_MIN_SCORE = 0.1  # below this, two texts share little more than a word or two
TOKENIZER = "porter unicode61 remove_diacritics 2"
RAW_TOKENIZER = "unicode61 remove_diacritics 2"  # the same words, not stemmed (the vocabulary)
# The search highlights matches with these two private-use characters and turns them into <mark>
# after HTML-escaping the snippet, so they must never occur in the indexed text.
MARKS = ("\ue000", "\ue001")
SEPARATOR = "\n"  # between the values of one column

SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE resource (
  id INTEGER PRIMARY KEY,      -- = the row id in `search`, in IRI order
  iri TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,         -- rdfs:label, for display
  types TEXT NOT NULL,         -- mig: class local names, space-separated, sorted
  document TEXT                -- dcterms:source (the first in IRI order)
);
CREATE TABLE resource_type (
  type TEXT NOT NULL,
  resource INTEGER NOT NULL REFERENCES resource (id),
  PRIMARY KEY (type, resource)
) WITHOUT ROWID;
CREATE TABLE vocabulary (term TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE related (
  resource INTEGER NOT NULL REFERENCES resource (id),
  rank INTEGER NOT NULL,       -- 1 = the most alike
  other INTEGER NOT NULL REFERENCES resource (id),
  score REAL NOT NULL,         -- TF-IDF cosine, 0–1
  PRIMARY KEY (resource, rank)
) WITHOUT ROWID;
CREATE TABLE vector (
  resource INTEGER PRIMARY KEY REFERENCES resource (id),
  value BLOB NOT NULL          -- the unit vector, little-endian float16
);
CREATE VIRTUAL TABLE search USING fts5(label, text, tokenize = '{TOKENIZER}');
"""


@dataclass
class Document:
    """One resource as the index holds it."""

    iri: str
    label: str = ""
    names: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    document: str | None = None


def documents(store: pyoxigraph.Store) -> list[Document]:
    """Every resource with its label, label texts, texts, classes and document, in IRI order."""
    found: dict[str, Document] = {}
    for row in store.query(load_query("build", "search-documents"), use_default_graph_as_union=True):
        resource = found.setdefault(row["resource"].value, Document(row["resource"].value))
        kind, value = row["field"].value, _clean(row["value"].value)
        if kind == "label" and not resource.label:
            resource.label = value
        elif kind == "name":
            resource.names.append(value)
        elif kind == "text":
            resource.texts.append(value)
        elif kind == "type":
            resource.types.append(value)
        elif kind == "document" and resource.document is None:
            resource.document = value
    for resource in found.values():
        resource.names = _distinct(resource.names)
        resource.texts = _distinct(resource.texts)
        resource.label = resource.label or (resource.names[0] if resource.names else resource.iri)
        resource.types = sorted(set(resource.types))
    return [found[iri] for iri in sorted(found)]


def semantic_text(document: Document) -> str:
    """What the sentence model reads for a resource: its label, then its texts (it keeps the first
    256 word pieces)."""
    return SEPARATOR.join([document.label, *document.texts])


def write(
    directory: Path,
    store: pyoxigraph.Store,
    stopwords: frozenset[str],
    vectors: dict[str, tuple[float, ...]],
    out=sys.stderr,
) -> tuple[int, int]:
    """Write `directory/search.sqlite` from the build's store and the cached sentence vectors;
    returns the number of resources indexed and of those without a vector. The file is written
    under a temporary name and renamed when complete."""
    started = time.perf_counter()
    rows = documents(store)
    neighbours = related(rows, stopwords)
    sentence_vectors = [(n, vectors.get(text_key(semantic_text(r)))) for n, r in enumerate(rows, 1)]
    without_vector = sum(vector is None for _, vector in sentence_vectors)
    target = directory / FILE_NAME
    partial = directory / f"{FILE_NAME}.partial"
    partial.unlink(missing_ok=True)
    connection = sqlite3.connect(partial, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN")
        _create(connection)
        _fill(connection, rows)
        connection.executemany("INSERT INTO related (resource, rank, other, score) VALUES (?, ?, ?, ?)", neighbours)
        connection.executemany(
            "INSERT INTO vector (resource, value) VALUES (?, ?)",
            [(n, pack(vector)) for n, vector in sentence_vectors if vector is not None],
        )
        connection.execute("COMMIT")
        connection.execute("INSERT INTO search (search) VALUES ('optimize')")
        connection.execute("VACUUM")
    finally:
        connection.close()
    os.replace(partial, target)
    missing = f", {without_vector} without a cached sentence vector (`make embeddings`)" if without_vector else ""
    print(
        f"      search index: {len(rows)} resources{missing} → {FILE_NAME} in {time.perf_counter() - started:.2f} s",
        file=out,
        flush=True,
    )
    return len(rows), without_vector


def related(rows: list[Document], stopwords: frozenset[str]) -> list[tuple[int, int, int, float]]:
    """(resource, rank, other, score) rows: each resource's most alike others, by TF-IDF cosine of
    their labels and texts, found through an inverted index (only resources sharing a term are
    compared)."""
    tfidf = TfIdf({n: " ".join(r.names + r.texts) for n, r in enumerate(rows, 1)}, stopwords)
    postings: dict[str, list[tuple[int, float]]] = {}
    for n, vector in tfidf.vectors.items():
        for term, weight in vector.items():
            postings.setdefault(term, []).append((n, weight))
    found = []
    for n, vector in tfidf.vectors.items():
        scores: dict[int, float] = {}
        for term, weight in vector.items():
            for other, other_weight in postings[term]:
                if other != n:
                    scores[other] = scores.get(other, 0.0) + weight * other_weight
        best = sorted(((-score, other) for other, score in scores.items() if score >= RELATED_MIN_SCORE))
        top = enumerate(best[:RELATED_PER_RESOURCE], start=1)
        found += [(n, rank, other, round(-score, 4)) for rank, (score, other) in top]
    return found


def _create(connection: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            connection.execute(statement)


def _fill(connection: sqlite3.Connection, rows: list[Document]) -> None:
    connection.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        [("schema", str(SCHEMA_VERSION)), ("resources", str(len(rows))), ("tokenizer", TOKENIZER)],
    )
    connection.executemany(
        "INSERT INTO resource (id, iri, label, types, document) VALUES (?, ?, ?, ?, ?)",
        [(n, r.iri, r.label, " ".join(r.types), r.document) for n, r in enumerate(rows, 1)],
    )
    connection.executemany(
        "INSERT INTO resource_type (type, resource) VALUES (?, ?)",
        [(t, n) for n, r in enumerate(rows, 1) for t in r.types],
    )
    columns = [(n, SEPARATOR.join(r.names), SEPARATOR.join(r.texts)) for n, r in enumerate(rows, 1)]
    connection.executemany("INSERT INTO search (rowid, label, text) VALUES (?, ?, ?)", columns)
    # The unstemmed words, through a temporary FTS5 table with the same tokenizer minus Porter.
    connection.execute(f"CREATE VIRTUAL TABLE temp.raw USING fts5(label, text, tokenize = '{RAW_TOKENIZER}')")
    connection.executemany("INSERT INTO temp.raw (rowid, label, text) VALUES (?, ?, ?)", columns)
    connection.execute("CREATE VIRTUAL TABLE temp.raw_terms USING fts5vocab(temp, raw, row)")
    connection.execute("INSERT INTO vocabulary (term) SELECT term FROM temp.raw_terms ORDER BY term")
    connection.execute("DROP TABLE temp.raw_terms")
    connection.execute("DROP TABLE temp.raw")


def _clean(value: str) -> str:
    for mark in MARKS:
        value = value.replace(mark, " ")
    return value.strip()


def _distinct(values: Iterable[str]) -> list[str]:
    """Drop empty values, repeats and values another value of the column already contains (a lead
    phrase inside its text, a prefLabel inside the label), so no word counts twice for bm25."""
    kept: list[str] = []
    values = [v for v in values if v]
    for index, value in enumerate(values):
        folded = value.casefold()
        if any(
            folded in other.casefold() and (folded != other.casefold() or other_index < index)
            for other_index, other in enumerate(values)
            if other_index != index
        ):
            continue
        kept.append(value)
    return kept
