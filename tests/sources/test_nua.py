"""The recommendations table: one row set reconciled from the TSV and OCR renderings.

Facts checked here were read off both files by hand: three rows; the TSV repeats 'experience such
as registration and' at a line break, drops 'service delivery areas, especially those who', puts
'share both … cultural mediators.' at the start of row 2, spells 'gendersensitive' and spills the
first heading into row 1; the OCR interleaves the columns, prints 'Relevant' after a column rule
on row 3's first line, misreads 'IOs' as '10s' and has no bullets. Row 1's provenance into the
TSV quotes that sentence where it is, and row 2's is split around it."""

import re
from collections import Counter

from conftest import blank_nodes, provenance_mismatches, violations
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from migkg.graph.core.namespaces import ID, MIG, OA
from migkg.graph.core.provenance import extracted_spans

ROW = [ID[f"nua-table/row/{n}"] for n in (1, 2, 3)]
TSV, OCR = ID["doc/nua-table-tsv"], ID["doc/nua-table-ocr"]
MOVED = "share both a linguistic and cultural familiarity with target populations who can serve as cultural mediators."


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
            ("nua-table-tsv", "provenance-moved-text"): 2,
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


def describing_quotes(graph, row, rendering):
    """(start, end, exact) of each describing annotation of a row into one rendering, in text order."""
    quotes = []
    for annotation in graph.subjects(OA.hasBody, ROW[row - 1]):
        target = graph.value(annotation, OA.hasTarget)
        if graph.value(annotation, OA.motivatedBy) != OA.describing or graph.value(target, OA.hasSource) != rendering:
            continue
        selectors = list(graph.objects(target, OA.hasSelector))
        exact = next(str(graph.value(s, OA.exact)) for s in selectors if graph.value(s, OA.exact) is not None)
        start = next(int(graph.value(s, OA.start)) for s in selectors if graph.value(s, OA.start) is not None)
        end = next(int(graph.value(s, OA.end)) for s in selectors if graph.value(s, OA.end) is not None)
        quotes.append((start, end, exact))
    return sorted(quotes)


def moved_sentence_in_tsv(texts) -> tuple[int, int]:
    """Where the sentence that continues row 1 physically is: on row 2's line of the TSV."""
    tsv = texts[TSV]
    assert tsv.count(MOVED) == 1
    start = tsv.index(MOVED)
    line_start = tsv.rindex("\n", 0, start) + 1
    assert tsv[line_start:start] == "Enhance the socioeconomic well-being of migrants and society\t"
    return start, start + len(MOVED)


def test_moved_sentence_is_quoted_for_row_one_where_it_is(nua):
    graph, _, texts = nua
    start, end = moved_sentence_in_tsv(texts)
    quotes = describing_quotes(graph, 1, TSV)
    assert len(quotes) == 2 and quotes[1] == (start, end, MOVED)
    assert quotes[0][2].startswith("Promote and foster successful integration")
    exact = str(graph.value(ID["nua-table/row/1#provenance-tsv-2-quote"], OA.exact))
    assert exact == MOVED


def test_row_two_no_longer_quotes_the_moved_sentence(nua):
    graph, _, texts = nua
    start, end = moved_sentence_in_tsv(texts)
    quotes = describing_quotes(graph, 2, TSV)
    assert [exact for _, _, exact in quotes if "share both" in exact or "cultural mediators" in exact] == []
    assert all(e <= start or end <= s for s, e, _ in quotes)
    # ... and still quotes all of its own text, on either side of the sentence
    assert quotes[0][2] == "Enhance the socioeconomic well-being of migrants and society"
    assert quotes[1][2].startswith("• provide migrants access to education")
    assert quotes[1][2].endswith("special rights and needs.\tMunicipalities, social service providers")


def test_ocr_quotes_hold_the_sentence_for_row_one_only(nua):
    """The OCR prints the sentence at the end of row 1 (the columns interleave only within a row),
    so each row's one OCR quote holds its own cells and no other row's words."""
    graph, _, _ = nua
    ((_, _, row_1),) = describing_quotes(graph, 1, OCR)
    ((_, _, row_2),) = describing_quotes(graph, 2, OCR)
    assert re.sub(r"\s+", " ", row_1).endswith(MOVED)
    assert "share both" not in row_2 and "cultural mediators" not in row_2


def test_names_are_looked_for_where_each_row_is(nua):
    """The link stage finds actors, places and frameworks in the describing quotes: the moved
    sentence is scanned as row 1's text, and not as row 2's."""
    graph, _, texts = nua
    start, end = moved_sentence_in_tsv(texts)
    scanned = {(s.resource, s.start, s.end) for s in extracted_spans(graph) if s.document == TSV}
    assert (ROW[0], start, end) in scanned
    assert [s for s in scanned if s[0] == ROW[1] and s[1] < end and start < s[2]] == []


def test_split_provenance_recorded(nua):
    _, report, _ = nua
    moved = {note.resource: note for note in report.repairs if note.kind == "provenance-moved-text"}
    assert set(moved) == {str(ROW[0]), str(ROW[1])}
    assert "moved in from another row" in moved[str(ROW[0])].message
    assert "moved to another row" in moved[str(ROW[1])].message
    assert all("'share both a'" in note.message and note.source == "nua-table-tsv" for note in moved.values())
