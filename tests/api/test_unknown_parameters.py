"""Every /api route refuses a query parameter it does not declare (api/deps.py,
CHECKED_PARAMETERS): a misspelt filter would otherwise be dropped silently and answer as if
unfiltered. The routes are read from the OpenAPI document, so a route added without the dependency
fails here."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from migkg.api.app import create_app
from migkg.api.settings import Settings

UNKNOWN = "bogus"


def api_operations() -> dict[str, dict[str, Any]]:
    """Each GET operation under /api in the OpenAPI document, by its path template."""
    document = create_app(Settings()).openapi()
    return {path: item["get"] for path, item in document["paths"].items() if path.startswith("/api") and "get" in item}


OPERATIONS = api_operations()


def documented_value(parameter: dict[str, Any]) -> Any:
    """The parameter's first documented example, else its default; None when it documents neither."""
    examples = [example["value"] for example in (parameter.get("examples") or {}).values()]
    examples += parameter["schema"].get("examples", [])
    return examples[0] if examples else parameter["schema"].get("default")


def known_request(path: str) -> tuple[str, dict[str, Any]]:
    """The path with its path parameters' examples filled in, and every query parameter the
    operation documents a value for, with that value."""
    url, query = path, {}
    for parameter in OPERATIONS[path].get("parameters", []):
        value = documented_value(parameter)
        if parameter["in"] == "path":
            url = url.replace(f"{{{parameter['name']}}}", str(value))
        elif parameter["in"] == "query" and value is not None:
            query[parameter["name"]] = value
    return url, query


def declared_query_parameters(path: str) -> list[str]:
    return [p["name"] for p in OPERATIONS[path].get("parameters", []) if p["in"] == "query"]


def test_the_routes_come_from_the_openapi_document():
    assert {"/api", "/api/search", "/api/related/{key}", "/api/quality", "/api/crosswalk"} <= set(OPERATIONS)


@pytest.mark.parametrize("path", sorted(OPERATIONS))
def test_the_documented_parameters_are_answered(client: TestClient, path: str):
    url, query = known_request(path)
    response = client.get(url, params=query)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("path", sorted(OPERATIONS))
def test_an_unknown_query_parameter_is_a_422_naming_it(client: TestClient, path: str):
    url, query = known_request(path)
    response = client.get(url, params={**query, UNKNOWN: "1"})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["parameter"] == f"query.{UNKNOWN}"
    assert all(name in error["reason"] for name in declared_query_parameters(path))
    assert client.head(url, params={**query, UNKNOWN: "1"}).status_code == 422


@pytest.mark.parametrize("path", sorted(p for p in OPERATIONS if "offset" in declared_query_parameters(p)))
def test_a_single_valued_parameter_given_twice_is_a_422_naming_it(client: TestClient, path: str):
    url, query = known_request(path)
    others = [(name, value) for name, value in query.items() if name != "offset"]
    response = client.get(url, params=[*others, ("offset", "0"), ("offset", "10")])
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error == {"parameter": "query.offset", "reason": "given 2 times; give it once"}


@pytest.mark.parametrize("written", ["0.0", "1_000", " 5", "1e2"])
def test_an_integer_not_written_in_digits_is_a_422(client: TestClient, written: str):
    response = client.get("/api/nua-table/rows", params={"offset": written})
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["parameter"] == "query.offset" and "digits" in error["reason"]


def test_a_list_parameter_may_be_given_more_than_once(client: TestClient):
    response = client.get("/api/search", params=[("q", "birth registration"), ("type", "Action"), ("type", "Practice")])
    assert response.status_code == 200, response.text
    assert {t for hit in response.json()["items"] for t in hit["types"]} & {"Action", "Practice"}
