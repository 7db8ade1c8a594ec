"""The vendored source texts as the server shows them, and the links that land on one passage.

Every provenance record names its document by the rendering's IRI (``…/id/doc/<source id>``, the
``oa:hasSource`` of its target) and counts its ``oa:start``/``oa:end`` in code points of the file
as read by the build (UTF-8 decoded, no newline translation: `migkg.graph.core.source`). The texts
here are read by that same function, so the offsets count alike by construction.

A passage's address is ``/sources/<id>?char=<start>,<end>#char=<start>,<end>`` (`passage_url`):
the query lets the server mark the passage, so the link works without JavaScript; the fragment is
the RFC 5147 form of the same range and the id of the server's mark, so the browser scrolls to
it, and the page's script follows later changes of the fragment on the same page.

Pages: where a text has a table of contents with page numbers (lines ``title<TAB>page``, the
booklet's), each section's heading is found after it and the passage shows the pages of its
section. No text marks its page breaks, so no finer page than the section's can be told.
"""

import re
import tomllib
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from urllib.parse import quote

from migkg.api.prefixes import PREFIXES
from migkg.graph.core.source import load_documents

SOURCES_PATH = "/sources"
DOCUMENT_IRI = PREFIXES["id"] + "doc/"  # a rendering's IRI is this and its source id
CONTEXT = 240  # code points of neighbouring text shown on each side of a passage
CONTENTS_LINE = re.compile(r"^([^\t\n]+)\t(\d{1,4}) *$", re.MULTILINE)
BLOCK = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")  # lines up to the next blank line
CHAR_RANGE = re.compile(r"(\d{1,9}),(\d{1,9})")


@dataclass(frozen=True)
class Section:
    """A stretch of text that the table of contents gives a first page for."""

    title: str  # as the contents print it
    start: int  # offset of the section's heading
    first_page: int
    last_page: int | None  # None: the last section, whose end the contents do not give

    @property
    def pages(self) -> str:
        if self.last_page is None:
            return f"p. {self.first_page} ff."
        if self.last_page == self.first_page:
            return f"p. {self.first_page}"
        return f"pp. {self.first_page}–{self.last_page}"


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    before: str  # the neighbouring text
    exact: str
    after: str
    section: Section | None


class PassageInvalid(ValueError):
    """A `char` range that is malformed or outside the text; the message says which and why."""


@dataclass(frozen=True)
class SourceText:
    id: str
    label: str
    publisher: str
    date: str
    file: str
    media_type: str
    sha256: str
    original: str | None  # the original publication's address, where the manifest gives one (`url`)
    text: str
    sections: tuple[Section, ...]

    @property
    def iri(self) -> str:
        return DOCUMENT_IRI + self.id

    def section_at(self, offset: int) -> Section | None:
        """The section the character at ``offset`` is in (None before the first heading found)."""
        before = [s for s in self.sections if s.start <= offset]
        return before[-1] if before else None

    def passage(self, char: str) -> Passage:
        """The passage an RFC 5147 range ``start,end`` selects; PassageInvalid if it selects none."""
        match = CHAR_RANGE.fullmatch(char)
        if not match:
            raise PassageInvalid(
                f"char must be two whole numbers, the offsets of the passage's first character and of "
                f"the character just past its last (RFC 5147), as char=120,245; not {char!r}"
            )
        start, end = int(match.group(1)), int(match.group(2))
        if start >= end:
            raise PassageInvalid(f"char={char}: the start ({start}) must be less than the end ({end})")
        if end > len(self.text):
            raise PassageInvalid(
                f"char={char}: {self.id} has {len(self.text)} characters, so the end may be at most {len(self.text)}"
            )
        return Passage(
            start=start,
            end=end,
            before=self.text[max(start - CONTEXT, 0) : start],
            exact=self.text[start:end],
            after=self.text[end : end + CONTEXT],
            section=self.section_at(start),
        )


@dataclass(frozen=True)
class Piece:
    """A run of the text as the page shows it: marked or not, perhaps opening a section."""

    text: str
    marked: bool
    anchor: bool  # the first marked run, whose id is the passage's fragment
    section: Section | None  # the section whose heading starts this run


def passage_url(source_id: str, start: int, end: int) -> str:
    """Where a provenance record lands: the source's page, with the characters [start, end) marked."""
    return f"{SOURCES_PATH}/{quote(source_id, safe='')}?char={start},{end}#char={start},{end}"


def source_id(document_iri: str) -> str | None:
    """The source id of a rendering's IRI (a provenance target's oa:hasSource); None for another IRI."""
    if not document_iri.startswith(DOCUMENT_IRI):
        return None
    return document_iri.removeprefix(DOCUMENT_IRI) or None


def load_sources(directory: Path) -> dict[str, SourceText]:
    """The texts of a sources directory's manifest.toml, verified against their checksums, by id."""
    originals = _original_addresses(directory / "manifest.toml")
    return {
        rendering.id: SourceText(
            id=rendering.id,
            label=rendering.label,
            publisher=rendering.publisher,
            date=rendering.date,
            file=rendering.file,
            media_type=rendering.media_type,
            sha256=rendering.sha256,
            original=originals.get(rendering.id),
            text=rendering.text,
            sections=contents_sections(rendering.text),
        )
        for document in load_documents(directory)
        for rendering in document.renderings
    }


def _original_addresses(manifest: Path) -> dict[str, str]:
    # The registry the build reads has no field for it: the address is only shown, never built from.
    entries = tomllib.loads(manifest.read_text(encoding="utf-8"))["source"]
    return {entry["id"]: entry["url"] for entry in entries if "url" in entry}


def contents_sections(text: str) -> tuple[Section, ...]:
    """The sections a table of contents with page numbers names, each at its heading in the text.

    Headings are searched from the last entry backwards, each before the one after it, so the
    contents themselves and an introduction that names the sections in order are passed over. A
    heading may be wrapped, in capitals or in bold, and a numbered one may word its title a little
    differently ("19 MIGRANT AND DIASPORA CONTRIBUTIONS"); an entry whose heading is not printed
    is left out, and the section before it runs on to the next one found.
    """
    entries = list(CONTENTS_LINE.finditer(text))
    if not entries:
        return ()
    blocks = [b for b in BLOCK.finditer(text) if b.start() > entries[-1].end()]
    found: list[tuple[str, int, int]] = []
    limit = len(text)
    for entry in reversed(entries):
        headings = [b for b in blocks if b.start() < limit and _heading_of(entry.group(1), b.group())]
        if headings:
            limit = headings[-1].start()
            found.append((entry.group(1), limit, int(entry.group(2))))
    found.reverse()
    next_pages = [page for _, _, page in found[1:]] + [None]
    return tuple(
        Section(title, start, page, None if following is None else max(following - 1, page))
        for (title, start, page), following in zip(found, next_pages, strict=True)
    )


def _heading_of(title: str, block: str) -> bool:
    entry, heading = _words(title), _words(block)
    if entry == heading:
        return True
    # "19. Migrants and …" against "19 MIGRANT AND …": the same number, the same first word's stem
    return (
        len(entry) > 1
        and len(heading) > 1
        and entry[0].isdigit()
        and entry[0] == heading[0]
        and (entry[1].startswith(heading[1]) or heading[1].startswith(entry[1]))
        and len(heading) <= len(entry) + 2
    )


def _words(text: str) -> list[str]:
    return re.sub(r"^(\d+)\.", r"\1", text.replace("*", "").strip().lower()).split()


def pieces(source: SourceText, passage: Passage | None) -> list[Piece]:
    """The text cut where a section starts and where the passage starts and ends."""
    cuts = {0, len(source.text), *(s.start for s in source.sections)}
    if passage:
        cuts |= {passage.start, passage.end}
    starts = {s.start: s for s in source.sections}
    runs = []
    for start, end in pairwise(sorted(cuts)):
        marked = passage is not None and passage.start <= start < passage.end
        runs.append(Piece(source.text[start:end], marked, marked and start == passage.start, starts.get(start)))
    return runs
