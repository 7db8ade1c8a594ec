"""Where each example practice is carried out (mig:implementedIn), as against every place its text
names (mig:mentionsPlace), on the real documents run through the link stage as in the build.

The facts were read off the texts: the booklet's "Mexico's matrícula consular" is a Mexican ID
card "available to all Mexican nationals living in the United States"; "Identification Document
of New York City (IDNYC)"; four cities of the "Coalición LAC network"; "The municipality of Sfax in
Tunisia" under "Tunisia's expansion of social assistance programmes"; the ICRC approach "being
piloted in Mauritania and Senegal"; releases "In Spain" and "in the UK, Belgium, Netherlands and
Italy"; the MOU "between the Philippines and Japan"; the Prospects Partnership "funded by The
Netherlands"; MiGOF's multi-country example, whose heading lists eight countries and whose text
adds the Netherlands to a comparative study."""

import pytest
from conftest import DOCUMENTS, REGISTRY, parse_all, violations
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from migkg.graph.core.namespaces import ID, MIG, OA
from migkg.graph.core.provenance import extracted_spans
from migkg.graph.core.report import BuildReport
from migkg.graph.stages import link
from migkg.graph.stages.implementation import implementation_places

BOOKLET = DOCUMENTS["gcm-booklet"].renderings[0].text
TOOLBOX = DOCUMENTS["migof-toolbox"].renderings[0].text


@pytest.fixture(scope="module")
def located():
    """The documents' graphs with the link stage's mentions, the implementation stage's output,
    the texts and the report."""
    union, texts = parse_all()
    report = BuildReport()
    linked = union + link.link_mentions(union, texts, REGISTRY, report)
    places = implementation_places(linked, texts, report)
    return linked, places, texts, report


def practice(graph: Graph, title: str) -> URIRef:
    (found,) = [p for p in graph.subjects(DCTERMS.title, None) if str(graph.value(p, DCTERMS.title)) == title]
    assert (found, RDF.type, MIG.Practice) in graph
    return found


def country(code: str) -> URIRef:
    return ID[f"place/country/{code}"]


def where(located, title: str, prop=MIG.implementedIn) -> set[URIRef]:
    linked, places, _, _ = located
    return set(places.objects(practice(linked, title), prop))


def test_a_possessive_title_names_where_and_a_place_in_passing_is_not(located):
    linked, _, _, _ = located
    matricula = practice(linked, "Mexico's matrícula consular")
    assert "available to all Mexican nationals living in the United States" in BOOKLET
    assert country("US") in set(linked.objects(matricula, MIG.mentionsPlace))
    assert where(located, "Mexico's matrícula consular") == {country("MX")}
    assert "from Venezuela" in BOOKLET
    assert where(located, "Colombia's income generation strategy for migrants") == {country("CO")}


def test_a_city_in_the_title_rolls_up_to_its_country(located):
    title = "Identification Document of New York City (IDNYC)"
    assert where(located, title) == {ID["place/city/new-york-city"]}
    assert where(located, title, MIG.implementedInCountry) == {country("US")}


def test_the_title_wins_over_the_text(located):
    assert "The municipality of Sfax in Tunisia has expanded" in BOOKLET
    assert where(located, "Tunisia's expansion of social assistance programmes") == {country("TN")}
    assert where(located, "Ecuador's Call to Local Action on Migration") == {country("EC")}  # not Quito
    assert where(located, "Crowdfunding platforms: Moldova") == {country("MD")}  # not Switzerland, a supporter
    assert where(located, "Children on the Move in Egypt") == {country("EG")}


def test_cities_the_text_gives_as_carrying_the_practice_out(located):
    assert (
        "Four local authorities in the Latin American region (Quito, Mexico City, Medellín and Montevideo)" in BOOKLET
    )
    cities = {ID[f"place/city/{c}"] for c in ("quito", "mexico-city", "medellin", "montevideo")}
    assert where(located, "Coalición LAC network") == cities
    assert where(located, "Coalición LAC network", MIG.implementedInCountry) == {
        country(c) for c in ("EC", "MX", "CO", "UY")
    }
    local = where(located, "Local governments")
    assert {ID["place/city/sao-paulo"], ID["place/city/gwangju"], country("GB")} <= local
    assert country("BR") in where(located, "Local governments", MIG.implementedInCountry)


def test_sentences_that_say_where(located):
    assert "its approach is being piloted in Mauritania and Senegal" in BOOKLET
    assert where(located, "International Committee of the Red Cross") == {country("MR"), country("SN")}
    assert "In Spain, almost all immigration detainees have been released" in BOOKLET
    assert where(located, "Release from immigration detention during COVID-19") == {
        country(c) for c in ("ES", "GB", "BE", "NL", "IT")
    }
    assert "Azerbaijan and Bosnia and Herzegovina have undertaken various initiatives" in BOOKLET
    assert where(located, "Training public officials on migration and trafficking in persons") == {
        country("AZ"),
        country("BA"),
    }
    assert "in both Guatemala and Mexico, UNICEF programmes are working" in BOOKLET
    assert where(located, "Model of consular protection of migrant girls, boys and adolescents") == {
        country("GT"),
        country("MX"),
    }


def test_parties_funders_and_destinations_are_not_where(located):
    linked, places, _, _ = located
    assert "the MOU between the Philippines and Japan" in BOOKLET
    assert "The Prospects Partnership funded by The Netherlands" in BOOKLET
    assert "provides potential\n\nmigrants to Canada" in BOOKLET
    titles = ("Bilateral labour agreements", "The Prospects Partnership", "Canadian Orientation Abroad Programme")
    practices = [p for p in linked.subjects(RDF.type, MIG.Practice) if str(linked.value(p, DCTERMS.title)) in titles]
    assert len(practices) == 4  # the booklet prints "Bilateral labour agreements" under objectives 5 and 6
    assert any(set(linked.objects(p, MIG.mentionsPlace)) for p in practices)
    assert [p for p in practices if set(places.objects(p, MIG.implementedIn))] == []


def test_a_migof_example_is_carried_out_in_the_countries_its_heading_names(located):
    linked, places, _, _ = located
    example = ID["migof/element/4/example/4"]
    heading = {country(c) for c in ("FR", "DE", "IT", "BE", "ES", "HU", "CZ", "PL")}
    assert "migrant organization activity in France, Spain, Belgium, Italy, Germany, the Netherlands" in TOOLBOX
    assert country("NL") in set(linked.objects(example, MIG.mentionsPlace))
    assert set(places.objects(example, MIG.implementedIn)) == heading
    for migof_example in linked.subjects(MIG.exampleCountry, None):
        assert set(places.objects(migof_example, MIG.implementedIn)) == set(
            linked.objects(migof_example, MIG.exampleCountry)
        )


def test_every_implementation_place_is_mentioned_and_annotated_on_its_name(located):
    linked, places, texts, _ = located
    spans = {s.resource: s for s in extracted_spans(linked)}
    assert len(set(places.subjects(MIG.implementedIn, None))) >= 60
    for subject, place in places.subject_objects(MIG.implementedIn):
        assert (subject, MIG.mentionsPlace, place) in linked
        annotations = [a for a in places.subjects(OA.hasBody, place) if str(a).startswith(f"{subject}#implemented-in-")]
        assert annotations, (subject, place)
        for annotation in annotations:
            assert places.value(annotation, OA.motivatedBy) == OA.linking
            target = places.value(annotation, OA.hasTarget)
            selectors = list(places.objects(target, OA.hasSelector))
            exact = next(str(places.value(s, OA.exact)) for s in selectors if places.value(s, OA.exact))
            start = next(int(places.value(s, OA.start)) for s in selectors if places.value(s, OA.start) is not None)
            end = next(int(places.value(s, OA.end)) for s in selectors if places.value(s, OA.end) is not None)
            assert texts[places.value(target, OA.hasSource)][start:end] == exact
            assert spans[subject].start <= start and end <= spans[subject].end


def test_the_report_counts_implementation_places_and_notes_the_practices_that_say_none(located):
    _, places, _, report = located
    assert report.counts["implementation places"] == len(set(places.triples((None, MIG.implementedIn, None))))
    assert report.counts["practices with an implementation place"] == len(set(places.subjects(MIG.implementedIn)))
    noted = {n.resource for n in report.ignored if n.kind == "implementation-place-not-stated"}
    assert str(ID["practice/the-prospects-partnership"]) in noted


def test_the_output_conforms_and_the_shapes_reject_an_unannotated_place(located):
    linked, places, _, _ = located
    assert violations(places + _described(linked, places), ("implementation.ttl",)) == []
    bad = Graph().parse(
        data="""
        @prefix mig: <https://w3id.org/migkg/ontology#> .
        <https://w3id.org/migkg/id/practice/example> a mig:Practice ;
            mig:implementedIn <https://w3id.org/migkg/id/place/city/example> .
        <https://w3id.org/migkg/id/place/city/example> a mig:City ;
            mig:inCountry <https://w3id.org/migkg/id/place/country/MX> .
        <https://w3id.org/migkg/id/place/country/MX> a mig:Country .
    """,
        format="turtle",
    )
    messages = violations(bad, ("implementation.ttl",))
    assert any("annotation R#implemented-in-" in m for m in messages)
    assert any("that place's country" in m for m in messages)


def _described(linked: Graph, places: Graph) -> Graph:
    """The types and countries of the practices and places the shapes check, as the link stage gives them."""
    nodes = {*places.subjects(MIG.implementedIn), *places.objects(None, MIG.implementedIn)}
    nodes |= set(places.objects(None, MIG.implementedInCountry))
    described = Graph()
    for node in nodes:
        for prop in (RDF.type, MIG.inCountry):
            for value in linked.objects(node, prop):
                described.add((node, prop, value))
    return described
