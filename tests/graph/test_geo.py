"""The places' WGS84 points (graph/stages/geo.py): the gazetteer's entry for each country and city,
matched within its country, and a report line, never a guess, for a name the gazetteer cannot
settle. Expected coordinates are the places' own, looked up on a map (within half a degree)."""

from __future__ import annotations

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
from migkg.graph.stages.geo import Gazetteer, coordinates, load_gazetteer

TOLERANCE = 0.5  # degrees
SOURCES = resources.sources_dir()
BOOKLET = (SOURCES / "gcm-implementation-booklet-2022.txt").read_text(encoding="utf-8")


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
    """South Korea has two Gwangju (the metropolitan city and a city of Gyeonggi): no point for either."""
    report = BuildReport()
    graph = coordinates(places(("city", "gwangju", "Gwangju", "KR")), report, gazetteer)
    assert point(graph, ID["place/city/gwangju"]) is None
    (note,) = report.warnings
    assert note.kind == "place-ambiguous-in-gazetteer"
    assert note.resource == str(ID["place/city/gwangju"])
    assert "1841811" in note.message and "1841810" in note.message
    assert report.counts["places without coordinates"] == 1


def test_a_place_the_gazetteer_lacks_is_reported(gazetteer: Gazetteer):
    report = BuildReport()
    graph = coordinates(
        places(("subdivision", "fm-yap", "Yap", "FM"), ("city", "ebeye", "Ebeye", "MH")), report, gazetteer
    )
    assert point(graph, ID["place/subdivision/fm-yap"]) is None and point(graph, ID["place/city/ebeye"]) is None
    assert {n.kind for n in report.warnings} == {"place-not-in-gazetteer"}
    assert {n.resource for n in report.warnings} == {str(ID["place/subdivision/fm-yap"]), str(ID["place/city/ebeye"])}


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
    assert str(ID["place/city/gwangju"]) in reported  # two of that name in South Korea


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
