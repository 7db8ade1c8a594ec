"""Link stage: a document's author–year citations, each resolved to an entry of its own reference list.

The GCM booklet cites its references in the text — "(UNICEF, 2020a)", "(IOM and JMDI, 2015)",
"(UNHCR, 2013; UNICEF, 2013)", "(UNICEF, 2018; 2019)" — and lists them at the end, where the
parser makes each entry a mig:Reference with the author as listed (dcterms:creator, e.g. "United
Nations Children's Fund (UNICEF)") and the year as listed, with its letter (dcterms:date, "2020a").
This module reads the citations from the source text and resolves each one by rule, with no table
of citations, against the references in the same named graph (the same document):

- A citation is a parenthesised group of items separated by ";". Each item is "Authors, Year" or a
  bare "Year", which takes the authors of the item before it. The year is four digits or "n.d.",
  and may have a letter. A group whose first item has no authors, or with an item of another shape,
  is not a citation: "(2008)", "(in force 2003)", "(January – December 2019)".
- The year and letter must equal the reference's dcterms:date (case aside: "N.D.a" is "n.d.a").
- The authors must match the creator. Several authors ("UCLG, Mayors Migration Council and IOM")
  are aligned one by one with the creator's organisations, split at the ", " and " and " that lie
  outside parentheses (names that contain "and" are tried whole too). One cited author matches an
  organisation "Name (ACRONYM)" by the acronym, by the name before the parenthesis, or by the
  whole text. A qualifier after the acronym must match what follows the parenthesis ("UNICEF UK"
  with "… (UNICEF) United Kingdom (UK)", "UCLG Committee" with "… (UCLG) Committee"), so plain
  "UNICEF" never matches those entries. Names are compared word by word, "&" counting as "and",
  and a word in capitals may stand for the initials of the words it abbreviates ("UN Network on
  Migration" with "United Nations Network on Migration", "Red Cross EU Office" with "Red Cross
  European Union Office").
- A personal creator, "Surname, Given…" without parentheses, is cited by the surnames of all its
  authors ("Clemens and Gough" with "Clemens, M. and K. Gough"), or by the leading surname alone
  ("Cirasino" with "Cirasino, M."; the booklet also cites "Chauvin, P., Isabelle Parizot and
  Nathalie Simonnot" as "Chauvin", without "et al.").

A citation that matches exactly one reference gives `R dcterms:references <reference>` for the
resource R whose provenance span holds it (the innermost one, if spans nest). It is also recorded as
the link stage records mentions: `R#citation-<n>` is an oa:Annotation motivated by oa:identifying,
its body the reference, its target the exact citation text. That is the whole parenthesis, or the
item itself when a parenthesis holds several citations. A citation that matches no reference, or
more than one, is not guessed: it becomes a build-report warning with its text and offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from migkg.graph.core.namespaces import MIG
from migkg.graph.core.provenance import ExtractedSpan, add_mention, extracted_spans
from migkg.graph.core.report import BuildReport
from migkg.graph.core.text import Span

GROUP = re.compile(r"\(([^()\n]+)\)")
ITEM = re.compile(r"(?:(?P<authors>[^\W\d_][^;]*?),\s+)?(?P<year>(?:1[89]|20)\d\d[a-z]?|[nN]\.\s?[dD]\.[a-z]?)")
SEPARATOR = re.compile(r",\s+and\s+|,\s+|\s+and\s+")
ET_AL = re.compile(r",?\s+et\s+al\.?$")
ORGANISATION = re.compile(r"(?P<name>[^()]+?)\s*\((?P<inner>[^()]+)\)\s*(?P<rest>.*)")
GIVEN_NAMES = re.compile(r"(?:Dr\.\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}")


@dataclass(frozen=True)
class Citation:
    """One cited work: its authors and year as printed, and where the citation text stands."""

    authors: str
    year: str
    span: Span  # the text that records the citation (the parenthesis, or the item within it)
    group: Span  # the whole parenthesis

    def describe(self, text: str) -> str:
        """The citation as printed; an item of a longer parenthesis with that parenthesis."""
        quote = text[self.span.start : self.span.end]
        if self.span == self.group:
            return repr(quote)
        read = "" if quote.startswith(self.authors) else f", read as '{self.authors}, {self.year}'"
        return f"{quote!r} (in {text[self.group.start : self.group.end]!r}{read})"


def link_citations(graph: Graph, texts: dict[URIRef, str], report: BuildReport) -> Graph:
    """The citations in one document's graph, linked to that graph's reference list; returns the
    triples to add to the same graph (dcterms:references and the citation annotations)."""
    links = Graph()
    references = _references(graph)
    report.counts.setdefault("citations", 0)
    report.counts.setdefault("unresolved citations", 0)
    if not references:
        return links  # no author–year reference list to resolve against
    holders = extracted_spans(graph)
    counter: dict[URIRef, int] = {}
    for document in sorted({holder.document for holder in holders}):
        text = texts[document]
        source = str(graph.value(document, MIG.sourceId) or document)
        for citation in citations_in(text):
            where = _innermost(holders, document, citation.group)
            matches = [
                iri
                for iri, (creator, date) in references.items()
                if _same_date(citation.year, date) and author_matches(citation.authors, creator)
            ]
            if len(matches) == 1 and where:
                report.counts["citations"] += 1
                for resource in where:
                    counter[resource] = counter.get(resource, 0) + 1
                    links.add((resource, DCTERMS.references, matches[0]))
                    add_mention(
                        links, resource, document, text, citation.span, f"citation-{counter[resource]}", matches[0]
                    )
                continue
            report.counts["unresolved citations"] += 1
            kind, reason = _why_unresolved(citation, matches, references)
            report.warn(
                source,
                kind,
                f"citation {citation.describe(text)}: {reason}; not linked",
                resource=str(where[0]) if where else None,
                offset=citation.span.start,
                line=text.count("\n", 0, citation.span.start) + 1,
            )
    return links


def citations_in(text: str) -> list[Citation]:
    """Every author–year citation in a text, in order."""
    found = []
    for group in GROUP.finditer(text):
        items, position = [], group.start(1)
        for raw in group.group(1).split(";"):
            stripped = raw.strip()
            start = position + raw.index(stripped[:1]) if stripped else position
            items.append((ITEM.fullmatch(stripped), Span(start, start + len(stripped))))
            position += len(raw) + 1
        if not all(match for match, _ in items) or not items[0][0].group("authors"):
            continue
        whole = Span(group.start(), group.end())
        authors = None
        for match, span in items:
            authors = match.group("authors") or authors
            found.append(Citation(authors, match.group("year"), whole if len(items) == 1 else span, whole))
    return found


def author_matches(cited: str, creator: str) -> bool:
    """Whether the authors as cited name the creator of a reference (see the module's rules)."""
    cited, creator = ET_AL.sub("", _clean(cited)), _clean(creator)
    surnames = _personal_surnames(creator)
    if surnames is not None:
        names = _pieces(cited)
        if len(names) == 1 and _same(names[0], surnames[0]):
            return True  # the leading surname alone, co-authors unnamed (or "et al.")
        return len(names) == len(surnames) and all(map(_same, names, surnames))
    return _align(cited, _cuts(cited), 0, creator, _cuts(creator), 0)


def _references(graph: Graph) -> dict[URIRef, tuple[str, str]]:
    """The document's reference list: each mig:Reference with its creator and date."""
    found = {}
    for reference in sorted(graph.subjects(RDF.type, MIG.Reference)):
        creator, date = graph.value(reference, DCTERMS.creator), graph.value(reference, DCTERMS.date)
        if isinstance(creator, Literal) and isinstance(date, Literal):
            found[reference] = (str(creator), str(date))
    return found


def _innermost(holders: list[ExtractedSpan], document: URIRef, span: Span) -> list[URIRef]:
    """The resources whose provenance span holds `span` most narrowly (all of them on a tie)."""
    around = [
        (holder.end - holder.start, holder.resource)
        for holder in holders
        if holder.document == document and holder.start <= span.start and span.end <= holder.end
    ]
    if not around:
        return []
    narrowest = min(length for length, _ in around)
    return sorted({resource for length, resource in around if length == narrowest})


def _why_unresolved(citation: Citation, matches: list[URIRef], references: dict) -> tuple[str, str]:
    if len(matches) > 1:
        return "ambiguous-citation", (
            f"{len(matches)} references match (" + ", ".join(str(m) for m in sorted(matches)) + ")"
        )
    if len(matches) == 1:
        return "unresolved-citation", f"it resolves to {matches[0]}, but no extracted resource's text holds it"
    dates = sorted(date for creator, date in references.values() if author_matches(citation.authors, creator))
    if dates:
        return "unresolved-citation", (
            f"the reference list has {citation.authors!r} only for " + ", ".join(dates) + f", not {citation.year}"
        )
    return "unresolved-citation", f"no reference in the list has the author {citation.authors!r}"


def _same_date(cited: str, listed: str) -> bool:
    return re.sub(r"\s+", "", cited).casefold() == re.sub(r"\s+", "", listed).casefold()


def _clean(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("&", " and ")).strip().rstrip(",")


def _cuts(text: str) -> list[tuple[int, int]]:
    """The separators (", ", " and ") outside parentheses, as (start, end) offsets."""
    depth, cuts = [], []
    level = 0
    for char in text:
        level += (char == "(") - (char == ")")
        depth.append(level)
    for separator in SEPARATOR.finditer(text):
        if depth[separator.start()] == 0:
            cuts.append((separator.start(), separator.end()))
    return cuts


def _pieces(text: str) -> list[str]:
    bounds = [0, *(b for cut in _cuts(text) for b in cut), len(text)]
    return [text[bounds[i] : bounds[i + 1]] for i in range(0, len(bounds), 2)]


def _align(cited: str, cited_cuts: list, i: int, creator: str, creator_cuts: list, k: int) -> bool:
    """Whether cited pieces i… and creator pieces k… pair up, each run of cited pieces naming one
    run of creator pieces (a run, because a name may itself contain 'and')."""

    def start(cuts, n):
        return 0 if n == 0 else cuts[n - 1][1]

    def end(cuts, n, text):
        return len(text) if n == len(cuts) else cuts[n][0]

    cited_count, creator_count = len(cited_cuts) + 1, len(creator_cuts) + 1
    if i == cited_count or k == creator_count:
        return i == cited_count and k == creator_count
    for j in range(i, cited_count):
        for m in range(k, creator_count):
            one = cited[start(cited_cuts, i) : end(cited_cuts, j, cited)]
            other = creator[start(creator_cuts, k) : end(creator_cuts, m, creator)]
            if _names(one, other) and _align(cited, cited_cuts, j + 1, creator, creator_cuts, m + 1):
                return True
    return False


def _names(cited: str, organisation: str) -> bool:
    """Whether one cited author names one organisation of a creator, qualifier included."""
    if _same(cited, organisation):
        return True
    parts = ORGANISATION.fullmatch(organisation)
    if not parts:
        return False
    names = (parts.group("inner"), parts.group("name"))
    qualifier = parts.group("rest")
    if not qualifier:
        return any(_same(cited, name) for name in names)
    words = cited.split(" ")
    return any(
        any(_same(" ".join(words[:cut]), name) for name in names) and _names(" ".join(words[cut:]), qualifier)
        for cut in range(1, len(words))
    )


def _same(cited: str, name: str) -> bool:
    return _words_match(cited.split(), name.split())


def _words_match(cited: list[str], name: list[str]) -> bool:
    """Word by word, case aside; a cited word in capitals may be the initials of the capitalised
    words it abbreviates, lower-case words between them skipped ("SIPA", "School of International
    and Public Affairs")."""
    if not cited or not name:
        return not cited and not name
    word = cited[0]
    if word.casefold() == name[0].casefold() and _words_match(cited[1:], name[1:]):
        return True
    if len(word) < 2 or not word.isalpha() or not word.isupper():
        return False
    letters, used = list(word), 0
    for used, part in enumerate(name, start=1):
        if part[:1].islower():
            continue
        if part[:1] != letters[0]:
            return False
        letters.pop(0)
        if not letters:
            return _words_match(cited[1:], name[used:])
    return False


def _personal_surnames(creator: str) -> list[str] | None:
    """The surnames of a personal creator ("Surname, Given, Given Surname and Given Surname"),
    or None for an organisation."""
    if "(" in creator:
        return None
    pieces = _pieces(ET_AL.sub("", creator))
    if len(pieces) < 2 or not GIVEN_NAMES.fullmatch(pieces[1]):
        return None
    return [pieces[0], *(piece.split()[-1] for piece in pieces[2:])]
