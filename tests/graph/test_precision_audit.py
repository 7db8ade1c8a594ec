"""A precision audit of the whole build, read against the five texts.

What it covers, and where:
- every reference title and container, every instrument category and IRI, every resources-list
  entry that is an instrument: `test_booklet_fidelity.py` (each expected value read off the booklet);
- every document title: `test_document_titles.py`;
- here: every place mention whose name is part of a longer run of capitalised words in the text
  (where a place name can sit inside the name of a framework, organisation, programme or report)
  is one this audit has read and judged to name the place; and every mention's evidence lies in
  its resource's own text, never in a footnote or another table row printed inside it.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from migkg import resources
from migkg.graph.core.source import load_documents

CONNECTOR = r"(?:of|for|the|and|de|del|on)"
NAME_WORD = rf"(?:[A-Z][\w’'.&-]*|{CONNECTOR})"

# Every run of capitalised words around a place mention in the build, as the text prints it (one
# line), with the verdict of a reading: each names the place it holds (a government, a mayor, a
# city's department, "In …", a list of places, a sentence start). A run that is the name of
# something else (a framework, an organisation's office, a programme, a report) is not here: the
# place inside it must not be linked, and the audit fails if it is.
NAMES_THE_PLACE = {
    "A Pilot Project for the Philippines",  # a project title: for the Philippines, about it
    "After Bangladesh",
    "After Sri Lanka",
    "Australia and New Zealand",
    "Azerbaijan and Bosnia and Herzegovina",
    "Bangladesh and Sri Lanka",
    "Brazil and Colombia",
    "Canada and Mexico",
    "Central America and Mexico",
    "Chavakachcheri Town",
    "Chuuk and Yap",
    "City of Sao Paulo",
    "ECOWAS Member States and Mauritania",
    "En Quito",
    "Federated States of Micronesia and the Marshall Islands",
    "Federated States of Micronesia and the Marshall Islands.",
    "France and Poland",
    "Government of Italy",
    "Government of Mexico",
    "Government of Niger and UNICEF",
    "Government of Peru",
    "Government of Thailand",
    "Government of The Netherlands",
    "Government of Zambia",
    "Greece and Germany",
    "Guatemala and Mexico",
    "In Austria",
    "In Belgium",
    "In Costa Rica",
    "In Honduras",
    "In Hong Kong",
    "In Ireland",
    "In Namibia",
    "In Norway",
    "In Spain",
    "In Sweden",
    "In Zimbabwe",
    "In the Chavakachcheri",
    "In the Netherlands",
    "In the United Kingdom",
    "Kirtipur and Madhyapur",
    "Kirtipur and Madhyapur.",
    "Kirtipur and Madhyapur. The",
    "Laos and Myanmar",
    "Lima North",  # the northern part of Lima (GCM booklet, objective 4)
    "Mauritania and Senegal",
    "Medellín and Montevideo",
    "Mexico and the USA",
    "Mexico and the USA. The",
    "Netherlands and Italy",
    "Netherlands and Italy. Most",
    "New York City COVID-19",  # "Mayor de Blasio announces New York City COVID-19 immigrant emergency relief"
    "Norway and the United Kingdom",
    "November. Panama City",
    "Parts of Sri Lanka",
    "Peru and Ecuador",
    "Philippines and India",
    "Philippines and Japan",
    "Republic of Iraq and Islamic Republic of Pakistan",
    "Republic of Iraq and Islamic Republic of Pakistan. GLO.ACT",
    "Republic of the Philippines",
    "Sfax and Douala. April",
    "The City of Gwangju",
    "The Government of Thailand",
    "The Mayor of Sfax",
    "The Migration Department of the City of Sao Paulo",
    "The Philippines",
    "The US",
    "Tunisia and Thailand",
    "UNDP and Switzerland",
    "UNICEF and the Ministry of Education of Honduras",
    "United Kingdom and United States",
    "United States Government's Human Trafficking Task Force",  # the US Government's task force
    "Washington, D.C. Available",
}


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {
        str(source.iri): source.text
        for document in load_documents(resources.sources_dir())
        for source in document.renderings
    }


@pytest.fixture(scope="module")
def mentions(select) -> list[dict]:
    """Every actor and place mention: the resource, what it names, the document and the span."""
    return select(
        "SELECT ?resource ?body ?link ?doc ?start ?end WHERE { "
        "?a oa:motivatedBy oa:identifying ; oa:hasBody ?body ; oa:hasTarget ?t . "
        "?t oa:hasSource ?doc ; oa:hasSelector ?p . ?p oa:start ?start ; oa:end ?end . "
        "?resource ?link ?body . FILTER(?link IN (mig:mentionsPlace, mig:mentionsActor)) "
        "FILTER(STRSTARTS(STR(?a), CONCAT(STR(?resource), '#mention-'))) }"
    )


def capitalised_run(text: str, start: int, end: int) -> str:
    """The run of capitalised words (joined by spaces and connectors) that the name at
    [start, end) stands in, without connectors at its edges; the name alone where it stands alone."""
    before = re.search(rf"(?:{NAME_WORD} +)*$", text[max(0, start - 80) : start]).group()
    after = re.match(rf"(?: +{NAME_WORD})*", text[end : end + 80]).group()
    before = re.sub(rf"^(?:{CONNECTOR} +)+", "", before)
    after = re.sub(rf"(?: +{CONNECTOR})+$", "", after)
    return before + text[start:end] + after


def test_every_place_name_inside_a_longer_run_of_names_was_read_and_names_the_place(mentions, texts):
    runs = {
        capitalised_run(texts[row["doc"]], row["start"], row["end"])
        for row in mentions
        if row["link"].endswith("mentionsPlace")
    }
    longer = {run for run in runs if " " in run and not _is_a_place_name(run, mentions, texts)}
    assert longer - NAMES_THE_PLACE == set(), "read these in the text: does each name the place?"
    assert NAMES_THE_PLACE - longer == set(), "these runs are no longer linked: drop them from the list"


def _is_a_place_name(run: str, mentions: list[dict], texts: dict[str, str]) -> bool:
    """Whether the run is itself the name a place mention quotes ("Mexico City", "Sri Lanka")."""
    return run in {texts[row["doc"]][row["start"] : row["end"]] for row in mentions}


def test_no_place_is_linked_from_inside_a_report_or_programme_title(mentions, texts):
    """The booklet's references 'Italy Country Report' (IOM 2016) and 'Honduras Country Office
    Annual Report 2019' (UNICEF) are report titles: they do not mention Italy or Honduras."""
    quoted = {
        capitalised_run(texts[row["doc"]], row["start"], row["end"])
        for row in mentions
        if row["link"].endswith("mentionsPlace")
    }
    assert not {run for run in quoted if "Report" in run or "Framework" in run or "Agenda" in run}


@pytest.fixture(scope="module")
def foreign_spans(select) -> dict[str, list[tuple[str, int, int]]]:
    """For each document, the describing spans of text printed inside other resources' text:
    footnotes, and the recommendations table's rows."""
    rows = select(
        "SELECT ?resource ?doc ?start ?end WHERE { ?a oa:motivatedBy oa:describing ; oa:hasBody ?resource ; "
        "oa:hasTarget ?t . ?t oa:hasSource ?doc ; oa:hasSelector ?p . ?p oa:start ?start ; oa:end ?end . "
        "{ ?resource a mig:Footnote } UNION { ?resource a mig:TableRow } }"
    )
    spans: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for row in rows:
        spans[row["doc"]].append((row["resource"], row["start"], row["end"]))
    return spans


def test_no_mention_lies_in_a_footnote_or_row_that_is_not_its_resource(mentions, foreign_spans):
    astray = [
        (row["resource"], row["body"], owner)
        for row in mentions
        for owner, start, end in foreign_spans[row["doc"]]
        if owner != row["resource"] and start <= row["start"] and row["end"] <= end
    ]
    assert astray == []


def test_the_audit_sees_footnotes_and_rows(foreign_spans):
    owners = {owner for spans in foreign_spans.values() for owner, _, _ in spans}
    assert sum("footnote" in o for o in owners) > 40 and sum("nua-table/row" in o for o in owners) == 3
