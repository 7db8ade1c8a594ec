"""The catalogue views over HTTP against the real build: actions, practices and one practice, SDG
targets and goals, organisations and places. Expected values come from the source texts in
graph/sources/; every answer is checked against the view's pydantic model."""

import csv
import io
import re
import tomllib
from functools import cache
from urllib.parse import parse_qs, urlsplit

import pytest
import rdflib
from fastapi.testclient import TestClient

from migkg import resources
from migkg.api.views import View, item_model, load_view, page_model
from migkg.queries import QUERIES_DIR

VIEWS_DIR = QUERIES_DIR / "views"
SOURCES = resources.sources_dir()
ID = "https://w3id.org/migkg/id/"
MIG = rdflib.Namespace("https://w3id.org/migkg/ontology#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
PROBLEM = "application/problem+json"

IDNYC = ID + "practice/identification-document-of-new-york-city-idnyc"
COLOMBIA_PERMIT = ID + "practice/colombia-s-special-stay-permit"


# --- helpers ---


@cache
def view(name: str) -> View:
    return load_view(VIEWS_DIR / f"{name}.rq")


def page(client: TestClient, name: str, url: str) -> dict:
    """One page of a list view, checked against the view's page model."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    body = response.json()
    page_model(view(name)).model_validate(body)
    return body


def every_row(client: TestClient, name: str, url: str) -> list[dict]:
    """All rows of a list view, in one page (at most max_limit rows)."""
    separator = "&" if "?" in url else "?"
    body = page(client, name, f"{url}{separator}limit={view(name).max_limit}")
    assert body["next"] is None, f"{url} has more rows than one page holds"
    return body["items"]


def item(client: TestClient, name: str, url: str) -> dict:
    """An item view's answer, checked against the view's item model."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    body = response.json()
    item_model(view(name)).model_validate(body)
    return body


def problem(client: TestClient, url: str, status: int) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


@cache
def source_text(document: str) -> str:
    """The vendored rendering of a document, found through graph/sources/manifest.toml."""
    manifest = tomllib.loads((SOURCES / "manifest.toml").read_text(encoding="utf-8"))
    (entry,) = [s for s in manifest["source"] if s["id"] == document]
    return (SOURCES / entry["file"]).read_text(encoding="utf-8")


def booklet_section(start_heading: str, end_heading: str) -> str:
    """The GCM booklet's text from one objective's heading line to the next objective's."""
    text = source_text("gcm-booklet")
    start = text.index(f"\n{start_heading}\n")
    return text[start : text.index(f"\n{end_heading}\n", start)]


OBJECTIVE_4 = ("4 LEGAL IDENTITY AND DOCUMENTATION", "5 REGULAR PATHWAYS")
OBJECTIVE_13 = ("13 ALTERNATIVES TO DETENTION", "14 CONSULAR PROTECTION")


def printed_actions(section: str) -> list[tuple[str, str]]:
    """(letter, text) of each action the booklet prints as "- x. text" in an objective's section."""
    actions = section.split("Associated actions", 1)[1].split("Example practices", 1)[0]
    return [
        (m.group(1), m.group(2).replace("**", "").strip())
        for m in re.finditer(r"^- ([a-z])\. (.+)$", actions, re.MULTILINE)
    ]


# --- actions ---


def test_actions_of_objective_4_are_the_ones_the_booklet_prints_in_order(client: TestClient):
    printed = printed_actions(booklet_section(*OBJECTIVE_4))
    assert len(printed) == 7  # a–g
    rows = every_row(client, "actions", "/api/actions?objective=4")
    assert [(r["letter"], r["text"]) for r in rows] == printed
    assert [r["notation"] for r in rows] == [f"4{letter}" for letter, _ in printed]
    assert {r["objective"] for r in rows} == {ID + "gcm/objective/4"} and {r["objective_number"] for r in rows} == {4}
    assert rows[0]["lead_phrase"] == "Improve civil registry systems"  # printed in bold


def test_actions_text_filter_is_a_case_insensitive_substring_match(client: TestClient):
    everything = every_row(client, "actions", "/api/actions")
    assert len(everything) == 187
    numbers = [(r["objective_number"]) for r in everything]
    assert numbers == sorted(numbers)
    found = every_row(client, "actions", "/api/actions?q=Civil%20REGISTRY")
    assert [r["id"] for r in found] == [r["id"] for r in everything if "civil registry" in r["text"].lower()]
    assert ID + "gcm/objective/4/action/a" in {r["id"] for r in found}
    assert every_row(client, "actions", "/api/actions?objective=4&q=statelessness")[0]["letter"] == "e"


PAGED = [
    ("actions", "/api/actions", 40),
    ("practices", "/api/practices", 10),
    ("practices", "/api/practices?sdg_target=10.7", 7),
    ("sdg-targets", "/api/sdg-targets", 9),
    ("organisations", "/api/organisations", 25),
    ("places", "/api/places?type=country", 20),
]


@pytest.mark.parametrize(("name", "url", "limit"), PAGED)
def test_pages_concatenate_to_the_whole_list(client: TestClient, name: str, url: str, limit: int):
    everything = [r["id"] for r in every_row(client, name, url)]
    assert len(everything) > 2 * limit
    separator = "&" if "?" in url else "?"
    seen, next_url, offset = [], f"{url}{separator}limit={limit}", 0
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200
        body = response.json()
        page_model(view(name)).model_validate(body)
        assert (body["limit"], body["offset"]) == (limit, offset) and len(body["items"]) <= limit
        links = {rel: target for target, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers["link"])}
        assert parse_qs(urlsplit(links["first"]).query)["offset"] == ["0"]
        assert links.get("next") == body["next"] and links.get("prev") == body["prev"]
        if offset:
            assert parse_qs(urlsplit(body["prev"]).query)["offset"] == [str(offset - limit)]
        else:
            assert body["prev"] is None
        seen += [r["id"] for r in body["items"]]
        next_url, offset = body["next"], offset + limit
    assert seen == everything and len(set(seen)) == len(seen)


# --- practices ---


def test_practices_for_sdg_target_10_7_go_through_the_objectives_that_list_it(client: TestClient):
    objective_4, objective_13 = booklet_section(*OBJECTIVE_4), booklet_section(*OBJECTIVE_13)
    assert "10.7:" in objective_4 and "10.7" not in objective_13  # what the booklet lists
    rows = every_row(client, "practices", "/api/practices?sdg_target=10.7")
    titles = {r["title"] for r in rows}
    assert (
        "Identification Document of New York City (IDNYC)" in titles
        and "Identification Document of New York City (IDNYC)" in objective_4
    )
    assert "Hong Kong's program to house vulnerable individuals in the community" in objective_13
    assert "Hong Kong's program to house vulnerable individuals in the community" not in titles
    assert not any(r["illustrates"] == ID + "gcm/objective/13" for r in rows)
    # exactly the practices of the objectives that list 10.7, as the objective view shows them
    expected = set()
    for number in range(1, 24):
        objective = client.get(f"/api/objectives/{number}").json()
        if any(t["notation"] == "10.7" for t in objective["sdg_targets"]):
            expected |= {p["id"] for p in objective["practices"]}
    assert {r["id"] for r in rows} == expected
    assert len(rows) == len({r["id"] for r in rows})


def test_practices_of_an_objective_are_in_the_booklets_order(client: TestClient):
    section = booklet_section(*OBJECTIVE_4).replace("*", "")  # titles keep the words, not the emphasis
    rows = every_row(client, "practices", "/api/practices?objective=4")
    assert len(rows) == 3
    positions = [section.index(f"\n{r['title']}\n") for r in rows]
    assert positions == sorted(positions)
    for r in rows:
        assert r["key"] == r["id"].removeprefix(ID) and r["illustrates"] == ID + "gcm/objective/4"
        assert r["document"] == ID + "doc/gcm-booklet"
        assert r["description"][:60] in section


def test_practices_list_gcm_practices_then_migof_examples(client: TestClient):
    rows = every_row(client, "practices", "/api/practices")
    assert len(rows) == 96
    kinds = ["migof" if r["key"].startswith("migof/") else "gcm" for r in rows]
    assert kinds == sorted(kinds) and kinds.count("migof") == 20
    migof = source_text("migof-toolbox")
    example = next(r for r in rows if r["key"] == "migof/element/4/example/8")
    assert example["title"] == "Italy" and example["illustrates"] == ID + "migof/element/4"
    assert example["description"][:80] in migof


def test_practices_by_country(client: TestClient):
    rows = every_row(client, "practices", "/api/practices?country=CO")
    ids = {r["id"] for r in rows}
    assert {COLOMBIA_PERMIT, ID + "practice/colombia-s-income-generation-strategy-for-migrants"} <= ids
    assert "In 2017, Colombia created a Special Stay Permit" in source_text("gcm-booklet")
    for row in rows:  # each names Colombia or a place in it: its places say so
        places = item(client, "practice", f"/api/practices/{row['key']}")["places"]
        assert ID + "place/country/CO" in {p["id"] for p in places} | {p["country"] for p in places}
    # MiGOF examples match on the country their heading names
    italy = {r["key"] for r in every_row(client, "practices", "/api/practices?country=IT")}
    assert {"migof/element/4/example/1", "migof/element/4/example/8"} <= italy
    assert every_row(client, "practices", "/api/practices?country=ZZ") == []


@pytest.mark.parametrize(
    ("country", "practice", "city"),
    [
        ("MA", "practice/mediterranean-city-to-city-migration-project", "Oujda"),
        ("US", "practice/identification-document-of-new-york-city-idnyc", "New York City"),
    ],
)
def test_practices_by_country_include_those_naming_only_a_city_in_it(
    client: TestClient, country: str, practice: str, city: str
):
    places = item(client, "practice", f"/api/practices/{practice}")["places"]
    country_iri = ID + f"place/country/{country}"
    assert country_iri not in {p["id"] for p in places}  # the text never names the country itself
    assert (city, country_iri) in {(p["name"], p["country"]) for p in places if p["type"] == "city"}
    assert practice in {r["key"] for r in every_row(client, "practices", f"/api/practices?country={country}")}


def test_practices_by_the_country_they_are_carried_out_in(client: TestClient):
    named = {r["key"] for r in every_row(client, "practices", "/api/practices?country=MX")}
    carried_out = {r["key"] for r in every_row(client, "practices", "/api/practices?implemented_in=MX")}
    assert "practice/mexico-s-matricula-consular" in carried_out <= named | {"practice/coalicion-lac-network"}
    # "… at the border between Mexico and the USA": named, but not said to be carried out there
    assert "practice/proyecto-frontera-border-project" in named - carried_out
    # a city counts for its country: "Identification Document of New York City (IDNYC)"
    assert "practice/identification-document-of-new-york-city-idnyc" in {
        r["key"] for r in every_row(client, "practices", "/api/practices?implemented_in=US")
    }


def test_a_practice_says_which_of_its_places_it_is_carried_out_in(client: TestClient):
    practice = item(client, "practice", "/api/practices/practice/mexico-s-matricula-consular")
    # "… available to all Mexican nationals living in the United States"
    assert {p["iso_alpha2"]: p["implemented_in"] for p in practice["places"]} == {"MX": True, "US": False}


def test_practices_by_organisation(client: TestClient):
    rows = every_row(client, "practices", "/api/practices?organisation=iom")
    keys = {r["key"] for r in rows}
    assert "migof/element/4/example/8" in keys  # "… activities of IOM Rome …"
    assert "activities of IOM Rome" in source_text("migof-toolbox")
    for row in rows:
        assert (
            "IOM" in row["description"]
            or "International Organization for Migration" in row["description"]
            or "IOM" in row["title"]
        )
        organisations = item(client, "practice", f"/api/practices/{row['key']}")["organisations"]
        assert "iom" in {o["key"] for o in organisations}
    both = every_row(client, "practices", "/api/practices?organisation=iom&country=IT")
    assert {r["key"] for r in both} <= keys & {
        r["key"] for r in every_row(client, "practices", "/api/practices?country=IT")
    }
    assert "migof/element/4/example/8" in {r["key"] for r in both}


def test_practices_text_filter_searches_titles_and_descriptions(client: TestClient):
    rows = every_row(client, "practices", "/api/practices?q=BIRTH%20registration")
    assert "Birth Registration Programming: Thailand's Civil Registration Act (2008)" in {r["title"] for r in rows}
    assert all("birth registration" in (r["title"] + " " + r["description"]).lower() for r in rows)


def test_practices_as_csv_have_a_header_row_and_one_row_per_practice(client: TestClient):
    response = client.get("/api/practices?objective=4", headers={"accept": "text/csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0] == [c.name for c in view("practices").columns]
    assert len(table) == 1 + 3
    assert table[1][table[0].index("title")] == "Identification Document of New York City (IDNYC)"


def test_practices_as_json_ld_state_what_the_practice_illustrates(client: TestClient):
    response = client.get("/api/practices?objective=4", headers={"accept": "application/ld+json"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/ld+json")
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    practice = rdflib.URIRef(IDNYC)
    assert (practice, MIG.illustrates, rdflib.URIRef(ID + "gcm/objective/4")) in graph
    title = rdflib.Literal("Identification Document of New York City (IDNYC)", lang="en")  # as the graph holds it
    assert (practice, DCTERMS.title, title) in graph
    assert (practice, DCTERMS.source, rdflib.URIRef(ID + "doc/gcm-booklet")) in graph


# --- one practice ---


def test_a_practice_with_its_places_organisations_and_provenance(client: TestClient):
    practice = item(client, "practice", "/api/practices/practice/colombia-s-special-stay-permit")
    assert practice["id"] == COLOMBIA_PERMIT and practice["title"] == "Colombia's Special Stay Permit"
    assert practice["illustrates"] == ID + "gcm/objective/5"
    assert [(p["iso_alpha2"], p["type"]) for p in practice["places"]] == [("CO", "country")]
    assert {(o["key"], o["role"]) for o in practice["organisations"]} == {("unhcr", "mentioned")}  # "(UNHCR, 2018)"
    (quote,) = practice["provenance"]
    assert quote["document"] == ID + "doc/gcm-booklet" and quote["file_name"] == "gcm-implementation-booklet-2022.txt"
    text = source_text("gcm-booklet")
    assert text[quote["start"] : quote["end"]] == quote["exact"]
    assert quote["exact"].startswith("Colombia's Special Stay Permit\n") and practice["description"] in quote["exact"]


def test_a_migof_example_names_its_countries_and_implementers(client: TestClient):
    example = item(client, "practice", "/api/practices/migof/element/4/example/4")
    heading = "Multi-country - France, Germany, Italy, Belgium, Spain, Hungary, Czech Republic, Poland"
    assert example["title"] == heading
    in_heading = {p["iso_alpha2"] for p in example["places"] if p["example_country"]}
    assert in_heading == {"FR", "DE", "IT", "BE", "ES", "HU", "CZ", "PL"}
    assert {o["key"] for o in example["organisations"] if o["role"] == "implementedBy"} >= {"iom"}
    (quote,) = example["provenance"]
    migof = source_text("migof-toolbox")
    assert quote["file_name"] == "migof-city-resilience-toolbox.md"
    assert migof[quote["start"] : quote["end"]] == quote["exact"] and heading in quote["exact"]


def test_a_practice_as_json_ld_links_its_places_and_its_provenance(client: TestClient):
    response = client.get("/api/practices/migof/element/4/example/8", headers={"accept": "application/ld+json"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    practice = rdflib.URIRef(ID + "migof/element/4/example/8")
    rome, italy = rdflib.URIRef(ID + "place/city/rome"), rdflib.URIRef(ID + "place/country/IT")
    assert (practice, MIG.mentionsPlace, italy) in graph  # its heading, "Italy."
    assert (practice, MIG.mentionsPlace, rome) not in graph  # "IOM Rome" is IOM's office there
    assert (practice, MIG.mentionsActor, rdflib.URIRef(ID + "actor/iom")) in graph
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    assert (rdflib.URIRef(ID + "migof/element/4/example/8#provenance"), oa.hasBody, practice) in graph


def test_a_practice_key_may_be_its_bare_name(client: TestClient):
    bare = item(client, "practice", "/api/practices/colombia-s-special-stay-permit")
    assert bare == item(client, "practice", "/api/practices/practice/colombia-s-special-stay-permit")
    assert bare["id"] == COLOMBIA_PERMIT and bare["provenance"] and bare["places"]
    body = problem(client, "/api/practices/no-such-practice", 404)
    assert "no-such-practice" in body["detail"]


def test_an_unknown_practice_is_a_404_with_a_hint(client: TestClient):
    body = problem(client, "/api/practices/practice/no-such-practice", 404)
    assert "practice/no-such-practice" in body["detail"] and "/api/practices" in body["hint"]
    problem(client, "/api/practices/migof/element/4/example/99", 404)


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/practices/Colombia", "path.key"),
        ("/api/practices/practice/", "path.key"),
        ("/api/practices?country=co", "query.country"),
        ("/api/practices?sdg_target=10.7.1", "query.sdg_target"),
        ("/api/practices?organisation=IOM", "query.organisation"),
        ("/api/practices?objective=24", "query.objective"),
        ("/api/practices?q=a", "query.q"),
        ("/api/actions?objective=0", "query.objective"),
        ("/api/actions?q=x", "query.q"),
        ("/api/actions?limit=0", "query.limit"),
    ],
)
def test_an_invalid_parameter_is_a_422_naming_it(client: TestClient, url: str, parameter: str):
    body = problem(client, url, 422)
    assert parameter in [e["parameter"] for e in body["errors"]]


# --- SDG targets and goals ---

UN_10_7 = (
    "Facilitate orderly, safe, regular and responsible migration and mobility of people, including through "
    "the implementation of planned and well-managed migration policies"
)


def test_sdg_targets_of_goal_10_with_their_objectives_and_practices(client: TestClient):
    rows = every_row(client, "sdg-targets", "/api/sdg-targets?goal=10")
    assert all(r["notation"].startswith("10.") and r["goal"] == "http://metadata.un.org/sdg/10" for r in rows)
    by_notation = {r["notation"]: r for r in rows}
    target = by_notation["10.7"]
    assert target["id"] == "http://metadata.un.org/sdg/10.7"
    assert target["label"] == UN_10_7 and f"10.7:** {UN_10_7}" in source_text("gcm-booklet")
    assert "10.c" in by_notation  # remittance costs, listed for objective 20
    assert [r["notation"] for r in rows] == sorted(by_notation, key=un_order)
    detail = item(client, "sdg-target", "/api/sdg-targets/10.7")
    practices = every_row(client, "practices", "/api/practices?sdg_target=10.7")
    assert target["objectives"] == len(detail["objectives"]) and target["practices"] == len(detail["practices"])
    assert {p["id"] for p in detail["practices"]} == {p["id"] for p in practices}
    assert target["cited_by"] == len(detail["cited_by"]) >= target["objectives"]


def un_order(notation: str) -> tuple[int, int, str]:
    """The UN's order of targets: by goal, then 1, 2 … 10, then a, b …"""
    goal, target = notation.split(".")
    return (int(goal), int(target), "") if target.isdigit() else (int(goal), 1000, target)


def test_sdg_targets_are_in_the_uns_order(client: TestClient):
    rows = every_row(client, "sdg-targets", "/api/sdg-targets")
    assert [r["notation"] for r in rows] == sorted((r["notation"] for r in rows), key=un_order)
    assert len(rows) == len({r["id"] for r in rows})
    notations = [r["notation"] for r in rows]
    assert notations.index("8.5") < notations.index("8.10") < notations.index("8.b") < notations.index("9.1")


def test_an_sdg_target_lists_the_objectives_the_booklet_gives_it_for(client: TestClient):
    target = item(client, "sdg-target", "/api/sdg-targets/10.7")
    assert target["notation"] == "10.7" and target["label"] == UN_10_7
    assert target["goal_title"] == "Reduce inequality within and among countries"
    numbers = [o["number"] for o in target["objectives"]]
    assert numbers == sorted(numbers) and 4 in numbers and 13 not in numbers
    objective_4 = next(o for o in target["objectives"] if o["number"] == 4)
    assert objective_4["printed_text"] in booklet_section(*OBJECTIVE_4) and objective_4["matches_un_text"] is True
    assert {p["illustrates"] for p in target["practices"]} <= {o["id"] for o in target["objectives"]}
    # the GFMD paper names 10.7 too: it is cited by more than the GCM objectives
    assert any(c["document"] == ID + "doc/gfmd-2017-rt32" for c in target["cited_by"])


def test_a_target_named_only_in_prose_is_listed_without_printed_text(client: TestClient):
    # Objective 2's SDG note: "Doing so will help achieve SDG 17.14: Enhance policy coherence …"
    assert "Doing so will help achieve SDG 17.14" in booklet_section(
        "2 MINIMIZE ADVERSE DRIVERS", "3 INFORMATION PROVISION"
    )
    target = item(client, "sdg-target", "/api/sdg-targets/17.14")
    objective_2 = next(o for o in target["objectives"] if o["number"] == 2)
    assert objective_2["printed_text"] is None and objective_2["matches_un_text"] is None


def test_a_target_no_source_cites_has_empty_parts_and_an_unknown_one_is_a_404(client: TestClient):
    target = item(client, "sdg-target", "/api/sdg-targets/1.1")
    assert target["objectives"] == target["practices"] == target["cited_by"] == []
    body = problem(client, "/api/sdg-targets/10.99", 404)
    assert "10.99" in body["detail"] and "/api/sdg-targets" in body["hint"]


def test_sdg_target_as_json_ld_links_the_citing_objectives(client: TestClient):
    response = client.get("/api/sdg-targets/10.7", headers={"accept": "application/ld+json"})
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    target = rdflib.URIRef("http://metadata.un.org/sdg/10.7")
    assert (rdflib.URIRef(ID + "gcm/objective/4"), MIG.relevantSDGTarget, target) in graph
    assert (target, SKOS.prefLabel, rdflib.Literal(UN_10_7, lang="en")) in graph
    response = client.get("/api/sdg-targets?goal=10", headers={"accept": "application/ld+json"})
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    assert (target, SKOS.notation, rdflib.Literal("10.7")) in graph


def test_sdg_goals_roll_up_their_targets(client: TestClient):
    goals = every_row(client, "sdg-goals", "/api/sdg-goals")
    assert [g["notation"] for g in goals] == [str(n) for n in range(1, 18)]
    goal_10 = goals[9]
    assert goal_10["title"] == "Reduce inequality within and among countries"
    assert goal_10["short_title"] == "Reduced inequalities" and "SDG 10: Reduced inequalities" in source_text(
        "gcm-booklet"
    )
    targets = every_row(client, "sdg-targets", "/api/sdg-targets?goal=10")
    assert goal_10["targets_cited"] == len(targets)
    assert goal_10["objectives"] >= max(t["objectives"] for t in targets)
    assert goal_10["practices"] >= max(t["practices"] for t in targets)
    assert sum(g["targets_cited"] for g in goals) == len(every_row(client, "sdg-targets", "/api/sdg-targets"))
    # objectives 2 and 19 say every goal is relevant ("… span the entirety of the 17 Sustainable
    # Development Goals", "Accordingly, all SDGs are relevant …"): they list every goal
    assert "entirety of the 17 Sustainable Development Goals" in booklet_section(
        "2 MINIMIZE ADVERSE DRIVERS", "3 INFORMATION PROVISION"
    )
    assert "Accordingly, all SDGs are relevant" in source_text("gcm-booklet")
    assert all(g["objectives_listing_goal"] >= 2 for g in goals)


def test_sdg_goals_as_csv(client: TestClient):
    response = client.get("/api/sdg-goals", headers={"accept": "text/csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0] == [c.name for c in view("sdg-goals").columns] and len(table) == 1 + 17
    goal_10 = dict(zip(table[0], table[10], strict=False))
    assert goal_10["notation"] == "10" and goal_10["short_title"] == "Reduced inequalities"


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/sdg-targets?goal=18", "query.goal"),
        ("/api/sdg-targets?goal=ten", "query.goal"),
        ("/api/sdg-targets/10-7", "path.notation"),
    ],
)
def test_an_invalid_sdg_parameter_is_a_422_naming_it(client: TestClient, url: str, parameter: str):
    body = problem(client, url, 422)
    assert parameter in [e["parameter"] for e in body["errors"]]


# --- organisations ---

ACTOR_TYPES = [
    "UNEntity",
    "IntergovernmentalOrganisation",
    "NationalGovernment",
    "LocalAuthority",
    "CivilSocietyOrganisation",
    "PrivateSectorActor",
    "ForumOrProcess",
    "PopulationGroup",
]


def test_organisations_by_type_partition_the_list(client: TestClient):
    everything = every_row(client, "organisations", "/api/organisations")
    assert len(everything) == 145
    names = [r["name"].lower() for r in everything]
    assert names == sorted(names)
    by_type = {t: every_row(client, "organisations", f"/api/organisations?type={t}") for t in ACTOR_TYPES}
    assert sum(len(rows) for rows in by_type.values()) == len(everything)
    for actor_type, rows in by_type.items():
        assert rows and {r["type"] for r in rows} == {actor_type}
    assert {r["key"] for r in by_type["LocalAuthority"]} >= {"quito-municipality", "naga-city-government"}
    assert "together with the Municipality of Quito" in source_text("migof-toolbox")
    iom = next(r for r in by_type["UNEntity"] if r["key"] == "iom")
    assert iom["name"] == "International Organization for Migration" and iom["acronym"] == "IOM"
    assert all(r["mentioned_in"] >= 1 for r in everything)


def test_an_organisation_with_everything_that_names_it(client: TestClient):
    jmdi = item(client, "organisation", "/api/organisations/jmdi")
    assert jmdi["name"] == "Joint Migration and Development Initiative" and jmdi["type"] == "ForumOrProcess"
    # the booklet and the GFMD paper write JMDI, the MiGOF toolbox JMIDI
    assert "JMDI" in source_text("gcm-booklet") and "JMIDI" in source_text("migof-toolbox")
    assert jmdi["acronym"] == "JMDI" and jmdi["acronyms"] == "JMDI; JMIDI"
    mentioned = {m["id"]: m for m in jmdi["mentioned_in"]}
    assert "(IOM and JMDI, 2015)" in source_text("gcm-booklet")  # the IDNYC practice cites it
    assert mentioned[IDNYC]["type"] == "Practice" and mentioned[IDNYC]["document"] == ID + "doc/gcm-booklet"
    assert {m["document"] for m in jmdi["mentioned_in"]} >= {ID + "doc/gcm-booklet", ID + "doc/gfmd-2017-rt32"}
    listed = next(
        r for r in every_row(client, "organisations", "/api/organisations?type=ForumOrProcess") if r["key"] == "jmdi"
    )
    assert listed["mentioned_in"] == len(jmdi["mentioned_in"]) == len(mentioned)


def test_an_organisation_implements_what_practices_name_it_as_carrying_out(client: TestClient):
    iom = item(client, "organisation", "/api/organisations/iom")
    implements = {p["key"] for p in iom["implements"]}
    assert "migof/element/4/example/8" in implements  # "… activities of IOM Rome …"
    assert implements <= {r["key"] for r in every_row(client, "practices", "/api/practices?organisation=iom")}
    for key in implements:
        roles = {o["key"]: o["role"] for o in item(client, "practice", f"/api/practices/{key}")["organisations"]}
        assert roles["iom"] == "implementedBy"
    listed = next(
        r for r in every_row(client, "organisations", "/api/organisations?type=UNEntity") if r["key"] == "iom"
    )
    assert listed["implements"] == len(iom["implements"])
    assert {m["type"] for m in iom["mentioned_in"]} >= {"Practice", "Action"}


def test_an_organisation_as_json_ld(client: TestClient):
    response = client.get("/api/organisations/iom", headers={"accept": "application/ld+json"})
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    iom = rdflib.URIRef(ID + "actor/iom")
    assert (iom, SKOS.prefLabel, rdflib.Literal("International Organization for Migration", lang="en")) in graph
    assert (rdflib.URIRef(ID + "migof/element/4/example/8"), MIG.implementedBy, iom) in graph
    assert (rdflib.URIRef(ID + "migof/element/4/example/8"), MIG.mentionsActor, iom) in graph
    assert (rdflib.URIRef(ID + "migof/element/4/example/8"), DCTERMS.title, rdflib.Literal("Italy", lang="en")) in graph


def test_an_unknown_organisation_is_a_404_with_a_hint(client: TestClient):
    body = problem(client, "/api/organisations/no-such-organisation", 404)
    assert "no-such-organisation" in body["detail"] and "/api/organisations" in body["hint"]


# --- places ---


def test_places_countries_subdivisions_and_cities(client: TestClient):
    everything = every_row(client, "places", "/api/places")
    countries = every_row(client, "places", "/api/places?type=country")
    subdivisions = every_row(client, "places", "/api/places?type=subdivision")
    cities = every_row(client, "places", "/api/places?type=city")
    assert (len(countries), len(subdivisions), len(cities)) == (76, 5, 42)
    assert len(countries) + len(subdivisions) + len(cities) == len(everything)
    # The toolbox's Micronesian "population centres" are states; the booklet's "region of Agadez" a region.
    assert {(s["key"], s["iso_subdivision"], s["country"]) for s in subdivisions} == {
        ("subdivision/fm-ksa", "FM-KSA", ID + "place/country/FM"),
        ("subdivision/fm-pni", "FM-PNI", ID + "place/country/FM"),
        ("subdivision/fm-trk", "FM-TRK", ID + "place/country/FM"),
        ("subdivision/fm-yap", "FM-YAP", ID + "place/country/FM"),
        ("subdivision/ne-1", "NE-1", ID + "place/country/NE"),
    }
    assert all(
        re.fullmatch(r"[A-Z]{2}", c["iso_alpha2"])
        and re.fullmatch(r"[A-Z]{3}", c["iso_alpha3"])
        and re.fullmatch(r"[0-9]{3}", c["m49"])
        and c["country"] is None
        for c in countries
    )
    assert all(c["iso_alpha2"] is None and c["type"] == "city" for c in cities)
    colombia = next(c for c in countries if c["iso_alpha2"] == "CO")
    assert (colombia["name"], colombia["iso_alpha3"], colombia["m49"], colombia["key"]) == (
        "Colombia",
        "COL",
        "170",
        "country/CO",
    )
    naming_colombia = [  # the country filter also takes in practices naming only a city in Colombia
        row
        for row in every_row(client, "practices", "/api/practices?country=CO")
        if colombia["id"] in {p["id"] for p in item(client, "practice", f"/api/practices/{row['key']}")["places"]}
    ]
    assert colombia["mentioned_in"] >= len(naming_colombia) > 0
    rome = next(c for c in cities if c["key"] == "city/rome")
    assert (rome["name"], rome["country"], rome["country_name"]) == ("Rome", ID + "place/country/IT", "Italy")
    assert "IOM Rome" in source_text("migof-toolbox")
    names = [p["name"].lower() for p in everything]
    assert names == sorted(names)


def test_places_as_json_ld(client: TestClient):
    response = client.get("/api/places?type=city", headers={"accept": "application/ld+json"})
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    assert (rdflib.URIRef(ID + "place/city/rome"), MIG.inCountry, rdflib.URIRef(ID + "place/country/IT")) in graph


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/organisations?type=University", "query.type"),
        ("/api/organisations/IOM", "path.key"),
        ("/api/places?type=region", "query.type"),
        ("/api/places?limit=100000", "query.limit"),
    ],
)
def test_an_invalid_actor_or_place_parameter_is_a_422_naming_it(client: TestClient, url: str, parameter: str):
    body = problem(client, url, 422)
    assert parameter in [e["parameter"] for e in body["errors"]]


# --- the crosswalk ---


def test_crosswalk_of_a_migof_element_to_gcm_objectives(client: TestClient):
    # Element 4 "Enable socioeconomic well-being" meets objective 20 (remittances), judged by reading.
    rows = every_row(client, "crosswalk", "/api/crosswalk?subject=migof/element/4&object_type=objective")
    objects = {r["object"]: r for r in rows}
    remittances = objects[ID + "gcm/objective/20"]
    assert remittances["justification"] == "https://w3id.org/semapv/vocab/CompositeMatching"
    assert 0 < remittances["confidence"] < 1 and remittances["object_label"].startswith("GCM objective 20")
    assert all(r["subject"] == ID + "migof/element/4" for r in rows)
    assert [r["confidence"] for r in rows] == sorted((r["confidence"] for r in rows), reverse=True)


def test_crosswalk_filters_by_justification_confidence_and_framework(client: TestClient):
    stated = every_row(client, "crosswalk", "/api/crosswalk?justification=stated&subject=gcm/objective/4")
    assert {r["object"] for r in stated} == {
        f"http://metadata.un.org/sdg/{t}" for t in ("1.3", "10.7", "16.9", "17.18")
    }
    assert all(r["confidence"] == 1 for r in stated)
    confident = every_row(client, "crosswalk", "/api/crosswalk?framework=gfmd&min_confidence=0.6")
    assert confident and all(r["confidence"] >= 0.6 for r in confident)
    assert all("gfmd-2017" in r["subject"] + r["object"] for r in confident)
    assert problem(client, "/api/crosswalk?min_confidence=1.5", 422)


def test_crosswalk_as_csv_and_json_ld(client: TestClient):
    url = "/api/crosswalk?subject=nua-table/row/2&object_type=element"
    table = client.get(url, headers={"Accept": "text/csv"})
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert ID + "migof/element/4" in {r["object"] for r in rows}
    linked = client.get(url, headers={"Accept": "application/ld+json"})
    assert linked.status_code == 200
    graph = rdflib.Graph().parse(data=linked.text, format="json-ld")
    assert (None, MIG.mappingObject, rdflib.URIRef(ID + "migof/element/4")) in graph


def test_related_resources_more_like_this(client: TestClient):
    body = client.get("/api/related/practice/mexico-s-matricula-consular?limit=5").json()
    assert body["id"] == ID + "practice/mexico-s-matricula-consular" and len(body["items"]) == 5
    assert ID + "practice/consular-assistance-protocol-for-mexican-victims-of-human-trafficking-abroad" in {
        r["id"] for r in body["items"]
    }
    assert problem(client, "/api/related/practice/no-such-practice", 404)
    assert problem(client, "/api/related/migof/element/4?limit=99", 422)
