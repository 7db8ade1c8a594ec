"""The GCM booklet's author–year citations, linked to its reference list (graph/stages/citations.py).

The expected facts were read off graph/sources/gcm-implementation-booklet-2022.txt by hand: the
citations in the practice descriptions and the "References" list at the end of the booklet."""

from __future__ import annotations

import json

import pytest
from pyshacl import validate
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from migkg import resources
from migkg.graph.core.namespaces import ID, MIG
from migkg.graph.core.source import load_documents
from migkg.graph.stages.citations import author_matches, citations_in

BOOKLET = next(
    document for document in load_documents(resources.sources_dir()) if document.id == "gcm-booklet"
).renderings[0]
BMFSFJ_AND_UNICEF = (
    "BMFSFJ (Federal Ministry for Family Affairs, Senior Citizens, Women and Youth) and "
    "United Nations Children's Fund (UNICEF)"
)
CITATIONS = "FILTER(CONTAINS(STR(?a), '#citation-'))"


@pytest.fixture(scope="module")
def cited(select):
    """Every recorded citation: the resource that cites, the reference, the quote and its offsets."""
    return select(
        "SELECT ?a ?resource ?reference ?creator ?date ?exact ?start ?end WHERE { "
        "?a oa:motivatedBy oa:identifying ; oa:hasBody ?reference ; oa:hasTarget ?t . "
        "?t oa:hasSource ?doc ; oa:hasSelector ?q, ?p . ?q oa:exact ?exact . "
        "?p oa:start ?start ; oa:end ?end . "
        "?reference dcterms:creator ?creator ; dcterms:date ?date . "
        f"BIND(IRI(STRBEFORE(STR(?a), '#')) AS ?resource) {CITATIONS} }} ORDER BY ?start ?a"
    )


@pytest.fixture(scope="module")
def report(build_dir):
    return json.loads((build_dir / "build-report.json").read_text(encoding="utf-8"))


def references_of(select, resource: str) -> set[tuple[str, str]]:
    rows = select(
        f"SELECT ?creator ?date WHERE {{ <{resource}> dcterms:references ?r . "
        "?r dcterms:creator ?creator ; dcterms:date ?date }"
    )
    return {(row["creator"], row["date"]) for row in rows}


def test_unicef_2020a_is_the_2020a_entry_not_2020b(cited, select):
    # "International Data Alliance for Children on the Move" ends "(UNICEF, 2020a)"; the list has
    # UNICEF 2020a (a press release on data) and 2020b (practices during COVID-19).
    [row] = [row for row in cited if row["exact"] == "(UNICEF, 2020a)"]
    assert row["resource"] == str(ID["practice/international-data-alliance-for-children-on-the-move"])
    assert references_of(select, row["resource"]) == {("United Nations Children's Fund (UNICEF)", "2020a")}
    [later] = [row for row in cited if row["exact"] == "(UNICEF, 2020b)"]
    assert (later["creator"], later["date"]) == ("United Nations Children's Fund (UNICEF)", "2020b")


def test_a_personal_author_by_the_leading_surname(cited):
    # "Lowering remittance costs" and "Technological developments in mobile payments" both cite
    # "(Cirasino, 2014)"; the list has "Cirasino, M." — 2014.
    rows = [row for row in cited if row["exact"] == "(Cirasino, 2014)"]
    assert {row["resource"] for row in rows} == {
        str(ID["practice/lowering-remittance-costs"]),
        str(ID["practice/technological-developments-in-mobile-payments"]),
    }
    assert {(row["creator"], row["date"]) for row in rows} == {("Cirasino, M.", "2014")}


def test_several_authors_resolve_to_the_joint_entry(cited):
    # "Ecuador's call to local action on migration" cites "(UCLG, Mayors Migration Council and IOM,
    # 2020)"; the list also has "United Cities and Local Governments (UCLG) Committee" 2020.
    [row] = [row for row in cited if row["exact"] == "(UCLG, Mayors Migration Council and IOM, 2020)"]
    assert row["resource"] == str(ID["practice/ecuador-s-call-to-local-action-on-migration"])
    assert row["creator"] == (
        "United Cities and Local Governments (UCLG), Mayors Migration Council (MMC) "
        "and International Organization for Migration (IOM)"
    )
    [committee] = [row for row in cited if row["exact"] == "(UCLG Committee, 2020)"]
    assert committee["creator"] == "United Cities and Local Governments (UCLG) Committee"
    assert {(row["creator"], row["date"]) for row in cited if row["exact"] == "(Clemens and Gough, 2018)"} == {
        ("Clemens, M. and K. Gough", "2018")
    }
    assert {row["creator"] for row in cited if row["exact"] == "(IOM and JMDI, 2015)"} == {
        "International Organization for Migration (IOM) and Joint Migration and Development Initiative (JMDI)"
    }


def test_a_qualifier_must_match_the_creator_suffix(cited, select):
    # "Local governments" cites "(UNICEF UK, 2018)" and "(UNICEF, 2018; 2019)": two UNICEF 2018
    # entries, one of them UNICEF's UK committee's.
    local = str(ID["practice/local-governments"])
    by_quote = {row["exact"]: row["creator"] for row in cited if row["resource"] == local}
    assert by_quote["(UNICEF UK, 2018)"] == "United Nations Children's Fund (UNICEF) United Kingdom (UK)"
    assert by_quote["UNICEF, 2018"] == "United Nations Children's Fund (UNICEF)"
    assert {row["creator"] for row in cited if row["exact"] == "(UNICEF Mexico, 2015)"} == {
        "United Nations Children's Fund (UNICEF) Mexico"
    }
    assert {row["creator"] for row in cited if row["exact"] == "(UNDP Moldova, n.d.)"} == {
        "United Nations Development Programme (UNDP) Moldova"
    }
    assert {row["creator"] for row in cited if row["exact"] == "(UNDP, n.d.)"} == {
        "United Nations Development Programme (UNDP)"
    }


def test_one_parenthesis_with_several_citations(cited):
    # "Providing access to primary and secondary healthcare":
    # "(PICUM, 2016; PICUM, 2017; Chauvin, 2009; Smith, 2018)" — each item is its own citation.
    practice = str(ID["practice/providing-access-to-primary-and-secondary-healthcare"])
    rows = {row["exact"]: (row["creator"], row["date"]) for row in cited if row["resource"] == practice}
    picum = "Platform for International Cooperation on Undocumented Migrants (PICUM)"
    assert rows == {
        "PICUM, 2016": (picum, "2016"),
        "PICUM, 2017": (picum, "2017"),
        "Chauvin, 2009": ("Chauvin, P., Isabelle Parizot and Nathalie Simonnot", "2009"),
        "Smith, 2018": ("Smith, A. C. et al.", "2018"),
        "(UN Women, 2021)": ("United Nations Women (UN Women)", "2021"),
    }


def test_no_date_citations_and_their_letters(cited):
    # The booklet cites undated works as "n.d."; the list prints "N.D." and, for two works by one
    # author, "N.D.a" and "N.D.b".
    assert {(row["creator"], row["date"]) for row in cited if row["exact"] == "(Inclusiv, n.d.a)"} == {
        ("Inclusiv", "N.D.a")
    }
    assert {row["date"] for row in cited if "n.d." in row["exact"]} == {"N.D.", "N.D.a"}


def test_resolved_count(cited, report):
    # 84 citations in the booklet (67 with a year, 17 "n.d."), 7 of them unresolved (below).
    assert report["counts"]["citations"] == 77 == len(cited)
    assert report["counts"]["unresolved citations"] == 7
    assert len(citations_in(BOOKLET.text)) == 84


def test_unresolved_citations_are_reported(report):
    expected = {
        # "Indonesia's DESBUMI local initiatives" cites a website; the list has no such entry.
        ("unresolved-citation", 70205, "(Mampu.bappenas.go.id, n.d.)"),
        # "Identifying missing migrants in Italy" and "Migration Multi-Partner Trust Fund" cite
        # "(IOM, 2019)"; the list has three IOM 2019 entries (the trust fund office, the Thailand
        # film festival, iDIASPORA) with no letters to tell them apart.
        ("ambiguous-citation", 87214, "(IOM, 2019)"),
        ("ambiguous-citation", 197238, "(IOM, 2019)"),
        # "International Committee of the Red Cross" cites "(Robins, 2018)"; the list has Robins 2019.
        ("unresolved-citation", 87613, "(Robins, 2018)"),
        # "(UNICEF, 2018; 2019)" in "Local governments", and "(UNICEF, 2019)" in "Honduras's
        # educational bridges program": the list has two UNICEF 2019 entries, without letters.
        ("ambiguous-citation", 144481, "2019"),
        ("ambiguous-citation", 185696, "(UNICEF, 2019)"),
        # "Europass portal" cites "(Braňka, 2016)"; the list spells the author "Braňška, J.".
        ("unresolved-citation", 161039, "(Braňka, 2016)"),
    }
    notes = [note for note in report["warnings"] if note["kind"] in ("unresolved-citation", "ambiguous-citation")]
    text = BOOKLET.text
    spans = {citation.span.start: citation.span for citation in citations_in(text)}
    found = {(note["kind"], note["offset"], text[note["offset"] : spans[note["offset"]].end]) for note in notes}
    assert found == expected
    assert all(
        note["source"] == "gcm-booklet" and note["resource"] and "citation '" in note["message"] for note in notes
    )


def test_each_quote_is_the_source_text_at_its_offsets(cited):
    text = BOOKLET.text
    assert all(text[row["start"] : row["end"]] == row["exact"] for row in cited)
    whole = [row["exact"] for row in cited if row["exact"].startswith("(")]
    assert all(quote.endswith(")") for quote in whole)


def test_each_citation_lies_in_the_citing_resource_and_links_it(select, cited):
    rows = select(
        "SELECT ?resource ?start ?end WHERE { ?a oa:motivatedBy oa:describing ; oa:hasBody ?resource ; "
        "oa:hasTarget/oa:hasSelector ?p . ?p oa:start ?start ; oa:end ?end }"
    )
    spans = {}
    for row in rows:
        spans.setdefault(row["resource"], []).append((row["start"], row["end"]))
    for row in cited:
        assert any(s <= row["start"] and row["end"] <= e for s, e in spans[row["resource"]]), row
        assert (row["creator"], row["date"]) in references_of(select, row["resource"])
    assert {row["resource"].split("/id/")[1].split("/")[0] for row in cited} == {"practice"}


@pytest.mark.parametrize(
    "cited_as, creator, expected",
    [
        ("UNICEF", "United Nations Children's Fund (UNICEF)", True),
        ("UNICEF", "United Nations Children's Fund (UNICEF) Mexico", False),
        ("UNICEF UK", "United Nations Children's Fund (UNICEF) United Kingdom (UK)", True),
        ("UNICEF UK", "United Nations Children's Fund (UNICEF)", False),
        ("UNICEF", BMFSFJ_AND_UNICEF, False),
        ("BMFSFJ and UNICEF", BMFSFJ_AND_UNICEF, True),
        ("Coalition to Abolish Slavery & Trafficking", "Coalition to Abolish Slavery and Trafficking (CAST)", True),
        ("UN Network on Migration", "United Nations Network on Migration", True),
        ("Columbia SIPA", "Columbia School of International and Public Affairs (SIPA)", True),
        ("Government of Mexico", "Government of Mexico (Secretaría de Relaciones Exteriores)", True),
        ("Cirasino", "Cirasino, M.", True),
        ("Clemens", "Clemens, M. and K. Gough", True),
        ("Gough", "Clemens, M. and K. Gough", False),
        ("Clemens and Gough", "Clemens, M.A.", False),
        ("Braňka", "Braňška, J.", False),
    ],
)
def test_author_rule(cited_as, creator, expected):
    assert author_matches(cited_as, creator) is expected


def test_what_is_not_a_citation():
    text = (
        "Act (2008) (in force 2003) (2015–2030) (January – December 2019) "
        "(IOM, 2019) (UNICEF, 2018; 2019) (OHCHR, n.d.b)"
    )
    found = [(c.authors, c.year, text[c.span.start : c.span.end]) for c in citations_in(text)]
    assert found == [
        ("IOM", "2019", "(IOM, 2019)"),
        ("UNICEF", "2018", "UNICEF, 2018"),
        ("UNICEF", "2019", "2019"),
        ("OHCHR", "n.d.b", "(OHCHR, n.d.b)"),
    ]


def test_a_cited_resource_must_be_a_reference():
    shapes = Graph().parse(resources.shapes_dir() / "core.ttl", format="turtle")
    data = Graph()
    practice, other = ID["practice/p"], ID["instrument/i"]
    data.add((practice, DCTERMS.references, other))
    data.add((other, RDF.type, MIG.LegalInstrument))
    data.add((other, RDFS.label, Literal("An instrument", lang="en")))
    _, results, _ = validate(data, shacl_graph=shapes, inference="none")
    paths = {
        (results.value(r, SH.focusNode), results.value(r, SH.resultPath))
        for r in results.subjects(RDF.type, SH.ValidationResult)
    }
    assert (practice, DCTERMS.references) in paths
