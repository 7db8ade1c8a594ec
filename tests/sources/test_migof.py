"""The MiGOF city-resilience toolbox. Facts read off the text by hand: 13 sources (one cut by a
page rule); goals a–c (an empty bullet before b, c indented like a sub-item); policy
objectives a–d; four working definitions, chronic stresses and acute shocks narrower than urban
resilience with four examples each; six elements whose headings sit at levels 2, 3 and 4 and
whose contents order (1, 2, 6, 5, 4, 3 by body number) differs from the body; 117 top-level
recommendations and 13 sub-items (130 in all: the list item 'Cross-cutting:' in element 1's city
level is a heading over the two items under it, not a recommendation, and those two are
recommendations of the city level); 20 country examples."""

from collections import Counter

from conftest import blank_nodes, provenance_mismatches, violations
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from migkg.graph.core.namespaces import ID, MIG

E = "migof/element"


def items(graph, element, level):
    section = ID[f"{E}/{element}/{level}"]
    return [s for s in graph.subjects(MIG.partOf, section) if (None, MIG.narrowerItem, s) not in graph]


def test_counts(migof):
    graph, _, _ = migof
    counts = Counter(graph.objects(None, RDF.type))
    assert counts[MIG.EssentialElement] == 6
    assert counts[MIG.Recommendation] == 130  # 131 items less the heading 'Cross-cutting:'
    assert counts[MIG.Practice] == 20
    assert counts[MIG.Reference] == 13
    assert counts[MIG.Goal] == 3
    assert counts[MIG.PolicyObjective] == 4
    assert counts[MIG.Definition] == 4
    assert counts[MIG.Section] == 17


def test_elements_in_body_order_with_contents_order(migof):
    graph, report, _ = migof
    names = [str(graph.value(ID[f"{E}/{n}"], SKOS.prefLabel)) for n in range(1, 7)]
    assert names == [
        "Adherence to international standards and the fulfilment of migrants' right",
        "Rely on evidence and whole-of-government approaches",
        "Build partnerships",
        "Enable socioeconomic well-being of migrants and society",
        "Prepare for, respond to and recover through effective responses to the mobility dimensions of crises",
        "Safe, orderly and dignified migration",
    ]
    toc = [int(graph.value(ID[f"{E}/{n}"], MIG.tableOfContentsPosition)) for n in range(1, 7)]
    assert toc == [1, 2, 6, 5, 4, 3]
    assert str(graph.value(ID[f"{E}/3"], MIG.tableOfContentsTitle)) == "Partnerships"
    assert str(graph.value(ID[f"{E}/1"], SKOS.altLabel)).endswith("migrants' rights")
    assert sum(n.kind == "contents-order" for n in report.repairs) == 4
    for n in range(1, 7):
        assert graph.value(ID[f"{E}/{n}"], MIG.partOf) == ID["migof"]


def test_inconsistent_heading_levels_are_recorded(migof):
    _, report, _ = migof
    levels = [n for n in report.repairs if n.kind == "heading-level"]
    assert {n.line for n in levels if "element heading" in n.message} == {206, 238}
    assert len(levels) == 6


def test_recommendations_per_element_and_level(migof):
    graph, _, _ = migof
    expected = {  # (element, level): top-level items
        (1, "state-level"): 6,
        (1, "city-level"): 7,  # five items, then the two under the heading 'Cross-cutting:'
        (1, "operational-guidelines"): 9,
        (2, "state-level"): 2,
        (2, "city-level"): 8,
        (2, "operational-guidelines"): 2,
        (3, "state-level"): 4,
        (3, "city-level"): 2,
        (3, "operational-guidelines"): 3,
        (4, "state-level"): 6,
        (4, "city-level"): 8,
        (4, "operational-guidelines"): 17,
        (5, "state-level"): 12,
        (5, "city-level"): 17,
        (5, "operational-guidelines"): 9,
        (6, "state-level"): 2,
        (6, "city-level"): 3,
    }
    for (element, level), count in expected.items():
        assert len(items(graph, element, level)) == count, (element, level)
    assert (ID[f"{E}/6/operational-guidelines"], None, None) not in graph
    level = graph.value(ID[f"{E}/3/city-level/2"], MIG.governanceLevel)
    assert level == MIG.CityLevel
    assert str(graph.value(ID[f"{E}/3/city-level/2"], MIG.text)).startswith(
        "Engage all partners at the subnational level (government agencies, CSOs"
    )


def test_nested_sub_items(migof):
    graph, _, _ = migof
    # 'Cross-cutting:' heads two items; they are recommendations of the city level, not sub-items
    under_heading = [ID[f"{E}/1/city-level/{n}"] for n in (6, 7)]
    assert [str(graph.value(s, MIG.text)) for s in under_heading] == [
        "Incorporate child-oriented and gender perspectives into policies and programmes;",
        "Enactment of policies and programmes that bring no harm and alleviate migrant vulnerability.",
    ]
    assert all(graph.value(s, MIG.governanceLevel) == MIG.CityLevel for s in under_heading)
    assert not any((None, MIG.narrowerItem, s) in graph for s in under_heading)
    assert (ID[f"{E}/1/city-level/8"], None, None) not in graph
    assert len(list(graph.objects(ID[f"{E}/2/city-level/3"], MIG.narrowerItem))) == 3
    assert len(list(graph.objects(ID[f"{E}/5/operational-guidelines/9"], MIG.narrowerItem))) == 3
    assert sum(1 for _ in graph.triples((None, MIG.narrowerItem, None))) == 13


def test_lists_split_by_blank_lines_kept_whole(migof):
    graph, report, _ = migof
    # element 4's operational guidelines continue after a blank line: items 4-17 follow 1-3
    assert str(graph.value(ID[f"{E}/4/operational-guidelines/4"], MIG.text)).startswith(
        "Maintain strong, results-focused integration"
    )
    assert str(graph.value(ID[f"{E}/5/state-level/9"], MIG.text)).startswith("Maintain effective identity management")
    assert sum(n.kind == "split-list" for n in report.repairs) == 7


def test_introductions_and_lead_phrases(migof):
    graph, _, _ = migof
    assert str(graph.value(ID[f"{E}/4/state-level"], MIG.introduction)).endswith("This would include:")
    assert str(graph.value(ID[f"{E}/4/operational-guidelines"], MIG.introduction)).startswith(
        "Support productive work, by cities ensuring"
    )
    assert str(graph.value(ID[f"{E}/1"], MIG.introduction)).startswith(
        "Humane and orderly migration relies on compliance with international law."
    )
    assert str(graph.value(ID[f"{E}/4/city-level/2"], MIG.leadPhrase)) == "Employment and Skills Recognition"


def test_country_examples(migof):
    graph, _, _ = migof

    def countries(element, n):
        return {c.rsplit("/", 1)[-1] for c in graph.objects(ID[f"{E}/{element}/example/{n}"], MIG.exampleCountry)}

    assert countries(3, 1) == {"PH"}
    assert countries(3, 2) == {"FM", "MH"}
    assert countries(4, 4) == {"FR", "DE", "IT", "BE", "ES", "HU", "CZ", "PL"}
    assert countries(4, 7) == set()  # the MICIC Initiative names no country
    philippines = ID[f"{E}/3/example/1"]
    assert str(graph.value(philippines, DCTERMS.title)) == "The Philippines"
    assert set(graph.objects(philippines, MIG.implementedBy)) >= {
        ID["actor/iom"],
        ID["actor/philippines-dilg"],
        ID["actor/naga-city-government"],
    }
    haiti = str(graph.value(ID[f"{E}/4/example/5"], DCTERMS.description))
    assert haiti.count("\n\n") == 1 and "To overcome the obstacles posed by the land tenure" in haiti
    indonesia = str(graph.value(ID[f"{E}/4/example/6"], DCTERMS.description))
    assert "2. With an ever-growing global demand" in indonesia
    assert graph.value(ID[f"{E}/5/example/1"], MIG.illustrates) == ID[f"{E}/5"]


def test_goals_and_policy_objectives(migof):
    graph, report, _ = migof
    assert [str(graph.value(ID[f"migof/goal/{x}"], SKOS.prefLabel)) for x in "abc"] == [
        "Cities are recognized as both policymakers and managers of the entire population under their jurisdiction",
        "Cities are equipped with comprehensive tools to manage migration well",
        "IOM and partners pool knowledge and resources to support cities' efforts of building urban resilience",
    ]
    assert str(graph.value(ID["migof/goal/b"], MIG.text)).endswith("appropriate for urban settings.")
    assert str(graph.value(ID["migof/policy-objective/d"], SKOS.prefLabel)).startswith(
        "Support local solutions to migration"
    )
    kinds = {n.kind for n in report.repairs}
    assert {"empty-bullet", "indented-lettered-item"} <= kinds


def test_working_definitions(migof):
    graph, _, _ = migof
    resilience = ID["migof/definition/urban-resilience"]
    stresses = ID["migof/definition/chronic-stresses"]
    shocks = ID["migof/definition/acute-shocks"]
    assert set(graph.objects(resilience, SKOS.narrower)) == {stresses, shocks}
    assert str(graph.value(stresses, SKOS.definition)) == (
        "Chronic stresses weaken the fabric of a city on a daily or cyclical basis."
    )
    assert {str(x) for x in graph.objects(shocks, SKOS.example)} == {
        "earthquakes",
        "floods",
        "disease outbreaks",
        "terrorist attacks",
    }
    assert str(graph.value(ID["migof/definition/migrant"], SKOS.prefLabel)) == "migrant"


def test_sources_with_page_break_rejoined(migof):
    graph, report, _ = migof
    assert str(graph.value(ID["migof/source/2"], DCTERMS.title)).startswith("World Migration Report 2015")
    mayoral = str(graph.value(ID["migof/source/5"], MIG.text))
    assert "release of the Quito Local Agenda, which serves to outline concrete areas" in mayoral
    assert "---" not in mayoral
    assert str(graph.value(ID["migof/source/5"], DCTERMS.title)) == (
        "The Annual Mayoral Forum on Mobility, Migration and Development"
    )
    assert any(n.kind == "page-break-item" for n in report.repairs)


def test_the_2030_agenda_source_names_sdg_11(migof):
    graph, _, _ = migof
    # "the 2030 Agenda of Sustainable Development Goals, including the “Goal 11” dedicated to cities"
    agenda = next(s for s in graph.subjects(MIG.relevantSDGGoal, None))
    assert "2030 Agenda of Sustainable Development Goals" in str(graph.value(agenda, DCTERMS.title))
    assert list(graph.objects(None, MIG.relevantSDGGoal)) == [URIRef("http://metadata.un.org/sdg/11")]


def test_provenance_blank_nodes_and_shapes(migof):
    graph, _, texts = migof
    assert not provenance_mismatches(graph, texts)
    assert not blank_nodes(graph)
    assert violations(graph) == []


def test_shapes_reject_recommendation_without_level_and_element_without_number():
    bad = Graph().parse(
        data="""
        @prefix mig: <https://w3id.org/migkg/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://w3id.org/migkg/id/migof/element/9/city-level/1> a mig:Recommendation ;
            mig:position 1 ; mig:text "A recommendation with no governance level."@en .
        <https://w3id.org/migkg/id/migof/element/9> a mig:EssentialElement ;
            skos:prefLabel "An element without its number"@en .
    """,
        format="turtle",
    )
    messages = violations(bad)
    assert any("governance level" in m for m in messages)
    assert any("mig:number from 1 to 6" in m for m in messages)
