"""Fidelity of the GFMD paper's provenance:
a resource's provenance quotes hold its own text and nothing else. Facts read off the texts by hand.

GFMD paper: footnotes are printed at page ends, inside the passages they interrupt. Key aspect 2
('Interaction on employment …') runs on after footnotes 12 and 13 ('society.', then the paragraph
'Budgetary demands …'); challenge 5
('Multi-actor coordination') breaks after 'can result in wasted' and runs on after footnotes
19–24 ('resources, duplication, …'). In the participation table, a level's name is a cell of the
header line and its description the cell below it, with the other levels' cells between."""

from conftest import REGISTRY, provenance_mismatches, run_parser
from rdflib.namespace import RDF

from migkg.graph.core.namespaces import ID, MIG, OA
from migkg.graph.core.report import BuildReport
from migkg.graph.stages import link

G = "gfmd-2017"


def describing_quotes(graph, resource) -> list[str]:
    """The quotes of ``resource``'s describing annotations, in source order."""
    quotes = []
    for annotation in graph.subjects(OA.hasBody, resource):
        if (annotation, OA.motivatedBy, OA.describing) not in graph:
            continue
        selectors = list(graph.objects(graph.value(annotation, OA.hasTarget), OA.hasSelector))
        start = next(int(graph.value(s, OA.start)) for s in selectors if graph.value(s, OA.start) is not None)
        exact = next(str(graph.value(s, OA.exact)) for s in selectors if graph.value(s, OA.exact) is not None)
        quotes.append((start, exact))
    return [exact for _, exact in sorted(quotes)]


def describing_spans(graph, resource) -> list[tuple[int, int]]:
    spans = []
    for annotation in graph.subjects(OA.hasBody, resource):
        if (annotation, OA.motivatedBy, OA.describing) in graph:
            for s in graph.objects(graph.value(annotation, OA.hasTarget), OA.hasSelector):
                if graph.value(s, OA.start) is not None:
                    spans.append((int(graph.value(s, OA.start)), int(graph.value(s, OA.end))))
    return sorted(spans)


def test_gfmd_quotes_match_the_source(gfmd):
    graph, _, texts = gfmd
    assert not provenance_mismatches(graph, texts)


def test_gfmd_no_quote_of_the_body_holds_a_footnote(gfmd):
    graph, _, _ = gfmd
    footnotes = set(graph.subjects(RDF.type, MIG.Footnote))
    notes = [span for note in footnotes for span in describing_spans(graph, note)]
    assert len(notes) == 47
    for resource in set(graph.subjects(OA.hasBody, None)) - footnotes:
        if (resource, RDF.type, None) not in graph or not str(resource).startswith(ID[G]):
            continue
        for start, end in describing_spans(graph, resource):
            inside = [(s, e) for s, e in notes if start < e and s < end]
            assert not inside, f"{resource} [{start}:{end}] holds footnote text {inside}"


def test_gfmd_key_aspect_2_is_two_stretches_around_footnotes_12_and_13(gfmd):
    graph, _, _ = gfmd
    quotes = describing_quotes(graph, ID[f"{G}/key-aspect/2"])
    assert len(quotes) == 2
    assert quotes[0].startswith("Interaction on employment and with the private sector:")
    assert quotes[0].endswith("important elements to actively participate in")
    assert quotes[1].startswith("society.\n\nBudgetary demands and stretched resources")
    assert quotes[1].endswith("integration, discrimination and human rights aims.")
    assert not any("Financial Times" in q or "Hack-Polay" in q for q in quotes)


def test_gfmd_challenge_5_leaves_out_footnotes_19_to_24(gfmd):
    graph, _, _ = gfmd
    quotes = describing_quotes(graph, ID[f"{G}/challenge/5"])
    assert len(quotes) == 2
    assert quotes[0].startswith("Multi-actor coordination: A final challenge")
    assert quotes[0].endswith("Failure to do this can result in wasted")
    assert quotes[1] == (
        "resources, duplication, as well as frustration due to general inefficacy as well as a lack "
        "of clarity in roles and competencies."
    )
    assert "wasted resources, duplication" in str(graph.value(ID[f"{G}/challenge/5"], MIG.text))


def test_gfmd_participation_level_quotes_its_two_cells(gfmd):
    graph, _, _ = gfmd
    assert describing_quotes(graph, ID[f"{G}/participation-level/involve"]) == [
        "Involve",
        "Government works directly with CSO throughout the process to ensure their concerns and "
        "aspirations are consistently understood and considered",
    ]
    assert describing_quotes(graph, ID[f"{G}/participation-level/inform"]) == [
        "Inform",
        "Government entities provide information to CSO on their migration and development priorities",
    ]


def test_gfmd_a_split_resource_is_named_provenance_then_provenance_2(gfmd):
    graph, report, _ = gfmd
    challenge = ID[f"{G}/challenge/5"]
    for name in ("provenance", "provenance-2"):
        annotation = ID[f"{G}/challenge/5#{name}"]
        assert (annotation, OA.motivatedBy, OA.describing) in graph
        assert graph.value(annotation, OA.hasBody) == challenge
    split = [n for n in report.repairs if n.kind == "provenance-own-text"]
    assert any(n.resource == str(challenge) and "footnotes 19, 20, 21, 22, 23, 24" in n.message for n in split)


def test_gfmd_footnote_names_are_the_footnotes_mentions_only(gfmd):
    graph, _, texts = gfmd
    links = link.link_mentions(graph, texts, REGISTRY, BuildReport())
    key_aspect, note = ID[f"{G}/key-aspect/2"], ID[f"{G}/footnote/12"]
    for actor in ("financial-times", "wall-street-journal"):
        assert (key_aspect, MIG.mentionsActor, ID[f"actor/{actor}"]) not in links
        assert (note, MIG.mentionsActor, ID[f"actor/{actor}"]) in links
    for country in ("GB", "US"):
        assert (key_aspect, MIG.mentionsPlace, ID[f"place/country/{country}"]) not in links
        assert (note, MIG.mentionsPlace, ID[f"place/country/{country}"]) in links
    # section I names Canada and Mexico only in footnote 1, who co-chair the roundtable
    assert (ID[f"{G}/section/I"], MIG.mentionsPlace, ID["place/country/CA"]) not in links
    # challenge 5 names the MPI in footnotes 20 and 24 only
    assert (ID[f"{G}/challenge/5"], MIG.mentionsActor, ID["actor/mpi"]) not in links
    # what the text itself names stays linked
    assert (ID[f"{G}/key-aspect/1"], MIG.mentionsActor, ID["actor/civil-society"]) in links


def test_gfmd_parser_alone_is_deterministic():
    first, _, _ = run_parser("gfmd-2017-rt32")
    second, _, _ = run_parser("gfmd-2017-rt32")
    assert set(first) == set(second)
