"""The places' WGS84 points (graph/stages/geo.py): the gazetteer's entry for each country and city,
matched within its country, or pinned by places.tsv where the text makes the place clear, and a
report line, never a guess, for a name the gazetteer cannot settle. Expected coordinates are the
places' own, looked up on a map (within half a degree)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS

from migkg import resources
from migkg.graph.core.namespaces import GEO, ID, MIG
from migkg.graph.core.report import BuildReport
from migkg.graph.core.source import SourceError
from migkg.graph.stages.geo import Gazetteer, coordinates, fold, load_gazetteer, load_pins

TOLERANCE = 0.5  # degrees
SOURCES = resources.sources_dir()
BOOKLET = (SOURCES / "gcm-implementation-booklet-2022.txt").read_text(encoding="utf-8")
TOOLBOX = (SOURCES / "migof-city-resilience-toolbox.md").read_text(encoding="utf-8")
PLACES = resources.reference_dir() / "places.tsv"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def places(*rows: tuple[str, str, str, str]) -> Graph:
    """A links graph as the link stage writes it: (kind, key, name, country alpha-2) per place, and
    the countries of the cities."""
    graph = Graph()
    for kind, key, name, country in rows:
        iri = ID[f"place/{kind}/{key}"]
        country_iri = ID[f"place/country/{country}"]
        graph.add((iri, RDF.type, {"country": MIG.Country, "city": MIG.City, "subdivision": MIG.Subdivision}[kind]))
        graph.add((iri, SKOS.prefLabel, Literal(name, lang="en")))
        graph.add((country_iri, RDF.type, MIG.Country))
        graph.add((country_iri, MIG.isoAlpha2, Literal(country)))
        if kind != "country":
            graph.add((iri, MIG.inCountry, country_iri))
    return graph


def point(graph: Graph, iri: URIRef) -> tuple[float, float] | None:
    latitude, longitude = graph.value(iri, GEO.lat), graph.value(iri, GEO.long)
    return None if latitude is None else (float(latitude), float(longitude))


def near(found: tuple[float, float] | None, expected: tuple[float, float]) -> bool:
    return found is not None and all(abs(a - b) <= TOLERANCE for a, b in zip(found, expected, strict=True))


# --- the stage, on places written as the link stage writes them ---


def test_a_city_is_its_countrys_entry_of_that_name(gazetteer: Gazetteer):
    report = BuildReport()
    graph = coordinates(places(("city", "quito", "Quito", "EC"), ("city", "rome", "Rome", "IT")), report, gazetteer)
    assert near(point(graph, ID["place/city/quito"]), (-0.22, -78.51))
    assert near(point(graph, ID["place/city/rome"]), (41.90, 12.50))
    assert graph.value(ID["place/city/rome"], MIG.geonamesId) == Literal("3169070")  # GeoNames' Rome
    assert report.warnings == []


def test_a_name_other_countries_share_is_matched_with_the_citys_own(gazetteer: Gazetteer):
    """Panama City is also a city of Florida; the one the texts name lies in Panama."""
    assert len([e for country in ("PA", "US") for e in gazetteer.find(country, ["Panama City"])]) >= 2
    graph = coordinates(places(("city", "panama-city", "Panama City", "PA")), BuildReport(), gazetteer)
    assert near(point(graph, ID["place/city/panama-city"]), (8.98, -79.52))


def test_a_country_is_at_its_capital(gazetteer: Gazetteer):
    graph = coordinates(
        places(("country", "MA", "Morocco", "MA"), ("country", "NP", "Nepal", "NP")), BuildReport(), gazetteer
    )
    assert near(point(graph, ID["place/country/MA"]), (34.02, -6.83))  # Rabat
    assert near(point(graph, ID["place/country/NP"]), (27.70, 85.32))  # Kathmandu


def test_an_alternate_name_finds_the_one_entry_that_has_it(gazetteer: Gazetteer):
    """The gazetteer calls Lalitpur, Nepal, by its other name, Pātan."""
    graph = coordinates(places(("city", "lalitpur", "Lalitpur", "NP")), BuildReport(), gazetteer)
    assert near(point(graph, ID["place/city/lalitpur"]), (27.67, 85.32))


def test_a_name_two_places_of_the_country_share_is_reported_not_guessed(gazetteer: Gazetteer):
    """South Korea has two Gwangju (the metropolitan city and a city of Gyeonggi): without a pin, no
    point for either."""
    report = BuildReport()
    graph = coordinates(places(("city", "gwangju", "Gwangju", "KR")), report, gazetteer, pins={})
    assert point(graph, ID["place/city/gwangju"]) is None
    (note,) = report.warnings
    assert note.kind == "place-ambiguous-in-gazetteer"
    assert note.resource == str(ID["place/city/gwangju"])
    assert "1841811" in note.message and "1841810" in note.message and "places.tsv" in note.message
    assert report.counts["places without coordinates"] == 1


def test_a_place_the_gazetteer_lacks_is_reported(gazetteer: Gazetteer):
    """Chavakachcheri, Sri Lanka, is not among the gazetteer's places of 500 people or more."""
    report = BuildReport()
    graph = coordinates(
        places(("subdivision", "fm-yap", "Yap", "FM"), ("city", "chavakachcheri", "Chavakachcheri", "LK")),
        report,
        gazetteer,
    )
    unlocated = {ID["place/subdivision/fm-yap"], ID["place/city/chavakachcheri"]}
    assert all(point(graph, place) is None for place in unlocated)
    assert {n.kind for n in report.warnings} == {"place-not-in-gazetteer"}
    assert {n.resource for n in report.warnings} == {str(place) for place in unlocated}


# --- the pins of places.tsv: the entry the text means, where its name alone does not settle it ---


# (place, country, pinned id, the gazetteer's name for it, its point, the passage that says which)
PINNED = [
    # the metropolitan city (admin1 18), not Gyeonggi's Gwangju: the "human rights city" of the cited study
    (
        "city/gwangju",
        "KR",
        1841811,
        "Gwangju",
        (35.15, 126.92),
        (BOOKLET, "build a human rights city: The experience of Gwangju"),
    ),
    # Miyagi's Sendai, not Kagoshima's (Satsumasendai): the city of the Sendai Framework's conference
    ("city/sendai", "JP", 2111149, "Sendai", (38.27, 140.87), (TOOLBOX, "Third UN World Conference in Sendai, Japan")),
    # the federal capital (admin1 DC), which the gazetteer calls Washington
    ("city/washington-dc", "US", 4140963, "Washington", (38.90, -77.04), (BOOKLET, "embassy in Washington, D.C.")),
    ("country/US", "US", 4140963, "Washington", (38.90, -77.04), (BOOKLET, "United States")),
    # the capital, in San José province, not Guanacaste's San José
    ("country/CR", "CR", 3621849, "San José", (9.93, -84.08), (BOOKLET, "In Costa Rica")),
    # the Kathmandu Valley municipality the gazetteer names in full, Madhyapur Thimi
    ("city/madhyapur", "NP", 8411054, "Madhyapur Thimi", (27.68, 85.39), (TOOLBOX, "Kirtipur and Madhyapur")),
    # one of the Marshall Islands' main population centres, on Kwajalein Atoll; GeoNames spells it Ebaye
    ("city/ebeye", "MH", 7304467, "Ebaye", (8.77, 167.74), (TOOLBOX, "Majuro, Ebeye")),
]


def registry_rows() -> list[dict[str, str]]:
    with PLACES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_the_registry_pins_these_places():
    assert load_pins(PLACES) == {ID[f"place/{place}"]: geonames_id for place, _, geonames_id, *_ in PINNED}


def test_every_pin_is_an_entry_of_its_places_country(gazetteer: Gazetteer):
    """A country's pin is its capital: one of the entries named as the gazetteer's capital."""
    pinned = [row for row in registry_rows() if row["geonames"]]
    assert pinned
    for row in pinned:
        country = row["id"] if row["kind"] == "country" else row["country"]
        entry = gazetteer.entry(country, int(row["geonames"]))
        assert entry is not None, row
        if row["kind"] == "country":
            assert fold(entry.name) == fold(gazetteer.capitals[country]), row


@pytest.mark.parametrize(
    ("place", "country", "geonames_id", "name", "expected", "evidence"), PINNED, ids=[pin[0] for pin in PINNED]
)
def test_a_pinned_place_is_the_entry_its_text_means(
    gazetteer: Gazetteer, place, country, geonames_id, name, expected, evidence
):
    text, passage = evidence
    assert passage in text
    entry = gazetteer.entry(country, geonames_id)
    assert entry is not None and entry.name == name
    assert near((entry.latitude, entry.longitude), expected)
    kind, key = place.split("/")
    report = BuildReport()
    graph = coordinates(places((kind, key, name, country)), report, gazetteer)
    assert near(point(graph, ID[f"place/{place}"]), expected)
    assert graph.value(ID[f"place/{place}"], MIG.geonamesId) == Literal(str(geonames_id))
    assert report.warnings == []


def test_naga_stays_reported_since_the_text_names_no_province(gazetteer: Gazetteer):
    """The toolbox's "City Government of Naga" could be Naga of Camarines Sur (Bicol, 05) or of Cebu
    (Central Visayas, 07), both cities; the text says neither."""
    assert "City Government of Naga in early 2011" in TOOLBOX
    assert {e.geonames_id for e in gazetteer.find("PH", ["Naga"])} >= {1698829, 1698839}
    report = BuildReport()
    graph = coordinates(places(("city", "naga", "Naga", "PH")), report, gazetteer)
    assert point(graph, ID["place/city/naga"]) is None
    assert [n.kind for n in report.warnings] == ["place-ambiguous-in-gazetteer"]


def test_a_pin_outside_the_places_country_stops_the_build(gazetteer: Gazetteer):
    with pytest.raises(SourceError, match=r"Gwangju pins GeoNames 2111149, which is no entry of KR"):
        coordinates(
            places(("city", "gwangju", "Gwangju", "KR")),
            BuildReport(),
            gazetteer,
            pins={ID["place/city/gwangju"]: 2111149},
        )


@pytest.mark.parametrize("row", ["fm-yap\tsubdivision\tYap\t\tFM\t2081986", "naga\tcity\tNaga\t\tPH\tNaga City"])
def test_a_pin_on_a_subdivision_or_not_an_id_is_refused(tmp_path: Path, row: str):
    registry = tmp_path / "places.tsv"
    registry.write_text(f"id\tkind\tname\taliases\tcountry\tgeonames\n{row}\n", encoding="utf-8")
    with pytest.raises(SourceError, match="a pin is the numeric GeoNames id"):
        load_pins(registry)


# --- the build ---


def test_the_built_graph_places_the_booklets_cities_and_countries(select):
    """Geneva and Bangkok are named in the booklet; Ecuador by its examples."""
    assert "Geneva" in BOOKLET and "Bangkok" in BOOKLET and "Ecuador" in BOOKLET
    rows = select(
        "SELECT ?place ?lat ?long ?id WHERE { GRAPH <https://w3id.org/migkg/graph/links> {"
        " ?place geo:lat ?lat ; geo:long ?long ; mig:geonamesId ?id } }"
    )
    found = {row["place"]: (float(row["lat"]), float(row["long"])) for row in rows}
    assert near(found[str(ID["place/city/geneva"])], (46.20, 6.15))
    assert near(found[str(ID["place/city/bangkok"])], (13.75, 100.50))
    assert near(found[str(ID["place/country/EC"])], (-0.22, -78.51))  # Quito
    assert near(found[str(ID["place/city/sendai"])], (38.27, 140.87))  # pinned: Miyagi's
    assert near(found[str(ID["place/country/US"])], (38.90, -77.04))  # pinned: Washington, D.C.


def test_every_place_has_a_point_or_a_report_line(select, build_dir: Path):
    report = json.loads((build_dir / "build-report.json").read_text(encoding="utf-8"))
    reported = {n["resource"] for n in report["warnings"] if n["source"] == "geonames"}
    rows = select(
        "SELECT ?place (COUNT(?lat) AS ?points) WHERE { ?place a mig:Place OPTIONAL { ?place geo:lat ?lat } }"
        " GROUP BY ?place"
    )
    located = {row["place"] for row in rows if row["points"] == 1}
    assert located and located.isdisjoint(reported)
    assert located | reported == {row["place"] for row in rows}
    assert report["counts"]["places with coordinates"] == len(located)
    assert report["counts"]["places without coordinates"] == len(reported)
    assert str(ID["place/city/naga"]) in reported  # two cities of that name, and the text says neither
    assert str(ID["place/city/chavakachcheri"]) in reported  # not in the gazetteer
    assert str(ID["place/city/gwangju"]) not in reported  # pinned


# --- the shape ---


SHAPES = Graph().parse(resources.shapes_dir() / "geo.ttl", format="turtle")


def violations(graph: Graph) -> list[str]:
    _, report, _ = validate(graph, shacl_graph=SHAPES, inference="none")
    return sorted(str(report.value(r, SH.resultPath)) for r in report.subjects(RDF.type, SH.ValidationResult))


def located(latitude: str | None, longitude: str | None, kind: URIRef = MIG.City) -> Graph:
    graph = Graph()
    rome = ID["place/city/rome"]
    graph.add((rome, RDF.type, kind))
    graph.add((rome, RDF.type, MIG.Place))
    graph.add((rome, MIG.geonamesId, Literal("3169070")))
    if latitude is not None:
        graph.add((rome, GEO.lat, Literal(Decimal(latitude))))
    if longitude is not None:
        graph.add((rome, GEO.long, Literal(Decimal(longitude))))
    return graph


def test_a_point_within_range_with_its_source_conforms():
    assert violations(located("41.89193", "12.51133")) == []


@pytest.mark.parametrize(
    ("latitude", "longitude", "path"),
    [
        ("91.0", "12.5", GEO.lat),
        ("-90.5", "12.5", GEO.lat),
        ("41.9", "180.5", GEO.long),
        ("41.9", None, GEO.long),
        (None, "12.5", GEO.lat),
    ],
)
def test_a_point_out_of_range_or_half_given_is_a_violation(latitude, longitude, path):
    assert violations(located(latitude, longitude)) == [str(path)]


def test_only_a_place_has_a_point():
    graph = located("41.9", "12.5")
    graph.remove((None, RDF.type, None))
    graph.add((ID["place/city/rome"], RDF.type, MIG.Practice))
    assert violations(graph) == ["None"]  # the node shape's sh:class: no result path
