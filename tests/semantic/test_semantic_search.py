"""/api/search?mode=semantic on the real build, with the sentence model: meaning, not words."""

from fastapi.testclient import TestClient

ID = "https://w3id.org/migkg/id/"


def _search(client: TestClient, **params) -> dict:
    response = client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _ids(body: dict) -> list[str]:
    return [item["id"] for item in body["items"]]


def test_remittances_are_found_from_words_the_objective_does_not_use(client: TestClient) -> None:
    text = "money sent home by workers abroad"
    semantic = _search(client, q=text, mode="semantic", type="Objective", limit=5)
    assert semantic["mode"] == "semantic"
    assert _ids(semantic)[0] == ID + "gcm/objective/20"  # "Promote faster, safer and cheaper transfer of remittances"
    lexical = _search(client, q=text, type="Objective", limit=5)
    assert ID + "gcm/objective/20" not in _ids(lexical)


def test_children_without_papers_finds_birth_registration(client: TestClient) -> None:
    body = _search(client, q="children without identity papers", mode="semantic", type="Practice", limit=5)
    assert ID + "practice/birth-registration-programming-thailand-s-civil-registration-act-2008" in _ids(body)
    assert all(item["types"] == ["Practice"] or "Practice" in item["types"] for item in body["items"])


def test_hits_are_ranked_by_cosine_and_paged(client: TestClient) -> None:
    first = _search(client, q="integration of newcomers in cities", mode="semantic", limit=10)
    scores = [item["score"] for item in first["items"]]
    assert scores == sorted(scores, reverse=True) and all(-1 <= s <= 1 for s in scores)
    second = _search(client, q="integration of newcomers in cities", mode="semantic", limit=5, offset=5)
    assert _ids(second) == _ids(first)[5:]
    assert first["next"] is not None
    assert all("<mark>" not in item["snippet"] for item in first["items"])
