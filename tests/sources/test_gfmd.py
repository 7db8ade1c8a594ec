"""The GFMD 2017 Roundtable 3.2 background paper. Facts read off the text by hand: sections 0
and I–VI; 11 integration indicators (bold phrases); 4 key aspects, 6 challenges and 8
opportunities, each opening with a lead phrase and a colon; a five-level participation table;
3 guiding-question items; 47 footnotes; six sentences cut by a page break and its footnotes, and
one ('…explored in Roundtable 3.1 on') that the next page does not continue."""

from collections import Counter

from conftest import blank_nodes, provenance_mismatches, violations
from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SKOS

from migkg.graph.core.namespaces import ID, MIG, sdg_iri

G = "gfmd-2017"


def of_type(graph, rdf_type):
    return sorted(graph.subjects(RDF.type, rdf_type), key=lambda i: int(graph.value(i, MIG.position)))


def labels(graph, rdf_type):
    return [str(graph.value(i, RDFS.label)) for i in of_type(graph, rdf_type)]


def test_counts(gfmd):
    graph, _, _ = gfmd
    counts = Counter(graph.objects(None, RDF.type))
    assert counts[MIG.Section] == 7
    assert counts[MIG.Indicator] == 11
    assert counts[MIG.KeyAspect] == 4
    assert counts[MIG.Challenge] == 6
    assert counts[MIG.Opportunity] == 8
    assert counts[MIG.ParticipationLevel] == 5
    assert counts[MIG.Question] == 3
    assert counts[MIG.Footnote] == 47
    assert counts[MIG.Definition] == 1


def test_paper_metadata_from_title_page_and_footnote_1(gfmd):
    graph, _, _ = gfmd
    paper = ID["doc/gfmd-2017-rt32"]
    assert str(graph.value(paper, MIG.roundtable)) == "3.2"
    assert str(graph.value(paper, MIG.roundtableTheme)) == (
        "Roundtable 3: Migration and Development: Finding strategies beyond the State"
    )
    assert graph.value(paper, MIG.preparedBy) == ID["actor/jmdi"]
    assert set(graph.objects(paper, MIG.coChair)) == {ID["place/country/CA"], ID["place/country/MX"]}
    assert set(graph.objects(paper, MIG.teamMember)) == {ID["place/country/GR"], ID["place/country/DE"]}
    assert set(graph.objects(paper, MIG.nonStatePartner)) == {ID[f"actor/{a}"] for a in ("ilo", "unhcr", "icmc", "iom")}


def test_sections_by_numeral(gfmd):
    graph, _, _ = gfmd
    assert [str(graph.value(s, SKOS.notation)) for s in of_type(graph, MIG.Section)] == [
        "0",
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
    ]
    assert str(graph.value(ID[f"{G}/section/IV"], RDFS.label)) == "Main challenges"
    assert str(graph.value(ID[f"{G}/section/VI"], RDFS.label)) == "Guiding questions for debate"


def test_definition_of_integration(gfmd):
    graph, _, _ = gfmd
    definition = str(graph.value(ID[f"{G}/definition/integration"], SKOS.definition))
    assert definition.startswith("While the term is used and understood differently")
    assert "“integration” can be defined as the process by which migrants become accepted into society" in definition
    assert definition.endswith("bind migrants and host communities in a common purpose.")
    assert ID[f"{G}/footnote/10"] in set(graph.objects(ID[f"{G}/definition/integration"], MIG.hasFootnote))


def test_indicators(gfmd):
    graph, _, _ = gfmd
    names = labels(graph, MIG.Indicator)
    assert names[0] == "knowledge and understanding of the host country and territory"
    assert names[1] == "linguistic integration"
    assert names[7] == "civic integration"
    assert names[-1] == "extent to which integration policies have been mainstreamed into development planning"
    civic = str(graph.value(ID[f"{G}/indicator/8"], MIG.text))
    assert civic.startswith("their civic integration (i.e. their membership in associations")


def test_lead_phrase_items(gfmd):
    graph, _, _ = gfmd
    assert labels(graph, MIG.KeyAspect) == [
        "Special role of CSOs",
        "Interaction on employment and with the private sector",
        "Local and regional authorities",
        "Media",
    ]
    assert labels(graph, MIG.Challenge) == [
        "Realising rights are essential for integration",
        "Politicisation of immigration",
        "Limited capacities of local and regional authorities and CSOs",
        "Challenges for employment and the private sector",
        "Multi-actor coordination",
        "Challenges women face to integrate",
    ]
    opportunities = labels(graph, MIG.Opportunity)
    assert len(opportunities) == 8
    assert opportunities[0] == "A multi-stakeholder, participatory and whole-of-society approach"
    assert opportunities[-1] == "Combating rising xenophobia and racism for enhanced social inclusion"
    # a passage without a lead phrase continues the item before it
    special_role = str(graph.value(ID[f"{G}/key-aspect/1"], MIG.text))
    assert "Migrants and the diaspora, as well as their associations" in special_role
    assert "(examples include FORIM migrants' association in France)" in special_role


def test_sentences_cut_by_page_breaks_are_rejoined(gfmd):
    graph, report, _ = gfmd
    assert sum(n.kind == "page-break-sentence" for n in report.repairs) == 6
    employment = str(graph.value(ID[f"{G}/key-aspect/2"], MIG.text))
    assert "important elements to actively participate in society." in employment
    coordination = str(graph.value(ID[f"{G}/challenge/5"], MIG.text))
    assert "Failure to do this can result in wasted resources, duplication" in coordination
    overview = str(graph.value(ID[f"{G}/section/I"], MIG.text))
    assert "picks up directly on SDG 10.7, and is immediately pointing at policy approaches" in overview
    assert "¹" not in overview and "This paper has been prepared by the JMDI" not in overview
    truncated = [n for n in report.warnings if n.kind == "truncated-sentence"]
    assert len(truncated) == 1 and "Roundtable 3.1 on" in truncated[0].message


def test_participation_spectrum(gfmd):
    graph, _, _ = gfmd
    levels = of_type(graph, MIG.ParticipationLevel)
    assert [str(graph.value(level, SKOS.prefLabel)) for level in levels] == [
        "Inform",
        "Consult",
        "Involve",
        "Collaborate",
        "Empower",
    ]
    assert str(graph.value(levels[0], SKOS.definition)) == (
        "Government entities provide information to CSO on their migration and development priorities"
    )
    assert str(graph.value(levels[4], SKOS.definition)).endswith(
        "and empowers CSO by providing financial and technical support"
    )
    tapping = ID[f"{G}/opportunity/3"]
    assert graph.value(ID[f"{G}/participation-spectrum"], MIG.partOf) == tapping
    assert "Government entities provide information" not in str(graph.value(tapping, MIG.text))


def test_guiding_questions(gfmd):
    graph, _, _ = gfmd
    texts = [str(graph.value(q, MIG.text)) for q in of_type(graph, MIG.Question)]
    assert texts[0] == (
        "What roles and responsibilities do migrants themselves have in the "
        "integration process? How can authorities, civil society and employers "
        "further contribute to this?"
    )
    assert texts[2].startswith("What framework conditions need to be provided by the state")


def test_footnotes_linked_to_citing_sentences(gfmd):
    graph, _, _ = gfmd
    note = ID[f"{G}/footnote/4"]
    assert str(graph.value(note, MIG.text)).startswith("JMDI (2016) Migrants’ Integration as a Pre-requisite")
    assert str(graph.value(note, MIG.citingText)).startswith("As a “stepping stone to realise")
    assert (ID[f"{G}/section/I"], MIG.hasFootnote, note) in graph
    assert (ID["doc/gfmd-2017-rt32"], MIG.hasFootnote, ID[f"{G}/footnote/1"]) in graph
    # footnote 13 sits after a page break inside key aspect 2; its sentence is the one it ends
    assert (ID[f"{G}/key-aspect/2"], MIG.hasFootnote, ID[f"{G}/footnote/13"]) in graph
    assert str(graph.value(ID[f"{G}/footnote/13"], MIG.citingText)).endswith(
        "even for those in temporary or short-term employment."
    )
    cited = set(graph.objects(None, MIG.hasFootnote))
    assert len(cited) == 47


def test_sdg_goals_and_targets_named(gfmd):
    graph, report, _ = gfmd
    section = ID[f"{G}/section/I"]
    assert set(graph.objects(section, MIG.relevantSDGGoal)) == {sdg_iri(g) for g in ("4", "5", "8", "10")}
    assert set(graph.objects(section, MIG.relevantSDGTarget)) == {sdg_iri("10.7"), sdg_iri("10.c")}
    assert any(n.kind == "sdg-notation" and "10.c" in n.message for n in report.repairs)


def test_provenance_blank_nodes_and_shapes(gfmd):
    graph, _, texts = gfmd
    assert not provenance_mismatches(graph, texts)
    assert not blank_nodes(graph)
    assert violations(graph) == []


def test_shapes_reject_challenge_without_lead_phrase_and_open_question():
    bad = Graph().parse(
        data="""
        @prefix mig: <https://w3id.org/migkg/ontology#> .
        <https://w3id.org/migkg/id/gfmd-2017/challenge/9> a mig:Challenge ;
            mig:position 9 ; mig:text "A challenge that lost its lead phrase somewhere."@en .
        <https://w3id.org/migkg/id/gfmd-2017/question/9> a mig:Question ;
            mig:position 9 ; mig:text "What framework conditions need to be provided"@en .
    """,
        format="turtle",
    )
    messages = violations(bad)
    assert any("mig:leadPhrase" in m for m in messages)
    assert any("question mark" in m for m in messages)
