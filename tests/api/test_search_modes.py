"""/api/search's modes on a server without the sentence model: lexical answers, semantic says why not.

Semantic search itself is tested with the model installed: `make test-semantic` (tests/semantic)."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def without_model(client: TestClient) -> Iterator[TestClient]:
    """The app as a server without the optional extra `embed` runs it, whatever this environment has."""
    state = client.app.state.migkg
    encoder, state.encoder = state.encoder, None
    yield client
    state.encoder = encoder


def test_lexical_is_the_default_mode(without_model: TestClient) -> None:
    body = without_model.get("/api/search", params={"q": "birth registration"}).json()
    assert body["mode"] == "lexical"
    assert body["items"] and "<mark>" in body["items"][0]["snippet"]


def test_semantic_mode_without_the_model_is_a_422_that_says_what_to_install(without_model: TestClient) -> None:
    response = without_model.get("/api/search", params={"q": "children without papers", "mode": "semantic"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"] == [{"parameter": "query.mode", "reason": problem["errors"][0]["reason"]}]
    assert "optional extra `embed`" in problem["detail"] and "mode=lexical works" in problem["detail"]


def test_an_unknown_mode_is_a_422(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "migrants", "mode": "fuzzy"})
    assert response.status_code == 422
    assert "lexical" in response.text and "semantic" in response.text
