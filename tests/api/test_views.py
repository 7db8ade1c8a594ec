"""The curated REST views: the view-file mechanism, and the framework, GCM objective, MiGOF, GFMD,
recommendations-table, provenance and quality views over the real build."""

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient

from migkg import resources
from migkg.api.views import ParameterInvalid, ViewError, item_model, load_view, load_views, page_model
from migkg.queries import QUERIES_DIR

REPO_ROOT = Path(__file__).resolve().parents[2]
VIEWS_DIR = QUERIES_DIR / "views"
SOURCES = resources.sources_dir()
MIG = "https://w3id.org/migkg/ontology#"
ID = "https://w3id.org/migkg/id/"


def views_by_path() -> dict[str, object]:
    return {view.path: view for view in load_views(VIEWS_DIR)}


def get_json(client: TestClient, url: str, **headers: str) -> dict:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


# --- the view files ---


def test_every_view_file_loads_with_a_summary_and_a_unique_path():
    views = load_views(VIEWS_DIR)
    assert len(views) >= 20
    for view in views:
        assert view.summary and view.path.startswith("/")
        for param in view.params:
            assert param.example is not None, f"{view.name}.{param.name} has no example for /docs"


def test_a_view_whose_values_block_does_not_match_its_parameters_is_refused(tmp_path: Path):
    view = tmp_path / "broken.rq"
    view.write_text(
        "#+ summary: s\n#+ path: /broken\n#+ params:\n#+   a: {description: d, example: x}\n"
        "#+ columns:\n#+   id: {type: iri}\nSELECT ?id WHERE { VALUES (?b) { (UNDEF) } ?id ?p ?b }\n"
    )
    with pytest.raises(ViewError, match=r"broken\.rq: the VALUES block binds \['b'\]; the header declares \['a'\]"):
        load_view(view)


def test_a_list_view_with_its_own_limit_is_refused(tmp_path: Path):
    view = tmp_path / "limited.rq"
    view.write_text(
        "#+ summary: s\n#+ path: /limited\n#+ columns:\n#+   id: {type: iri}\nSELECT ?id WHERE { ?id ?p ?o } LIMIT 10\n"
    )
    with pytest.raises(ViewError, match="paginated by the server"):
        load_view(view)


def test_a_parameter_may_not_take_a_name_the_route_uses(tmp_path: Path):
    view = tmp_path / "paged.rq"
    view.write_text(
        "#+ summary: s\n#+ path: /paged\n#+ params:\n#+   offset: {description: d, example: 1}\n"
        "#+ columns:\n#+   id: {type: iri}\nSELECT ?id WHERE { VALUES (?offset) { (UNDEF) } ?id ?p ?offset }\n"
    )
    with pytest.raises(ViewError, match=r"paged\.rq: parameter offset: the name is reserved"):
        load_view(view)


def test_a_header_that_is_not_yaml_is_refused_with_the_file_name(tmp_path: Path):
    view = tmp_path / "bad.rq"
    view.write_text("#+ summary: {unclosed\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(ViewError, match=r"bad\.rq: the #\+ header is not YAML"):
        load_view(view)


def test_parameter_text_is_bound_as_a_term_never_as_query_text(tmp_path: Path):
    view_file = tmp_path / "echo.rq"
    view_file.write_text(
        "#+ summary: s\n#+ path: /echo\n#+ params:\n#+   q: {description: d, example: x}\n"
        "#+ columns:\n#+   q: {type: string}\nSELECT ?q WHERE { VALUES (?q) { (UNDEF) } }\n"
    )
    view = load_view(view_file)
    hostile = '" } } ; DROP ALL ; SELECT * { "\n'
    [row] = ox.Store().query(view.query.render(view.terms({"q": hostile})))
    assert row["q"].value == hostile


def test_text_that_cannot_be_an_iri_never_becomes_one():
    view = views_by_path()["/provenance/{key:path}"]
    with pytest.raises(ParameterInvalid, match=r"^key: "):
        view.terms({"key": "x> } ; DROP ALL ; SELECT * { <y"})


# --- listing, pages, formats ---


def test_api_index_lists_every_view(client: TestClient):
    listed = {v["path"] for v in get_json(client, "/api")["views"]}
    assert {"/api/objectives/{number}", "/api/migof/elements", "/api/provenance/{key:path}"} <= listed


def test_openapi_documents_every_view_with_its_parameters(client: TestClient):
    spec = get_json(client, "/openapi.json")
    for view in load_views(VIEWS_DIR):
        operation = spec["paths"][f"/api{view.path.replace(':path', '')}"]["get"]
        names = {p["name"] for p in operation.get("parameters", [])}
        assert {p.name for p in view.params} <= names
        if view.kind == "list":
            assert {"limit", "offset"} <= names
        assert "application/problem+json" in operation["responses"]["422"]["content"]


def test_pages_follow_link_headers_and_concatenate_to_the_whole_list(client: TestClient):
    whole = get_json(client, "/api/frameworks/gcm/objectives?limit=100")["items"]
    assert [o["number"] for o in whole] == list(range(1, 24))
    url, seen = "/api/frameworks/gcm/objectives?limit=5", []
    while url:
        response = client.get(url)
        page = response.json()
        seen += page["items"]
        links = response.headers["link"]
        assert 'rel="first"' in links
        assert ('rel="prev"' in links) == (page["offset"] > 0)
        url = page["next"]
        assert ('rel="next"' in links) == (url is not None)
    assert seen == whole


def test_csv_has_a_header_and_one_line_per_row(client: TestClient):
    response = client.get("/api/gfmd/indicators", headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 11
    assert rows[0]["name"] == "knowledge and understanding of the host country and territory"


def test_json_ld_is_the_json_with_a_context(client: TestClient):
    response = client.get("/api/objectives/4", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    objective = rdflib.URIRef(f"{ID}gcm/objective/4")
    assert (objective, rdflib.URIRef(MIG + "number"), rdflib.Literal(4)) in graph
    assert (rdflib.URIRef(f"{ID}gcm/objective/4/action/a"), rdflib.URIRef(MIG + "actionOf"), objective) in graph


def test_a_list_view_offers_no_format_outside_json_json_ld_and_csv(client: TestClient):
    response = client.get("/api/documents", headers={"Accept": "application/xml"})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    assert "text/csv" in response.json()["detail"]


# --- errors ---


@pytest.mark.parametrize(
    ("url", "detail", "hint"),
    [
        ("/api/objectives/24", "The GCM has no objective 24.", "/api/frameworks/gcm/objectives"),
        ("/api/frameworks/unfccc/objectives", "No framework unfccc in the graph.", "/api/frameworks"),
        ("/api/migof/elements/7", "MiGOF has no essential element 7.", "/api/migof/elements"),
        (
            "/api/provenance/gcm/objective/4/action/z",
            "No resource https://w3id.org/migkg/id/gcm/objective/4/action/z",
            "/api/search",
        ),
        ("/api/no-such-view", "No view at /api/no-such-view.", "/api"),
    ],
)
def test_unknown_ids_are_404_problems_with_a_hint(client: TestClient, url: str, detail: str, hint: str):
    response = client.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 404 and problem["title"] == "Not Found"
    assert detail in problem["detail"] and hint in problem["hint"]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/objectives/four", "path.number"),
        ("/api/objectives/0", "path.number"),
        ("/api/documents?limit=0", "query.limit"),
        ("/api/documents?offset=-1", "query.offset"),
        ("/api/migof/elements/4?level=regional", "query.level"),
        ("/api/provenance/..%2Fsparql", "path.key"),
    ],
)
def test_invalid_parameters_are_422_problems_naming_the_parameter(client: TestClient, url: str, parameter: str):
    response = client.get(url)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert parameter in [error["parameter"] for error in response.json()["errors"]]


def example_url(view) -> str:
    """A view's path with its path parameters' documented examples filled in."""
    url = "/api" + view.path.replace(":path", "")
    for param in view.params:
        url = url.replace(f"{{{param.name}}}", str(param.example))
    return url


@pytest.mark.parametrize("view", load_views(VIEWS_DIR), ids=lambda view: view.name)
def test_an_unknown_query_parameter_is_a_422_naming_it(client: TestClient, view):
    """A misspelt filter would otherwise be dropped silently and answer as if unfiltered."""
    response = client.get(
        example_url(view), params={"limit": 5, "contry": "MA"} if view.kind == "list" else {"contry": "MA"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["parameter"] == "query.contry"
    assert all(p.name in error["reason"] for p in view.params if not p.in_path)


def test_paging_parameters_are_known_to_list_views_only(client: TestClient):
    assert client.get("/api/documents", params={"limit": 2, "offset": 1}).status_code == 200
    response = client.get("/api/objectives/4", params={"limit": 2})
    assert response.status_code == 422 and response.json()["errors"][0]["parameter"] == "query.limit"
    assert client.get("/api", params={"view": "x"}).json()["errors"][0]["parameter"] == "query.view"


# --- what the views say, checked against the documents ---


def test_frameworks_and_documents(client: TestClient):
    frameworks = {f["key"]: f for f in get_json(client, "/api/frameworks")["items"]}
    assert frameworks["gcm"]["acronym"] == "GCM" and frameworks["gcm"]["resolution"] == "A/RES/73/195"
    assert frameworks["migof"]["title"] == "Migration Governance Framework"
    documents = {d["id"].removeprefix(f"{ID}doc/"): d for d in get_json(client, "/api/documents")["items"]}
    assert documents["nua-table-tsv"]["rendering_of"] == f"{ID}doc/nua-table"
    assert documents["gcm-booklet"]["publisher"] == "United Nations Network on Migration"


def test_objective_4_with_its_actions_practices_and_sdg_targets(client: TestClient):
    objective = get_json(client, "/api/objectives/4")
    assert objective["name"] == "Legal identity and documentation"
    assert objective["title"] == "ENSURE THAT ALL MIGRANTS HAVE PROOF OF LEGAL IDENTITY AND ADEQUATE DOCUMENTATION"
    assert [a["letter"] for a in objective["actions"]] == list("abcdefg")  # the booklet prints 4a–4g
    assert objective["actions"][0]["lead_phrase"] == "Improve civil registry systems"
    assert {t["notation"] for t in objective["sdg_targets"]} == {"1.3", "10.7", "16.9", "17.18"}
    assert all(t["target"].startswith("http://metadata.un.org/sdg/") for t in objective["sdg_targets"])
    assert objective["practices"], "the booklet gives example practices for objective 4"
    item_model(views_by_path()["/objectives/{number}"]).model_validate(objective)


def test_migof_elements_count_recommendations_by_level(client: TestClient):
    page = get_json(client, "/api/migof/elements")
    page_model(views_by_path()["/migof/elements"]).model_validate(page)
    elements = page["items"]
    assert [e["number"] for e in elements] == [1, 2, 3, 4, 5, 6]
    # 130: the MiGOF list item "Cross-cutting:" is a heading over two items, not a recommendation
    assert sum(e["state_level"] + e["city_level"] + e["operational"] for e in elements) == 130
    assert sum(e["examples"] for e in elements) == 20


def test_one_migof_element_narrowed_to_the_city_level(client: TestClient):
    element = get_json(client, "/api/migof/elements/4?level=city")
    levels = {r["level"] for r in element["recommendations"]}
    assert levels == {MIG + "CityLevel"}
    assert {r["section"] for r in element["recommendations"]} == {"Recommended response at the city level"}
    everything = get_json(client, "/api/migof/elements/4")["recommendations"]
    order = [r["level"].removeprefix(MIG) for r in everything]
    assert order == sorted(order, key=["StateLevel", "CityLevel", "OperationalLevel"].index)
    assert len(everything) == 6 + 8 + 17


def test_gfmd_indicators_challenges_and_opportunities(client: TestClient):
    assert len(get_json(client, "/api/gfmd/indicators")["items"]) == 11
    challenges = get_json(client, "/api/gfmd/challenges")["items"]
    assert len(challenges) == 6
    assert challenges[4]["lead_phrase"] == "Multi-actor coordination"
    opportunities = get_json(client, "/api/gfmd/opportunities")["items"]
    assert len(opportunities) == 8
    assert opportunities[2]["lead_phrase"] == "Tapping into the expertise of and empowering civil society"
    assert opportunities[2]["footnotes"] == 2


def test_recommendations_table_rows(client: TestClient):
    rows = get_json(client, "/api/nua-table/rows")["items"]
    assert [r["number"] for r in rows] == [1, 2, 3]
    assert rows[0]["recommendation"].startswith("Promote and foster successful integration and social inclusion")


def test_provenance_quotes_the_source_at_its_offsets(client: TestClient):
    provenance = get_json(client, "/api/provenance/gcm/objective/4/action/a")
    [source] = provenance["sources"]
    text = (SOURCES / source["file_name"]).read_text(encoding="utf-8")
    assert text[source["start"] : source["end"]] == source["exact"]
    assert "Improve civil registry systems" in source["exact"]


def test_provenance_of_a_table_row_names_both_renderings(client: TestClient):
    sources = get_json(client, "/api/provenance/nua-table/row/1")["sources"]
    assert {s["document"] for s in sources} == {f"{ID}doc/nua-table-ocr", f"{ID}doc/nua-table-tsv"}
    for source in sources:
        text = (SOURCES / source["file_name"]).read_text(encoding="utf-8")
        assert text[source["start"] : source["end"]] == source["exact"]


def test_provenance_of_an_actor_lists_the_passages_that_name_it(client: TestClient):
    mentions = get_json(client, "/api/provenance/actor/iom")["mentions"]
    assert len(mentions) > 50
    for mention in mentions[:10]:
        text = (SOURCES / mention["file_name"]).read_text(encoding="utf-8")
        assert text[mention["start"] : mention["end"]] == mention["exact"]
        assert mention["id"].startswith(mention["named_in"] + "#mention-")


def test_quality_report(client: TestClient):
    report = get_json(client, "/api/quality")
    assert report["shacl"]["conforms"] is True
    assert not [r for r in report["shacl"]["results"] if r["severity"] == "Violation"]
    assert set(report["stages_seconds"]) >= {"extract", "validate"}
    assert len(report["notes"]) == sum(report["totals"].values())
    repairs = get_json(client, "/api/quality?category=repair&source=gcm-booklet")["notes"]
    assert any(n["kind"] == "sdg-notation-typo" and "'17:18' read as '17.18'" in n["message"] for n in repairs)
    assert {n["category"] for n in repairs} == {"repair"} and {n["source"] for n in repairs} == {"gcm-booklet"}


# --- search ---


def test_search_ranks_the_birth_registration_practice_near_the_top(client: TestClient):
    result = get_json(client, "/api/search?q=birth%20registration&type=Practice&limit=3")
    assert all(hit["types"] == ["Practice"] for hit in result["items"])
    top = result["items"][0]
    assert "<mark>" in top["snippet"] and "birth" in top["label"].lower() + top["snippet"].lower()


def test_search_pages_link_to_each_other(client: TestClient):
    first = client.get("/api/search?q=migrants&limit=5")
    assert 'rel="next"' in first.headers["link"]
    second = get_json(client, first.json()["next"].removeprefix("http://testserver"))
    assert second["offset"] == 5 and second["prev"].endswith("offset=0")
    assert {h["id"] for h in first.json()["items"]}.isdisjoint(h["id"] for h in second["items"])


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/search?q=%22%22", "query.q"),
        ("/api/search?q=migrants&type=Spaceship", "query.type"),
        ("/api/search?q=", "query.q"),
        ("/api/search?q=migrants&limit=101", "query.limit"),
    ],
)
def test_search_refuses_what_it_cannot_search_with_a_422(client: TestClient, url: str, parameter: str):
    response = client.get(url)
    assert response.status_code == 422
    assert [e["parameter"] for e in response.json()["errors"]] == [parameter]


@pytest.mark.parametrize(
    "url", ["/api", "/api/objectives/4", "/api/documents", "/api/search?q=migrants", "/api/quality"]
)
def test_head_answers_like_get_without_a_body(client: TestClient, url: str):
    head, get = client.head(url), client.get(url)
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]


def test_docs_page_is_served_with_the_projects_own_swagger_ui(client: TestClient):
    page = client.get("/docs")
    assert page.status_code == 200 and "/openapi.json" in page.text
    assets = [line.split('"')[-2] for line in page.text.splitlines() if "/static/" in line]
    assert len(assets) == 3 and not any("cdn" in url for url in assets)
    for url in assets:
        assert client.get(url).status_code == 200, url


def test_docs_api_md_lists_every_view():
    documented = (REPO_ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    missing = [v.path for v in load_views(VIEWS_DIR) if f"/api{v.path.replace(':path', '')}" not in documented]
    assert not missing, f"docs/api.md does not list {missing}"


def test_json_ld_of_every_view_states_only_what_the_graph_holds(client: TestClient, build_dir: Path):
    """Read as RDF, each view's example answer asserts no triple the graph lacks (literals compared by
    their text and language tag: JSON numbers and booleans carry no datatype of their own)."""
    store = ox.Store.read_only(str(build_dir / "store"))
    for view in load_views(VIEWS_DIR):
        url = example_url(view)
        response = client.get(
            url, params={"limit": 20} if view.kind == "list" else {}, headers={"Accept": "application/ld+json"}
        )
        assert response.status_code == 200, (url, response.text)
        graph = rdflib.Graph().parse(data=response.text, format="json-ld")
        assert len(graph) > 0, url
        for s, p, o in graph:
            term = ox.NamedNode(str(o)) if isinstance(o, rdflib.URIRef) else None
            found = [q.object for q in store.quads_for_pattern(ox.NamedNode(str(s)), ox.NamedNode(str(p)), term)]
            literal = None if term else (str(o), o.language)
            assert found and (term or literal in {(f.value, f.language) for f in found}), (url, s, p, o)


def test_json_ld_keeps_each_texts_language_tag_and_adds_none(client: TestClient, build_dir: Path):
    store = ox.Store.read_only(str(build_dir / "store"))
    response = client.get("/api/documents", headers={"Accept": "application/ld+json"})
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    booklet = ox.NamedNode(ID + "doc/gcm-booklet")
    for predicate in ("http://www.w3.org/2000/01/rdf-schema#label", "http://purl.org/dc/terms/publisher"):
        (stored,) = (q.object for q in store.quads_for_pattern(booklet, ox.NamedNode(predicate), None))
        (answered,) = graph.objects(rdflib.URIRef(booklet.value), rdflib.URIRef(predicate))
        assert (answered.value, answered.language) == (stored.value, stored.language)
    labels = {o.language for o in graph.objects(None, rdflib.RDFS.label)}
    assert labels == {"en"}
    # the plain JSON is unchanged: a text is a string
    assert all(isinstance(row["label"], str) for row in get_json(client, "/api/documents")["items"])


def test_other_methods_are_405_problems(client: TestClient):
    response = client.post("/api/objectives/4")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert "GET" in response.headers["allow"]


def test_every_documented_example_answers_with_data(client: TestClient):
    """Swagger's Try it out starts from these examples: each, alone, must find something."""
    for view in load_views(VIEWS_DIR):
        path = example_url(view)
        for param in [p for p in view.params if not p.in_path] or [None]:
            query = {param.name: param.example} if param else {}
            response = client.get(path, params=query)
            assert response.status_code == 200, (path, query, response.text)
            body = response.json()
            assert body["items"] if view.kind == "list" else body["id"], (path, query)
