"""Actors and places named across the documents, and the cross-document links the texts state.

The parsers' graphs (the GCM booklet's included) go through the link stage and the
cross-document links, as in the build; the facts were read off the texts: footnote 1 of the GFMD
paper names ILO, UNHCR, ICMC and IOM; the Mayoral Forum is named by the toolbox, the table and
the GFMD paper under three spellings; 'IOs' in the table's partnerships; the toolbox's
Micronesia/Marshall Islands and multi-country examples; the table draws on MiGOF and the New Urban
Agenda; the GFMD paper names the GCM and the 2030 Agenda."""

import csv
from collections import Counter

import pycountry
import pytest
from conftest import ALL_SHAPES, DOCUMENTS, REGISTRY, blank_nodes, run_parser, violations
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from migkg import resources
from migkg.graph.core.namespaces import GEOAREA, ID, MIG
from migkg.graph.core.report import BuildReport
from migkg.graph.stages import crosslinks, link

DOCUMENT_IDS = ("gcm-booklet", "migof-toolbox", "gfmd-2017-rt32", "nua-table")


@pytest.fixture(scope="module")
def linked():
    """All documents' graphs, their union with the link stage's and the crosslinks' output."""
    graphs, texts = {}, {}
    for document in DOCUMENT_IDS:
        graph, _, document_texts = run_parser(document)
        graphs[document] = graph
        texts.update(document_texts)
    union = Graph()
    for graph in graphs.values():
        union += graph
    report = BuildReport()
    mentions = link.link_mentions(union, texts, REGISTRY, report)
    frameworks = crosslinks.link_documents(union + mentions, list(DOCUMENTS.values()), REGISTRY.spellings, report)
    ours = Graph()
    for document in DOCUMENT_IDS[1:]:
        ours += graphs[document]
    ours_mentions = link.link_mentions(ours, texts, REGISTRY, BuildReport())  # keeps validation small
    return graphs, union + mentions + frameworks, frameworks, report, ours + ours_mentions + frameworks


def rows(name):
    with (resources.reference_dir() / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_registries_are_well_formed():
    actors, places = rows("actors.tsv"), rows("places.tsv")
    assert len({r["id"] for r in actors}) == len(actors)
    assert len({r["id"] for r in places}) == len(places)
    for row in actors:
        assert hasattr(MIG, row["type"]) and row["type"][0].isupper(), row
    names = Counter(name for r in actors for name in {r["label"], *filter(None, r["aliases"].split("|"))})
    assert [n for n, c in names.items() if c > 1] == []  # one name, one actor
    for row in places:
        code = row["id"] if row["kind"] == "country" else row["country"]
        assert pycountry.countries.get(alpha_2=code) is not None, row


def test_one_actor_across_spellings_and_documents(linked):
    _, graph, _, _, _ = linked
    note_1 = ID["gfmd-2017/footnote/1"]
    assert set(graph.objects(note_1, MIG.mentionsActor)) >= {
        ID["actor/ilo"],
        ID["actor/unhcr"],
        ID["actor/icmc"],
        ID["actor/iom"],
        ID["actor/jmdi"],
    }
    forum = ID["actor/mayoral-forum"]
    mentioning = {str(s) for s in graph.subjects(MIG.mentionsActor, forum)}
    assert ID["migof/source/5"] in {ID[s.split("/id/")[1]] for s in mentioning}  # 'Annual Mayoral Forum …'
    assert str(ID["nua-table/row/3"]) in mentioning  # 'Mayoral Forum on Mobility …'
    assert str(ID["gfmd-2017/footnote/19"]) in mentioning  # 'Global Mayoral Forum on Human Mobility …'
    assert (ID["nua-table/row/3"], MIG.mentionsActor, ID["actor/international-organizations"]) in graph
    assert graph.value(ID["actor/icmc"], RDF.type) == MIG.CivilSocietyOrganisation
    assert graph.value(ID["actor/mayoral-forum"], RDF.type) == MIG.ForumOrProcess


def test_actors_and_places_shared_with_the_booklet(linked):
    graphs, graph, _, _, _ = linked
    booklet = set(graphs["gcm-booklet"].subjects())

    def documents_naming(entity, prop):
        named = set(graph.subjects(prop, entity))
        return {"gcm" if s in booklet else str(s).split("/id/")[1].split("/")[0] for s in named}

    assert {"gcm", "migof", "gfmd-2017", "nua-table"} <= documents_naming(ID["actor/iom"], MIG.mentionsActor)
    assert {"gcm", "gfmd-2017"} <= documents_naming(ID["actor/jmdi"], MIG.mentionsActor)
    assert {"gcm", "migof"} <= documents_naming(ID["place/city/quito"], MIG.mentionsPlace)


def test_countries_with_iso_m49_and_geoarea(linked):
    _, graph, _, _, _ = linked
    micronesia = ID["place/country/FM"]
    assert (ID["migof/element/3/example/2"], MIG.exampleCountry, micronesia) in graph
    assert str(graph.value(micronesia, MIG.isoAlpha3)) == "FSM"
    assert str(graph.value(micronesia, MIG.m49)) == "583"
    assert graph.value(micronesia, SKOS.exactMatch) == GEOAREA["583"]
    czechia = ID["place/country/CZ"]
    assert (ID["migof/element/4/example/4"], MIG.mentionsPlace, czechia) in graph  # 'Czech Republic'
    assert graph.value(ID["place/city/naga"], MIG.inCountry) == ID["place/country/PH"]


def test_frameworks_the_texts_name(linked):
    _, _, frameworks, report, _ = linked

    def named(resource):
        return {str(o).split("/id/")[1] for o in frameworks.objects(ID[resource], MIG.mentionsFramework)}

    # the Urban Migration Governance Framework, IOM's, built on MiGOF (graph/reference/frameworks.tsv)
    assert named("nua-table/row/1") == {
        "migof",
        "instrument/new-urban-agenda",
        "framework/urban-migration-governance-framework",
    }
    assert named("gfmd-2017/section/0") == {"gcm", "instrument/2030-agenda-for-sustainable-development"}
    assert "gcm" in named("gfmd-2017/section/I")  # 'Global Compact on Migration (GCM)'
    assert named("migof/source/9") == {"instrument/2030-agenda-for-sustainable-development"}
    assert named("migof/source/11") == {
        "instrument/sendai-framework-for-disaster-risk-reduction-2015-2030",
        "instrument/idndr-framework-for-action",
        "instrument/yokohama-strategy",
        "instrument/international-strategy-disaster-reduction",
    }
    assert report.counts["framework mentions"] >= 20


def test_a_variant_spelling_a_text_uses_becomes_a_name_of_its_framework(linked):
    """The GFMD paper's "Global Compact on Migration" (section I), the booklet's "Global Compact for
    Migration" (the Migration Network Hub) and the toolbox's "2030 Agenda of Sustainable Development
    Goals" (source 9) are names the graph then gives the GCM and the 2030 Agenda; the variants no
    text uses are not."""
    _, _, frameworks, _, _ = linked
    assert set(frameworks.objects(ID["gcm"], SKOS.altLabel)) == {
        Literal("Global Compact on Migration", lang="en"),
        Literal("Global Compact for Migration", lang="en"),
    }
    agenda = ID["instrument/2030-agenda-for-sustainable-development"]
    assert Literal("2030 Agenda of Sustainable Development Goals", lang="en") in set(
        frameworks.objects(agenda, SKOS.altLabel)
    )
    assert (ID["gfmd-2017/section/I"], MIG.mentionsFramework, ID["gcm"]) in frameworks


def test_links_conform_and_have_no_blank_nodes(linked):
    """The MiGOF, GFMD and table documents with the links (the booklet's SDG citations need the SDG graph,
    which the build adds; they are the core shapes' business)."""
    _, _, frameworks, _, ours = linked
    assert not blank_nodes(frameworks)
    assert violations(ours, ALL_SHAPES) == []


def test_shapes_reject_unknown_implementer_and_bad_actor_iri():
    bad = Graph().parse(
        data="""
        @prefix mig: <https://w3id.org/migkg/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://w3id.org/migkg/id/migof/element/1/example/9> mig:implementedBy <https://w3id.org/migkg/id/actor/nobody> .
        <https://w3id.org/migkg/id/actor/Bad_Id> a mig:UNEntity ; skos:prefLabel "Bad"@en .
    """,
        format="turtle",
    )
    messages = violations(bad, ALL_SHAPES)
    assert any("implementing organisation" in m for m in messages)
    assert any("id/actor/<registry id>" in m for m in messages)
