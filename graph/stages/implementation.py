"""Implementation stage: where each example practice is carried out, as its own text says.

The link stage records every place a practice's text names (mig:mentionsPlace). Most of them are
named in passing: where migrants come from or go to, a partner, a funder, an embassy. This stage
keeps, as mig:implementedIn, only the places the text gives as where the practice is carried out:
- every place its title names ("Mexico's matrícula consular", "Children on the Move in Egypt",
  "Crowdfunding platforms: Moldova", a MiGOF heading "Italy"), even inside a longer name
  ("Identification Document of New York City");
- where the title names none, the places of a sentence of its text (or of a list item) that says
  where, in one of these forms:
  - it opens on the place: "In Belgium, …", "In addition, in both Guatemala and Mexico, …";
  - the place, its government or one of its organs does what the sentence says: "Morocco
    initiated …", "Mexico's Foreign Ministry introduced …", "In 2015, the government of
    Bangladesh published …", "Countries like Bangladesh and Sri Lanka have carried out …", "Four
    local authorities … (Quito, Mexico City, Medellín and Montevideo) have analyzed …";
  - it ends on where it took place: "… is being piloted in Mauritania and Senegal (Robins, 2018).",
    "… living in the Northwest region of the United States."
A sentence may open on phrases that name no place ("Similarly,", "In reaction to the COVID-19
pandemic,", "in March 2020"). A place named anywhere else is not where the practice is carried
out, and a practice whose text does not say where has no implementation place.

Every such place is one the link stage found in the practice's text (mig:mentionsPlace), spelt as
it quoted it, and every mig:implementedIn has an annotation on the exact name that says where,
`R#implemented-in-<place>-<n>`, motivated by oa:linking (the name links the practice to the
place). mig:implementedInCountry rolls each place up to its country (mig:inCountry for a city or
subdivision). A practice whose text names places but says of none that it is carried out there is
noted in the build report.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from migkg.graph.core.namespaces import MIG, OA
from migkg.graph.core.provenance import ExtractedSpan, add_provenance, extracted_spans
from migkg.graph.core.report import BuildReport
from migkg.graph.core.text import Span

PLACE_CLASSES = (MIG.Country, MIG.City, MIG.Subdivision)

# In the text the patterns read, each place name the link stage found is replaced by this one
# character, so that a list of places is a run of it joined by commas and "and".
NAME = "\ue000"
PLACES = rf"(?:the\s+)?{NAME}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?{NAME})*"
# What may open a sentence before the words that say where: a phrase of up to ten words ending in
# a comma that names no place ("Similarly,", "Within the framework of the … project,"), or a date.
PHRASE = rf"(?:[^\s,{NAME}]+\s+){{0,9}}[^\s,{NAME}]+,\s+"
DATE = r"(?:in|since)\s+(?:(?:late|early|mid)\s+)?(?:[a-z]+\s+)?\d{4},?\s+"
OPENING = rf"(?:{PHRASE}|{DATE})*"
# The head of a sentence's subject: a government or an organ of a place ("the government of",
# "The Migration Department of the City of").
ORGAN = r"(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:government|city|municipality|ministry|department)\s+of\s+"
ORGAN += r"(?:the\s+city\s+of\s+)?"
# What a closing "in" may name before its places: "in four countries: …", "in the Northwest region of …".
WITHIN = r"(?:(?:\w+\s+)?countries\s*:\s*|the\s+(?:[\w-]+\s+){0,2}region\s+of\s+)"
VERB = r"(?-i:[a-z])"  # a following word in lower case: the sentence's verb, or a clause about the subject

SAYS_WHERE = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"^{OPENING}in\s+(?:both\s+)?(?P<places>{PLACES})\s*,",
        rf"^{OPENING}(?:{ORGAN})?(?P<places>{PLACES})(?:\s*['’]s?\s|\s*,?\s+{VERB})",
        rf"^{OPENING}(?:other\s+)?countries\s*,?\s+(?:like|such\s+as|including)\s+(?P<places>{PLACES})\s*,?\s+{VERB}",
        rf"^{OPENING}[^,(){NAME}]*\(\s*(?P<places>{PLACES})\s*\)\s+{VERB}",
        rf"\b(?:in|across)\s+(?:both\s+)?{WITHIN}?(?P<places>{PLACES})\s*(?:\([^()]*\)\s*)?[.;]?$",
    )
]
# A sentence ends at . ! or ? before a capital, a digit or the end (not after an initial, as in
# "D.C."); a list item starts on its own line; a bold list-item label ("**Ireland's …:**") ends.
SENTENCE_BREAK = re.compile(r"(?<![\s.][A-Z]\.)(?<=[.!?])\s+(?=[A-Z\d“\"(])|\n\s*(?:[-•]|\d+\.)\s+|(?<=:\*\*)\s+")
MARKUP = re.compile(r"[*_]")


@dataclass(frozen=True)
class PlaceName:
    """Where the link stage found a place named in a resource's text."""

    place: URIRef
    document: URIRef
    span: Span


def implementation_places(dataset: Graph, texts: dict[URIRef, str], report: BuildReport) -> Graph:
    """mig:implementedIn and mig:implementedInCountry for every example practice in ``dataset``
    (the extracted graphs with the links), each with an annotation on the place's name."""
    places = Graph()
    names = place_names(dataset)
    spans = {span.resource: span for span in reversed(extracted_spans(dataset))}
    country = {place: dataset.value(place, MIG.inCountry) or place for place in _places(dataset)}
    counter: dict[tuple[URIRef, URIRef], int] = defaultdict(int)
    practices = sorted(dataset.subjects(RDF.type, MIG.Practice))
    for practice in practices:
        extracted = spans.get(practice)
        if extracted is None:
            continue
        found = where_carried_out(dataset.value(practice, DCTERMS.title), extracted, names[practice], texts)
        for name in found:
            counter[practice, name.place] += 1
            places.add((practice, MIG.implementedIn, name.place))
            places.add((practice, MIG.implementedInCountry, country[name.place]))
            annotation = f"implemented-in-{name.place.rsplit('/', 1)[-1].lower()}-{counter[practice, name.place]}"
            text = texts[name.document]
            add_provenance(places, practice, name.document, text, name.span, OA.linking, annotation, name.place)
        if names[practice] and not found:
            _note_not_stated(dataset, practice, extracted, names[practice], report)
    report.counts["implementation places"] = len(set(places.triples((None, MIG.implementedIn, None))))
    report.counts["practices with an implementation place"] = len({practice for practice, _ in counter})
    return places


def _note_not_stated(
    dataset: Graph, practice: URIRef, extracted: ExtractedSpan, names: list[PlaceName], report: BuildReport
) -> None:
    """A practice whose text names places but says of none that the practice is carried out there."""
    labels = sorted({str(dataset.value(name.place, SKOS.prefLabel) or name.place) for name in names})
    report.ignore(
        str(dataset.value(extracted.document, MIG.sourceId) or extracted.document),
        "implementation-place-not-stated",
        f"names {', '.join(labels)}, but neither its title nor a sentence gives a place where it is carried out; "
        "no mig:implementedIn",
        resource=str(practice),
        offset=extracted.start,
    )


def _places(dataset: Graph) -> set[URIRef]:
    return {place for cls in PLACE_CLASSES for place in dataset.subjects(RDF.type, cls)}


def place_names(dataset: Graph) -> dict[URIRef, list[PlaceName]]:
    """Every place name the link stage recorded, by the resource whose text holds it."""
    places = _places(dataset)
    names: dict[URIRef, list[PlaceName]] = defaultdict(list)
    for annotation in dataset.subjects(OA.motivatedBy, OA.identifying):
        resource, _, fragment = str(annotation).partition("#")
        body = dataset.value(annotation, OA.hasBody)
        if not fragment.startswith("mention-") or body not in places:
            continue
        target = dataset.value(annotation, OA.hasTarget)
        for selector in dataset.objects(target, OA.hasSelector):
            start, end = dataset.value(selector, OA.start), dataset.value(selector, OA.end)
            if start is not None and end is not None:
                document = dataset.value(target, OA.hasSource)
                names[URIRef(resource)].append(PlaceName(body, document, Span(int(start), int(end))))
    return names


def where_carried_out(
    title: str, extracted: ExtractedSpan, names: list[PlaceName], texts: dict[URIRef, str]
) -> list[PlaceName]:
    """The names, among a practice's place names, that say where it is carried out: those in its
    title, or else those of a sentence of its text that says where."""
    text = texts[extracted.document]
    inside = sorted(
        (n for n in names if n.document == extracted.document and extracted.start <= n.span.start < extracted.end),
        key=lambda n: n.span.start,
    )
    title_end = extracted.start + title_length(text[extracted.start : extracted.end], title)
    in_title = named_in(text, Span(extracted.start, title_end), inside)
    if in_title:
        return in_title
    body = [n for n in inside if n.span.start >= title_end]
    return [n for sentence in sentences(text, title_end, extracted.end) for n in _said_where(text, sentence, body)]


def named_in(text: str, span: Span, names: list[PlaceName]) -> list[PlaceName]:
    """Where ``text[span]`` prints one of ``names`` as the link stage quoted it: a title names a
    place even inside a longer proper name ("Identification Document of New York City"), which the
    link stage does not count as a mention of it."""
    spellings = {re.sub(r"\s+", " ", text[n.span.start : n.span.end]): n for n in names}
    found = []
    for spelling, name in spellings.items():
        pattern = r"(?<![\w-])" + r"\s+".join(map(re.escape, spelling.split(" "))) + r"(?![\w-])"
        for match in re.compile(pattern).finditer(text, span.start, span.end):
            found.append(PlaceName(name.place, name.document, Span(*match.span())))
    outermost = [n for n in found if not any(_strictly_inside(n.span, other.span) for other in found)]
    return sorted(outermost, key=lambda n: n.span.start)


def _strictly_inside(span: Span, other: Span) -> bool:
    return other.start <= span.start and span.end <= other.end and span != other


def title_length(quote: str, title: str) -> int:
    """How much of the start of ``quote`` prints ``title``, with its markup (``**Greece.**``,
    ``Mexico's *matrícula consular*``); 0 where the quote does not open on the title."""
    markup = r"[*_]*"
    pattern = markup + markup.join(r"\s+" if c.isspace() else re.escape(c) for c in title) + markup
    match = re.match(pattern, quote)
    return match.end() if match else 0


def sentences(text: str, start: int, end: int) -> list[Span]:
    """The sentences and list items of ``text[start:end]``."""
    spans, opening = [], start
    for match in SENTENCE_BREAK.finditer(text, start, end):
        spans.append(Span(opening, match.start()))
        opening = match.end()
    spans.append(Span(opening, end))
    return [span for span in spans if text[span.start : span.end].strip()]


def _said_where(text: str, sentence: Span, names: list[PlaceName]) -> list[PlaceName]:
    """The place names of one sentence that say where, by SAYS_WHERE: the sentence is read with
    its markup blanked, its leading blanks dropped and each place name as the one character NAME."""
    named = [n for n in names if sentence.start <= n.span.start and n.span.end <= sentence.end]
    masked, at, where = [], sentence.start, {}
    for name in named:
        masked.append(MARKUP.sub(" ", text[at : name.span.start]))
        where[sum(map(len, masked))] = name
        masked.append(NAME)
        at = name.span.end
    masked.append(MARKUP.sub(" ", text[at : sentence.end]))
    reading = "".join(masked)
    lead = len(reading) - len(reading.lstrip())
    reading = reading[lead:]
    found: dict[int, PlaceName] = {}
    for pattern in SAYS_WHERE:
        for match in pattern.finditer(reading):
            start, end = match.span("places")
            found |= {i + lead: where[i + lead] for i in range(start, end) if reading[i] == NAME}
    return [found[i] for i in sorted(found)]
