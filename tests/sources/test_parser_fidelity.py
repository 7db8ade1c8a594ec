"""Fidelity of the MiGOF toolbox's extraction: headings are not content. Facts read off the text
by hand: in element 1, the city level lists five items, then '- Cross-cutting:' with two indented
items under it ('Incorporate child-oriented and gender perspectives …;', 'Enactment of policies
and programmes that bring no harm …'). 'Cross-cutting:' names what the two have in common and
recommends nothing. The other items that end with a colon ('Support adherence with the principles
of equality and non-discrimination:', 'Enhance data collection, particularly:', …) are
recommendations that their sub-items detail."""

from conftest import violations
from rdflib import Graph
from rdflib.namespace import RDF

from migkg.graph.core.namespaces import ID, MIG

E = "migof/element"


def test_migof_no_recommendation_is_a_list_heading(migof):
    graph, _, _ = migof
    texts = [str(graph.value(r, MIG.text)) for r in graph.subjects(RDF.type, MIG.Recommendation)]
    assert "Cross-cutting:" not in texts
    assert not any(t.endswith(":") and len(t.split()) <= 3 for t in texts)


def test_migof_items_under_the_heading_are_city_level_recommendations(migof):
    graph, report, _ = migof
    city = ID[f"{E}/1/city-level"]
    top = sorted(
        (int(graph.value(r, MIG.position)), str(graph.value(r, MIG.text)))
        for r in graph.subjects(MIG.partOf, city)
        if (None, MIG.narrowerItem, r) not in graph
    )
    assert [p for p, _ in top] == list(range(1, 8))
    assert top[4][1].startswith("Advocacy role to decriminalize irregular migrants")
    assert top[5][1] == "Incorporate child-oriented and gender perspectives into policies and programmes;"
    assert top[6][1].startswith("Enactment of policies and programmes that bring no harm")
    ignored = [n for n in report.ignored if n.kind == "list-heading"]
    repaired = [n for n in report.repairs if n.kind == "list-heading"]
    assert len(ignored) == 1 and "'Cross-cutting:'" in ignored[0].message and ignored[0].line == 145
    assert len(repaired) == 1 and "city level" in repaired[0].message


def test_migof_recommendations_that_end_with_a_colon_keep_their_sub_items(migof):
    graph, _, _ = migof
    for iri, subs in (
        (f"{E}/1/operational-guidelines/2", 2),
        (f"{E}/2/city-level/3", 3),
        (f"{E}/2/operational-guidelines/1", 3),
        (f"{E}/5/operational-guidelines/9", 3),
    ):
        assert str(graph.value(ID[iri], MIG.text)).endswith(":")
        assert len(list(graph.objects(ID[iri], MIG.narrowerItem))) == subs


def test_migof_shapes_reject_a_list_heading_as_recommendation():
    bad = Graph().parse(
        data="""
        @prefix mig: <https://w3id.org/migkg/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/migkg/id/migof/element/9/city-level/1> a mig:Recommendation ;
            rdfs:label "heading"@en ; mig:governanceLevel mig:CityLevel ; mig:position 1 ;
            mig:partOf <https://w3id.org/migkg/id/migof/element/9/city-level> ;
            mig:text "Cross-cutting:"@en .
        <https://w3id.org/migkg/id/migof/element/9/city-level/2> a mig:Recommendation ;
            rdfs:label "item"@en ; mig:governanceLevel mig:CityLevel ; mig:position 2 ;
            mig:partOf <https://w3id.org/migkg/id/migof/element/9/city-level> ;
            mig:text "Enhance data collection, particularly:"@en .
    """,
        format="turtle",
    )
    messages = violations(bad)
    assert sum("short label and a colon" in m for m in messages) == 1
