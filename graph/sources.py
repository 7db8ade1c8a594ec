"""The source manifest: which files the graph is built from, verified before anything is parsed."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from .namespaces import ID
from .text import read_source

SOURCES_DIR = Path(__file__).parent / "sources"
REFERENCE_DIR = Path(__file__).parent / "reference"


class SourceError(Exception):
    """A source file is missing, changed or cannot be parsed; the build stops."""


@dataclass(frozen=True)
class Source:
    """One vendored rendering of a source document."""

    id: str
    document_id: str
    title: str
    publisher: str
    date: str
    file: str
    media_type: str
    sha256: str
    parser: str
    directory: Path

    @property
    def path(self) -> Path:
        return self.directory / self.file

    @property
    def iri(self) -> URIRef:
        """The rendering's IRI: provenance selectors point into it."""
        return ID[f"doc/{self.id}"]

    @property
    def document_iri(self) -> URIRef:
        return ID[f"doc/{self.document_id}"]

    def read(self) -> str:
        """The text, after checking that it is the file the manifest describes."""
        if not self.path.is_file():
            raise SourceError(f"source {self.id!r}: file {self.path} is missing")
        data = self.path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != self.sha256:
            raise SourceError(
                f"source {self.id!r}: {self.path} has sha256 {digest}, but the manifest expects "
                f"{self.sha256}; the file was changed or corrupted. Restore it, or if the change is "
                f"intended, update graph/sources/manifest.toml"
            )
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise SourceError(f"source {self.id!r}: {self.path} is not UTF-8 ({error})") from error
        return read_source(self.path)


def load_manifest(directory: Path = SOURCES_DIR) -> list[Source]:
    """Read manifest.toml from a sources directory."""
    manifest = directory / "manifest.toml"
    try:
        entries = tomllib.loads(manifest.read_text(encoding="utf-8"))["source"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as error:
        raise SourceError(f"cannot read source manifest {manifest}: {error}") from error
    return [
        Source(
            id=entry["id"], document_id=entry["document"], title=entry["title"],
            publisher=entry["publisher"], date=entry["date"], file=entry["file"],
            media_type=entry["media_type"], sha256=entry["sha256"], parser=entry["parser"],
            directory=directory,
        )
        for entry in entries
    ]
