"""The MiGOF city-resilience toolbox (IOM consultation document, Markdown-like text).

Heading levels in this file say nothing reliable ('## 1.', '### 3.', '#### 4.' are all elements;
'## Recommended response…' and '### Recommended response…' are the same kind of block), so the
parser reads headings by what they say: the part titles (CONTENTS, RATIONALE AND APPROACH,
WORKING DEFINITIONS, ESSENTIAL ELEMENTS), the sub-parts (Sources, Goals, Policy objectives), the
numbered element titles and the level blocks ('…at the State level', '…at the city level',
'Operational guidelines', 'Examples'). Lists are read by their markers: a blank line or a page
rule does not end a list, an indented bullet is a sub-item of the bullet above, a lettered item
is an item whatever its indentation. Each departure from the layout a reader would expect is
recorded in the build report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from migkg.graph.core.extraction import Extraction, NameKind
from migkg.graph.core.namespaces import ID, MIG, sdg_iri
from migkg.graph.core.report import Notes
from migkg.graph.core.source import Document, SourceError
from migkg.graph.core.text import Line, Span, clean_inline, slugify, split_lines, trimmed_span
from migkg.graph.parsers.common import GraphWriter

HEADING = re.compile(r"^(#+)\s+(.*?)\s*$")
BULLET = re.compile(r"^( *)-(?:\s+(.*))?$")
NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")
LETTERED = re.compile(r"^([a-z])\.\s+(.*)$")
RULE = re.compile(r"^-{3,}\s*$")
ROMAN_PREFIX = re.compile(r"^[IVX]+\s+")
BOLD_LEAD = re.compile(r"^\*\*(.+?)\*\*")
BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<!\*)\*([^*]+)\*(?!\*)")
EXAMPLES_SENTENCE = re.compile(r"\s*Examples include:\s*(.+?)\.?\s*$")
OPENING_CLAUSE = re.compile(r"^(.+?),\s+(?=[a-z])")
SDG_GOAL = re.compile(
    r"\bSustainable Development Goals\b.*?[“\"]Goal (\d{1,2})[”\"]"
)  # "the SDGs, including “Goal 11”"

LIST_HEADING_MAX_WORDS = 3  # 'Cross-cutting:'; 'Enhance data collection, particularly:' is a recommendation
FRAMEWORK = ID["migof"]
PARTS = {
    "CONTENTS": "contents",
    "RATIONALE AND APPROACH": "rationale",
    "WORKING DEFINITIONS": "definitions",
    "ESSENTIAL ELEMENTS": "elements",
}
LEVELS = (  # what a block heading says → (IRI segment, governance level, label)
    ("state level", "state-level", MIG.StateLevel, "State level"),
    ("city level", "city-level", MIG.CityLevel, "city level"),
    ("operational guidelines", "operational-guidelines", MIG.OperationalLevel, "operational guidelines"),
)


@dataclass
class Item:
    """A list item with its lines (continuations included) and its sub-items."""

    lines: list[Line]
    marker_end: int  # offset where the item's text starts (after '- ', 'a. ' …)
    children: list[Item] = field(default_factory=list)

    @property
    def span(self) -> Span:
        return Span(self.marker_end, self.lines[-1].end)


@dataclass
class Block:
    """The lines under one heading, up to the next heading."""

    heading: Line | None
    title: str
    level: int
    lines: list[Line] = field(default_factory=list)


def extract(document: Document) -> Extraction:
    (source,) = document.renderings
    blocks = read_blocks(split_lines(source.text))
    writer = _Writer(document, source)
    writer.framework(blocks)
    parts = group_parts(blocks, source.id)
    contents = contents_elements(parts["contents"], source.id)
    writer.rationale(parts["rationale"])
    writer.definitions(parts["definitions"])
    writer.elements(parts["elements"], contents)
    return writer.extraction()


def read_blocks(lines: list[Line]) -> list[Block]:
    blocks = [Block(None, "", 0)]
    for line in lines:
        heading = HEADING.match(line.text)
        if heading:
            blocks.append(Block(line, clean_inline(heading.group(2)), len(heading.group(1))))
        else:
            blocks[-1].lines.append(line)
    return blocks


def part_name(block: Block) -> str | None:
    return PARTS.get(ROMAN_PREFIX.sub("", block.title).upper()) if block.title.isupper() else None


def is_back_cover(block: Block) -> bool:
    """The back cover repeats the cover's title (in this file as 'MiGRATION GOVERNANCE …')."""
    return block.title.upper().startswith("MIGRATION GOVERNANCE FRAMEWORK")


def group_parts(blocks: list[Block], source_id: str) -> dict[str, list[Block]]:
    """Blocks by part. The contents repeats the part titles with roman numerals; those stay in
    the contents. The back cover ends the text."""
    parts: dict[str, list[Block]] = {}
    current = None
    for block in blocks:
        name = part_name(block)
        if is_back_cover(block):
            current = None
        elif name and not (current == "contents" and ROMAN_PREFIX.match(block.title)):
            current = name
        if current:
            parts.setdefault(current, []).append(block)
    missing = set(PARTS.values()) - set(parts)
    if missing:
        raise SourceError(f"{source_id}: parts {sorted(missing)} not found (looked for headings {sorted(PARTS)})")
    return parts


def contents_elements(blocks: list[Block], source_id: str) -> list[tuple[int, str, Line]]:
    """The numbered titles listed under the contents' ESSENTIAL ELEMENTS heading."""
    for block in blocks:
        if ROMAN_PREFIX.match(block.title) and part_name(block) == "elements":
            entries = [
                (int(m.group(1)), clean_inline(m.group(2)), line)
                for line in block.lines
                if (m := NUMBERED.match(line.text))
            ]
            if entries:
                return entries
    raise SourceError(f"{source_id}: the contents lists no essential elements")


def read_list(lines: list[Line], source_id: str, notes: Notes) -> tuple[list[Item], list[Line]]:
    """Items (with sub-items) and the lines that belong to no item (introductions, page rules).

    A blank line or a page rule does not end a list; a line that is not a bullet continues the
    item above when it opens in lower case (a page break cut the item)."""
    items: list[Item] = []
    other: list[Line] = []
    gap_since_item = False
    for line in lines:
        if line.is_blank or RULE.match(line.text):
            gap_since_item = gap_since_item or bool(items)
            continue
        bullet = BULLET.match(line.text)
        if bullet is None:
            if items and gap_since_item and line.stripped[0].islower():
                notes.repair(
                    source_id,
                    "page-break-item",
                    f"the list item ending {items[-1].lines[-1].stripped[-40:]!r} "
                    f"continues after a page break with {line.stripped[:40]!r}; rejoined",
                    offset=line.start,
                    line=line.number,
                )
                _last_leaf(items).lines.append(line)
                gap_since_item = False
            elif items and not gap_since_item:
                _last_leaf(items).lines.append(line)
            else:
                other.append(line)
            continue
        if bullet.group(2) is None or not bullet.group(2).strip():
            notes.repair(
                source_id, "empty-bullet", "an empty list bullet; ignored", offset=line.start, line=line.number
            )
            continue
        if gap_since_item and not bullet.group(1):
            notes.repair(
                source_id,
                "split-list",
                f"a blank line or page rule splits the list before {line.stripped[:40]!r}; read as one list",
                offset=line.start,
                line=line.number,
            )
        item = Item([line], line.start + bullet.start(2))
        if bullet.group(1) and items:
            items[-1].children.append(item)
        else:
            items.append(item)
        gap_since_item = False
    return items, other


def _last_leaf(items: list[Item]) -> Item:
    last = items[-1]
    return last.children[-1] if last.children else last


def lettered(items: list[Item], text: str, source_id: str, notes: Notes) -> list[tuple[str, Item]]:
    """Lettered items ('a. …'), flattened: the letter, not the indentation, makes an item."""
    result = []
    for item in [i for top in items for i in (top, *top.children)]:
        match = LETTERED.match(text[item.marker_end : item.lines[0].end])
        if not match:
            raise SourceError(f"{source_id}: line {item.lines[0].number}: expected a lettered item")
        if item.lines[0].text.startswith(" "):
            notes.repair(
                source_id,
                "indented-lettered-item",
                f"item {match.group(1)} is indented like a sub-item of the one before; "
                f"its letter makes it an item of the same list",
                offset=item.lines[0].start,
                line=item.lines[0].number,
            )
        result.append((match.group(1), Item(item.lines, item.marker_end + match.start(2))))
    return result


def paragraphs_of(lines: list[Line]) -> list[list[Line]]:
    """Runs of consecutive non-blank lines (a page rule counts as blank)."""
    groups: list[list[Line]] = []
    for line in lines:
        if line.is_blank or RULE.match(line.text):
            continue
        if groups and groups[-1][-1].number == line.number - 1:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def level_of(title: str) -> tuple[str, URIRef, str] | None:
    lowered = title.lower()
    for words, segment, level, label in LEVELS:
        if words in lowered:
            return segment, level, label
    return None


def is_list_heading(text: str) -> bool:
    """A label and a colon, not a sentence: at most three words before the colon, no comma."""
    label = text.removesuffix(":")
    return text.endswith(":") and "," not in label and len(label.split()) <= LIST_HEADING_MAX_WORDS


def word_set(title: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]+", title.lower()) if len(w) > 3}


@dataclass
class Element:
    number: int
    title: str
    heading: Line
    blocks: list[Block]


@dataclass
class _Writer(GraphWriter):
    def literal(self, value: str) -> Literal:
        return Literal(value, lang="en")

    def span_of(self, lines: list[Line], start: int | None = None) -> Span:
        return trimmed_span(self.text, lines[0].start if start is None else start, lines[-1].end)

    def clean(self, span: Span) -> str:
        return clean_inline(self.text[span.start : span.end])

    # -- framework -------------------------------------------------------------------------
    def framework(self, blocks: list[Block]) -> None:
        """The framework the toolbox belongs to, named on its cover in bold capitals, and the
        toolbox's own title, the cover's next bold paragraph."""
        bold = [lines for lines in paragraphs_of(blocks[0].lines) if lines[0].text.startswith("**")]
        if len(bold) < 2 or "MIGRATION" not in bold[0][0].text:
            raise SourceError(f"{self.source.id}: the cover does not name the framework and the toolbox in bold")
        self.resource(FRAMEWORK, MIG.Framework, self.span_of(bold[0]), "Migration Governance Framework")
        title = self.span_of(bold[1])
        self.document_title(Span(title.start + len("**"), title.end - len("**")))
        self.add(FRAMEWORK, SKOS.prefLabel, self.literal("Migration Governance Framework"))
        self.add(FRAMEWORK, DCTERMS.title, self.literal("Migration Governance Framework"))
        self.add(FRAMEWORK, SKOS.altLabel, self.literal("MiGOF"))
        self.add(self.document.iri, MIG.describesFramework, FRAMEWORK)

    # -- rationale: sources, goals, policy objectives ---------------------------------------
    def rationale(self, blocks: list[Block]) -> None:
        found = set()
        for block in blocks:
            title = re.sub(r"^\d+\.\s*", "", block.title).lower()
            if title == "sources":
                self.sources(block)
            elif title == "goals":
                self.lettered_items(block, MIG.Goal, "goal", "MiGOF toolbox goal")
            elif title == "policy objectives":
                self.lettered_items(block, MIG.PolicyObjective, "policy-objective", "MiGOF toolbox policy objective")
            else:
                self.ignore_prose(block)
                continue
            found.add(title)
        if found != {"sources", "goals", "policy objectives"}:
            raise SourceError(
                f"{self.source.id}: the rationale should have Sources, Goals and "
                f"Policy objectives; found {sorted(found)}"
            )

    def ignore_prose(self, block: Block) -> None:
        for para in paragraphs_of(block.lines):
            if BULLET.match(para[0].text):
                continue
            self.notes.ignore(
                self.source.id,
                "prose",
                f"running text {para[0].stripped[:50]!r}… is not a modelled part",
                offset=para[0].start,
                line=para[0].number,
            )

    def sources(self, block: Block) -> None:
        items, other = read_list(block.lines, self.source.id, self.notes)
        for para in paragraphs_of(other):
            self.notes.ignore(
                self.source.id,
                "prose",
                f"running text {para[0].stripped[:50]!r}…",
                offset=para[0].start,
                line=para[0].number,
            )
        for position, item in enumerate(items, start=1):
            raw = self.text[item.span.start : item.span.end]
            full = clean_inline(re.sub(r"\n\s*-{3,}\s*\n", "\n", raw))
            italic = ITALIC.search(raw)
            clause = OPENING_CLAUSE.match(full)
            title = clean_inline(italic.group(1)) if italic else (clause.group(1) if clause else full)
            iri = self.resource(
                ID[f"migof/source/{position}"], MIG.Reference, self.span_of(item.lines, item.marker_end), title
            )
            self.add(iri, DCTERMS.title, self.literal(title))
            self.add(iri, MIG.text, self.literal(full))
            self.add(iri, MIG.position, Literal(position, datatype=XSD.integer))
            self.add(self.document.iri, DCTERMS.references, iri)
            for goal in SDG_GOAL.finditer(full):
                self.add(iri, MIG.relevantSDGGoal, sdg_iri(goal.group(1)))

    def lettered_items(self, block: Block, rdf_type: URIRef, segment: str, label: str) -> None:
        items, _ = read_list(block.lines, self.source.id, self.notes)
        for position, (letter, item) in enumerate(lettered(items, self.text, self.source.id, self.notes), start=1):
            span = self.span_of(item.lines, item.marker_end)
            bold = BOLD_LEAD.match(self.text[span.start : span.end])
            if bold is None:
                raise SourceError(
                    f"{self.source.id}: line {item.lines[0].number}: {segment} "
                    f"{letter} has no bold lead sentence to name it"
                )
            name = clean_inline(bold.group(1)).rstrip(".")
            iri = self.resource(ID[f"migof/{segment}/{letter}"], rdf_type, span, f"{label} {letter}: {name}")
            self.add(iri, SKOS.prefLabel, self.literal(name))
            self.add(iri, MIG.letter, Literal(letter))
            self.add(iri, MIG.text, self.literal(self.clean(span)))
            self.add(iri, MIG.position, Literal(position, datatype=XSD.integer))
            self.add(iri, MIG.partOf, self.document.iri)

    # -- working definitions ---------------------------------------------------------------
    def definitions(self, blocks: list[Block]) -> None:
        block = blocks[0]
        scheme = self.resource(
            ID["migof/working-definitions"],
            SKOS.ConceptScheme,
            self.span_of([block.heading, *block.lines]),
            "MiGOF working definitions",
        )
        items, other = read_list(block.lines, self.source.id, self.notes)
        broader: dict[int, URIRef] = {}
        for para in paragraphs_of(other):
            broader[para[-1].end] = self.concept(self.span_of(para), scheme, None)
        for item in items:
            parent = max((end, iri) for end, iri in broader.items() if end < item.lines[0].start)[1]
            self.concept(self.span_of(item.lines, item.marker_end), scheme, parent)
        if not broader:
            raise SourceError(f"{self.source.id}: no working definitions found")

    def concept(self, span: Span, scheme: URIRef, broader: URIRef | None) -> URIRef:
        raw = self.text[span.start : span.end]
        term = BOLD.search(raw)
        if term is None:
            raise SourceError(f"{self.source.id}: a working definition at offset {span.start} sets no term in bold")
        name = clean_inline(term.group(1))
        text = clean_inline(raw)
        examples = EXAMPLES_SENTENCE.search(text)
        iri = self.resource(ID[f"migof/definition/{slugify(name)}"], MIG.Definition, span, name)
        self.add(iri, SKOS.prefLabel, self.literal(name))
        self.add(iri, SKOS.definition, self.literal(text[: examples.start()] if examples else text))
        self.add(iri, SKOS.inScheme, scheme)
        if examples:
            for example in re.split(r",\s*", examples.group(1)):
                self.add(iri, SKOS.example, self.literal(example))
        if broader is not None:
            self.add(iri, SKOS.broader, broader)
            self.add(broader, SKOS.narrower, iri)
        else:
            self.add(scheme, SKOS.hasTopConcept, iri)
        return iri

    # -- essential elements ----------------------------------------------------------------
    def elements(self, blocks: list[Block], contents: list[tuple[int, str, Line]]) -> None:
        elements = self.element_blocks(blocks)
        for preface in blocks[: blocks.index(elements[0].blocks[0])]:
            self.ignore_prose(preface)
        summary = self.summary_titles(blocks)
        self.note_heading_levels([element.heading for element in elements], "element heading")
        toc = self.match_contents(elements, contents)
        for element in elements:
            self.element(element, summary.get(element.number), toc[element.number])

    def element_blocks(self, blocks: list[Block]) -> list[Element]:
        elements: list[Element] = []
        for block in blocks:
            numbered = NUMBERED.match(block.title)
            if numbered and level_of(block.title) is None:
                elements.append(Element(int(numbered.group(1)), numbered.group(2).rstrip("."), block.heading, [block]))
            elif elements:
                elements[-1].blocks.append(block)
        if [e.number for e in elements] != list(range(1, len(elements) + 1)) or len(elements) != 6:
            raise SourceError(
                f"{self.source.id}: expected the six essential elements numbered 1–6 "
                f"in the body, found {[e.number for e in elements]}"
            )
        return elements

    def summary_titles(self, blocks: list[Block]) -> dict[int, str]:
        """The numbered list of element titles that opens the ESSENTIAL ELEMENTS part."""
        titles = {}
        for line in (line for block in blocks[:2] for line in block.lines):
            bullet = BULLET.match(line.text)
            numbered = NUMBERED.match(bullet.group(2) or "") if bullet else None
            if numbered:
                titles[int(numbered.group(1))] = clean_inline(numbered.group(2)).rstrip(".")
        return titles

    def note_heading_levels(self, headings: list[Line], what: str) -> None:
        levels = [len(HEADING.match(h.text).group(1)) for h in headings]
        usual = Counter(levels).most_common(1)[0][0]
        for heading, level in zip(headings, levels, strict=False):
            if level != usual:
                self.notes.repair(
                    self.source.id,
                    "heading-level",
                    f"{what} {heading.stripped!r} is set at level {level}, the others "
                    f"at level {usual}; read by its meaning, not its level",
                    offset=heading.start,
                    line=heading.number,
                )

    def match_contents(
        self, elements: list[Element], contents: list[tuple[int, str, Line]]
    ) -> dict[int, tuple[int, str]]:
        """Pair each contents entry with the body element whose title shares most words."""
        pairs: dict[int, tuple[int, str]] = {}
        for position, title, line in contents:
            scores = sorted(
                ((len(word_set(title) & word_set(e.title)), e.number) for e in elements if e.number not in pairs),
                reverse=True,
            )
            if not scores or scores[0][0] == 0:
                raise SourceError(
                    f"{self.source.id}: contents entry {position} {title!r} (line "
                    f"{line.number}) matches no element in the body"
                )
            pairs[scores[0][1]] = (position, title)
            if scores[0][1] != position:
                self.notes.repair(
                    self.source.id,
                    "contents-order",
                    f"the contents lists {title!r} as element {position}; in the "
                    f"body it is element {scores[0][1]}. The body is authoritative; "
                    f"the contents position is kept as mig:tableOfContentsPosition",
                    offset=line.start,
                    line=line.number,
                )
        return pairs

    def element(self, element: Element, summary_title: str | None, toc: tuple[int, str]) -> None:
        iri = ID[f"migof/element/{element.number}"]
        end = max(line.end for block in element.blocks for line in block.lines if not line.is_blank)
        self.resource(
            iri,
            MIG.EssentialElement,
            trimmed_span(self.text, element.heading.start, end),
            f"MiGOF essential element {element.number}: {element.title}",
        )
        self.add(iri, SKOS.prefLabel, self.literal(element.title))
        self.add(iri, MIG.number, Literal(element.number, datatype=XSD.integer))
        self.add(iri, MIG.position, Literal(element.number, datatype=XSD.integer))
        self.add(iri, MIG.tableOfContentsPosition, Literal(toc[0], datatype=XSD.integer))
        self.add(iri, MIG.tableOfContentsTitle, self.literal(toc[1]))
        self.add(iri, MIG.partOf, FRAMEWORK)
        if summary_title and summary_title != element.title:
            self.add(iri, SKOS.altLabel, self.literal(summary_title))
            self.notes.warn(
                self.source.id,
                "title-variant",
                f"element {element.number} is headed {element.title!r} but listed as "
                f"{summary_title!r}; kept the heading, the list's wording as "
                f"skos:altLabel",
                resource=str(iri),
                line=element.heading.number,
            )
        intro = paragraphs_of(element.blocks[0].lines)
        if intro:
            self.add(iri, MIG.introduction, self.literal("\n\n".join(self.clean(self.span_of(p)) for p in intro)))
        self.note_heading_levels([b.heading for b in element.blocks[1:]], "block heading")
        for block in element.blocks[1:]:
            level = level_of(block.title)
            if level:
                self.recommendations(iri, element.number, block, level)
            elif block.title.lower().rstrip(":") == "examples":
                self.examples(iri, element.number, block)
            else:
                raise SourceError(
                    f"{self.source.id}: line {block.heading.number}: unexpected "
                    f"heading {block.title!r} in element {element.number}"
                )

    def recommendations(self, element: URIRef, number: int, block: Block, level: tuple[str, URIRef, str]) -> None:
        segment, governance, label = level
        section = ID[f"migof/element/{number}/{segment}"]
        last = [line for line in block.lines if not line.is_blank][-1]
        self.resource(
            section, MIG.Section, trimmed_span(self.text, block.heading.start, last.end), block.title.rstrip(":")
        )
        self.add(section, MIG.partOf, element)
        items, other = read_list(block.lines, self.source.id, self.notes)
        intro = paragraphs_of(other)
        if intro:
            self.add(section, MIG.introduction, self.literal("\n\n".join(self.clean(self.span_of(p)) for p in intro)))
        for position, item in enumerate(self.without_list_headings(items, label), start=1):
            iri = self.recommendation(
                f"{section}/{position}",
                item,
                position,
                governance,
                section,
                f"MiGOF element {number}, {label}, item {position}",
            )
            for sub_position, child in enumerate(item.children, start=1):
                sub = self.recommendation(
                    f"{section}/{position}/{sub_position}",
                    child,
                    sub_position,
                    governance,
                    section,
                    f"MiGOF element {number}, {label}, item {position}.{sub_position}",
                )
                self.add(iri, MIG.narrowerItem, sub)

    def without_list_headings(self, items: list[Item], level: str) -> list[Item]:
        """The items of a level's list, with each list heading replaced by the items under it.

        A list heading is an item that is only a short label and a colon ('Cross-cutting:') with
        sub-items: it says what the items under it have in common, it recommends nothing. The
        ontology has no term for such a group, so the heading is left out and its sub-items are
        read as recommendations of the level, in their place."""
        result: list[Item] = []
        for item in items:
            text = self.clean(self.span_of(item.lines, item.marker_end))
            if not (item.children and is_list_heading(text)):
                result.append(item)
                continue
            self.notes.ignore(
                self.source.id,
                "list-heading",
                f"the list item {text!r} is a heading over the {len(item.children)} items under it, "
                f"not a recommendation; not modelled",
                offset=item.marker_end,
                line=item.lines[0].number,
            )
            self.notes.repair(
                self.source.id,
                "list-heading",
                f"the {len(item.children)} items under the list heading {text!r} are read as "
                f"recommendations of the {level}, in its place",
                offset=item.children[0].marker_end,
                line=item.children[0].lines[0].number,
            )
            result += item.children
        return result

    def recommendation(
        self, iri: str, item: Item, position: int, governance: URIRef, section: URIRef, label: str
    ) -> URIRef:
        span = self.span_of(item.lines, item.marker_end)
        resource = self.resource(URIRef(iri), MIG.Recommendation, span, label)
        self.add(resource, MIG.text, self.literal(self.clean(span)))
        bold = BOLD_LEAD.match(self.text[span.start : span.end])
        if bold:
            self.add(resource, MIG.leadPhrase, self.literal(clean_inline(bold.group(1)).rstrip(".")))
        self.add(resource, MIG.governanceLevel, governance)
        self.add(resource, MIG.position, Literal(position, datatype=XSD.integer))
        self.add(resource, MIG.partOf, section)
        return resource

    def examples(self, element: URIRef, number: int, block: Block) -> None:
        """Each paragraph that opens with a bold heading starts an example; the paragraphs and
        numbered lists after it, up to the next such heading, continue it."""
        groups: list[list[list[Line]]] = []
        for para in paragraphs_of(block.lines):
            if BOLD_LEAD.match(para[0].text):
                groups.append([para])
            elif groups:
                groups[-1].append(para)
            else:
                raise SourceError(f"{self.source.id}: line {para[0].number}: an example without a bold heading")
        for position, paras in enumerate(groups, start=1):
            self.example(element, number, position, paras)

    def example(self, element: URIRef, number: int, position: int, paras: list[list[Line]]) -> None:
        first = paras[0][0]
        heading = BOLD_LEAD.match(first.text)
        title = clean_inline(heading.group(1)).rstrip(".")
        body_start = first.start + heading.end()
        span = trimmed_span(self.text, first.start, paras[-1][-1].end)
        description = "\n\n".join(
            self.clean(trimmed_span(self.text, body_start if i == 0 else p[0].start, p[-1].end))
            for i, p in enumerate(paras)
        )
        iri = self.resource(
            ID[f"migof/element/{number}/example/{position}"],
            MIG.Practice,
            span,
            f"MiGOF element {number}, example {position}: {title}",
        )
        self.add(iri, DCTERMS.title, self.literal(title))
        self.add(iri, DCTERMS.description, self.literal(description))
        self.add(iri, MIG.illustrates, element)
        self.add(iri, MIG.position, Literal(position, datatype=XSD.integer))
        self.example_countries(iri, title)
        # its implementers and partners; stakeholder groups are left to the link stage
        self.mention(iri, MIG.implementedBy, description, NameKind.ORGANISATIONS_IN)

    def example_countries(self, iri: URIRef, title: str) -> None:
        """The countries an example heading names ('Greece', 'Multi-country - France, Germany, …')."""
        for part in re.split(r"\s+-\s+|,\s*|\s+and\s+", title):
            self.mention(
                iri, MIG.exampleCountry, re.sub(r"^the\s+", "", part.strip(), flags=re.I), NameKind.COUNTRY_IF_ANY
            )
