"""/map and /charts over HTTP against the real build: the pages load only the server's own copies
of Vega, Vega-Lite, vega-embed and world-atlas, and the views they draw from say what the graph
and the source texts say."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from api_testing import app_client
from fastapi.testclient import TestClient

from migkg import resources
from migkg.api.settings import Settings

ID = "https://w3id.org/migkg/id/"
BOOKLET = (resources.sources_dir() / "gcm-implementation-booklet-2022.txt").read_text(encoding="utf-8")
VENDORED = ("vega/build/vega.min.js", "vega-lite/build/vega-lite.min.js", "vega-embed/build/vega-embed.min.js")


class Assets(HTMLParser):
    """The scripts and stylesheets a page loads, and its data-* settings."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.settings: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.urls.append(attributes["href"])
        if attributes.get("id") == "pictures":
            self.settings = {k: v for k, v in attributes.items() if k.startswith("data-")}


def assets(client: TestClient, path: str) -> Assets:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    parsed = Assets()
    parsed.feed(response.text)
    return parsed


def rows(client: TestClient, path: str) -> list[dict]:
    response = client.get(path, params={"limit": 1000})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["next"] is None
    return body["items"]


def select(build_dir: Path, query: str) -> list[dict]:
    store = ox.Store.read_only(str(build_dir / "store"))
    prefixes = (
        "PREFIX mig: <https://w3id.org/migkg/ontology#> PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> "
        "PREFIX dcterms: <http://purl.org/dc/terms/> "
    )
    result = store.query(prefixes + query, use_default_graph_as_union=True)
    return [{v.value: row[v].value for v in result.variables if row[v] is not None} for row in result]


# --- the pages ---


@pytest.mark.parametrize("path", ["/map", "/charts"])
def test_a_page_loads_only_the_servers_own_scripts(client: TestClient, path: str):
    page = assets(client, path)
    assert all(url.startswith("/static/") for url in page.urls), page.urls
    assert {f"/static/node_modules/{name}" for name in VENDORED} <= set(page.urls)
    for url in page.urls:
        served = client.get(url)
        assert served.status_code == 200, url
        if url.startswith("/static/pictures/"):  # the pages' own code asks only this server for data
            assert "http" not in served.text, url
    assert client.head(path).status_code == 200


def test_the_map_draws_world_atlas_shapes_from_the_server(client: TestClient):
    atlas_url = assets(client, "/map").settings["data-world-atlas"]
    assert atlas_url.startswith("/static/node_modules/world-atlas/")
    atlas = client.get(atlas_url).json()
    shapes = {g.get("id") for g in atlas["objects"]["countries"]["geometries"]}
    countries = [p for p in rows(client, "/api/map") if p["type"] == "country"]
    # world-atlas ids are ISO 3166-1 numeric codes, which the view gives as m49: every country has its shape
    assert countries and {c["m49"] for c in countries} <= shapes


def test_the_pages_say_to_install_the_drawing_library_when_it_is_missing(settings: Settings, tmp_path: Path):
    with app_client(settings.model_copy(update={"static_dir": tmp_path})) as client:
        response = client.get("/map")
    assert response.status_code == 503
    assert "make install" in response.text and "vega.min.js" in response.text


# --- the views they draw ---


def test_a_place_with_coordinates_is_on_the_map_at_its_point(client: TestClient, build_dir: Path):
    (geneva,) = select(
        build_dir,
        f"SELECT ?lat ?long ?id WHERE {{ <{ID}place/city/geneva> geo:lat ?lat ; geo:long ?long ; mig:geonamesId ?id }}",
    )
    places = {p["id"]: p for p in rows(client, "/api/map")}
    row = places[f"{ID}place/city/geneva"]
    assert (row["latitude"], row["longitude"]) == (float(geneva["lat"]), float(geneva["long"]))
    assert row["geonames_id"] == geneva["id"] and row["mentioned_in"] > 0
    naga = places[f"{ID}place/city/naga"]  # two cities of that name in the Philippines: listed, not placed
    assert naga["latitude"] is None and naga["longitude"] is None


def test_objective_4s_row_cites_the_goals_the_booklet_prints_for_it(client: TestClient):
    section = BOOKLET[BOOKLET.index("\n4 LEGAL IDENTITY AND DOCUMENTATION\n") : BOOKLET.index("\n5 REGULAR PATHWAYS\n")]
    printed = section[section.index("Relevant sustainable development goals") :]
    targets = re.findall(r"▪\s*\**(\d{1,2})\.([0-9a-z]{1,2})", printed)
    expected = {goal: sum(1 for g, _ in targets if g == goal) for goal, _ in targets}
    matrix = rows(client, "/api/charts/objective-sdg-goals")
    row_4 = {c["goal_notation"]: c["cited"] for c in matrix if c["id"] == f"{ID}gcm/objective/4" and c["cited"]}
    assert row_4 == expected == {"1": 1, "10": 1, "16": 1, "17": 1}
    assert sum(c["cited"] for c in matrix) == 153  # every target citation the booklet prints, once


def test_the_crosswalk_matrix_is_the_crosswalks_element_to_objective_mappings(client: TestClient, build_dir: Path):
    mappings = select(
        build_dir,
        "SELECT ?m ?c WHERE { GRAPH <https://w3id.org/migkg/graph/crosswalk> { ?m a mig:Mapping ;"
        " mig:mappingSubject ?e ; mig:mappingObject ?o ; mig:confidence ?c } ?e a mig:EssentialElement . ?o a mig:Objective }",
    )
    cells = rows(client, "/api/charts/element-objectives")
    assert mappings and {c["id"]: c["confidence"] for c in cells} == {m["m"]: float(m["c"]) for m in mappings}
    assert all(
        c["element"].startswith(f"{ID}migof/element/") and c["objective"].startswith(f"{ID}gcm/objective/")
        for c in cells
    )


def test_counts_per_document_and_class_are_the_graphs(client: TestClient, build_dir: Path):
    counts = {(c["id"], c["class_label"]): c["resources"] for c in rows(client, "/api/charts/document-classes")}
    (practices,) = select(
        build_dir,
        f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a mig:Practice ; dcterms:source <{ID}doc/gcm-booklet> }}",
    )
    assert counts[(f"{ID}doc/gcm-booklet", "example practice")] == int(practices["n"])
    assert counts[(f"{ID}doc/gcm-booklet", "objective")] == len(rows(client, "/api/frameworks/gcm/objectives")) == 23
    # the table's two renderings count as its one document
    assert (f"{ID}doc/nua-table", "recommendations-table row") in counts
    assert not any(document.endswith(("-tsv", "-ocr")) for document, _ in counts)
