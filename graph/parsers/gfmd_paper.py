"""The GFMD 2017 Roundtable 3.2 background paper (PDF text, footnotes interleaved with the body).

The text is a run of paragraphs. Paragraphs that open with a superscript number are footnotes,
printed at page ends, so they interrupt the body: a body paragraph that stops mid-sentence
continues in the next body paragraph after the footnotes, and the two are read as one passage.
Sections are headed '0. Overview', 'I. …' … 'VI. …' and are recognised by what their titles say,
not by their position: the definition and indicators, key aspects, challenges, opportunities
(with the five-level participation spectrum table) and guiding questions. Within the key
aspects, challenges and opportunities, a passage that opens with a short phrase and a colon
starts a new item named by that phrase; passages without one continue the item before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from migkg.graph.core.extraction import Extraction, NameKind
from migkg.graph.core.namespaces import ID, MIG, sdg_iri
from migkg.graph.core.report import Notes
from migkg.graph.core.source import Document, SourceError
from migkg.graph.core.text import SUPERSCRIPT, Span, clean_inline, split_lines, superscript_to_int, trimmed_span
from migkg.graph.parsers.common import GraphWriter, Paragraph, ends_sentence, is_bullet, paragraphs

BASE = "gfmd-2017"
HEADING = re.compile(r"^(0|[IVX]+)\.\s+(\S.*)$")
FOOTNOTE = re.compile(r"^\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*")
LEAD_PHRASE = re.compile(r"^([A-Z][^.:;!?*\[]{2,110}?):\s")
LEAD_PHRASE_MAX_WORDS = 14
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
BOLD = re.compile(r"\*\*(.+?)\*\*")
SENTENCE_BOUNDARY = re.compile(r"[.!?][\"”’*]*[⁰¹²³⁴⁵⁶⁷⁸⁹]*\s+(?=[A-Z“\"*\[(])")
QUOTED_DEFINITION = re.compile(r"\*?“(.+)”\*?[⁰¹²³⁴⁵⁶⁷⁸⁹]*", re.S)
SDG_GOAL = re.compile(r"\b(?:[Gg]oal|SDG)\s+(\d{1,2})\b(?![.]\w)")
SDG_TARGET = re.compile(r"\b(target|SDG|indicator)\s+(\d{1,2}\.[0-9a-z]{1,2})\b")
ROUNDTABLE = re.compile(r"^Roundtable (\d+): (.+)$")
SESSION = re.compile(r"^Roundtable Session (\d+\.\d+)$")
PAPER_KIND = re.compile(r"^Background Paper\W*$")  # "Background Paper¹", above the roundtable lines
PREPARATION = re.compile(
    r"prepared by the (?P<author>.+?) for the discussion of the RT [\d.]+ co-chaired by "
    r"(?P<chairs>.+?), and other RT [\d.]+ Government Team members, (?P<members>.+?), and "
    r"non-state partners, including (?P<partners>.+?)\."
)

ITEM_SECTIONS = (  # what a section title says → the class and IRI segment of its items
    ("key aspects", MIG.KeyAspect, "key-aspect"),
    ("challenges", MIG.Challenge, "challenge"),
    ("opportunities", MIG.Opportunity, "opportunity"),
)


@dataclass
class Passage:
    """Body paragraphs that read as one (a page break and its footnotes cut them apart)."""

    parts: list[Paragraph]

    @property
    def span(self) -> Span:
        return Span(self.parts[0].span.start, self.parts[-1].span.end)

    @property
    def spans(self) -> list[Span]:
        """The spans of its own paragraphs (not of the footnotes printed between them)."""
        return [part.span for part in self.parts]

    @property
    def raw(self) -> str:
        return " ".join(part.text for part in self.parts)

    @property
    def text(self) -> str:
        return clean(self.raw)


@dataclass
class Section:
    numeral: str
    title: str
    heading: Paragraph
    passages: list[Passage] = field(default_factory=list)

    @property
    def number(self) -> int:
        return 0 if self.numeral == "0" else roman_to_int(self.numeral)


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str
    span: Span


def clean(text: str) -> str:
    """Body text without markup: links keep their words, escaped brackets lose the backslash."""
    return clean_inline(LINK.sub(r"\1", text).replace("\\(", "(").replace("\\)", ")"))


def roman_to_int(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for index, char in enumerate(numeral):
        value = values[char]
        total += -value if index + 1 < len(numeral) and values[numeral[index + 1]] > value else value
    return total


def extract(document: Document) -> Extraction:
    (source,) = document.renderings
    writer = _Writer(document, source)
    body, footnotes = split_footnotes(paragraphs(split_lines(source.text)))
    writer.footnote_spans = {number: note.span for number, note in footnotes.items()}
    passages = rejoin_passages(body, source.text, source.id, writer.notes)
    front, sections = read_sections(passages, source.id)
    writer.paper(front, footnotes)
    for section in sections:
        writer.section(section)
    writer.footnotes(footnotes, passages)
    return writer.extraction()


def split_footnotes(paras: list[Paragraph]) -> tuple[list[Paragraph], dict[int, Footnote]]:
    body, notes = [], {}
    for para in paras:
        marker = FOOTNOTE.match(para.text)
        if marker:
            number = superscript_to_int(marker.group(1))
            notes[number] = Footnote(number, clean(para.text[marker.end() :]), para.span)
        else:
            body.append(para)
    return body, notes


def rejoin_passages(body: list[Paragraph], text: str, source_id: str, notes: Notes) -> list[Passage]:
    """Join a paragraph that stops mid-sentence with the next body paragraph when that one opens
    in lower case (the sentence runs on after the footnotes of the page)."""
    passages: list[Passage] = []
    for para in body:
        previous = passages[-1] if passages else None
        cut = (
            previous is not None
            and not ends_sentence(SUPERSCRIPT.sub("", previous.parts[-1].text))
            and not HEADING.match(previous.parts[-1].text)
        )
        if cut and para.text[0].islower():
            notes.repair(
                source_id,
                "page-break-sentence",
                f"the sentence ending {previous.parts[-1].text[-40:]!r} is interrupted by "
                f"a page break and footnotes and continues with {para.text[:40]!r}; "
                f"rejoined",
                offset=para.span.start,
                line=para.lines[0].number,
            )
            previous.parts.append(para)
            continue
        if cut and _footnotes_between(previous, para, text):
            notes.warn(
                source_id,
                "truncated-sentence",
                f"the sentence ending {previous.parts[-1].text[-50:]!r} breaks off at a "
                f"page break and the next page does not continue it; kept as printed",
                offset=previous.parts[-1].span.end,
                line=previous.parts[-1].lines[-1].number,
            )
        passages.append(Passage([para]))
    return passages


def _footnotes_between(previous: Passage, para: Paragraph, text: str) -> bool:
    return any(FOOTNOTE.match(line) for line in text[previous.span.end : para.span.start].split("\n"))


def read_sections(passages: list[Passage], source_id: str) -> tuple[list[Passage], list[Section]]:
    front: list[Passage] = []
    sections: list[Section] = []
    for passage in passages:
        heading = HEADING.match(passage.parts[0].text) if len(passage.parts) == 1 else None
        if heading and passage.parts[0].is_single_line:
            sections.append(Section(heading.group(1), heading.group(2).rstrip(":"), passage.parts[0]))
        elif sections:
            sections[-1].passages.append(passage)
        else:
            front.append(passage)
    if len(sections) < 7:
        raise SourceError(f"{source_id}: expected the sections 0 and I–VI, found {[s.numeral for s in sections]}")
    return front, sections


def lead_phrase(passage: Passage) -> str | None:
    match = LEAD_PHRASE.match(passage.raw)
    if match and len(match.group(1).split()) <= LEAD_PHRASE_MAX_WORDS:
        return match.group(1)
    return None


def sentence_around(raw: str, position: int) -> str:
    """The sentence of `raw` that carries the footnote marker at `position`."""
    start, end = 0, len(raw)
    for boundary in SENTENCE_BOUNDARY.finditer(raw):
        if boundary.end() <= position:
            start = boundary.end()
        elif boundary.start() >= position or boundary.end() > position:
            end = boundary.end()
            break
    return clean(raw[start:end])


@dataclass
class _Writer(GraphWriter):
    spans: list[tuple[Span, URIRef]] = field(default_factory=list)  # every resource's stretches, for footnotes
    footnote_spans: dict[int, Span] = field(default_factory=dict)

    def resource(
        self, iri: URIRef, rdf_type: URIRef, span: Span | list[Span], label: str, between: str | None = None
    ) -> URIRef:
        """A typed resource with a label and one provenance annotation per stretch of its own text;
        ``between`` says what separates the stretches, if not footnotes."""
        self.add(iri, RDF.type, rdf_type)
        self.add(iri, RDFS.label, Literal(label, lang="en"))
        stretches = self.provenances(iri, span if isinstance(span, list) else [span])
        self.spans += [(stretch, iri) for stretch in stretches]
        if len(stretches) > 1:
            self.note_split(iri, stretches, between)
        return iri

    def note_split(self, iri: URIRef, stretches: list[Span], between: str | None) -> None:
        """Record that a resource's text is interrupted by text not its own, and by what."""
        gaps = [Span(a.end, b.start) for a, b in pairwise(stretches)]
        numbers = [n for n, s in sorted(self.footnote_spans.items()) if any(g.start <= s.start < g.end for g in gaps)]
        if between is None:
            between = f"footnote{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}"
        self.notes.repair(
            self.source.id,
            "provenance-own-text",
            f"the text of {iri.removeprefix(ID)} is interrupted by {between}; its provenance is "
            f"{len(stretches)} annotations, one per stretch of its own text, so that no quote claims what lies between",
            resource=str(iri),
            offset=gaps[0].start,
        )

    # -- the paper -------------------------------------------------------------------------
    def paper(self, front: list[Passage], footnotes: dict[int, Footnote]) -> None:
        """The front matter: the paper's kind, its roundtable and session, and its title (the one
        front line that is none of these)."""
        paper = self.document.iri
        titles = []
        for passage in front:
            line = passage.text
            if match := ROUNDTABLE.match(line):
                self.add(
                    paper, MIG.roundtableTheme, Literal(f"Roundtable {match.group(1)}: {match.group(2)}", lang="en")
                )
            elif match := SESSION.match(line):
                self.add(paper, MIG.roundtable, Literal(match.group(1)))
            elif not PAPER_KIND.match(line):
                titles.append(passage)
        if len(titles) != 1:
            raise SourceError(f"{self.source.id}: expected one title line before section 0, found {len(titles)}")
        self.document_title(titles[0].span)
        if 1 not in footnotes or not (match := PREPARATION.search(footnotes[1].text)):
            raise SourceError(
                f"{self.source.id}: footnote 1 does not say who prepared the paper and who co-chairs the roundtable"
            )
        self.mention(paper, MIG.preparedBy, match.group("author"), NameKind.ACTOR)
        for prop, group in ((MIG.coChair, "chairs"), (MIG.teamMember, "members")):
            for name in split_names(match.group(group)):
                self.mention(paper, prop, name, NameKind.COUNTRY)
        for name in split_names(match.group("partners")):
            self.mention(paper, MIG.nonStatePartner, name, NameKind.ACTOR)

    # -- sections --------------------------------------------------------------------------
    def section(self, section: Section) -> None:
        iri = ID[f"{BASE}/section/{section.numeral}"]
        spans = [section.heading.span, *(span for passage in section.passages for span in passage.spans)]
        self.resource(iri, MIG.Section, spans, section.title)
        self.add(iri, SKOS.notation, Literal(section.numeral))
        self.add(iri, MIG.number, Literal(section.number, datatype=XSD.integer))
        self.add(iri, MIG.position, Literal(section.number + 1, datatype=XSD.integer))
        self.add(iri, MIG.partOf, self.document.iri)
        title = section.title.lower()
        free = self.items_of(section, iri, title)
        if free:
            self.add(iri, MIG.text, Literal("\n\n".join(p.text for p in free), lang="en"))
        for passage in section.passages:
            self.sdg_mentions(passage, iri)

    def items_of(self, section: Section, iri: URIRef, title: str) -> list[Passage]:
        """Write the section's items; return the passages that belong to no item."""
        if "definition" in title and "indicators" in title:
            return self.definition_and_indicators(section, iri)
        if "questions" in title:
            return self.bullets(section, iri, MIG.Question, "question")
        for words, rdf_type, segment in ITEM_SECTIONS:
            if words in title:
                return self.lead_phrase_items(section, iri, rdf_type, segment)
        return section.passages

    def definition_and_indicators(self, section: Section, iri: URIRef) -> list[Passage]:
        free = []
        for passage in section.passages:
            quoted = QUOTED_DEFINITION.search(passage.raw)
            if quoted and "definition" in passage.raw[: quoted.start()]:
                self.definition(passage, quoted)
            elif not is_bullet(passage.raw):
                free.append(passage)
        if self.bullets(section, iri, MIG.Indicator, "indicator") == section.passages:
            raise SourceError(f"{self.source.id}: section {section.numeral} lists no indicators")
        return free

    def definition(self, passage: Passage, quoted: re.Match) -> None:
        start = passage.span.start + quoted.start()
        span = trimmed_span(self.text, start, passage.span.start + quoted.end())
        iri = self.resource(ID[f"{BASE}/definition/integration"], MIG.Definition, span, "integration")
        self.add(iri, SKOS.prefLabel, Literal("integration", lang="en"))
        self.add(iri, SKOS.definition, Literal(clean(quoted.group(1)), lang="en"))

    def bullets(self, section: Section, parent: URIRef, rdf_type: URIRef, segment: str) -> list[Passage]:
        """One item per bullet line; the bold phrase, where there is one, names it."""
        position = 0
        rest = []
        for passage in section.passages:
            if not is_bullet(passage.raw):
                rest.append(passage)
                continue
            for line in (line for part in passage.parts for line in part.lines):
                if not is_bullet(line.text):
                    raise SourceError(
                        f"{self.source.id}: line {line.number} continues a list "
                        f"item over a line break; the parser expects one per line"
                    )
                position += 1
                start = line.start + len(line.text) - len(line.text.lstrip("- •").lstrip())
                span = trimmed_span(self.text, start, line.end)
                body = self.text[span.start : span.end]
                bold = BOLD.search(body)
                item_text = clean(body)
                label = clean(bold.group(1)) if bold else item_text
                iri = self.resource(ID[f"{BASE}/{segment}/{position}"], rdf_type, span, label)
                if bold:
                    self.add(iri, SKOS.prefLabel, Literal(label, lang="en"))
                self.add(iri, MIG.text, Literal(item_text, lang="en"))
                self.add(iri, MIG.position, Literal(position, datatype=XSD.integer))
                self.add(iri, MIG.partOf, parent)
        return rest

    def lead_phrase_items(self, section: Section, parent: URIRef, rdf_type: URIRef, segment: str) -> list[Passage]:
        items: list[tuple[str, list[Passage]]] = []
        free = []
        for passage in section.passages:
            phrase = lead_phrase(passage)
            if phrase:
                items.append((phrase, [passage]))
            elif items:
                items[-1][1].append(passage)
            else:
                free.append(passage)
        if not items:
            raise SourceError(
                f"{self.source.id}: section {section.numeral} has no items that open with a lead phrase and a colon"
            )
        for position, (phrase, members) in enumerate(items, start=1):
            spans = [span for member in members for span in member.spans]
            iri = self.resource(ID[f"{BASE}/{segment}/{position}"], rdf_type, spans, clean(phrase))
            self.add(iri, MIG.leadPhrase, Literal(clean(phrase), lang="en"))
            self.add(iri, MIG.position, Literal(position, datatype=XSD.integer))
            self.add(iri, MIG.partOf, parent)
            prose = [m for m in members if not is_spectrum_table(m)]
            self.add(iri, MIG.text, Literal("\n\n".join(m.text for m in prose), lang="en"))
            for table in (m for m in members if is_spectrum_table(m)):
                self.participation_spectrum(table, iri)
        return free

    def participation_spectrum(self, table: Passage, opportunity: URIRef) -> None:
        """The table of engagement levels: a header line of level names, a line of descriptions."""
        lines = [line for part in table.parts for line in part.lines]
        if len(lines) != 2:
            raise SourceError(
                f"{self.source.id}: the participation table at line "
                f"{lines[0].number} should have a header line and one line of "
                f"descriptions"
            )
        names, descriptions = (cells_of(line) for line in lines)
        if len(names) != len(descriptions):
            raise SourceError(
                f"{self.source.id}: the participation table at line "
                f"{lines[0].number} has {len(names)} levels but "
                f"{len(descriptions)} descriptions"
            )
        scheme = self.resource(
            ID[f"{BASE}/participation-spectrum"],
            SKOS.ConceptScheme,
            table.spans,
            "Participation spectrum of government engagement with CSOs",
        )
        self.add(scheme, MIG.partOf, opportunity)
        for position, (name, description) in enumerate(zip(names, descriptions, strict=False), start=1):
            label = self.text[name.start : name.end]
            iri = self.resource(
                ID[f"{BASE}/participation-level/{label.lower()}"],
                MIG.ParticipationLevel,
                [name, description],
                label,
                between="the table's other cells",
            )
            self.add(iri, SKOS.prefLabel, Literal(label, lang="en"))
            self.add(iri, SKOS.definition, Literal(self.text[description.start : description.end], lang="en"))
            self.add(iri, SKOS.inScheme, scheme)
            self.add(iri, MIG.position, Literal(position, datatype=XSD.integer))

    def sdg_mentions(self, passage: Passage, section: URIRef) -> None:
        """SDG goals and targets the text names, on the innermost resource that holds them."""
        for match in SDG_GOAL.finditer(passage.raw):
            holder = self.holder(passage.span.start)
            self.add(holder or section, MIG.relevantSDGGoal, sdg_iri(match.group(1)))
        for match in SDG_TARGET.finditer(passage.raw):
            holder = self.holder(passage.span.start)
            self.add(holder or section, MIG.relevantSDGTarget, sdg_iri(match.group(2)))
            if match.group(1) == "indicator":
                self.notes.repair(
                    self.source.id,
                    "sdg-notation",
                    f"the text calls {match.group(2)} an 'indicator'; {match.group(2)} "
                    f"is an SDG target (indicators have three parts, e.g. 10.c.1), "
                    f"so it is linked as the target",
                    offset=passage.span.start + match.start(),
                )

    def holder(self, offset: int) -> URIRef | None:
        """The innermost written resource whose span contains `offset`."""
        containing = [
            (span.end - span.start, str(iri), iri) for span, iri in self.spans if span.start <= offset < span.end
        ]
        return min(containing)[2] if containing else None

    # -- footnotes -------------------------------------------------------------------------
    def footnotes(self, notes: dict[int, Footnote], passages: list[Passage]) -> None:
        expected = list(range(1, max(notes) + 1))
        if sorted(notes) != expected:
            raise SourceError(f"{self.source.id}: footnotes {sorted(set(expected) - set(notes))} are missing")
        for note in notes.values():
            iri = self.resource(
                ID[f"{BASE}/footnote/{note.number}"], MIG.Footnote, note.span, f"Footnote {note.number}"
            )
            self.add(iri, MIG.number, Literal(note.number, datatype=XSD.integer))
            self.add(iri, MIG.text, Literal(note.text, lang="en"))
        markers = 0
        for passage in passages:
            for part in passage.parts:
                for match in SUPERSCRIPT.finditer(part.text):
                    markers += 1
                    self.cite(passage, part, match)
        if markers != len(notes):
            self.notes.warn(
                self.source.id, "footnote-markers", f"{markers} footnote markers in the body for {len(notes)} footnotes"
            )

    def cite(self, passage: Passage, part: Paragraph, match: re.Match) -> None:
        number = superscript_to_int(match.group())
        offset = part.span.start + match.start()
        note = ID[f"{BASE}/footnote/{number}"]
        raw_position = sum(len(p.text) + 1 for p in passage.parts[: passage.parts.index(part)]) + match.start()
        self.add(note, MIG.citingText, Literal(sentence_around(passage.raw, raw_position), lang="en"))
        self.add(self.holder(offset) or self.document.iri, MIG.hasFootnote, note)


def split_names(names: str) -> list[str]:
    return [name.strip() for name in re.split(r",\s*|\s+and\s+", names) if name.strip()]


def is_spectrum_table(passage: Passage) -> bool:
    return all("\t" in line.text for part in passage.parts for line in part.lines)


def cells_of(line) -> list[Span]:
    spans, start = [], line.start
    for cell in line.text.split("\t"):
        spans.append(Span(start, start + len(cell)))
        start += len(cell) + 1
    return spans
