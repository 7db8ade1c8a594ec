"""The cache of answers to repeated queries: exact, bounded, bypassed on request, and said."""

import uuid

from fastapi.testclient import TestClient

from migkg.api.conneg import negotiate
from migkg.api.formats import ResultKind
from migkg.api.jobs import QueryAnswer, QueryJob
from migkg.api.result_cache import CacheKey, ResultCache

QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/migkg/ontology#Objective> }"


def _unseen() -> str:
    """The query as no other test sent it (the app, and so its cache, is shared by the session)."""
    return f"{QUERY} # {uuid.uuid4()}"


def _key(text: str, accept: str = "application/sparql-results+json", version: str = "v1") -> CacheKey:
    return CacheKey.of(version, QueryJob(text=text, offers=negotiate(accept), base_iri="b", max_rows=10))


def _answer(size: int) -> QueryAnswer:
    return QueryAnswer(ResultKind.SOLUTIONS, "application/sparql-results+json", b"x" * size)


def test_the_key_is_the_query_the_formats_and_the_release() -> None:
    assert _key(QUERY) == _key(QUERY)
    assert _key(QUERY) != _key(QUERY, accept="text/csv")
    assert _key(QUERY) != _key(QUERY, version="v2")
    assert _key(QUERY) != _key(QUERY + " ")


def test_the_cache_keeps_at_most_its_bytes_dropping_the_least_recently_used() -> None:
    cache = ResultCache(max_bytes=800)
    for n in range(10):
        cache.put(_key(f"q{n}"), _answer(100))
        cache.get(_key("q0"))  # q0 stays in use
    assert cache.size <= 800 and len(cache) == 8
    assert cache.get(_key("q0")) is not None and cache.get(_key("q1")) is None
    cache.put(_key("big"), _answer(101))  # more than an eighth of the cache: not kept
    assert cache.get(_key("big")) is None


def test_a_repeated_query_is_answered_from_the_cache_and_says_so(client: TestClient) -> None:
    query = _unseen()
    first = client.post("/sparql", data={"query": query})
    second = client.post("/sparql", data={"query": query})
    assert first.status_code == second.status_code == 200
    assert (first.headers["migkg-cache"], second.headers["migkg-cache"]) == ("miss", "hit")
    assert second.content == first.content and second.headers["content-type"] == first.headers["content-type"]


def test_no_cache_from_the_client_runs_the_query_again(client: TestClient) -> None:
    query = _unseen()
    client.post("/sparql", data={"query": query})
    again = client.post("/sparql", data={"query": query}, headers={"cache-control": "no-cache"})
    assert again.headers["migkg-cache"] == "miss"


def test_another_format_is_another_answer(client: TestClient) -> None:
    query = _unseen()
    client.post("/sparql", data={"query": query})
    csv = client.post("/sparql", data={"query": query}, headers={"accept": "text/csv"})
    assert csv.headers["migkg-cache"] == "miss" and csv.headers["content-type"].startswith("text/csv")


def test_errors_are_not_kept(client: TestClient) -> None:
    for _ in range(2):
        response = client.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p }"})
        assert response.status_code == 400 and "migkg-cache" not in response.headers
