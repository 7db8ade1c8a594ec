"""The recommendations table: one row set reconciled from the TSV and OCR renderings.

Facts checked here were read off both files by hand: three rows; the TSV repeats 'experience such
as registration and' at a line break, drops 'service delivery areas, especially those who', puts
'share both … cultural mediators.' at the start of row 2, spells 'gendersensitive' and spills the
first heading into row 1; the OCR interleaves the columns, prints 'Relevant' after a column rule
on row 3's first line, misreads 'IOs' as '10s' and has no bullets."""

from collections import Counter

from conftest import blank_nodes, provenance_mismatches, violations
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from migkg.graph.core.namespaces import ID, MIG, OA

ROW = [ID[f"nua-table/row/{n}"] for n in (1, 2, 3)]


def cell(graph, row, prop):
    return str(graph.value(ROW[row - 1], prop))


def test_three_rows_in_order(nua):
    graph, _, _ = nua
    assert sorted(graph.subjects(RDF.type, MIG.TableRow)) == ROW
    assert [int(graph.value(r, MIG.number)) for r in ROW] == [1, 2, 3]
    assert cell(graph, 1, MIG.text).startswith("Promote and foster successful integration")
    assert cell(graph, 1, MIG.text).endswith("develop the functions and tools required to manage greater diversity.")
    assert cell(graph, 2, MIG.text) == "Enhance the socioeconomic well-being of migrants and society"
    assert cell(graph, 3, MIG.text).startswith("Ensure that national and local policies on sustainable development")


def test_header_is_not_part_of_row_one(nua):
    graph, _, _ = nua
    assert "Recommendations/Actionable" not in cell(graph, 1, MIG.text)


def test_lost_hyphen_restored_from_ocr(nua):
    graph, _, _ = nua
    assert "tailored, gender-sensitive integration services" in cell(graph, 1, MIG.text)


def test_repeated_words_kept_once(nua):
    graph, _, _ = nua
    means = cell(graph, 1, MIG.meansOfImplementation)
    assert means.count("experience such as registration and") == 1
    assert "safe migration experience such as registration and documentation," in means


def test_stranded_continuation_and_dropped_words(nua):
    graph, _, _ = nua
    means_1 = cell(graph, 1, MIG.meansOfImplementation)
    assert means_1.startswith("The Urban Migration Governance Framework, developed by IOM")
    assert means_1.endswith(
        "can be increased through embedding migrants in service delivery areas, "
        "especially those who share both a linguistic and cultural familiarity "
        "with target populations who can serve as cultural mediators."
    )
    means_2 = cell(graph, 2, MIG.meansOfImplementation)
    assert means_2.startswith(
        "• provide migrants access to education, health, and other social services on a non-discriminatory basis"
    )
    assert means_2.count("•") == 3
    assert "share both" not in means_2


def test_partnerships(nua):
    graph, _, _ = nua
    assert cell(graph, 1, MIG.partnerships) == (
        "Engaging all relevant stakeholders, including civil society, the private sector, local "
        "city governments and communities, migrants, diaspora groups is essential to promoting "
        "social cohesion."
    )
    assert cell(graph, 2, MIG.partnerships) == "Municipalities, social service providers"
    assert cell(graph, 3, MIG.partnerships) == (
        "Relevant ministries at the national level, municipalities, cities, civil society, IOs"
    )


def test_tsv_typography_kept(nua):
    graph, _, _ = nua
    assert 'dynamics ("migration marker")' in cell(graph, 3, MIG.text)
    assert "the country's culture" in cell(graph, 1, MIG.meansOfImplementation)
    assert cell(graph, 3, MIG.meansOfImplementation).startswith("expansion of pilot projects")


def test_every_difference_recorded(nua):
    _, report, _ = nua
    kinds = Counter((note.source, note.kind) for note in report.repairs)
    assert kinds == Counter(
        {
            ("nua-table-tsv", "header-spill"): 1,
            ("nua-table-tsv", "duplicated-text"): 1,
            ("nua-table-tsv", "stranded-continuation"): 1,
            ("nua-table-tsv", "lost-hyphen"): 1,
            ("nua-table-tsv", "dropped-words"): 1,
            ("nua-table-ocr", "ocr-dropped-bullet"): 3,
            ("nua-table-ocr", "ocr-misreading"): 1,
            ("nua-table-ocr", "typography"): 6,
            ("nua-table-ocr", "column-interleave"): 7,
        }
    )
    messages = " ".join(note.message for note in report.repairs)
    assert "'10s'" in messages and "'IOs'" in messages
    assert "'service delivery areas, especially those who'" in messages
    assert not report.warnings


def test_provenance_into_both_renderings(nua):
    graph, _, texts = nua
    assert not provenance_mismatches(graph, texts)
    for row in ROW:
        assert set(graph.objects(row, DCTERMS.source)) == {ID["doc/nua-table-tsv"], ID["doc/nua-table-ocr"]}
    quote = str(graph.value(ID["nua-table/row/2#provenance-ocr-quote"], OA.exact))
    assert quote.startswith("Enhance the socioeconomic") and quote.endswith("special rights and needs.")


def test_no_blank_nodes_and_shapes_hold(nua):
    graph, _, _ = nua
    assert not blank_nodes(graph)
    assert violations(graph) == []


def test_shape_rejects_row_without_partnerships_or_ocr_provenance():
    bad = Graph().parse(
        data="""
        @prefix mig: <https://w3id.org/migkg/ontology#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <https://w3id.org/migkg/id/nua-table/row/9> a mig:TableRow ;
            mig:number 9 ; mig:text "A recommendation without partners."@en ;
            mig:meansOfImplementation "Some means of implementation."@en ;
            mig:partOf <https://w3id.org/migkg/id/doc/nua-table> ;
            dcterms:source <https://w3id.org/migkg/id/doc/nua-table-tsv> .
    """,
        format="turtle",
    )
    messages = violations(bad)
    assert any("'Partnerships' cell" in m for m in messages)
    assert any("both renderings" in m for m in messages)
