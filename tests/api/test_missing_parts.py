"""What the server answers when a part is missing: no build yet (one 503, the same message on every
route that needs a build), or no npm-installed UI assets (a 503 page saying to run `make install`)."""

from collections.abc import Iterator

import pytest
from api_testing import app_client
from fastapi.testclient import TestClient

from migkg.api.settings import Settings

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
NEEDS_A_BUILD = [
    "/id/gcm",
    "/ontology",
    "/.well-known/void",
    "/downloads",
    "/downloads/migkg.nq",
    "/sparql?query=ASK%20%7B%7D",
]
API_NEEDS_A_BUILD = ["/api/objectives/4", "/api/practices", "/api/search?q=migrants", "/api/quality"]


@pytest.fixture(scope="module")
def bare_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An app with an empty build directory and no UI assets."""
    empty = tmp_path_factory.mktemp("nothing")
    with app_client(Settings(build_dir=empty / "build", static_dir=empty / "static")) as client:
        yield client


@pytest.mark.parametrize("path", NEEDS_A_BUILD)
def test_without_a_build_pages_say_to_run_make_build(bare_client: TestClient, path: str) -> None:
    response = bare_client.get(path, headers={"accept": "text/turtle"})
    assert response.status_code == 503 and response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("No build to serve: ") and "Run `make build`, then restart" in response.text
    assert "retry-after" in response.headers


@pytest.mark.parametrize("path", API_NEEDS_A_BUILD)
def test_without_a_build_the_api_answers_one_problem(bare_client: TestClient, path: str) -> None:
    response = bare_client.get(path)
    assert response.status_code == 503 and response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["detail"].startswith("No build to serve: ") and problem["detail"].endswith("does not exist.")
    assert problem["hint"] == "Run `make build`, then restart the server."


def test_without_a_build_the_endpoint_still_describes_itself(bare_client: TestClient) -> None:
    response = bare_client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200 and "sparql-service-description" in response.text
    update = bare_client.get("/sparql", params={"query": "INSERT DATA { <a> <b> <c> }"})
    assert update.status_code == 403  # refused before the store is needed


@pytest.mark.parametrize(("path", "ui"), [("/sparql", "YASGUI"), ("/docs", "Swagger UI")])
def test_without_npm_assets_a_ui_page_says_to_run_make_install(bare_client: TestClient, path: str, ui: str) -> None:
    response = bare_client.get(path, headers={"accept": BROWSER})
    assert response.status_code == 503 and response.headers["content-type"].startswith("text/html")
    assert f"{ui} is not installed" in response.text and "make install" in response.text
    assert "node_modules" in response.text  # names what is missing


def test_with_npm_assets_the_ui_pages_load_them(client: TestClient) -> None:
    yasgui = client.get("/sparql", headers={"accept": BROWSER})
    swagger = client.get("/docs")
    assert yasgui.status_code == 200 and "/static/node_modules/@zazuko/yasgui/build/yasgui.min.js" in yasgui.text
    assert swagger.status_code == 200 and "/static/node_modules/swagger-ui-dist/swagger-ui-bundle.js" in swagger.text
    assert client.get("/static/node_modules/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200
