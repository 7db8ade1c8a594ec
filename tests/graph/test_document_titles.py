"""Each document's dcterms:title is its own title as printed, read from the text with provenance;
the manifest gives only a display label (rdfs:label). Titles read off graph/sources/."""

from __future__ import annotations

import pytest

from migkg.graph.core.source import load_documents
from migkg.resources import sources_dir

ID = "https://w3id.org/migkg/id/"

# The title lines as the texts print them: the GFMD paper's plain line after "Background Paper¹"
# and its two roundtable lines; the toolbox's second bold cover paragraph (after "MIGRATION
# GOVERNANCE FRAMEWORK"), in its capitals; the booklet's cover line above "Guidance for
# governments and all relevant stakeholders".
TITLES = {
    "gfmd-2017-rt32": "Strengthening cooperation – Enabling Civil Society Contributions in Migrant Integration",
    "migof-toolbox": "TOOLBOX OF MIGRATION-RELATED ELEMENTS FOR THE CITY RESILIENCE STRATEGY",
    "gcm-booklet": "Implementing the Global Compact for Safe, Orderly and Regular Migration",
}


@pytest.mark.parametrize("document, title", TITLES.items())
def test_a_documents_title_is_its_title_line_as_printed(select, document, title):
    [row] = select(f"SELECT ?title WHERE {{ <{ID}doc/{document}> dcterms:title ?title }}")
    assert row["title"] == title


@pytest.mark.parametrize("document, title", TITLES.items())
def test_the_title_has_its_own_provenance_in_the_text(select, document, title):
    [row] = select(
        f"SELECT ?quote ?start WHERE {{ <{ID}doc/{document}#provenance-title> oa:motivatedBy oa:describing ; "
        f"oa:hasBody <{ID}doc/{document}> ; oa:hasTarget ?target . ?target oa:hasSelector ?q , ?p . "
        "?q oa:exact ?quote . ?p oa:start ?start }"
    )
    text = next(s.text for d in load_documents(sources_dir()) for s in d.renderings if s.id == document)
    assert text[row["start"] : row["start"] + len(row["quote"])] == row["quote"]
    assert " ".join(row["quote"].split()) == title


def test_the_table_prints_no_title_and_has_only_its_display_label(select):
    for document in ("nua-table", "nua-table-tsv", "nua-table-ocr"):
        assert not select(f"SELECT ?t WHERE {{ <{ID}doc/{document}> dcterms:title ?t }}")
        [row] = select(f"SELECT ?label WHERE {{ <{ID}doc/{document}> rdfs:label ?label }}")
        assert row["label"].startswith("Recommendations table on migration in the New Urban Agenda")


def test_the_manifest_holds_no_title():
    manifest = (sources_dir() / "manifest.toml").read_text(encoding="utf-8")
    assert "\ntitle =" not in manifest and manifest.count("\nlabel =") == 5
