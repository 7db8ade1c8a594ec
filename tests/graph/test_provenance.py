"""Every statement traceable: each quote equals the source text at its offsets."""

from __future__ import annotations

import re

from migkg import resources
from migkg.graph.core.source import load_documents


def test_every_quote_is_the_source_text_at_its_offsets(select):
    texts = {
        str(source.iri): source.text
        for document in load_documents(resources.sources_dir())
        for source in document.renderings
    }
    rows = select(
        "SELECT ?doc ?exact ?start ?end WHERE { ?t oa:hasSource ?doc ; oa:hasSelector ?q, ?p . "
        "?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }"
    )
    assert len(rows) > 1000
    wrong = [row for row in rows if texts[row["doc"]][row["start"] : row["end"]] != row["exact"]]
    assert wrong == []


def test_every_extracted_resource_has_its_own_describing_annotations_per_source_rendering(select):
    """At least one per rendering; more where other text (a footnote printed inside a passage)
    interrupts the resource's own: one per stretch, each named R#provenance…, none overlapping."""
    missing = select(
        "SELECT ?r ?doc WHERE { ?r dcterms:source ?doc . "
        "FILTER NOT EXISTS { ?a oa:hasBody ?r ; oa:motivatedBy oa:describing ; oa:hasTarget/oa:hasSource ?doc } }"
    )
    assert missing == []
    misnamed = select(
        "SELECT ?a WHERE { ?a oa:motivatedBy oa:describing ; oa:hasBody ?r . "
        "FILTER(!STRSTARTS(STR(?a), CONCAT(STR(?r), '#provenance'))) }"
    )
    assert misnamed == []
    overlapping = select(
        "SELECT ?a ?b WHERE { ?a oa:hasBody ?r ; oa:motivatedBy oa:describing ; oa:hasTarget ?ta . "
        "?b oa:hasBody ?r ; oa:motivatedBy oa:describing ; oa:hasTarget ?tb . FILTER(STR(?a) < STR(?b)) "
        "?ta oa:hasSource ?doc ; oa:hasSelector ?pa . ?tb oa:hasSource ?doc ; oa:hasSelector ?pb . "
        "?pa oa:start ?sa ; oa:end ?ea . ?pb oa:start ?sb ; oa:end ?eb . FILTER(?sa < ?eb && ?sb < ?ea) }"
    )
    assert overlapping == []


def test_mentions_point_at_the_name(select):
    rows = select(
        "SELECT ?label ?exact WHERE { ?a oa:motivatedBy oa:identifying ; oa:hasBody ?actor ; oa:hasTarget ?t . "
        "?t oa:hasSelector ?q . ?q oa:exact ?exact . ?actor rdfs:label ?label . FILTER(?actor = id:actor\\/iom) }"
    )
    assert rows
    assert {row["exact"] for row in rows} <= {"IOM", "International Organization for Migration"}


def test_no_blank_nodes_in_the_published_quads(build_dir):
    text = (build_dir / "migkg.nq").read_text(encoding="utf-8")
    assert not re.search(r"(^|\s)_:", text, flags=re.M)
