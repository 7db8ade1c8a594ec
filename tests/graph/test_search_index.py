"""The full-text search index (build/search.sqlite) and the search over it (migkg.api.search),
against the real build. Expected values are the documents' own words."""

from __future__ import annotations

import io
import json
import re
import sqlite3

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migkg import resources
from migkg.api.search import MAX_QUERY_LENGTH, SearchIndex, SearchQueryInvalid, fts_query
from migkg.graph.stages import search_index
from migkg.graph.stages.crosswalk.embeddings import DIMENSIONS, load_cache
from migkg.graph.stages.crosswalk.lexical import load_stopwords

ID = "https://w3id.org/migkg/id/"
GCM_BOOKLET = ID + "doc/gcm-booklet"
THAI_BIRTH_REGISTRATION = ID + "practice/birth-registration-programming-thailand-s-civil-registration-act-2008"


@pytest.fixture(scope="module")
def index(build_dir) -> SearchIndex:
    index = SearchIndex(build_dir / "search.sqlite")
    yield index
    index.close()


@pytest.fixture(scope="module")
def database(build_dir) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{build_dir / 'search.sqlite'}?mode=ro&immutable=1", uri=True)


def iris(index: SearchIndex, q: str, types=None, limit: int = 1000) -> list[str]:
    return [hit.iri for hit in index.search(q, types, limit, 0).items]


def hit(index: SearchIndex, q: str, iri: str, types=None):
    return next(h for h in index.search(q, types, 1000, 0).items if h.iri == iri)


# ---- the index as built ----


def test_the_build_writes_the_index_and_no_partial_file(build_dir):
    assert (build_dir / "search.sqlite").is_file()
    assert not (build_dir / "search.sqlite.partial").exists()


def test_the_same_store_gives_a_byte_identical_index(build_dir, tmp_path):
    progress = io.StringIO()
    reference = resources.reference_dir() / "crosswalk"
    store = pyoxigraph.Store.read_only(str(build_dir / "store"))
    count, _ = search_index.write(tmp_path, store, load_stopwords(reference), load_cache(reference), out=progress)
    assert (tmp_path / "search.sqlite").read_bytes() == (build_dir / "search.sqlite").read_bytes()
    assert f"search index: {count} resources" in progress.getvalue()


def test_every_resource_has_a_cached_sentence_vector(build_dir, database):
    """The vectors `make embeddings` caches match the resources' texts: when a text changes, this
    fails until the cache is recomputed."""
    report = json.loads((build_dir / "build-report.json").read_text(encoding="utf-8"))
    assert report["counts"]["search_index_without_vector"] == 0
    assert database.execute("SELECT count(*) FROM vector").fetchone()[0] == report["counts"]["search_index_resources"]
    length = database.execute("SELECT DISTINCT length(value) FROM vector").fetchall()
    assert length == [(2 * DIMENSIONS,)]


def test_every_resource_is_indexed_once(select, database):
    # not the crosswalk's mappings, nor the IRIs of earlier releases that only redirect
    counted = select("""SELECT (COUNT(DISTINCT ?resource) AS ?n) WHERE {
        ?resource ?p ?o .
        FILTER(isIRI(?resource) && STRSTARTS(STR(?resource), STR(id:)) && !CONTAINS(STR(?resource), "#"))
        FILTER NOT EXISTS { ?resource a mig:Mapping }
        FILTER NOT EXISTS { ?resource owl:sameAs ?current } }""")
    resources = counted[0]["n"]
    assert resources > 1000
    assert database.execute("SELECT count(*) FROM resource").fetchone()[0] == resources
    assert database.execute("SELECT count(*) FROM search").fetchone()[0] == resources
    assert database.execute("SELECT value FROM meta WHERE key = 'resources'").fetchone()[0] == str(resources)
    assert database.execute("SELECT count(*) FROM resource WHERE iri LIKE '%#%'").fetchone()[0] == 0


@pytest.mark.parametrize("cls", ["Practice", "Action", "Objective", "Country", "SDGTargetCitation"])
def test_types_are_the_materialised_mig_classes(select, database, cls):
    expected = select(f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r a mig:{cls} }}")[0]["n"]
    assert database.execute("SELECT count(*) FROM resource_type WHERE type = ?", (cls,)).fetchone()[0] == expected


def test_an_action_is_also_a_commitment(database):
    # rdfs:subClassOf, materialised by the reason stage
    assert (
        database.execute("SELECT types FROM resource WHERE iri = ?", (ID + "gcm/objective/4/action/a",)).fetchone()[0]
        == "Action Commitment"
    )


def test_the_tokenizer_stems_and_folds_diacritics(database):
    sql = database.execute("SELECT sql FROM sqlite_master WHERE name = 'search'").fetchone()[0]
    assert "porter unicode61 remove_diacritics 2" in sql


def test_a_resource_holds_its_label_and_texts(database):
    label, document, labels, text = database.execute(
        "SELECT resource.label, resource.document, search.label, search.text FROM resource "
        "JOIN search ON search.rowid = resource.id WHERE resource.iri = ?",
        (ID + "gcm/objective/4",),
    ).fetchone()
    assert label == "GCM objective 4: Legal identity and documentation"
    assert document == GCM_BOOKLET
    assert "Legal identity and documentation" in labels
    # mig:commitmentTitle, as printed under the heading
    assert "ENSURE THAT ALL MIGRANTS HAVE PROOF OF LEGAL IDENTITY AND ADEQUATE DOCUMENTATION" in text


def test_row_ids_follow_the_iris(database):
    iris_by_id = [iri for (iri,) in database.execute("SELECT iri FROM resource ORDER BY id")]
    assert iris_by_id == sorted(iris_by_id)


# ---- searching ----


def test_known_types(index):
    assert {"Practice", "Action", "Objective", "Country", "Reference"} <= set(index.known_types())
    assert index.known_types() == sorted(index.known_types())


def test_birth_registration(index):
    found = iris(index, "birth registration")
    # "Birth Registration Programming: Thailand's Civil Registration Act (2008)", an example practice of objective 4
    assert THAI_BIRTH_REGISTRATION in found[:3]
    # SDG 16.9 as printed for objective 4: "By 2030, provide legal identity for all, including birth registration"
    assert ID + "gcm/objective/4/sdg-citation/16.9" in found


def test_objective_4_actions_come_first_for_their_words(index):
    # 4a: "Improve civil registry systems, with a particular focus on reaching unregistered persons …"
    assert iris(index, "civil registry systems")[0] == ID + "gcm/objective/4/action/a"
    # 4e: "… including by registering migrants' births …"
    assert ID + "gcm/objective/4/action/e" in iris(index, "registering births")[:2]
    assert iris(index, "statelessness", ["Action"])[0] == ID + "gcm/objective/4/action/e"


def test_a_hit_carries_label_types_document_and_score(index):
    page = index.search("civil registry systems", None, 5, 0)
    first = page.items[0]
    assert first.label == "GCM objective 4, action a"
    assert first.types == ["Action", "Commitment"]
    assert first.document == GCM_BOOKLET
    assert first.score > 0
    assert [h.score for h in page.items] == sorted((h.score for h in page.items), reverse=True)


def test_the_type_filter(index):
    practices = index.search("migrants", ["Practice"], 100, 0).items
    assert practices and all("Practice" in h.types for h in practices)
    both = index.search("birth registration", ["Practice", "SDGTargetCitation"], 100, 0).items
    assert all({"Practice", "SDGTargetCitation"} & set(h.types) for h in both)
    assert THAI_BIRTH_REGISTRATION in [h.iri for h in both]
    assert ID + "gcm/objective/4/sdg-citation/16.9" in [h.iri for h in both]
    # names are matched case-insensitively; an empty list filters nothing
    assert iris(index, "migrants", ["practice"]) == iris(index, "migrants", ["Practice"])
    assert iris(index, "migrants", []) == iris(index, "migrants")


def test_an_unknown_type_lists_the_known_ones(index):
    with pytest.raises(SearchQueryInvalid, match=r"unknown type 'Recipe'.*Practice"):
        index.search("migrants", ["Recipe"], 10, 0)


def test_the_last_word_is_a_prefix(index):
    # "systems of registration;" (MiGOF element 5, an operational guideline): "regist" is a prefix
    assert ID + "migof/element/5/operational-guidelines/9/1" in iris(index, "regist")
    # a prefix longer than the stem ("registr"): found through the unstemmed vocabulary
    for typed in ("registra", "registrati", "registratio"):
        assert THAI_BIRTH_REGISTRATION in iris(index, typed), typed
    assert ID + "gcm/objective/4/action/a" in iris(index, "civil regi")


def test_stemming(index):
    # whole words (a closed phrase is no prefix): "migrants" and "migrant" find the same resources
    assert set(iris(index, '"migrants"')) == set(iris(index, '"migrant"'))
    # 4e says "registering migrants' births"
    assert ID + "gcm/objective/4/action/e" in iris(index, '"birth"')


def test_a_quoted_phrase(index):
    phrase = index.search('"birth registration"', None, 1000, 0).items
    words = set(iris(index, "birth registration"))
    assert {h.iri for h in phrase} <= words
    assert all(re.search(r"<mark>birth registration</mark>", h.snippet, re.I) for h in phrase)
    # "registering migrants' births" has both words but not the phrase
    assert ID + "gcm/objective/4/action/e" not in {h.iri for h in phrase}
    # an unclosed phrase at the end: its last word is a prefix
    assert THAI_BIRTH_REGISTRATION in iris(index, '"birth regis')


def test_snippets_mark_the_matches(index):
    first = index.search("statelessness", ["Action"], 1, 0).items[0]
    assert "reduce <mark>statelessness</mark>, including by registering" in first.snippet
    assert len(first.snippet.split()) <= 30  # about 24 tokens


def test_a_match_only_in_the_label_gives_a_label_snippet(index):
    mexico = hit(index, "Mexico", ID + "place/country/MX", ["Country"])
    assert mexico.snippet == "<mark>Mexico</mark>"


def test_snippets_are_escaped_html(index):
    # GCM booklet: "(Coalition to Abolish Slavery & Trafficking, 2019)"
    california = hit(index, "Abolish Slavery", ID + "practice/state-of-california-assembly-bill-no-629-ab-629")
    assert "<mark>Abolish</mark> <mark>Slavery</mark> &amp; Trafficking" in california.snippet
    # GFMD footnote 12 prints its sources' addresses in angle brackets: "… Journal. <https://blogs.wsj.com/…>"
    footnote = hit(index, "Billion-Dollar Startups", ID + "gfmd-2017/footnote/12")
    assert "&lt;https://blogs.wsj.com/" in footnote.snippet
    assert "<https" not in footnote.snippet
    assert set(re.findall(r"</?\w+", footnote.snippet)) <= {"<mark", "</mark"}


def test_pages_are_stable_and_say_whether_more_follow(index):
    everything = index.search("migrants", None, 1000, 0)
    assert not everything.has_more and len(everything.items) > 40
    pages = [index.search("migrants", None, 20, offset) for offset in (0, 20)]
    assert pages[0].has_more and pages[1].has_more
    assert [h.iri for page in pages for h in page.items] == [h.iri for h in everything.items[:40]]
    last = index.search("migrants", None, 20, len(everything.items) - 5)
    assert len(last.items) == 5 and not last.has_more
    assert index.search("migrants", None, 20, 100_000).items == []


def test_fts5_syntax_in_the_text_is_just_words(index):
    # operators, column filters, stars and parentheses are searched as text or ignored
    for q in (
        "NEAR(birth registration)",
        "label:birth",
        "birth AND OR NOT",
        '"birth" *',
        "^birth",
        "birth)(",
        "birth - registration",
        "children's",
        "A/RES/73/195",
    ):
        index.search(q, None, 5, 0)
    assert iris(index, "(Mexico)", ["Country"]) == iris(index, "Mexico*", ["Country"]) == [ID + "place/country/MX"]
    assert iris(index, "label:Mexico") == []  # the words "label" and "Mexico", not a column filter
    # the GCM's resolution symbol (mig:resolution), searched as the phrase "a res 73 195"
    assert iris(index, "A/RES/73/195")[0] == ID + "gcm"
    assert fts_query('he said "hi').head == '"he" AND "said" AND "hi" *'
    assert fts_query('say "hi" there').head == '"say" AND "hi" AND ("there" *'
    assert fts_query('x"y"" AND z').head == '"x" AND "y" AND " AND z" *'  # the third quote opens a phrase


@pytest.mark.parametrize(
    "q, reason",
    [
        ("", "no words"),
        ("   ", "no words"),
        ("!!! ?? --", "no words"),
        ('""', "no words"),
        ("*", "no words"),
        ("x" * (MAX_QUERY_LENGTH + 1), "at most 200"),
    ],
)
def test_invalid_text(index, q, reason):
    with pytest.raises(SearchQueryInvalid, match=reason):
        index.search(q, None, 10, 0)


@pytest.mark.parametrize("limit, offset", [(0, 0), (-1, 0), (10_001, 0), (10, -1), (10, 2**70), (True, 0), (1.5, 0)])
def test_invalid_paging(index, limit, offset):
    with pytest.raises(SearchQueryInvalid):
        index.search("migrants", None, limit, offset)


def test_invalid_types(index):
    for types in ("Practice", [1], ["Practice", None]):
        with pytest.raises(SearchQueryInvalid):
            index.search("migrants", types, 10, 0)


_NASTY = st.sampled_from(
    [
        *list("\"*^:()-+{}[]\\'.,;_/ \t\n\x00��\ue000\ue001é́ßİ𝔘﷽"),
        "AND",
        "OR",
        "NOT",
        "NEAR",
        "NEAR(",
        "label:",
        "text:",
        "regist",
        "birth",
        '""',
        "x" * 60,
    ]
)


@settings(max_examples=600, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    q=st.one_of(
        st.text(max_size=220), st.lists(_NASTY, max_size=40).map(" ".join), st.lists(_NASTY, max_size=40).map("".join)
    ),
    types=st.one_of(st.none(), st.lists(st.sampled_from(["Practice", "Action", "Nope", ""]), max_size=3)),
    limit=st.integers(-5, 1100),
    offset=st.integers(-5, 2000),
)
def test_no_input_raises_anything_but_search_query_invalid(index, q, types, limit, offset):
    try:
        page = index.search(q, types, limit, offset)
    except SearchQueryInvalid as error:
        assert error.reason
    else:
        assert len(page.items) <= limit
        for item in page.items:
            assert "<" not in re.sub(r"</?mark>", "", item.snippet)


def test_related_resources_are_the_most_alike_texts(index):
    """Mexico's matrícula consular (GCM objective 4) is most like the other Mexican consular
    practice and the sources on Mexico's consular identity cards; MiGOF element 4 is most like
    its own recommendations."""
    related = index.related(ID + "practice/mexico-s-matricula-consular", 10)
    assert 1 <= len(related) <= 10
    assert [r.score for r in related] == sorted((r.score for r in related), reverse=True)
    assert all(0.1 <= r.score <= 1 and r.iri != ID + "practice/mexico-s-matricula-consular" for r in related)
    top = [r.iri.removeprefix(ID) for r in related[:5]]
    assert "practice/consular-assistance-protocol-for-mexican-victims-of-human-trafficking-abroad" in top
    assert index.related(ID + "migof/element/4", 1)[0].iri.startswith(ID + "migof/element/4/")
    assert index.related(ID + "no/such/resource", 10) == [] and index.label(ID + "no/such/resource") is None
