"""Link stage: one IRI for each actor and place the sources name, and every mention recorded.

Names come from two registries kept as files (`graph/reference/actors.tsv`, `places.tsv`) and,
for countries, from pycountry's names. Two kinds of name are resolved:
- the names the parsers read in a structural role (who prepared a paper, which countries an
  example heading names), given as `Mention`s and resolved into the document's own graph;
- every registry name in every resource's provenance quote (its exact source text, with known
  offsets), each recorded as an `oa:Annotation` with the exact position of the name in the
  document, motivated by `oa:identifying`, whose body is the actor or place.

A name inside a longer proper name is not a mention: "Sendai" in "Sendai Framework", "Mexico" in
"Embassy of Mexico", "Quito" in "Quito Local Agenda". Before matching, the longer names the graph
and the registries know are found in the quote (the frameworks' and instruments' names, with the
variants and other names of `graph/reference/framework-names.toml` and the frameworks of
`frameworks.tsv`, and the actors' names), and a match that lies strictly inside one of them is
skipped. Two more rules keep a name to what it names:
- an organisation's name followed on the same line by a place's ("IOM Greece", "UNICEF Mexico",
  "IOM Rome") names the organisation's office there: it is a mention of the organisation, and the
  place is part of the office's name, not a mention of the place;
- a group whose name is also a common word ("migrants", "cities", "communities"; `in a list` in
  the `matches` column of actors.tsv) is named only as an item of a list of actors, one of which
  has a name of its own ("civil society, the private sector, local city governments and
  communities, migrants, diaspora groups"): elsewhere the word means the people or places.
"""

from __future__ import annotations

import csv
import itertools
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pycountry
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, RDF, RDFS, SKOS

from migkg.graph.core.extraction import Mention, NameKind
from migkg.graph.core.frameworks import FrameworkNames, framework_names, load_framework_names, own_names
from migkg.graph.core.namespaces import GEOAREA, ID, MIG
from migkg.graph.core.provenance import add_mention, extracted_spans
from migkg.graph.core.report import BuildReport
from migkg.graph.core.source import Document, SourceError
from migkg.graph.core.text import Span, names_pattern
from migkg.graph.stages.geo import coordinates

LISTED = "in a list"  # the `matches` of a group named only as an item of a list of actors
# What joins the items of a list: a comma or semicolon, "and", "or", "as well as", then "the".
LIST_SEPARATOR = re.compile(r"\s*(?:[,;]|,?\s+(?:and|or|as well as))\s+(?:the\s+)?")
POSSESSIVE = re.compile(r"['’]")  # "migrants' rights": the word qualifies what follows
OFFICE_GAP = re.compile(r"[^\S\n]+")  # between an organisation's name and its office's place


@dataclass(frozen=True)
class Entity:
    """Something with one IRI and the names by which the sources refer to it."""

    iri: URIRef
    rdf_type: URIRef
    label: str
    names: tuple[str, ...]
    link_property: URIRef
    listed_only: bool = False  # named only as an item of a list of actors

    @property
    def is_place(self) -> bool:
        return self.link_property == MIG.mentionsPlace


@dataclass(frozen=True)
class Registry:
    """The actors and places a source may name, read once from the reference directory."""

    actors: list[Entity]
    places: list[Entity]
    facts: dict[URIRef, dict]  # codes of each country, the country of each city and subdivision
    spellings: FrameworkNames  # framework variants, and the names that contain a name but are not it

    @cached_property
    def countries(self) -> dict[str, URIRef]:
        return {name: e.iri for e in self.places if e.rdf_type == MIG.Country for name in e.names}


def load_registry(reference_dir: Path) -> Registry:
    places, facts = countries_and_cities(reference_dir / "places.tsv")
    return Registry(actors(reference_dir / "actors.tsv"), places, facts, load_framework_names(reference_dir))


def _read_tsv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle, delimiter="\t"))
    except OSError as error:
        raise SourceError(f"cannot read registry {path}: {error}") from error


def _aliases(row: dict[str, str]) -> list[str]:
    return [alias for alias in (row.get("aliases") or "").split("|") if alias]


def actors(path: Path) -> list[Entity]:
    entities = []
    for row in _read_tsv(path):
        if not hasattr(MIG, row["type"]) or not row["type"][0].isupper():
            raise SourceError(f"{path}: actor {row['id']!r} has unknown type {row['type']!r}")
        entities.append(
            Entity(
                ID[f"actor/{row['id']}"],
                MIG[row["type"]],
                row["label"],
                (row["label"], *_aliases(row)),
                MIG.mentionsActor,
                _listed_only(path, row),
            )
        )
    return entities


def _listed_only(path: Path, row: dict[str, str]) -> bool:
    matches = row.get("matches") or ""
    if matches not in ("", LISTED):
        raise SourceError(f"{path}: actor {row['id']!r} has matches {matches!r}; leave it empty or write {LISTED!r}")
    return matches == LISTED


def countries_and_cities(path: Path) -> tuple[list[Entity], dict[URIRef, dict]]:
    """Every country (pycountry's names plus the registry's aliases), and the registry's first-level
    subdivisions (checked against pycountry's ISO 3166-2) and cities."""
    rows = _read_tsv(path)
    aliases = {row["id"]: row for row in rows if row["kind"] == "country"}
    entities, facts = [], {}
    for country in pycountry.countries:
        names = {n for n in (country.name, getattr(country, "common_name", None)) if n and "," not in n}
        row = aliases.get(country.alpha_2)
        if row:
            names |= {row["name"], *_aliases(row)}
        iri = ID[f"place/country/{country.alpha_2}"]
        label = row["name"] if row else getattr(country, "common_name", country.name)
        entities.append(Entity(iri, MIG.Country, label, tuple(sorted(names)), MIG.mentionsPlace))
        facts[iri] = {
            "alpha2": country.alpha_2,
            "alpha3": country.alpha_3,
            "m49": country.numeric,
            "official": getattr(country, "official_name", country.name),
        }
    for row in rows:
        if row["kind"] == "subdivision":
            code = row["id"].upper()
            subdivision = pycountry.subdivisions.get(code=code)
            if subdivision is None or subdivision.parent_code or subdivision.country_code != row["country"]:
                raise SourceError(
                    f"{path}: {row['id']!r} is not a first-level ISO 3166-2 subdivision of {row['country']!r}"
                )
            iri = ID[f"place/subdivision/{row['id']}"]
            entities.append(Entity(iri, MIG.Subdivision, row["name"], (row["name"], *_aliases(row)), MIG.mentionsPlace))
            facts[iri] = {"country": ID[f"place/country/{row['country']}"], "code": code}
            continue
        if row["kind"] != "city":
            continue
        if pycountry.countries.get(alpha_2=row["country"]) is None:
            raise SourceError(f"{path}: city {row['id']!r} names unknown country {row['country']!r}")
        iri = ID[f"place/city/{row['id']}"]
        entities.append(Entity(iri, MIG.City, row["name"], (row["name"], *_aliases(row)), MIG.mentionsPlace))
        facts[iri] = {"country": ID[f"place/country/{row['country']}"]}
    return entities, facts


def resolve_mentions(document: Document, mentions: tuple[Mention, ...], registry: Registry) -> Graph:
    """``subject predicate <IRI>`` for each name a parser read; a name that must resolve and does
    not stops the build, naming the registry to add it to."""
    resolved = Graph()
    for mention in mentions:
        for iri in _resolve(document, mention, registry):
            resolved.add((mention.subject, mention.predicate, iri))
    return resolved


def _resolve(document: Document, mention: Mention, registry: Registry) -> list[URIRef]:
    if mention.kind == NameKind.ACTOR:
        found = [e.iri for e in registry.actors if mention.text in e.names][:1]
        if not found:
            raise SourceError(f"{document.id}: {mention.text!r} is not in graph/reference/actors.tsv; add it there")
        return found
    if mention.kind == NameKind.COUNTRY:
        try:
            return [ID[f"place/country/{pycountry.countries.lookup(mention.text).alpha_2}"]]
        except LookupError as error:
            raise SourceError(f"{document.id}: {mention.text!r} is not a country pycountry knows") from error
    if mention.kind == NameKind.COUNTRY_IF_ANY:
        country = registry.countries.get(mention.text)
        return [country] if country else []
    return [
        e.iri
        for e in registry.actors
        if e.rdf_type != MIG.PopulationGroup
        and any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", mention.text) for name in e.names)
    ]


def _in_capitals_line(quote: str, start: int, end: int) -> bool:
    """Acronyms inside a line set in capitals (headings, captions) are words, not names."""
    line_start = quote.rfind("\n", 0, start) + 1
    line_end = quote.find("\n", end)
    line = quote[line_start : line_end if line_end >= 0 else len(quote)]
    letters = [c for c in line if c.isalpha()]
    return len(letters) > 12 and all(c.isupper() for c in letters)


def _longer_names(dataset: Graph, registry: Registry) -> set[str]:
    """The proper names inside which an actor's or place's name is not a mention of it: every name
    of the frameworks and instruments the graph holds (with their variants) and of those the
    framework registry adds, the names that contain a framework's, an actor's or a place's name
    but name something else, and the actors' names."""
    spellings = registry.spellings
    frameworks = framework_names(own_names(dataset), spellings)
    return {
        *frameworks,
        *spellings.other_names,
        *(n for a in registry.actors for n in a.names),
    }


def _inside(span: tuple[int, int], names: list[tuple[int, int]]) -> bool:
    """Whether ``span`` lies strictly inside one of ``names`` (within it and not all of it)."""
    start, end = span
    return any(s <= start and end <= e and (s, e) != span for s, e in names)


Found = list[tuple[re.Match, Entity]]


def _naming(found: Found, quote: str) -> Found:
    """The matches that name what they match: not the place of an organisation's office, and not
    a listed-only group's word outside a list of actors."""
    offices = _office_places(found, quote)
    listed = _listed_groups(found, quote)
    return [
        (match, entity)
        for match, entity in found
        if match.span() not in offices and (not entity.listed_only or match.span() in listed)
    ]


def _office_places(found: Found, quote: str) -> set[tuple[int, int]]:
    """The places that follow an organisation's name on its line ("IOM Greece")."""
    return {
        place.span()
        for (name, actor), (place, entity) in itertools.pairwise(found)
        if not actor.is_place
        and actor.rdf_type != MIG.PopulationGroup
        and entity.is_place
        and OFFICE_GAP.fullmatch(quote, name.end(), place.start())
    }


def _listed_groups(found: Found, quote: str) -> set[tuple[int, int]]:
    """The listed-only groups' matches that are items of a list of actors with one item named by a
    name of its own: runs of actor names joined by list separators (a word in the possessive is
    no item: it qualifies the noun after it)."""
    actors = [
        (match, entity)
        for match, entity in found
        if not entity.is_place and not (entity.listed_only and POSSESSIVE.match(quote, match.end()))
    ]
    runs: list[Found] = []
    for item in actors:
        if runs and LIST_SEPARATOR.fullmatch(quote, runs[-1][-1][0].end(), item[0].start()):
            runs[-1].append(item)
        else:
            runs.append([item])
    return {
        match.span()
        for run in runs
        if any(not entity.listed_only for _, entity in run)
        for match, entity in run
        if entity.listed_only
    }


def link_mentions(dataset: Graph, texts: dict[URIRef, str], registry: Registry, report: BuildReport) -> Graph:
    """Find every registry name in every provenance quote; returns the links graph."""
    entities, places, facts = registry.actors, registry.places, registry.facts
    by_name: dict[str, Entity] = {}
    for entity in [*entities, *places]:
        for name in entity.names:
            by_name.setdefault(name, entity)
    pattern = names_pattern(by_name)
    longer = names_pattern(_longer_names(dataset, registry))
    links = Graph()
    mentioned: set[Entity] = set()
    counter: dict[tuple[URIRef, URIRef], int] = {}
    occurrences: set[tuple[URIRef, int, int]] = set()
    for extracted in extracted_spans(dataset):
        resource, document, start = extracted.resource, extracted.document, extracted.start
        quote = texts[document][start : extracted.end]
        names = [match.span() for match in longer.finditer(quote)]
        found = [
            (match, by_name[re.sub(r"\s+", " ", match.group())])
            for match in pattern.finditer(quote)
            if not (match.group().isupper() and _in_capitals_line(quote, match.start(), match.end()))
            and not _inside(match.span(), names)
        ]
        for match, entity in _naming(found, quote):
            occurrences.add((document, start + match.start(), start + match.end()))
            key = (resource, entity.iri)
            counter[key] = counter.get(key, 0) + 1
            links.add((resource, entity.link_property, entity.iri))
            name = f"mention-{entity.iri.rsplit('/', 1)[-1].lower()}-{counter[key]}"
            span = Span(start + match.start(), start + match.end())
            add_mention(links, resource, document, texts[document], span, name, entity.iri)
            mentioned.add(entity)
    by_iri = {entity.iri: entity for entity in places}
    mentioned |= {by_iri[facts[e.iri]["country"]] for e in mentioned if e.rdf_type in (MIG.City, MIG.Subdivision)}
    for entity in sorted(mentioned, key=lambda e: str(e.iri)):
        _describe(links, entity, facts.get(entity.iri, {}))
    links += coordinates(links, report)
    report.counts["mentions"] = sum(counter.values())
    report.counts["distinct name occurrences"] = len(occurrences)
    return links


def _describe(graph: Graph, entity: Entity, facts: dict) -> None:
    graph.add((entity.iri, RDF.type, entity.rdf_type))
    graph.add((entity.iri, RDFS.label, Literal(entity.label, lang="en")))
    graph.add((entity.iri, SKOS.prefLabel, Literal(entity.label, lang="en")))
    for name in entity.names:
        if name != entity.label:
            graph.add((entity.iri, SKOS.altLabel, Literal(name, lang="en")))
    if entity.rdf_type == MIG.Country:
        graph.add((entity.iri, MIG.isoAlpha2, Literal(facts["alpha2"])))
        graph.add((entity.iri, MIG.isoAlpha3, Literal(facts["alpha3"])))
        graph.add((entity.iri, MIG.m49, Literal(facts["m49"])))
        graph.add((entity.iri, SKOS.exactMatch, GEOAREA[facts["m49"]]))
    elif entity.rdf_type == MIG.City:
        graph.add((entity.iri, MIG.inCountry, facts["country"]))
    elif entity.rdf_type == MIG.Subdivision:
        graph.add((entity.iri, MIG.inCountry, facts["country"]))
        graph.add((entity.iri, MIG.isoSubdivisionCode, Literal(facts["code"])))
    else:
        graph.add((entity.iri, FOAF.name, Literal(entity.label, lang="en")))
        for name in entity.names:
            if name.isupper() and len(name) <= 12:
                graph.add((entity.iri, MIG.acronym, Literal(name)))
