"""The source registry: `manifest.toml` is the one place a source's id, file, parser and graph are
spelled. Each file is read and checksum-verified once, here; every stage gets the same `Source`
objects (text included) and never opens a source file itself."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from migkg.graph.core.namespaces import GRAPH, ID, MIG

IDS_UNDER = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # one path segment of an IRI


class SourceError(Exception):
    """A source file is missing, changed or cannot be parsed; the build stops."""


@dataclass(frozen=True)
class Source:
    """One vendored rendering of a source document, with its verified text."""

    id: str
    document_id: str
    label: str  # the display label; the title as printed is the parser's to read
    publisher: str
    date: str
    file: str
    media_type: str
    sha256: str
    text: str

    @property
    def iri(self) -> URIRef:
        """The rendering's IRI: provenance selectors point into it."""
        return ID[f"doc/{self.id}"]


@dataclass(frozen=True)
class Document:
    """A source document: the renderings the manifest groups under one `document` id, the parser
    that reads them, and the named graph that holds what was extracted."""

    id: str
    parser: str
    renderings: tuple[Source, ...]
    states_framework_links: bool  # the link stage records the frameworks its text names
    # another copy of a text gets resources of its own: its parser's IRIs moved under ID/<ids_under>/,
    # but those it shares with copy 0 (paths under ID)
    ids_under: str | None = None
    shares_ids: tuple[str, ...] = ()

    @property
    def iri(self) -> URIRef:
        return ID[f"doc/{self.id}"]

    @property
    def graph(self) -> URIRef:
        return GRAPH[self.id]

    @property
    def shared_iris(self) -> frozenset[URIRef]:
        return frozenset(ID[path] for path in self.shares_ids)

    @property
    def own_iris(self) -> frozenset[URIRef]:
        """The document's and its renderings' IRIs, which the manifest's ids make distinct."""
        return frozenset({self.iri, *(source.iri for source in self.renderings)})


def load_documents(directory: Path) -> list[Document]:
    """Read `manifest.toml` of a sources directory, and every file it lists (verified)."""
    manifest = directory / "manifest.toml"
    try:
        entries = tomllib.loads(manifest.read_text(encoding="utf-8"))["source"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as error:
        raise SourceError(f"cannot read source manifest {manifest}: {error}") from error
    grouped: dict[str, list[dict]] = {}
    for entry in entries:
        grouped.setdefault(_field(entry, "document", manifest), []).append(entry)
    return [_document(document_id, group, directory, manifest) for document_id, group in grouped.items()]


def _document(document_id: str, entries: list[dict], directory: Path, manifest: Path) -> Document:
    return Document(
        id=document_id,
        parser=_shared(document_id, [_field(entry, "parser", manifest) for entry in entries], manifest),
        renderings=tuple(_source(entry, directory, manifest) for entry in entries),
        states_framework_links=_shared(
            document_id, [entry.get("framework_links", False) for entry in entries], manifest
        ),
        ids_under=_ids_under(document_id, entries, manifest),
        shares_ids=_shares_ids(document_id, entries, manifest),
    )


def _ids_under(document_id: str, entries: list[dict], manifest: Path) -> str | None:
    value = _shared(document_id, [entry.get("ids_under") for entry in entries], manifest)
    if value is not None and not IDS_UNDER.fullmatch(value):
        raise SourceError(
            f"{manifest}: {document_id!r} has ids_under = {value!r}; it must be one IRI path segment "
            f"of lower-case letters, digits and inner hyphens, such as 'copy-2'"
        )
    return value


def _shares_ids(document_id: str, entries: list[dict], manifest: Path) -> tuple[str, ...]:
    paths = _shared(document_id, [tuple(entry.get("shares_ids", ())) for entry in entries], manifest)
    if paths and not entries[0].get("ids_under"):
        raise SourceError(f"{manifest}: {document_id!r} has shares_ids but no ids_under: it is copy 0")
    for path in paths:
        if not all(IDS_UNDER.fullmatch(part) for part in path.split("/")):
            raise SourceError(f"{manifest}: {document_id!r} shares {path!r}, which is not an id path such as 'migof'")
    return paths


def _shared(document_id: str, values: list, manifest: Path):
    """A document-wide field, which every rendering of the document must give alike."""
    if len(set(values)) != 1:
        raise SourceError(f"{manifest}: the renderings of {document_id!r} disagree ({sorted(set(values), key=str)})")
    return values[0]


def _source(entry: dict, directory: Path, manifest: Path) -> Source:
    source_id = _field(entry, "id", manifest)
    sha256 = _field(entry, "sha256", manifest)
    return Source(
        id=source_id,
        document_id=entry["document"],
        label=_field(entry, "label", manifest),
        publisher=_field(entry, "publisher", manifest),
        date=_field(entry, "date", manifest),
        file=_field(entry, "file", manifest),
        media_type=_field(entry, "media_type", manifest),
        sha256=sha256,
        text=_read_verified(source_id, directory / entry["file"], sha256),
    )


def _field(entry: dict, name: str, manifest: Path) -> str:
    try:
        return entry[name]
    except KeyError:
        raise SourceError(
            f"{manifest}: a [[source]] entry has no {name!r} ({entry.get('id', 'no id either')})"
        ) from None


def _read_verified(source_id: str, path: Path, sha256: str) -> str:
    """The text exactly as vendored (no newline translation, so offsets are stable), after checking
    that it is the file the manifest describes."""
    if not path.is_file():
        raise SourceError(f"source {source_id!r}: file {path} is missing")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise SourceError(
            f"source {source_id!r}: {path} has sha256 {digest}, but the manifest expects {sha256}; "
            f"the file was changed or corrupted. Restore it, or if the change is intended, update "
            f"the sha256 in {path.parent / 'manifest.toml'}"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(f"source {source_id!r}: {path} is not UTF-8 ({error})") from error


def describe_document(document: Document) -> Graph:
    """The document and its renderings, as the manifest describes them."""
    graph = Graph()
    for source in document.renderings:
        graph.add((source.iri, RDF.type, MIG.Document))
        graph.add((source.iri, RDFS.label, Literal(source.label, lang="en")))
        graph.add((source.iri, DCTERMS.publisher, Literal(source.publisher)))
        graph.add((source.iri, DCTERMS.issued, Literal(source.date)))
        graph.add((source.iri, DCTERMS.format, Literal(source.media_type)))
        graph.add((source.iri, MIG.sourceId, Literal(source.id)))
        graph.add((source.iri, MIG.fileName, Literal(source.file)))
        graph.add((source.iri, MIG.sha256, Literal(source.sha256)))
        if source.iri != document.iri:
            graph.add((source.iri, DCTERMS.isFormatOf, document.iri))
            graph.add((document.iri, MIG.rendering, source.iri))
    if len(document.renderings) > 1:
        # the renderings' common label, without what tells them apart ("(OCR rendering)")
        first = document.renderings[0]
        graph.add((document.iri, RDF.type, MIG.Document))
        graph.add((document.iri, RDFS.label, Literal(first.label.split(" (")[0], lang="en")))
        graph.add((document.iri, DCTERMS.publisher, Literal(first.publisher)))
    return graph
