"""Extract the UN Network on Migration's GCM implementation booklet (2022).

The text is a PDF rendering. What it holds, and the general rules used to read it:

- **Objectives** are anchored on their "Associated actions" line: the line before it is the
  commitment title, the block before that the numbered heading (which may wrap over several lines
  and carry bold markup). SDG icon captions ("3 GOOD HEALTH AND WELL-BEING") look like headings but
  never precede a commitment and "Associated actions", so they are never taken for objectives. A
  missing heading is recovered from the numbering sequence and the table of contents (repair).
- **Actions** start with a letter marker (``- a.``, ``k.``, ``i)``; bulleted or not, indented or
  not). A line starting in lower case continues the action before it (a wrapped line, even one
  that a page break turned into a bullet). Letters follow the sequence a, b, c…; a printed letter
  that differs (``I`` for ``l``) is corrected and recorded, and a marker for the next letter
  inside an action's text (``… upon return i) Identify …``) starts a new action. A bare page
  number between two lower-case words of an action (the GCM's own text has none) is removed.
- **Example practices**: a single short line with no sentence end, after a finished paragraph,
  is a title (it may start in lower case, as "iDIASPORA" does); a paragraph that follows an
  unfinished one continues it across the page break. Titles that repeat get distinct IRIs.
- **SDG targets**: ``■ **10.7:** text`` in its many printed forms; a ``17:18`` notation is read
  as 17.18 (repair); captions in capitals are page furniture; "All SDGs" links every goal.
- **Footnotes**: a paragraph ``N. …`` whose superscript marker appeared before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from migkg.graph.core.extraction import Extraction
from migkg.graph.core.namespaces import FABIO, ID, MIG, sdg_iri
from migkg.graph.core.report import Notes
from migkg.graph.core.source import Document, Source, SourceError
from migkg.graph.core.text import (
    SUPERSCRIPT,
    Line,
    Span,
    clean_inline,
    earlier_slug,
    slugify,
    split_lines,
    superscript_to_int,
)
from migkg.graph.parsers.common import (
    GraphWriter,
    Paragraph,
    ends_sentence,
    is_all_caps,
    is_bullet,
    looks_like_title,
    merge_spans,
    paragraphs,
)

FRAMEWORK = ID["gcm"]
GCM_TITLE = "Global Compact for Safe, Orderly and Regular Migration"
OBJECTIVE_COUNT = 23

TOC_OBJECTIVE = re.compile(r"^(\d{1,2})\. (.+?)\t(\d+)$")
HEADING = re.compile(r"^(\d{1,2}) ([A-Z][A-Z ,'-]+)$")
ACTION_MARK = re.compile(r"^\s*(?:[-•▪■]\s*)?\**\s*([A-Za-z])[.)]\s+")
INLINE_ACTION_MARK = re.compile(r"\s([a-z])\)\s+(?=[A-Z])")
PAGE_NUMBER_IN_SENTENCE = re.compile(r"\b([a-z]+) (\d{1,3}) ([a-z]+)\b")
SDG_GOAL = re.compile(r"^\**SDG (\d{1,2}): (.+?)\**$")
SDG_TARGET = re.compile(
    r"^\s*(?:[-•▪■]\s*)?\**\s*(?P<goal>\d{1,2})(?P<sep>[.:])(?P<target>\d{1,2}|[a-z])\**\s*:\**\s*(?P<text>.*)$"
)
SDG_TARGET_IN_TEXT = re.compile(r"SDG (\d{1,2})\.(\d{1,2}|[a-z])\b")
FOOTNOTE = re.compile(r"^(\d{1,2})\. ")
YEAR_TITLE = re.compile(r"^(\d{4}) · (.+)$")
TRAILING_ACRONYM = re.compile(r"\s*\(([A-Z]{2,})\)$")
LEADING_ACRONYM = re.compile(r"^The ([A-Z]{3,})\b")
IN_FORCE = re.compile(r"\(in force (\d{4})\)")
YEAR_IN_DESCRIPTION = re.compile(r"\b(entered into force|[Aa]dopted)\b[^.]*?\b((?:19|20)\d\d)\b")
ITALIC = re.compile(r"\*([^*]+)\*")
ITALIC_AT_START = re.compile(r"^\*([^*]+)\*")
REFERENCE_ENTRY = re.compile(r"^(?:-\s+)?(N\.D\.\s?[a-z]?|\d{4}[a-z]?)\s+(.+)$")
URL = re.compile(r"\[?<?((?:https?://|www\.)[^\s<>\]\)]+)")
# A web address whole: parentheses inside it are kept where they are balanced (``EPRS_STU(2020)642840``).
WHOLE_URL = re.compile(r"(?:https?://|www\.)(?:[^\s<>\[\]()]|\([^\s<>\[\]()]*\))+")
MARKDOWN_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\(((?:[^\s()]|\([^\s()]*\))+)\)")
AUTOLINK = re.compile(r"<((?:https?://|www\.)[^\s<>]+)>")
MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>])")
ADOPTION = re.compile(
    r"\(GCM\) was adopted by United Nations Member States on (\d{1,2} \w+ \d{4}) and endorsed by "
    r"the UN General Assembly on (\d{1,2} \w+ \d{4})"
)
TITLE = re.compile(r"^Implementing the Global Compact\b.*$", re.MULTILINE)  # the cover's title line
RESOLUTION = re.compile(r"\((A/RES/\d+/\d+)\)")
# A listed resource whose title is one such proper name names an instrument ("Paris Agreement",
# "Global Compact on Refugees"); one that joins two names with "and" lists two things.
INSTRUMENT_NAME = re.compile(r"\b(?:Agreement|Agenda|Compact|Convention|Covenant|Declaration|Framework|Protocol)\b")
NAME_QUALIFIER = re.compile(r"\s*\((?:[A-Z]{2,}|[\d\s–-]+)\)$")  # "(GCM)", "(2015–2030)"
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
CONFUSABLE_LETTERS = {("I", "l"), ("1", "l"), ("|", "l")}


# ----------------------------------------------------------------------------------------------
# What the parser reads, before it becomes triples
# ----------------------------------------------------------------------------------------------


@dataclass
class Action:
    letter: str
    printed_letter: str
    spans: list[Span]
    raw: str
    group: str | None = None

    @property
    def span(self) -> Span:
        return merge_spans(self.spans)


@dataclass
class Practice:
    title: str
    title_span: Span
    paragraphs: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    footnotes: list[tuple[int, str, Span]] = field(default_factory=list)

    @property
    def span(self) -> Span:
        return merge_spans([self.title_span, *self.spans])


@dataclass
class TargetCitation:
    goal: int
    notation: str
    printed_notation: str
    printed_text: str
    heading_goal: int | None
    span: Span


@dataclass
class Objective:
    number: int
    short_name: str
    heading_text: str | None
    commitment: str
    span: Span
    heading_span: Span
    actions: list[Action] = field(default_factory=list)
    groups: list[tuple[str, Span]] = field(default_factory=list)
    practices: list[Practice] = field(default_factory=list)
    citations: list[TargetCitation] = field(default_factory=list)
    all_sdgs: bool = False
    sdg_notes: list[tuple[str, Span]] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------


class BookletReader:
    """Reads the booklet's structure from its lines; records repairs as it goes."""

    def __init__(self, source: Source, notes: Notes):
        self.source_id = source.id
        self.text = source.text
        self.lines = split_lines(self.text)
        self.notes = notes
        self.footnote_markers: set[int] = {superscript_to_int(m.group()) for m in SUPERSCRIPT.finditer(self.text)}

    # -- locating --------------------------------------------------------------------------

    def _index_of(self, stripped: str, last: bool = False) -> int:
        hits = [i for i, line in enumerate(self.lines) if line.stripped == stripped]
        if not hits:
            raise SourceError(f"{self.source_id}: the line {stripped!r} was not found; is this the GCM booklet?")
        return hits[-1] if last else hits[0]

    def _first_after(self, stripped: str, start: int, end: int) -> int | None:
        for i in range(start, end):
            if self.lines[i].stripped.strip("*") == stripped:
                return i
        return None

    def _line_span(self, line: Line) -> Span:
        lead = len(line.text) - len(line.text.lstrip())
        return Span(line.start + lead, line.end - (len(line.text) - len(line.text.rstrip())))

    # -- table of contents -----------------------------------------------------------------

    def table_of_contents(self) -> dict[int, str]:
        names = {}
        for line in self.lines[: self._index_of("Introduction", last=False) + 40]:
            match = TOC_OBJECTIVE.match(line.text)
            if match:
                names[int(match.group(1))] = match.group(2)
        if sorted(names) != list(range(1, OBJECTIVE_COUNT + 1)):
            raise SourceError(
                f"{self.source_id}: the table of contents lists objectives {sorted(names)}, expected 1–23"
            )
        return names

    # -- objectives ------------------------------------------------------------------------

    def objectives(self) -> list[Objective]:
        toc = self.table_of_contents()
        anchors = [i for i, line in enumerate(self.lines) if line.stripped == "Associated actions"]
        if len(anchors) != OBJECTIVE_COUNT:
            raise SourceError(
                f"{self.source_id}: found {len(anchors)} 'Associated actions' sections, expected {OBJECTIVE_COUNT}"
            )
        starts = [self._objective_start(anchor) for anchor in anchors]
        resources = self._index_of("Resources", last=True)
        objectives = []
        for number, (anchor, start) in enumerate(zip(anchors, starts, strict=False), start=1):
            end = starts[number] if number < len(starts) else resources
            objectives.append(self._objective(number, toc[number], start, anchor, end))
        return objectives

    def _objective_start(self, anchor: int) -> int:
        """The first line of an objective: its heading, or its commitment if the heading is missing."""
        commitment = self._previous_nonblank(anchor)
        heading_end = self._previous_nonblank(commitment)
        heading_start = heading_end
        while heading_start > 0 and not self.lines[heading_start - 1].is_blank:
            heading_start -= 1
        block = " ".join(line.stripped for line in self.lines[heading_start : heading_end + 1]).replace("*", "")
        return heading_start if HEADING.match(block) else commitment

    def _previous_nonblank(self, index: int) -> int:
        index -= 1
        while self.lines[index].is_blank:
            index -= 1
        return index

    def _objective(self, number: int, short_name: str, start: int, anchor: int, end: int) -> Objective:
        commitment_index = self._previous_nonblank(anchor)
        commitment_line = self.lines[commitment_index]
        heading_lines = self.lines[start:commitment_index]
        heading_text = " ".join(line.stripped for line in heading_lines if not line.is_blank).replace("*", "")
        match = HEADING.match(heading_text) if heading_text else None
        if match:
            printed_number = int(match.group(1))
            if printed_number != number:
                raise SourceError(
                    f"{self.source_id}: objective heading {heading_text!r} is out of sequence (expected {number})"
                )
            heading_span = merge_spans([self._line_span(line) for line in heading_lines if not line.is_blank])
            if match.group(2).strip().lower() != short_name.lower():
                self.notes.warn(
                    self.source_id,
                    "objective-name-variant",
                    f"objective {number}: heading reads {match.group(2)!r}, the table of "
                    f"contents {short_name!r}; the table of contents' name is the label, "
                    f"the heading's an alternative label",
                    resource=str(ID[f"gcm/objective/{number}"]),
                    offset=heading_span.start,
                )
        else:
            heading_span = self._line_span(commitment_line)
            self.notes.repair(
                self.source_id,
                "missing-objective-heading",
                f"objective {number}: the heading line is missing before its commitment "
                f"{commitment_line.stripped[:60]!r}…; number taken from the sequence, short "
                f"name {short_name!r} from the table of contents",
                resource=str(ID[f"gcm/objective/{number}"]),
                offset=commitment_line.start,
                line=commitment_line.number,
            )
        practices_at = self._first_after("Example practices", anchor, end)
        sdgs_at = self._first_after("Relevant sustainable development goals", anchor, end)
        if practices_at is None or sdgs_at is None:
            raise SourceError(f"{self.source_id}: objective {number} lacks its practices or SDG section")
        block_span = Span(self.lines[start].start, self.lines[end - 1].end)
        objective = Objective(
            number=number,
            short_name=short_name,
            heading_text=match.group(2).strip() if match else None,
            commitment=commitment_line.stripped,
            span=block_span,
            heading_span=heading_span,
        )
        self._read_actions(objective, self.lines[anchor + 1 : practices_at])
        self._read_practices(objective, self.lines[practices_at + 1 : sdgs_at])
        self._read_sdgs(objective, self.lines[sdgs_at + 1 : end])
        return objective

    # -- actions ---------------------------------------------------------------------------

    def _read_actions(self, objective: Objective, lines: list[Line]) -> None:
        group: str | None = None
        for line in lines:
            if line.is_blank:
                continue
            body = line.text.lstrip(" -•▪■").lstrip("*").lstrip()
            marker = ACTION_MARK.match(line.text)
            if marker:
                self._start_action(objective, marker.group(1), line, group)
            elif body[:1] in ('"', "“"):
                self.notes.ignore(
                    self.source_id,
                    "editorial-note",
                    f"objective {objective.number}: quoted note among the actions, not an action: {body[:70]!r}…",
                    offset=line.start,
                    line=line.number,
                )
            elif body[:1].islower() and objective.actions:
                objective.actions[-1].spans.append(self._line_span(line))
            elif not ends_sentence(body) and len(body) < 150:
                group = clean_inline(body)
                objective.groups.append((group, self._line_span(line)))
            else:
                raise SourceError(
                    f"{self.source_id}: objective {objective.number}: cannot read action line "
                    f"{line.number}: {line.stripped[:80]!r}"
                )
        objective.actions = self._split_inline_actions(objective)
        for index, action in enumerate(objective.actions):
            self._check_letter(objective, action, chr(ord("a") + index))

    def _start_action(self, objective: Objective, printed: str, line: Line, group: str | None) -> None:
        objective.actions.append(
            Action(letter=printed, printed_letter=printed, spans=[self._line_span(line)], raw="", group=group)
        )

    def _split_inline_actions(self, objective: Objective) -> list[Action]:
        """Split an action whose text carries the marker of the next letter (``… return i) Identify``)."""
        result: list[Action] = []
        for action in objective.actions:
            pending = [action]
            while pending:
                current = pending.pop()
                expected_next = chr(ord("a") + len(result) + 1)
                split = self._inline_marker(current, expected_next)
                if split is None:
                    result.append(current)
                    continue
                head, tail = split
                self.notes.repair(
                    self.source_id,
                    "inline-action-marker",
                    f"objective {objective.number}: action {expected_next} was printed inside "
                    f"the text of the action before it; split at offset {tail.spans[0].start}",
                    resource=str(ID[f"gcm/objective/{objective.number}/action/{expected_next}"]),
                    offset=tail.spans[0].start,
                )
                result.append(head)
                pending.append(tail)
        return result

    def _inline_marker(self, action: Action, expected: str) -> tuple[Action, Action] | None:
        for index, span in enumerate(action.spans):
            fragment = self.text[span.start : span.end]
            for match in INLINE_ACTION_MARK.finditer(fragment):
                if match.group(1) != expected:
                    continue
                cut = span.start + match.start() + 1
                head_spans = [*action.spans[:index], Span(span.start, cut - 1)]
                tail_spans = [Span(cut, span.end), *action.spans[index + 1 :]]
                head = Action(action.letter, action.printed_letter, head_spans, "", action.group)
                tail = Action(expected, expected, tail_spans, "", action.group)
                return head, tail
        return None

    def _check_letter(self, objective: Objective, action: Action, expected: str) -> None:
        printed = action.printed_letter
        action.letter = expected
        if printed == expected:
            return
        iri = str(ID[f"gcm/objective/{objective.number}/action/{expected}"])
        if (printed, expected) in CONFUSABLE_LETTERS or printed.lower() == expected:
            reason = "a look-alike character" if printed.lower() != expected else "a capital"
            self.notes.repair(
                self.source_id,
                "misprinted-action-letter",
                f"objective {objective.number}: action printed as {printed!r} is action "
                f"{expected!r} ({reason}; letters run a, b, c…)",
                resource=iri,
                offset=action.span.start,
            )
        else:
            raise SourceError(
                f"{self.source_id}: objective {objective.number}: action letter {printed!r} "
                f"breaks the sequence (expected {expected!r})"
            )

    def action_text(self, objective: Objective, action: Action) -> str:
        """The action's text in the GCM's wording, without marker, markup, wraps or page numbers."""
        raw = " ".join(self.text[s.start : s.end].strip() for s in action.spans)
        raw = ACTION_MARK.sub("", raw, count=1)
        raw = re.sub(r"^\s*[-•▪■]\s+", "", raw)
        text = clean_inline(re.sub(r"\s[-•▪■]\s+(?=[a-z])", " ", raw))
        return self._drop_page_numbers(objective, action, text)

    def _drop_page_numbers(self, objective: Objective, action: Action, text: str) -> str:
        def drop(match: re.Match) -> str:
            if match.group(3) == "per":  # "3 per cent" is a quantity, not a page number
                return match.group(0)
            self.notes.repair(
                self.source_id,
                "page-number-in-sentence",
                f"objective {objective.number}, action {action.letter}: removed the page "
                f"number {match.group(2)!r} printed inside the sentence "
                f"'{match.group(0)}'",
                resource=str(ID[f"gcm/objective/{objective.number}/action/{action.letter}"]),
                offset=action.span.start,
            )
            return f"{match.group(1)} {match.group(3)}"

        return PAGE_NUMBER_IN_SENTENCE.sub(drop, text)

    @staticmethod
    def lead_phrase(raw_text: str) -> str | None:
        """The bold opening phrase of an action, where the source sets one."""
        body = ACTION_MARK.sub("", raw_text.strip(), count=1).lstrip()
        if body.startswith("**"):
            closing = body.find("**", 2)
            return clean_inline(body[2:closing]).rstrip(",") if closing > 2 else None
        closing = body.find("**")
        if closing > 0 and "**" not in body[closing + 2 :]:
            return clean_inline(body[:closing]).rstrip(",")
        return None

    # -- practices -------------------------------------------------------------------------

    def _read_practices(self, objective: Objective, lines: list[Line]) -> None:
        previous_was_title = False
        for para in paragraphs(lines):
            text = para.text
            if text.startswith("For more practices, visit"):
                self.notes.ignore(
                    self.source_id,
                    "page-furniture",
                    "pointer to the Migration Network Hub",
                    offset=para.start,
                    line=para.lines[0].number,
                )
                continue
            current = objective.practices[-1] if objective.practices else None
            footnote = FOOTNOTE.match(text)
            if current and footnote and int(footnote.group(1)) in self.footnote_markers:
                current.footnotes.append((int(footnote.group(1)), text[footnote.end() :], para.span))
                previous_was_title = False
            elif (
                current
                and not previous_was_title
                and current.paragraphs
                and not ends_sentence(current.paragraphs[-1])
                and not is_bullet(text)
            ):
                current.paragraphs[-1] += " " + text  # a page break cut this paragraph
                current.spans.append(para.span)
            elif self._looks_like_title(para, previous_was_title):
                objective.practices.append(Practice(clean_inline(text), para.span))
                previous_was_title = True
                continue
            elif current:
                current.paragraphs.append(text)
                current.spans.append(para.span)
            else:
                raise SourceError(
                    f"{self.source_id}: objective {objective.number}: practice text before any "
                    f"practice title at line {para.lines[0].number}"
                )
            previous_was_title = False

    @staticmethod
    def _looks_like_title(para: Paragraph, previous_was_title: bool) -> bool:
        return (
            not previous_was_title
            and para.is_single_line
            and looks_like_title(para.text)
            and not FOOTNOTE.match(para.text)
        )

    # -- SDG targets -----------------------------------------------------------------------

    def _read_sdgs(self, objective: Objective, lines: list[Line]) -> None:
        goal: int | None = None
        for para in paragraphs(lines):
            for line in para.lines:
                stripped = line.stripped
                target = SDG_TARGET.match(line.text)
                heading = SDG_GOAL.match(stripped)
                if stripped == "All SDGs":
                    objective.all_sdgs = True
                elif heading:
                    goal = int(heading.group(1))
                elif target:
                    objective.citations.append(self._citation(objective, target, goal, line))
                elif stripped[:1].islower() and objective.citations:
                    citation = objective.citations[-1]
                    citation.printed_text = f"{citation.printed_text} {clean_inline(stripped)}"
                    citation.span = merge_spans([citation.span, self._line_span(line)])
                elif is_all_caps(stripped):
                    self.notes.ignore(
                        self.source_id,
                        "sdg-icon-caption",
                        f"objective {objective.number}: SDG icon caption {stripped!r}",
                        offset=line.start,
                        line=line.number,
                    )
                else:
                    objective.sdg_notes.append((clean_inline(para.text), para.span))
                    break

    def _citation(self, objective: Objective, match: re.Match, goal: int | None, line: Line) -> TargetCitation:
        printed = f"{match.group('goal')}{match.group('sep')}{match.group('target')}"
        notation = f"{match.group('goal')}.{match.group('target')}"
        if match.group("sep") != ".":
            self.notes.repair(
                self.source_id,
                "sdg-notation-typo",
                f"objective {objective.number}: SDG target printed as {printed!r} read as {notation!r}",
                resource=str(ID[f"gcm/objective/{objective.number}"]),
                offset=line.start,
                line=line.number,
            )
        if goal is not None and goal != int(match.group("goal")):
            self.notes.warn(
                self.source_id,
                "sdg-target-under-other-goal",
                f"objective {objective.number}: target {notation} is listed under SDG {goal}",
                offset=line.start,
                line=line.number,
            )
        return TargetCitation(
            goal=int(match.group("goal")),
            notation=notation,
            printed_notation=printed,
            printed_text=clean_inline(match.group("text")),
            heading_goal=goal,
            span=self._line_span(line),
        )

    # -- international frameworks ----------------------------------------------------------

    def instruments(self) -> list[dict]:
        start = self._index_of("HUMAN RIGHTS LEGAL INSTRUMENTS")
        end = self._index_of("GCM 23 Objectives")
        category: str | None = "Human rights legal instruments"
        empty_heading: str | None = None
        found: list[dict] = []
        descriptions: list[str] = []
        paras = paragraphs(self.lines[start + 1 : end])
        for index, para in enumerate(paras):
            text = para.text
            year_title = YEAR_TITLE.match(text)
            next_para = paras[index + 1] if index + 1 < len(paras) else None
            if is_all_caps(text):
                category = text.capitalize()
                if self._category_is_empty(para, paras[index + 1 :]):
                    self.notes.warn(
                        self.source_id,
                        "empty-category",
                        f"the heading {category!r} announces items that are not in the text (blank "
                        f"lines follow it, and nothing after it is of the kind it names); it has no "
                        f"members, and the frameworks after it have no printed category",
                        offset=para.start,
                        line=para.lines[0].number,
                    )
                    empty_heading = category
                    category = None
            elif year_title:
                found.append(self._dated_instrument(year_title, para, category, descriptions))
            elif IN_FORCE.search(text):
                found.extend(self._in_force_instruments(para, category))
            elif (
                found
                and found[-1]["open"]
                and found[-1]["description"]
                and not ends_sentence(found[-1]["description"][-1])
            ):
                found[-1]["description"][-1] += " " + text  # page break inside the description
                found[-1]["spans"].append(para.span)
            elif found and found[-1]["open"] and not found[-1]["description"]:
                found[-1]["description"].append(text)  # a title is followed by its description
                found[-1]["spans"].append(para.span)
                descriptions.append(text)
            elif para.is_single_line and looks_like_title(text, 200) and next_para is not None:
                found.append(self._titled_instrument(para, category))
            elif found and found[-1]["open"]:
                found[-1]["description"].append(text)
                found[-1]["spans"].append(para.span)
                descriptions.append(text)
            else:
                raise SourceError(f"{self.source_id}: cannot read framework paragraph at line {para.lines[0].number}")
        for instrument in found:
            self._complete_instrument(instrument)
            if instrument["category"] is None and empty_heading:
                self.notes.repair(
                    self.source_id,
                    "instrument-without-category",
                    f"{instrument['title']!r} follows the heading {empty_heading!r}, whose items are not "
                    f"in the text; it is not one of them, and the text prints no category of its own for it",
                    offset=instrument["spans"][0].start,
                )
        return found

    def _category_is_empty(self, heading: Paragraph, following: list[Paragraph]) -> bool:
        """Whether a heading's items are missing from the text: a gap of blank lines follows it (the
        list was not rendered) and no title before the next heading names the kind it announces
        (its plural nouns: "… CONVENTIONS ON …" announces conventions)."""
        if not following or following[0].lines[0].number - heading.lines[-1].number - 1 < 2:
            return False
        kinds = {word[:-1].lower() for word in re.findall(r"[A-Z]{5,}S\b", heading.text) if word != "RIGHTS"}
        for para in following:
            if is_all_caps(para.text):
                break
            if para.is_single_line and any(kind in para.text.lower() for kind in kinds):
                return False
        return bool(kinds)

    def _dated_instrument(self, match: re.Match, para: Paragraph, category: str, descriptions: list[str]) -> dict:
        printed = match.group(2).strip()
        title = self._strip_contamination(printed, descriptions, para)
        spans = [para.span]
        if title != printed:
            # the instrument's text is its year and its title, not the description copied between them
            year = para.span.start
            kept = re.compile(r"\s+".join(map(re.escape, title.split())))
            spans = [Span(year, year + len(match.group(1))), Span(kept.search(self.text, year).start(), para.span.end)]
        acronym = TRAILING_ACRONYM.search(title)
        return {
            "title": TRAILING_ACRONYM.sub("", title),
            "acronym": acronym.group(1) if acronym else None,
            "year": match.group(1),
            "year_meaning": "adopted",
            "category": category,
            "description": [],
            "spans": spans,
            "open": True,
        }

    def _strip_contamination(self, title: str, descriptions: list[str], para: Paragraph) -> str:
        """Drop an opening that was copied from an earlier description into a title."""
        title_words = title.split()
        for description in descriptions:
            words = description.split()
            shared = 0
            while shared < min(len(words), len(title_words)) and words[shared] == title_words[shared]:
                shared += 1
            if shared >= 4:
                kept = " ".join(title_words[shared:])
                self.notes.repair(
                    self.source_id,
                    "title-contamination",
                    f"instrument title began with {' '.join(title_words[:shared])!r}, the opening "
                    f"of an earlier instrument's description; the title is {kept!r}",
                    offset=para.start,
                    line=para.lines[0].number,
                )
                return kept
        return title

    def _in_force_instruments(self, para: Paragraph, category: str) -> list[dict]:
        """Instruments named inline as 'Name (in force YYYY)'."""
        text = para.text
        found = []
        for match in IN_FORCE.finditer(text):
            name = self._name_before(text[: match.start()])
            acronym = None
            found.append(
                {
                    "title": name,
                    "acronym": acronym,
                    "year": match.group(1),
                    "year_meaning": "in force",
                    "category": category,
                    "description": [text],
                    "spans": [para.span],
                    "open": False,
                }
            )
        return found

    @staticmethod
    def _name_before(prefix: str) -> str:
        """The run of capitalised words (and their small connectives) that ends a text."""
        connectives = {"of", "the", "on", "against", "and", "to", "by", "in", "for", "with"}
        words = prefix.rstrip().split(" ")
        taken: list[str] = []
        for word in reversed(words):
            bare = word.strip(",")
            if word.endswith((".", ")")) or not bare:
                break
            if bare[:1].isupper() or bare in connectives:
                taken.insert(0, word)
            else:
                break
        while taken and taken[0].strip(",") in connectives | {"The"}:
            taken.pop(0)
        return " ".join(taken).rstrip(",")

    def _titled_instrument(self, para: Paragraph, category: str) -> dict:
        title = clean_inline(para.text)
        acronym = TRAILING_ACRONYM.search(title)
        return {
            "title": TRAILING_ACRONYM.sub("", title),
            "acronym": acronym.group(1) if acronym else None,
            "year": None,
            "year_meaning": None,
            "category": category,
            "description": [],
            "spans": [para.span],
            "open": True,
        }

    def _complete_instrument(self, instrument: dict) -> None:
        description = " ".join(instrument["description"])
        if instrument["acronym"] is None:
            leading = LEADING_ACRONYM.match(description)
            instrument["acronym"] = leading.group(1) if leading else None
        if instrument["year"] is None:
            year = YEAR_IN_DESCRIPTION.search(description)
            if year:
                instrument["year"] = year.group(2)
                instrument["year_meaning"] = "in force" if year.group(1) == "entered into force" else "adopted"

    # -- resources and references ----------------------------------------------------------

    def resources(self) -> list[dict]:
        start = self._index_of("Resources", last=True)
        end = self._index_of("References", last=True)
        paras = paragraphs(self.lines[start + 1 : end])
        found: list[dict] = []
        category = None
        for index, para in enumerate(paras):
            text = para.text
            next_is_url = index + 1 < len(paras) and URL.match(paras[index + 1].text)
            footnote = FOOTNOTE.match(text)
            if URL.match(text) and found:
                found[-1]["urls"].extend(_without_markdown(text)[1])
                found[-1]["spans"].append(para.span)
            elif footnote and found and int(footnote.group(1)) in self.footnote_markers:
                found[-1]["footnotes"].append((int(footnote.group(1)), text[footnote.end() :], para.span))
            elif next_is_url:
                found.append(
                    {
                        "title": clean_inline(text),
                        "urls": [],
                        "description": [],
                        "spans": [para.span],
                        "footnotes": [],
                        "category": category,
                    }
                )
            elif is_all_caps(text):
                category = text.capitalize()
            elif found:
                found[-1]["description"].append(clean_inline(text))
                found[-1]["spans"].append(para.span)
        return found

    @staticmethod
    def _continues_address(text: str, line: str) -> bool:
        """Whether a line is the rest of a web address that a page break cut: the entry so far ends
        in an address without its closing full stop, and the line is one word, a path that does."""
        last = text.split()[-1] if text.split() else ""
        return (
            bool(WHOLE_URL.match(last.lstrip("<")))
            and not last.endswith(".")
            and " " not in line
            and line.endswith(".")
            and ("/" in line or "." in line[:-1])
        )

    def references(self) -> list[dict]:
        start = self._index_of("References", last=True)
        found: list[dict] = []
        author = None
        for line in self.lines[start + 1 :]:
            stripped = line.stripped
            if not stripped:
                continue
            entry = REFERENCE_ENTRY.match(stripped)
            if entry and author:
                found.append(
                    {
                        "author": author,
                        "date": entry.group(1).replace(" ", ""),
                        "text": entry.group(2),
                        "spans": [self._line_span(line)],
                    }
                )
            elif found and self._continues_address(found[-1]["text"], stripped):
                cut = found[-1]["text"]
                if cut.endswith(">"):  # the address was closed at the break: close it after its rest
                    found[-1]["text"] = f"{cut[:-1]}{stripped[:-1]}>."
                else:
                    found[-1]["text"] = cut + stripped
                found[-1]["spans"].append(self._line_span(line))
                self.notes.repair(
                    self.source_id,
                    "address-cut-by-page-break",
                    f"reference {found[-1]['author']} ({found[-1]['date']}): a page break cut its web address "
                    f"after {cut.split()[-1]!r}; the address continues with {stripped!r}",
                    offset=line.start,
                    line=line.number,
                )
            elif found and (stripped[:1].islower() or stripped.startswith("Available")):
                found[-1]["text"] += ("" if found[-1]["text"].endswith("-") else " ") + stripped
                found[-1]["spans"].append(self._line_span(line))
            else:
                author = stripped
        return found


# ----------------------------------------------------------------------------------------------
# Triples
# ----------------------------------------------------------------------------------------------


def extract(document: Document) -> Extraction:
    """The booklet as RDF: framework, objectives, actions, practices, SDG citations, instruments,
    resources and references, each with its provenance."""
    (source,) = document.renderings
    writer = _Writer(document, source)
    reader = BookletReader(source, writer.notes)
    writer.title()
    writer.framework()
    objectives = reader.objectives()
    practice_ids = _practice_ids(objectives, source.id, writer.notes)
    for objective in objectives:
        writer.objective(reader, objective, practice_ids)
    instruments = {_name_key(GCM_TITLE): FRAMEWORK}
    for instrument in reader.instruments():
        instruments[_name_key(instrument["title"])] = writer.instrument(instrument)
    for resource in reader.resources():
        writer.resource(resource, instruments)
    writer.references(reader.references())
    return writer.extraction()


def _practice_ids(
    objectives: list[Objective], source_id: str, notes: Notes
) -> dict[tuple[int, int], tuple[URIRef, URIRef]]:
    """One IRI per practice, from its whole title, with the IRI earlier releases gave it (from
    the title's first twelve words); titles that repeat are told apart by their objective."""
    by_slug: dict[str, list[tuple[int, int]]] = {}
    objectives_by_number = {objective.number: objective for objective in objectives}
    for objective in objectives:
        for index, practice in enumerate(objective.practices):
            by_slug.setdefault(slugify(practice.title), []).append((objective.number, index))
    ids = {}
    for slug, places in by_slug.items():
        if len(places) > 1:
            notes.warn(
                source_id,
                "repeated-practice-title",
                f"{len(places)} practices share the title slug {slug!r} (objectives "
                f"{', '.join(str(n) for n, _ in places)}); each IRI carries its objective number",
            )
        for number, index in places:
            suffix = f"-objective-{number}" if len(places) > 1 else ""
            title = objectives_by_number[number].practices[index].title
            ids[(number, index)] = (
                ID[f"practice/{slug}{suffix}"],
                ID[f"practice/{earlier_slug(title, 12)}{suffix}"],
            )
    return ids


class _Writer(GraphWriter):
    # -- title and framework -----------------------------------------------------------------

    def title(self) -> None:
        """The booklet's title: the cover's first line naming the Compact it implements (above
        the subtitle "Guidance for governments and all relevant stakeholders")."""
        title = TITLE.search(self.text)
        if title is None:
            raise SourceError(f"{self.source.id}: the cover's title line was not found")
        self.document_title(Span(title.start(), title.end()))

    def framework(self) -> None:
        adoption = ADOPTION.search(self.text)
        resolution = RESOLUTION.search(self.text)
        if not adoption or not resolution:
            raise SourceError(f"{self.source.id}: the GCM's adoption dates or resolution symbol were not found")
        start = self.text.rfind("\n", 0, adoption.start()) + 1
        end = self.text.find(".", adoption.end()) + 1
        self.add(FRAMEWORK, RDF.type, MIG.Framework)
        self.add(FRAMEWORK, DCTERMS.title, Literal(GCM_TITLE, lang="en"))
        self.add(FRAMEWORK, RDFS.label, Literal(GCM_TITLE, lang="en"))
        self.add(FRAMEWORK, MIG.acronym, Literal("GCM"))
        self.add(FRAMEWORK, MIG.resolution, Literal(resolution.group(1)))
        self.add(FRAMEWORK, MIG.adoptionDate, Literal(_iso_date(adoption.group(1)), datatype=XSD.date))
        self.add(FRAMEWORK, MIG.endorsementDate, Literal(_iso_date(adoption.group(2)), datatype=XSD.date))
        self.add(self.source.iri, MIG.describesFramework, FRAMEWORK)
        self.provenance(FRAMEWORK, Span(start, end))

    # -- objectives --------------------------------------------------------------------------

    def objective(
        self,
        reader: BookletReader,
        objective: Objective,
        practice_ids: dict[tuple[int, int], tuple[URIRef, URIRef]],
    ) -> None:
        iri = ID[f"gcm/objective/{objective.number}"]
        self.add(iri, RDF.type, MIG.Objective)
        self.add(iri, MIG.objectiveOf, FRAMEWORK)
        self.add(iri, SKOS.inScheme, FRAMEWORK)
        self.add(iri, MIG.number, Literal(objective.number))
        self.add(iri, SKOS.notation, Literal(str(objective.number)))
        self.add(iri, SKOS.prefLabel, Literal(objective.short_name, lang="en"))
        self.add(iri, RDFS.label, Literal(f"GCM objective {objective.number}: {objective.short_name}", lang="en"))
        self.add(iri, MIG.shortName, Literal(objective.short_name, lang="en"))
        if objective.heading_text and objective.heading_text.lower() != objective.short_name.lower():
            self.add(iri, SKOS.altLabel, Literal(objective.heading_text.capitalize(), lang="en"))
        self.add(iri, MIG.commitmentTitle, Literal(objective.commitment, lang="en"))
        self.provenance(
            iri,
            merge_spans([objective.heading_span, Span(objective.heading_span.start, self._commitment_end(objective))]),
        )
        groups = self._action_groups(iri, objective)
        for position, action in enumerate(objective.actions, start=1):
            self.action(reader, iri, objective, action, position, groups)
        for index, practice in enumerate(objective.practices):
            current, earlier = practice_ids[(objective.number, index)]
            self.practice(current, iri, practice, index + 1)
            self.keep_earlier_iri(earlier, current, practice.title)
        for citation in objective.citations:
            self.citation(iri, objective, citation)
        self.sdg_notes(iri, objective)

    def _commitment_end(self, objective: Objective) -> int:
        start = self.text.find(objective.commitment, objective.heading_span.start)
        return start + len(objective.commitment)

    def _action_groups(self, objective_iri: URIRef, objective: Objective) -> dict[str, URIRef]:
        groups = {}
        for position, (title, span) in enumerate(objective.groups, start=1):
            iri = URIRef(f"{objective_iri}/action-group/{position}")
            self.add(iri, RDF.type, MIG.Section)
            self.add(iri, DCTERMS.title, Literal(title, lang="en"))
            self.add(iri, RDFS.label, Literal(title, lang="en"))
            self.add(iri, MIG.partOf, objective_iri)
            self.add(iri, MIG.position, Literal(position))
            self.provenance(iri, span)
            groups[title] = iri
        return groups

    def action(
        self,
        reader: BookletReader,
        objective_iri: URIRef,
        objective: Objective,
        action: Action,
        position: int,
        groups: dict[str, URIRef],
    ) -> None:
        iri = URIRef(f"{objective_iri}/action/{action.letter}")
        raw = " ".join(self.text[s.start : s.end] for s in action.spans)
        text = reader.action_text(objective, action)
        self.add(iri, RDF.type, MIG.Action)
        self.add(iri, MIG.actionOf, objective_iri)
        self.add(iri, MIG.letter, Literal(action.letter))
        self.add(iri, SKOS.notation, Literal(f"{objective.number}{action.letter}"))
        self.add(iri, MIG.position, Literal(position))
        self.add(iri, RDFS.label, Literal(f"GCM objective {objective.number}, action {action.letter}", lang="en"))
        self.add(iri, MIG.text, Literal(text, lang="en"))
        if action.printed_letter != action.letter:
            self.add(iri, MIG.printedLetter, Literal(action.printed_letter))
        lead = reader.lead_phrase(raw)
        if lead:
            self.add(iri, MIG.leadPhrase, Literal(lead, lang="en"))
        if action.group:
            self.add(iri, MIG.partOf, groups[action.group])
        self.provenance(iri, action.span)

    def practice(self, iri: URIRef, objective_iri: URIRef, practice: Practice, position: int) -> None:
        self.add(iri, RDF.type, MIG.Practice)
        self.add(iri, DCTERMS.title, Literal(practice.title, lang="en"))
        self.add(iri, RDFS.label, Literal(practice.title, lang="en"))
        self.add(
            iri, DCTERMS.description, Literal("\n\n".join(clean_inline(p) for p in practice.paragraphs), lang="en")
        )
        self.add(iri, MIG.illustrates, objective_iri)
        self.add(iri, MIG.position, Literal(position))
        self.provenance(iri, practice.span)
        for number, note, span in practice.footnotes:
            self.footnote(iri, number, note, span)

    def footnote(self, owner: URIRef, number: int, note: str, span: Span) -> None:
        iri = ID[f"gcm/footnote/{number}"]
        self.add(owner, MIG.hasFootnote, iri)
        self.add(iri, RDF.type, MIG.Footnote)
        self.add(iri, MIG.number, Literal(number))
        self.add(iri, RDFS.label, Literal(f"GCM booklet footnote {number}", lang="en"))
        text, urls = _without_markdown(note)
        if text != clean_inline(note):
            self.notes.repair(
                self.source.id,
                "markdown-in-text",
                f"footnote {number}: Markdown link markup removed from its text (the link text kept, "
                f"the address as mig:url, whole: {', '.join(urls)})",
                resource=str(iri),
                offset=span.start,
            )
        self.add(iri, MIG.text, Literal(text, lang="en"))
        for url in urls:
            self.add(iri, MIG.url, Literal(url, datatype=XSD.anyURI))
        self.provenance(iri, span)

    def citation(self, objective_iri: URIRef, objective: Objective, citation: TargetCitation) -> None:
        iri = URIRef(f"{objective_iri}/sdg-citation/{citation.notation}")
        if (iri, RDF.type, MIG.SDGTargetCitation) in self.graph:
            raise SourceError(
                f"{self.source.id}: objective {objective.number} lists SDG target {citation.notation} twice"
            )
        target = sdg_iri(citation.notation)
        self.add(objective_iri, MIG.hasSDGCitation, iri)
        self.add(objective_iri, MIG.relevantSDGTarget, target)
        self.add(objective_iri, MIG.relevantSDGGoal, sdg_iri(str(citation.goal)))
        self.add(iri, RDF.type, MIG.SDGTargetCitation)
        self.add(
            iri,
            RDFS.label,
            Literal(f"SDG target {citation.notation} as cited for GCM objective {objective.number}", lang="en"),
        )
        self.add(iri, MIG.citesTarget, target)
        self.add(iri, MIG.printedNotation, Literal(citation.printed_notation))
        self.add(iri, MIG.printedText, Literal(citation.printed_text, lang="en"))
        self.add(iri, MIG.partOf, objective_iri)
        self.provenance(iri, citation.span)

    def sdg_notes(self, iri: URIRef, objective: Objective) -> None:
        if objective.all_sdgs:
            self.add(iri, MIG.allSDGs, Literal(True))
            for goal in range(1, 18):
                self.add(iri, MIG.relevantSDGGoal, sdg_iri(str(goal)))
        for note, _span in objective.sdg_notes:
            self.add(iri, MIG.sdgNote, Literal(note, lang="en"))
            for goal, target in SDG_TARGET_IN_TEXT.findall(note):
                self.add(iri, MIG.relevantSDGTarget, sdg_iri(f"{goal}.{target}"))

    # -- frameworks, resources, references ----------------------------------------------------

    def instrument(self, instrument: dict) -> URIRef:
        """An instrument of the booklet's list, named by its own acronym or its whole title."""
        name = instrument["acronym"] or instrument["title"]
        iri = ID[f"instrument/{slugify(name)}"]
        self.keep_earlier_iri(ID[f"instrument/{earlier_slug(name, 8)}"], iri, instrument["title"])
        self.add(iri, RDF.type, MIG.LegalInstrument)
        self.add(iri, DCTERMS.title, Literal(instrument["title"], lang="en"))
        self.add(iri, RDFS.label, Literal(instrument["title"], lang="en"))
        if instrument["category"]:
            self.add(iri, MIG.instrumentCategory, Literal(instrument["category"], lang="en"))
        if instrument["acronym"]:
            self.add(iri, MIG.acronym, Literal(instrument["acronym"]))
        if instrument["year"]:
            self.add(iri, MIG.year, Literal(instrument["year"], datatype=XSD.gYear))
            self.add(iri, MIG.yearMeaning, Literal(instrument["year_meaning"]))
        if instrument["description"]:
            self.add(iri, DCTERMS.description, Literal(clean_inline(" ".join(instrument["description"])), lang="en"))
        self.add(iri, MIG.partOf, self.source.iri)
        self.provenances(iri, instrument["spans"])
        return iri

    def resource(self, resource: dict, instruments: dict[str, URIRef]) -> None:
        """An entry of the resources list: the framework or instrument it names where it names one
        (one resource, with the entry's addresses), else a web resource of its own."""
        title = resource["title"]
        earlier = ID[f"gcm/resource/{earlier_slug(title, 10)}"]
        listed = instruments.get(_name_key(title))
        if listed is None and INSTRUMENT_NAME.search(title) and " and " not in title:
            listed = ID[f"instrument/{slugify(title)}"]
            self.add(listed, RDF.type, MIG.LegalInstrument)
            self.add(listed, RDFS.label, Literal(title, lang="en"))
            self.add(listed, DCTERMS.title, Literal(title, lang="en"))
            self.add(listed, MIG.partOf, self.source.iri)
        if listed is not None:
            self._listed_instrument(listed, resource, earlier)
            return
        iri = ID[f"gcm/resource/{slugify(title)}"]
        self.keep_earlier_iri(earlier, iri, title)
        self.add(iri, RDF.type, MIG.Reference)
        self.add(iri, RDF.type, FABIO.WebPage)
        self.add(iri, DCTERMS.title, Literal(resource["title"], lang="en"))
        self.add(iri, RDFS.label, Literal(resource["title"], lang="en"))
        for url in resource["urls"]:
            self.add(iri, MIG.url, Literal(url, datatype=XSD.anyURI))
        if resource["description"]:
            self.add(iri, DCTERMS.description, Literal(" ".join(resource["description"]), lang="en"))
        if resource["category"]:
            self.add(iri, MIG.instrumentCategory, Literal(resource["category"], lang="en"))
        self.add(iri, MIG.partOf, self.source.iri)
        self.provenance(iri, merge_spans(resource["spans"]))
        for number, note, span in resource["footnotes"]:
            self.footnote(iri, number, note, span)

    def _listed_instrument(self, iri: URIRef, resource: dict, earlier: URIRef) -> None:
        """The resources list's entry for an instrument: its addresses and (where it differs) its
        name join the instrument, with a provenance annotation of their own. The list's heading is
        a kind of resource, not an instrument category."""
        labels = {str(label) for label in self.graph.objects(iri, RDFS.label)}
        if resource["title"] not in labels and not is_all_caps(resource["title"]):
            self.add(iri, SKOS.altLabel, Literal(resource["title"], lang="en"))
        for url in resource["urls"]:
            self.add(iri, MIG.url, Literal(url, datatype=XSD.anyURI))
        if resource["description"]:
            self.add(iri, DCTERMS.description, Literal(" ".join(resource["description"]), lang="en"))
        self.provenance(iri, merge_spans(resource["spans"]), name="provenance-listed")
        for number, note, span in resource["footnotes"]:
            self.footnote(iri, number, note, span)
        self.keep_earlier_iri(earlier, iri, resource["title"])

    def references(self, references: list[dict]) -> None:
        seen: dict[str, int] = {}
        for reference in references:
            key = f"{slugify(reference['author'], max_words=6)}-{slugify(reference['date'])}"
            seen[key] = seen.get(key, 0) + 1
            iri = ID[f"reference/{key}" + (f"-{seen[key]}" if seen[key] > 1 else "")]
            text, urls = _without_markdown(reference["text"])
            self.add(iri, RDF.type, MIG.Reference)
            self.add(iri, DCTERMS.creator, Literal(reference["author"]))
            self.add(iri, DCTERMS.date, Literal(reference["date"]))
            if reference["date"][:4].isdigit():
                self.add(iri, MIG.year, Literal(reference["date"][:4], datatype=XSD.gYear))
            title, container, italic_later = _reference_title(reference["text"])
            self.add(iri, DCTERMS.title, Literal(title, lang="en"))
            if container:
                self.add(iri, MIG.containerTitle, Literal(container, lang="en"))
            if italic_later and "*" in reference["text"]:
                self.notes.repair(
                    self.source.id,
                    "reference-italic-not-title",
                    f"reference {reference['author']} ({reference['date']}): the italic part is not at the "
                    f"entry's start, so it is not the title; the title is the entry's first sentence {title!r}"
                    + (f", the italic {container!r} its container (journal, series or outlet)" if container else ""),
                    resource=str(iri),
                    offset=reference["spans"][0].start,
                )
            self.add(iri, RDFS.label, Literal(f"{reference['author']} ({reference['date']})", lang="en"))
            self.add(iri, DCTERMS.bibliographicCitation, Literal(f"{reference['author']} {reference['date']} {text}"))
            for url in urls:
                self.add(iri, MIG.url, Literal(url, datatype=XSD.anyURI))
            self.add(iri, MIG.partOf, self.source.iri)
            self.provenance(iri, merge_spans(reference["spans"]))


def _name_key(title: str) -> str:
    """A name compared without case, punctuation and a closing acronym or period in parentheses:
    the resources list's "Sendai Framework for Disaster Risk Reduction" is the instrument list's
    "Sendai Framework for Disaster Risk Reduction (2015–2030)"."""
    return " ".join(re.findall(r"\w+", NAME_QUALIFIER.sub("", title).casefold()))


def _reference_title(text: str) -> tuple[str, str | None, bool]:
    """An entry's title, its container (the journal, series or outlet it appeared in) and whether
    its italic part is anything but its start.

    An entry that opens in italics has the italic part as its title (a book or report). Any other
    entry's title is its first sentence, italics inside it included ("The Signing Ceremony of the
    *Memorandum …*"); an italic part after that sentence is the container ("… xenofobia. *El
    Comercio*.", "In *Global Cities …*")."""
    opening = ITALIC_AT_START.match(text)
    if opening:
        return clean_inline(opening.group(1)).rstrip(". "), None, False
    end = _first_sentence_end(text)
    title = clean_inline(text[:end]).rstrip(". ")
    container = ITALIC.search(text, end)
    return title, (clean_inline(container.group(1)).rstrip(". ") if container else None), True


def _first_sentence_end(text: str) -> int:
    """The offset of the first full stop followed by a space (or the end), outside italics."""
    italic = False
    for index, char in enumerate(text):
        if char == "*":
            italic = not italic
        elif char == "." and not italic and (index + 1 == len(text) or text[index + 1].isspace()):
            return index
    return len(text)


def _without_markdown(text: str) -> tuple[str, list[str]]:
    """A run of Markdown as plain text, with the web addresses it gives, each whole and once.

    ``[text](address)`` becomes its text, ``<address>`` its address, ``\\(`` a parenthesis; the
    addresses are the links' targets and the bare addresses of the text (with balanced
    parentheses kept, a closing full stop dropped). A link text that is the target's own address
    without its scheme is not a second address."""
    urls: list[str] = []

    def link(match: re.Match) -> str:
        urls.append(match.group(2))
        return match.group(1)

    plain = MARKDOWN_LINK.sub(link, text)
    plain = AUTOLINK.sub(lambda match: match.group(1), plain)
    plain = MARKDOWN_ESCAPE.sub(lambda match: match.group(1), plain)
    plain = clean_inline(plain)
    for match in WHOLE_URL.finditer(plain):
        urls.append(match.group().rstrip(".,;"))
    seen: list[str] = []
    for url in urls:
        url = SUPERSCRIPT.sub("", url)
        bare = re.sub(r"^https?://", "", url)
        if url not in seen and not any(re.sub(r"^https?://", "", other) == bare for other in seen):
            seen.append(url)
    return plain, seen


def _iso_date(printed: str) -> str:
    day, month, year = printed.split()
    return f"{year}-{MONTHS.index(month) + 1:02d}-{int(day):02d}"
