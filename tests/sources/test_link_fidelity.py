"""The link stage links a name only where the text names the actor or place: a name inside a
longer proper name is not a mention of it.

Facts read off the texts: the GCM booklet names the "Sendai Framework for Disaster Risk
Reduction" six times and the city once ("the Third UN World Conference on Disaster Risk
Reduction in Sendai City in 2015"); the toolbox names the framework once and the city once ("in
Sendai, Japan, on 18 March 2015"). The booklet's "Embassy of Mexico, the Embassy of Switzerland,
the Embassy of Canada" supported a festival; "the Republic of Croatia Government Office of Human
Rights and National Minorities" and "the Philippines Overseas Employment Administration" are
government bodies; "Barcelona Centre for International Affairs (CIDOB)" publishes a reference;
the practice "Identification Document of New York City (IDNYC)" names the city in its text
("all residents of New York City"); the "Canada Orientation Abroad (COA) Programme" serves
"potential migrants to Canada"; its reference list gives "Panama City" as a place of
publication. The toolbox's "Quito Local Agenda" came out of the forum "held in Quito, Ecuador";
its "Kathmandu Valley" is a valley of four municipalities. The GFMD paper's "Brussels Pact" is a
pact, "Palgrave Macmillan UK" a publisher."""

import re

import pytest
from conftest import REGISTRY, parse_all
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from migkg import resources
from migkg.graph.core import frameworks
from migkg.graph.core.namespaces import ID, MIG, OA
from migkg.graph.core.report import BuildReport
from migkg.graph.core.text import names_pattern
from migkg.graph.stages import link


@pytest.fixture(scope="module")
def linked():
    """The union of the documents' graphs, the link stage's graph, its report and the texts."""
    union, texts = parse_all()
    report = BuildReport()
    links = link.link_mentions(union, texts, REGISTRY, report)
    return union, links, report, texts


def mentions(links: Graph, texts: dict[URIRef, str], body: URIRef | None = None):
    """(resource, body, quote, document, start, end) of every actor or place mention."""
    found = []
    for annotation in links.subjects(OA.motivatedBy, OA.identifying):
        target = links.value(annotation, OA.hasTarget)
        named = links.value(annotation, OA.hasBody)
        if body is not None and named != body:
            continue
        for selector in links.objects(target, OA.hasSelector):
            start = links.value(selector, OA.start)
            if start is not None:
                start, end = int(start), int(links.value(selector, OA.end))
                document = links.value(target, OA.hasSource)
                resource = URIRef(str(annotation).split("#")[0])
                found.append((resource, named, texts[document][start:end], document, start, end))
    return found


def context(texts, document, start, end, before=60, after=60):
    return re.sub(r"\s+", " ", texts[document][max(0, start - before) : end + after])


def test_the_sendai_framework_is_not_the_city(linked):
    _, links, _, texts = linked
    sendai = ID["place/city/sendai"]
    found = mentions(links, texts, sendai)
    occurrences = {(document, start) for _, _, _, document, start, _ in found}
    assert len(occurrences) == 2
    following = sorted(re.sub(r"\s+", " ", texts[d][s : s + 12]) for d, s in occurrences)
    assert following == ["Sendai City ", "Sendai, Japa"]
    framework_named = list(re.finditer(r"Sendai\s+Framework", "".join(texts.values())))
    assert len(framework_named) == 7  # six in the booklet, one in the toolbox: none a mention of the city


def test_no_place_or_actor_inside_a_framework_name(linked):
    """General: no actor or place mention lies strictly inside a name of a framework or instrument
    the graph holds or the framework registry names."""
    union, links, _, texts = linked
    spellings = frameworks.load_framework_names(resources.reference_dir())
    names = frameworks.framework_names(frameworks.own_names(union), spellings)
    pattern = names_pattern([*names, *spellings.other_names])
    spans = {document: [m.span() for m in pattern.finditer(text)] for document, text in texts.items()}
    inside = [
        (quote, context(texts, document, start, end))
        for _, _, quote, document, start, end in mentions(links, texts)
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans[document])
    ]
    assert inside == []


@pytest.mark.parametrize(
    ("longer", "place"),
    [
        ("Embassy of Mexico", "country/MX"),
        ("Embassy of Switzerland", "country/CH"),
        ("Embassy of Canada", "country/CA"),
        ("United States Embassy", "country/US"),
        ("Republic of Croatia Government Office", "country/HR"),
        ("Philippines Overseas Employment Administration", "country/PH"),
        ("Barcelona Centre for International Affairs", "city/barcelona"),
        ("Identification Document of New York City", "city/new-york-city"),
        ("Canada Orientation Abroad", "country/CA"),
        ("Panama City", "country/PA"),
        ("Quito Local Agenda", "city/quito"),
        ("Kathmandu Valley", "city/kathmandu"),
        ("Brussels Pact", "city/brussels"),
        ("Palgrave Macmillan UK", "country/GB"),
    ],
)
def test_a_place_inside_a_longer_name_is_not_linked(linked, longer, place):
    _, links, _, texts = linked
    pattern = names_pattern([longer])
    spans = {d: [m.span() for m in pattern.finditer(t)] for d, t in texts.items()}
    assert any(spans.values()), f"{longer!r} is in a text"
    for _, _, _, document, start, end in mentions(links, texts, ID[f"place/{place}"]):
        assert not any(s <= start and end <= e for s, e in spans[document]), context(texts, document, start, end)


def test_the_longer_names_are_linked_where_they_name_something(linked):
    _, links, _, _ = linked
    assert links.value(ID["actor/cidob"], RDF.type) == MIG.CivilSocietyOrganisation
    assert links.value(ID["actor/poea"], RDF.type) == MIG.NationalGovernment
    assert links.value(ID["actor/croatia-office-human-rights"], RDF.type) == MIG.NationalGovernment
    panama_city = ID["place/city/panama-city"]
    assert links.value(panama_city, RDF.type) == MIG.City
    assert links.value(panama_city, MIG.inCountry) == ID["place/country/PA"]


def test_the_place_is_still_linked_where_the_same_text_names_it(linked):
    """Skipping the name inside a longer name loses no link the text states elsewhere."""
    _, links, _, _ = linked
    idnyc = next(s for s in links.subjects(MIG.mentionsPlace, ID["place/city/new-york-city"]) if "idnyc" in str(s))
    assert idnyc is not None  # 'all residents of New York City'
    quito = ID["place/city/quito"]
    assert any("migof/source" in str(s) for s in links.subjects(MIG.mentionsPlace, quito))  # 'held in Quito, Ecuador'
    coa = [s for s in links.subjects(MIG.mentionsPlace, ID["place/country/CA"]) if "orientation" in str(s)]
    assert coa  # 'potential migrants to Canada'


def test_distinct_name_occurrences_beside_the_annotations(linked):
    """A name inside nested spans (a practice's text inside its objective's) is annotated once per
    resource; the report counts both."""
    _, links, report, texts = linked
    found = mentions(links, texts)
    assert report.counts["mentions"] == len(found)
    assert report.counts["distinct name occurrences"] == len({(d, s, e) for *_, d, s, e in found})
    assert report.counts["distinct name occurrences"] < report.counts["mentions"]


@pytest.mark.parametrize(
    ("code", "name", "country"),
    [
        ("FM-KSA", "Kosrae", "FM"),
        ("FM-PNI", "Pohnpei", "FM"),
        ("FM-TRK", "Chuuk", "FM"),
        ("FM-YAP", "Yap", "FM"),
        ("NE-1", "Agadez", "NE"),
    ],
)
def test_first_level_subdivisions(linked, code, name, country):
    """The toolbox's 'six main population centres (i.e. Majuro, Ebeye, Kosrae, Pohnpei, Chuuk and
    Yap)': the last four are the states of the Federated States of Micronesia (ISO 3166-2), Majuro
    and Ebeye towns of the Marshall Islands; the booklet's 'the region of Agadez' is a region of
    Niger."""
    import pycountry

    _, links, _, _ = linked
    subdivision = ID[f"place/subdivision/{code.lower()}"]
    assert pycountry.subdivisions.get(code=code).name == name
    assert links.value(subdivision, RDF.type) == MIG.Subdivision
    assert str(links.value(subdivision, MIG.isoSubdivisionCode)) == code
    assert links.value(subdivision, MIG.inCountry) == ID[f"place/country/{country}"]
    assert (None, MIG.mentionsPlace, subdivision) in links
    assert (None, None, ID[f"place/city/{name.lower()}"]) not in links
    assert links.value(ID["place/city/majuro"], RDF.type) == MIG.City
