"""The recommendations table on migration in the New Urban Agenda, read from its two renderings.

The tab-separated rendering gives the column structure but spills rows over lines, repeats text at
a line break, drops words and strands the end of one row's cell in the next row. The OCR
rendering is a second witness: complete, but with the columns interleaved and some words misread.

So: rows and cells are read from the TSV; each cell is aligned word by word against the OCR
(tokens already claimed by another cell are masked, which is how the interleaving is undone); the
gaps between aligned stretches are classified and reconciled (words only the OCR has are restored,
a hyphen the TSV lost is restored, OCR misreadings and typography are overruled by the TSV), and
every difference goes to the build report. A row's provenance into the TSV quotes only its own
words: where reconciliation moved words from one row to another, the giving row's quote is split
around them and the receiving row has a quote on them where they physically are.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from operator import attrgetter

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from migkg.graph.core.extraction import Extraction
from migkg.graph.core.namespaces import ID, MIG
from migkg.graph.core.report import Notes
from migkg.graph.core.source import Document, Source, SourceError
from migkg.graph.core.text import Span, split_lines, trimmed_span
from migkg.graph.parsers.common import GraphWriter, own_stretches

COLUMN_COUNT = 3
TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s|]")  # '|' is the OCR's column rule, not text
TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "’": "'", "‘": "'", "—": "-", "–": "-"})
SENTENCE_END = {".", ";", ":", "!", "?", '"', "”", ")"}
BULLET = "•"
OVERLAP_MAX_WORDS = 12
ANCHOR_SIZE = 3  # aligned runs this long are trusted; shorter runs only near a trusted one
NEAR = 40  # ... within this many OCR tokens
LOOKALIKE = str.maketrans({"0": "o", "1": "i", "5": "s", "8": "b", "l": "i"})


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    space_before: bool

    @property
    def key(self) -> str:
        return self.text.translate(TYPOGRAPHY).lower()


@dataclass
class Row:
    cells: list[list[Token]]
    span: Span


@dataclass
class CellAlignment:
    """Aligned runs (TSV index, OCR index, length) of one cell against the OCR token stream."""

    blocks: list[tuple[int, int, int]] = field(default_factory=list)
    trailing_ocr: list[int] = field(default_factory=list)  # a misread last word, found apart


def extract(document: Document) -> Extraction:
    tsv_source, ocr_source = _renderings(document)
    writer = GraphWriter(document, tsv_source)
    report = TableNotes(writer.notes, tsv_source.id, ocr_source.id)
    ocr_text = ocr_source.text
    ocr_tokens = tokenize(ocr_text, 0, len(ocr_text))
    header, rows = read_tsv(tsv_source.text, report)
    header, rows[0].cells[0] = split_header_spill(header, rows[0].cells[0], ocr_tokens, report)
    move_stranded_continuations(rows, ocr_tokens, report)
    cells = [*header, *(cell for row in rows for cell in row.cells)]
    claimed: dict[int, int] = {}
    alignments = [align_cell(index, cell, ocr_tokens, claimed) for index, cell in enumerate(cells)]
    for index, cell in enumerate(cells):
        align_cell_edges(index, cell, ocr_tokens, alignments[index], claimed)

    for number, row in enumerate(rows, start=1):
        iri = ID[f"{document.id}/row/{number}"]
        texts, ocr_span = [], None
        for column, cell in enumerate(row.cells):
            cell_index = COLUMN_COUNT + (number - 1) * COLUMN_COUNT + column
            reconciled, used = reconcile(cell, ocr_tokens, alignments[cell_index], claimed, str(iri), report)
            texts.append(join_tokens(reconciled))
            note_interleaving(used, ocr_tokens, claimed, cell_index, str(iri), report)
            ocr_span = _widen(ocr_span, used)
        _describe_row(writer, iri, number, texts)
        moved_out = words_moved_out(row, [header, *(other.cells for other in rows if other is not row)])
        moved_in = words_moved_in(row)
        stretches = writer.provenances(
            iri, tsv_stretches(row, moved_out, moved_in, tsv_source.text), name="provenance-tsv"
        )
        if len(stretches) > 1:
            note_moved_text(number, str(iri), stretches, moved_out, moved_in, report)
        writer.provenance(iri, ocr_span, source=ocr_source, name="provenance-ocr")
    _report_unaligned(ocr_tokens, claimed, report)
    return writer.extraction()


@dataclass
class TableNotes:
    """The document's notes, with the source ids of its two renderings (as the manifest has them)."""

    notes: Notes
    tsv: str
    ocr: str

    def repair(self, source_id: str, kind: str, message: str, **where) -> None:
        self.notes.repair(source_id, kind, message, **where)

    def warn(self, source_id: str, kind: str, message: str, **where) -> None:
        self.notes.warn(source_id, kind, message, **where)


def own_span(row: Row) -> Span:
    """The row's stretch of the TSV: its own lines, from its first word (after any heading that
    spilled into it) to its last, leaving out words moved in from another row's line."""
    own = [t for cell in row.cells for t in cell if row.span.start <= t.start < row.span.end]
    return Span(min(t.start for t in own), max(t.end for t in own))


def words_moved_out(row: Row, elsewhere: list[list[list[Token]]]) -> list[Token]:
    """Words that physically sit within the row's own span of the TSV but were moved to another
    row (or to the header)."""
    own = own_span(row)
    return sorted(
        (t for cells in elsewhere for cell in cells for t in cell if own.start <= t.start < own.end),
        key=attrgetter("start"),
    )


def words_moved_in(row: Row) -> list[Token]:
    """The row's words that physically sit on another row's lines of the TSV."""
    return sorted(
        (t for cell in row.cells for t in cell if not row.span.start <= t.start < row.span.end), key=attrgetter("start")
    )


def tsv_stretches(row: Row, moved_out: list[Token], moved_in: list[Token], text: str) -> list[Span]:
    """Where the row's text physically is in the TSV: its own span split around the words moved
    out of it, and each run of words moved in from another row's lines, where that run is. So no
    quote claims a sentence reconciliation gave to another row, and the row's quotes hold all of
    its own."""
    own = own_span(row)
    stretches, start = [], own.start
    for gap in own_stretches(text, _token_spans(moved_out)):
        stretches.append(trimmed_span(text, start, gap.start))
        start = gap.end
    stretches.append(trimmed_span(text, start, own.end))
    return stretches + own_stretches(text, _token_spans(moved_in))


def _token_spans(tokens: list[Token]) -> list[Span]:
    return [Span(t.start, t.end) for t in tokens]


def note_moved_text(
    number: int, resource: str, stretches: list[Span], moved_out: list[Token], moved_in: list[Token], report: TableNotes
) -> None:
    """Record why a row's TSV provenance is more than one annotation."""
    reasons = []
    if moved_out:
        reasons.append(f"its own text is interrupted by words moved to another row ({_excerpt(moved_out)})")
    if moved_in:
        reasons.append(
            f"it holds words moved in from another row's lines ({_excerpt(moved_in)}), quoted where they are"
        )
    report.repair(
        report.tsv,
        "provenance-moved-text",
        f"row {number}: {'; '.join(reasons)}; its TSV provenance is {len(stretches)} annotations, one per "
        f"stretch, so that no quote claims another row's words",
        resource=resource,
        offset=(moved_out or moved_in)[0].start,
    )


def _excerpt(tokens: list[Token]) -> str:
    if len(tokens) <= 6:
        return repr(join_tokens(tokens))
    return f"{join_tokens(tokens[:3])!r} … {join_tokens(tokens[-3:])!r}"


def _renderings(document: Document) -> tuple[Source, Source]:
    tsv = [s for s in document.renderings if s.media_type == "text/tab-separated-values"]
    ocr = [s for s in document.renderings if s.media_type != "text/tab-separated-values"]
    if len(tsv) != 1 or len(ocr) != 1:
        raise SourceError(
            f"{document.id}: expected one tab-separated and one OCR rendering, got "
            f"{[s.id for s in document.renderings]}"
        )
    return tsv[0], ocr[0]


def tokenize(text: str, start: int, end: int) -> list[Token]:
    """Words and punctuation marks of text[start:end]. A word after a hyphen that ends a line
    continues that word (no space before it)."""
    tokens: list[Token] = []
    for match in TOKEN.finditer(text, start, end):
        gap = text[tokens[-1].end : match.start()] if tokens else " "
        joined_by_hyphen = (
            bool(tokens) and tokens[-1].text == "-" and "\n" in gap and not text[tokens[-1].start - 1].isspace()
        )
        space = bool(gap) and not joined_by_hyphen
        tokens.append(Token(match.group(), match.start(), match.end(), space))
    return tokens


def join_tokens(tokens: list[Token]) -> str:
    return "".join((" " if token.space_before and i else "") + token.text for i, token in enumerate(tokens))


def read_tsv(text: str, report: TableNotes) -> tuple[list[list[Token]], list[Row]]:
    """The header cells and the rows. A line whose first cell is empty continues the row above
    (rows spill over lines)."""
    header: list[list[Token]] | None = None
    rows: list[Row] = []
    for line in split_lines(text):
        if line.is_blank:
            continue
        cells = _line_cells(text, line.start, line.end)
        if len(cells) != COLUMN_COUNT:
            raise SourceError(
                f"{report.tsv}: line {line.number} has {len(cells)} tab-separated "
                f"cells; the recommendations table has {COLUMN_COUNT} columns"
            )
        if header is None:
            header = cells
        elif cells[0]:
            rows.append(Row(cells, Span(line.start, line.end)))
        elif rows:
            row = rows[-1]
            row.span = Span(row.span.start, line.end)
            for column, tokens in enumerate(cells):
                row.cells[column].extend(
                    drop_repeated_words(row.cells[column], tokens, report.tsv, line.number, report)
                )
        else:
            raise SourceError(f"{report.tsv}: line {line.number} continues a row, but no row has started")
    if header is None or not rows:
        raise SourceError(f"{report.tsv}: no header line and table rows found")
    return header, rows


def _line_cells(text: str, start: int, end: int) -> list[list[Token]]:
    cells, cell_start = [], start
    for position in range(start, end + 1):
        if position == end or text[position] == "\t":
            cells.append(tokenize(text, cell_start, position))
            cell_start = position + 1
    return cells


def drop_repeated_words(
    cell: list[Token], continuation: list[Token], source_id: str, line: int, report: TableNotes
) -> list[Token]:
    """The continuation of a cell minus a repetition of the words the cell ended with: the TSV
    repeats the last words of a line when a cell spills onto the next line."""
    for size in range(min(OVERLAP_MAX_WORDS, len(cell), len(continuation)), 1, -1):
        if [t.key for t in cell[-size:]] == [t.key for t in continuation[:size]]:
            report.repair(
                source_id,
                "duplicated-text",
                f"the continuation line repeats the words the cell ended with "
                f"({join_tokens(continuation[:size])!r}); kept them once",
                offset=continuation[0].start,
                line=line,
            )
            return continuation[size:]
    return continuation


def _find_run(keys: list[str], tokens: list[Token], start: int = 0) -> int:
    """Index of the first occurrence of the key sequence in the tokens, or -1."""
    size = len(keys)
    for index in range(start, len(tokens) - size + 1):
        if all(tokens[index + k].key == keys[k] for k in range(size)):
            return index
    return -1


def split_header_spill(
    header: list[list[Token]], first_cell: list[Token], ocr: list[Token], report: TableNotes
) -> tuple[list[list[Token]], list[Token]]:
    """Move the first column's heading back from the first row, where the TSV spilled it.

    The OCR prints the complete heading before the second column's heading; when the first row's
    cell starts with that complete heading and the TSV's heading is its tail, the start of the
    cell is the heading."""
    second_heading = _find_run([t.key for t in header[1]], ocr)
    full_heading = [t.key for t in ocr[: max(second_heading, 0)]]
    tsv_heading = [t.key for t in header[0]]
    spilled = len(full_heading)
    if (
        second_heading <= 0
        or full_heading[-len(tsv_heading) :] != tsv_heading
        or [t.key for t in first_cell[:spilled]] != full_heading
    ):
        return header, first_cell
    report.repair(
        report.tsv,
        "header-spill",
        f"the first column heading {join_tokens(first_cell[:spilled])!r} was split "
        f"between the header line and the first row; moved it back to the header "
        f"(the OCR prints it whole)",
        offset=first_cell[0].start,
    )
    return [first_cell[:spilled], *header[1:]], first_cell[spilled:]


def move_stranded_continuations(rows: list[Row], ocr: list[Token], report: TableNotes) -> None:
    """Give back to a row the end of a cell that the TSV put at the start of the next row.

    A cell that stops mid-sentence, followed in the next row by a cell that opens in lower case,
    continues there up to the end of that sentence. The OCR must confirm it: there, the stranded
    words come before the next row's first cell begins."""
    for upper, lower in itertools.pairwise(rows):
        lower_start = _find_run([t.key for t in lower.cells[0][:ANCHOR_SIZE]], ocr)
        for column in range(COLUMN_COUNT):
            above, below = upper.cells[column], lower.cells[column]
            if not above or not below or above[-1].text in SENTENCE_END or not below[0].text[0].islower():
                continue
            size = _first_sentence_length(below)
            in_ocr = _find_run([t.key for t in below[:ANCHOR_SIZE]], ocr)
            if size == 0 or not 0 <= in_ocr < lower_start:
                report.warn(
                    report.tsv,
                    "stranded-continuation",
                    f"{join_tokens(below[:8])!r}… looks like the end of the cell above, "
                    f"but the OCR does not confirm it; left in place",
                    offset=below[0].start,
                )
                continue
            report.repair(
                report.tsv,
                "stranded-continuation",
                f"{join_tokens(below[:size])!r} continues the cell above (which stops "
                f"mid-sentence at {join_tokens(above[-3:])!r}; the OCR reads it there); "
                f"moved it back to that row",
                offset=below[0].start,
            )
            above.extend(below[:size])
            del below[:size]


def _first_sentence_length(tokens: list[Token]) -> int:
    for index, token in enumerate(tokens[:-1]):
        following = tokens[index + 1].text
        if token.text in {".", ";"} and (following == BULLET or following[0].isupper()):
            return index + 1
    return 0


def align_cell(cell_index: int, cell: list[Token], ocr: list[Token], claimed: dict[int, int]) -> CellAlignment:
    """Align a cell with the OCR tokens no earlier cell has claimed, and claim the matches.

    Short matches far from any long one are chance hits of common words and are dropped."""
    matcher = SequenceMatcher(None, [t.key for t in cell], _masked_keys(ocr, claimed), autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    anchor_size = min(ANCHOR_SIZE, len(cell))
    anchors = [b for b in blocks if b.size >= anchor_size]
    kept = [
        b
        for b in blocks
        if b.size >= anchor_size
        or any(abs(b.b - (a.b + a.size)) <= NEAR or abs(a.b - (b.b + b.size)) <= NEAR for a in anchors)
    ]
    alignment = CellAlignment([(b.a, b.b, b.size) for b in kept])
    _claim(alignment.blocks, cell_index, claimed)
    return alignment


def _masked_keys(ocr: list[Token], claimed: dict[int, int]) -> list[str]:
    return [f"\0{index}" if index in claimed else token.key for index, token in enumerate(ocr)]


def _claim(blocks: list[tuple[int, int, int]], cell_index: int, claimed: dict[int, int]) -> None:
    for _, b, size in blocks:
        for offset in range(size):
            claimed[b + offset] = cell_index


def align_cell_edges(
    cell_index: int, cell: list[Token], ocr: list[Token], alignment: CellAlignment, claimed: dict[int, int]
) -> None:
    """Second pass, once every cell has claimed its long matches: words at a cell's start or end
    that the OCR printed far away (after a column rule, on another row's line) are found among
    the OCR words still unclaimed, nearest to the cell's aligned text."""
    if not alignment.blocks:
        return
    first_a, first_b, _ = alignment.blocks[0]
    last_a, last_b, last_size = alignment.blocks[-1]
    keys = _masked_keys(ocr, claimed)
    leading = [t.key for t in cell[:first_a]]
    trailing = [t.key for t in cell[last_a + last_size :]]
    if leading:
        starts = [i for i in range(first_b - len(leading) + 1) if keys[i : i + len(leading)] == leading]
        if starts:
            alignment.blocks.insert(0, (0, starts[-1], len(leading)))
    if trailing:
        after = last_b + last_size
        starts = [i for i in range(after, len(keys) - len(trailing) + 1) if keys[i : i + len(trailing)] == trailing]
        if starts:
            alignment.blocks.append((last_a + last_size, starts[0], len(trailing)))
        else:
            alignment.trailing_ocr = _lookalike_after(cell[last_a + last_size :], ocr, after, claimed)
            for index in alignment.trailing_ocr:
                claimed[index] = cell_index
    _claim(alignment.blocks, cell_index, claimed)


def _lookalike_after(words: list[Token], ocr: list[Token], start: int, claimed: dict[int, int]) -> list[int]:
    """The first unclaimed OCR words after `start` if they are a misreading of `words`."""
    free = [i for i in range(start, min(len(ocr), start + NEAR)) if i not in claimed]
    candidate = free[: len(words)]
    if len(candidate) == len(words) and _looks_alike(join_tokens(words), join_tokens([ocr[i] for i in candidate])):
        return candidate
    return []


def reconcile(
    cell: list[Token],
    ocr: list[Token],
    alignment: CellAlignment,
    claimed: dict[int, int],
    resource: str,
    report: TableNotes,
) -> tuple[list[Token], list[Token]]:
    """The cell's reconciled tokens, and the OCR tokens it was read from.

    Between two aligned runs, the TSV and the OCR (minus words other cells claimed) may differ:
    words only the OCR has were dropped by the TSV and are restored; a word the TSV wrote without
    the hyphen the OCR shows gets its hyphen back; anything else is an OCR misreading or loss, and
    the TSV is kept. Inside aligned runs only typography can differ; the TSV's is kept."""
    result: list[Token] = []
    used: list[Token] = []
    blocks = alignment.blocks
    if not blocks:
        report.warn(
            report.ocr,
            "unaligned-cell",
            f"cell {join_tokens(cell[:8])!r}… was not found in the OCR rendering",
            resource=resource,
            offset=cell[0].start if cell else None,
        )
        return list(cell), used
    result.extend(_tsv_only(cell[: blocks[0][0]], resource, report))
    for index, (a, b, size) in enumerate(blocks):
        for offset in range(size):
            _note_typography(cell[a + offset], ocr[b + offset], resource, report)
        result.extend(cell[a : a + size])
        used.extend(ocr[b : b + size])
        if index + 1 < len(blocks):
            next_a, next_b, _ = blocks[index + 1]
            tsv_gap = cell[a + size : next_a]
            gap_indices = [j for j in range(b + size, next_b) if j not in claimed]
            for j in gap_indices:  # explained by this cell: not left over
                claimed[j] = -1
            ocr_gap = [ocr[j] for j in gap_indices]
            result.extend(_reconcile_gap(tsv_gap, ocr_gap, resource, report))
            used.extend(ocr_gap)
    last_a, _, last_size = blocks[-1]
    trailing_ocr = [ocr[j] for j in alignment.trailing_ocr]
    result.extend(_reconcile_gap(cell[last_a + last_size :], trailing_ocr, resource, report))
    used.extend(trailing_ocr)
    return result, used


def _reconcile_gap(tsv_gap: list[Token], ocr_gap: list[Token], resource: str, report: TableNotes) -> list[Token]:
    if not tsv_gap and not ocr_gap:
        return []
    if not ocr_gap:
        return _tsv_only(tsv_gap, resource, report)
    ocr_words = join_tokens(ocr_gap)
    if not tsv_gap:
        report.repair(
            report.tsv,
            "dropped-words",
            f"the tab-separated rendering dropped {ocr_words!r}; restored from the OCR",
            resource=resource,
            offset=ocr_gap[0].start,
        )
        return [Token(t.text, t.start, t.end, t.space_before or i == 0) for i, t in enumerate(ocr_gap)]
    tsv_words = join_tokens(tsv_gap)
    if "".join(t.key for t in ocr_gap if t.text != "-") == "".join(t.key for t in tsv_gap):
        report.repair(
            report.tsv,
            "lost-hyphen",
            f"the tab-separated rendering joins {tsv_words!r} where the OCR reads "
            f"{ocr_words!r} (a hyphenated compound broken at a line end); kept the hyphen",
            resource=resource,
            offset=tsv_gap[0].start,
        )
        return [
            Token(t.text, t.start, t.end, t.space_before if i else tsv_gap[0].space_before)
            for i, t in enumerate(ocr_gap)
        ]
    kind = "ocr-misreading" if _looks_alike(tsv_words, ocr_words) else "witness-disagreement"
    report.repair(
        report.ocr,
        kind,
        f"the OCR reads {ocr_words!r} where the tab-separated rendering reads "
        f"{tsv_words!r}; kept the tab-separated reading",
        resource=resource,
        offset=ocr_gap[0].start,
    )
    return list(tsv_gap)


def _looks_alike(tsv_words: str, ocr_words: str) -> bool:
    """Whether the OCR reading is the TSV's with look-alike characters confused (IOs / 10s)."""

    def shape(words: str) -> str:
        return words.lower().translate(LOOKALIKE)

    return len(tsv_words) == len(ocr_words) and shape(tsv_words) == shape(ocr_words)


def _tsv_only(tokens: list[Token], resource: str, report: TableNotes) -> list[Token]:
    """Text only the TSV has: kept; bullets are layout the OCR did not read."""
    if tokens:
        words = join_tokens(tokens)
        kind = "ocr-dropped-bullet" if words == BULLET else "ocr-dropped-words"
        report.repair(
            report.ocr,
            kind,
            f"the OCR rendering lacks {words!r}; kept it from the tab-separated rendering",
            resource=resource,
            offset=tokens[0].start,
        )
    return list(tokens)


def _note_typography(tsv: Token, ocr: Token, resource: str, report: TableNotes) -> None:
    if tsv.text != ocr.text:
        report.repair(
            report.ocr,
            "typography",
            f"the OCR prints {ocr.text!r} where the tab-separated rendering has "
            f"{tsv.text!r}; kept the tab-separated form",
            resource=resource,
            offset=ocr.start,
        )


def note_interleaving(
    used: list[Token], ocr: list[Token], claimed: dict[int, int], cell_index: int, resource: str, report: TableNotes
) -> None:
    """Record where the OCR printed words of other columns in the middle of this cell."""
    if not used:
        return
    positions = {token.start: index for index, token in enumerate(ocr)}
    first, last = positions[min(t.start for t in used)], positions[max(t.start for t in used)]
    foreign = [
        ocr[i] for i in range(first, last + 1) if claimed.get(i, cell_index) != cell_index and claimed.get(i) != -1
    ]
    if foreign:
        report.repair(
            report.ocr,
            "column-interleave",
            f"the OCR interleaves {len(foreign)} words of other cells "
            f"({join_tokens(foreign[:6])!r}…) with this cell's text; read the cell's "
            f"own words in order",
            resource=resource,
            offset=foreign[0].start,
        )


def _widen(span: Span | None, tokens: list[Token]) -> Span | None:
    if not tokens:
        return span
    start, end = min(t.start for t in tokens), max(t.end for t in tokens)
    return Span(start, end) if span is None else Span(min(span.start, start), max(span.end, end))


def _report_unaligned(ocr: list[Token], claimed: dict[int, int], report: TableNotes) -> None:
    leftover = [token for index, token in enumerate(ocr) if index not in claimed]
    if leftover:
        report.warn(
            report.ocr,
            "unaligned-ocr-text",
            f"OCR words matched to no cell: {join_tokens(leftover)!r}",
            offset=leftover[0].start,
        )


def _describe_row(writer: GraphWriter, iri: URIRef, number: int, texts: list[str]) -> None:
    recommendation, means, partnerships = texts
    writer.add(iri, RDF.type, MIG.TableRow)
    writer.add(iri, RDFS.label, Literal(f"Recommendations table, row {number}", lang="en"))
    writer.add(iri, MIG.number, Literal(number, datatype=XSD.integer))
    writer.add(iri, MIG.position, Literal(number, datatype=XSD.integer))
    writer.add(iri, MIG.partOf, writer.document.iri)
    writer.add(iri, MIG.text, Literal(recommendation, lang="en"))
    writer.add(iri, MIG.meansOfImplementation, Literal(means, lang="en"))
    writer.add(iri, MIG.partnerships, Literal(partnerships, lang="en"))
