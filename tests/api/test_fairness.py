"""Clients share the workers fairly: one client's slow or many queries cannot hold back another's
lookups, a client past its share gets 429, queries wait their turn instead of being refused, long
queries leave a worker for short ones, and short queries go first. Over HTTP on the real build,
clients told apart by their API keys (they all come from one test address)."""

import asyncio
import socket
import threading
import time
from collections.abc import Callable

import httpx
import pytest
from api_testing import ENDLESS_QUERY, LiveServer, app_client, endless_query_request
from fastapi.testclient import TestClient

from migkg.api import fairness
from migkg.api.fairness import ClientOverShare, FairScheduler, LongQueryLane, QueryCosts, Shares, StoreBusy
from migkg.api.settings import Settings

LOOKUP = "SELECT ?p ?o WHERE { <https://w3id.org/migkg/id/gcm/objective/4> ?p ?o }"
KEYS = ["heavy", "light", "slow-1", "slow-2", "slow-3", "slow-4"]
COMMITMENT = "https://w3id.org/migkg/ontology#commitmentTitle"


def _as(key: str) -> dict[str, str]:
    return {"x-api-key": key}


def _in_background(client: TestClient, query: str, key: str) -> tuple[threading.Thread, list]:
    answers: list = []
    thread = threading.Thread(
        target=lambda: answers.append(client.get("/sparql", params={"query": query}, headers=_as(key)))
    )
    thread.start()
    return thread, answers


def _wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the server never reached the expected state"
        time.sleep(0.02)


def _is_the_lookup(answer: httpx.Response) -> bool:
    """The lookup's answer: objective 4's properties, its commitment among them."""
    return answer.status_code == 200 and any(
        row["p"]["value"] == COMMITMENT for row in answer.json()["results"]["bindings"]
    )


def _running(client: TestClient) -> int:
    return client.app.state.migkg.store.scheduler.running


def test_a_client_past_its_share_gets_429_while_another_is_answered(settings: Settings) -> None:
    limits = {
        "api_keys": KEYS,
        "max_concurrent_queries": 3,
        "client_share": 2,
        "client_waiting": 2,
        "query_timeout": 4.0,
        "long_query_after": 10.0,
    }
    with app_client(settings.model_copy(update=limits)) as client:
        heavy = [_in_background(client, f"{ENDLESS_QUERY} # {n}", "heavy") for n in range(4)]
        _wait_for(lambda: _running(client) == 2 and client.app.state.migkg.store.scheduler._waiting == 2)
        refused = client.get("/sparql", params={"query": f"{ENDLESS_QUERY} # 5"}, headers=_as("heavy"))
        assert refused.status_code == 429 and refused.headers["retry-after"] == "5"
        assert "has 2 queries waiting" in refused.text and "the 2 it may run at once" in refused.text
        assert "MIGKG_CLIENT_WAITING" in refused.text
        for n in range(5):  # the third worker is the light client's, though the heavy one has four queued
            answer = client.get("/sparql", params={"query": f"{LOOKUP} # {n}"}, headers=_as("light"))
            assert _is_the_lookup(answer)
        assert all(thread.is_alive() for thread, _ in heavy), "the light client waited for the heavy one"
        for thread, _ in heavy:
            thread.join()
        # the two that ran and the two that waited behind them share one deadline each: all stopped
        assert [answers[0].status_code for _, answers in heavy] == [503] * 4


def test_a_query_waits_its_turn_while_it_could_still_be_answered(settings: Settings) -> None:
    """One worker, held by a client that hangs up after a second: the next query is kept waiting,
    not refused, and is answered once the worker is free."""
    limits = {"max_concurrent_queries": 1, "query_timeout": 30.0}
    with LiveServer(settings.model_copy(update=limits)) as server:
        answers: list = []
        with socket.create_connection(("127.0.0.1", server.port)) as holder:
            holder.sendall(endless_query_request())
            time.sleep(0.5)  # the endless query holds the only worker
            waiting = threading.Thread(
                target=lambda: answers.append(httpx.get(f"{server.url}/sparql", params={"query": LOOKUP}, timeout=30))
            )
            waiting.start()
            time.sleep(1.5)
            assert waiting.is_alive() and not answers, "the waiting query was answered or refused too early"
        waiting.join()
        assert _is_the_lookup(answers[0])


def test_four_unfinishable_queries_leave_light_queries_answering(settings: Settings) -> None:
    limits = {"api_keys": KEYS, "max_concurrent_queries": 4, "query_timeout": 6.0, "long_query_after": 0.5}
    with app_client(settings.model_copy(update=limits)) as client:
        slow = [_in_background(client, f"{ENDLESS_QUERY} # {n}", f"slow-{n}") for n in range(1, 5)]
        # three may run long (one worker is kept for short queries): the fourth is stopped at 0.5 s
        _wait_for(lambda: sum(1 for _, answers in slow if answers) == 1)
        stopped = next(answers[0] for _, answers in slow if answers)
        assert stopped.status_code == 503 and "retry-after" in stopped.headers
        assert "long queries were already running" in stopped.text
        for n in range(10):
            answer = client.get("/sparql", params={"query": f"{LOOKUP} # {n}"}, headers=_as("light"))
            assert _is_the_lookup(answer), answer.text
        assert sum(thread.is_alive() for thread, _ in slow) == 3, "the light queries waited for the long ones"
        for thread, _ in slow:
            thread.join()


def test_an_unknown_api_key_is_refused_in_the_form_of_the_route(settings: Settings) -> None:
    with app_client(settings.model_copy(update={"api_keys": KEYS})) as client:
        sparql = client.get("/sparql", params={"query": "ASK {}"}, headers=_as("not-a-key"))
        assert sparql.status_code == 401 and "X-API-Key" in sparql.text
        assert sparql.headers["www-authenticate"].startswith("ApiKey")
        view = client.get("/api/objectives/4", headers=_as("not-a-key"))
        assert view.status_code == 401 and view.headers["content-type"] == "application/problem+json"
        assert client.get("/sparql", params={"query": "ASK {}"}, headers=_as("light")).status_code == 200
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def _scheduler(lane: LongQueryLane | None = None, **shares: int) -> FairScheduler:
    defaults = {"workers": 2, "per_client": 2, "waiting_per_client": 8, "waiting": 8}
    return FairScheduler(Shares(**defaults | shares), lane or LongQueryLane(after=1.0, size=1), _costs())


def _costs() -> QueryCosts:
    """Costs where the shape "long" has run long and "short" short."""
    costs = QueryCosts()
    costs.record("long", 1.0)
    costs.record("short", 0.001)
    return costs


def test_a_freed_worker_goes_to_the_client_that_used_the_workers_least() -> None:
    async def scenario() -> list[str]:
        scheduler = _scheduler()
        order: list[str] = []

        async def query(client: str) -> None:
            await scheduler.admit(client, 5)
            order.append(client)
            await asyncio.sleep(0)
            scheduler.release(client)

        await scheduler.admit("a", 5)
        await scheduler.admit("a", 5)  # a holds both workers
        waiting = [asyncio.create_task(query(c)) for c in ("a", "a", "a", "b")]
        await asyncio.sleep(0)
        scheduler.release("a", 1.0)  # b arrived last, but has used no worker: it goes first
        scheduler.release("a", 1.0)
        await asyncio.gather(*waiting)
        return order

    assert asyncio.run(scenario())[0] == "b"


def test_the_line_is_bounded_per_client_and_in_all() -> None:
    async def scenario() -> None:
        scheduler = _scheduler(workers=1, waiting_per_client=1, waiting=2)
        await scheduler.admit("a", 5)
        queued = [asyncio.create_task(scheduler.admit(client, 5)) for client in ("a", "b")]
        await asyncio.sleep(0)
        with pytest.raises(ClientOverShare):
            await scheduler.admit("a", 5)
        with pytest.raises(StoreBusy):  # c has no query waiting, but the line is full
            await scheduler.admit("c", 5)
        for task in queued:
            task.cancel()

    asyncio.run(scenario())


def test_a_query_that_gets_no_worker_in_time_is_busy() -> None:
    async def scenario() -> int:
        scheduler = _scheduler(workers=1)
        await scheduler.admit("a", 5)
        with pytest.raises(StoreBusy):
            await scheduler.admit("b", 0.05)
        return scheduler._waiting

    assert asyncio.run(scenario()) == 0


def test_a_query_that_stops_waiting_leaves_no_trace() -> None:
    async def scenario() -> int:
        scheduler = _scheduler(workers=1)
        await scheduler.admit("a", 5)
        gives_up = asyncio.create_task(scheduler.admit("b", 5))
        await asyncio.sleep(0)
        gives_up.cancel()
        await asyncio.sleep(0)
        scheduler.release("a")
        await scheduler.admit("c", 0.1)  # the worker is free again, not held for the one that left
        return scheduler.running

    assert asyncio.run(scenario()) == 1


def test_while_the_long_lane_is_full_only_light_users_get_a_worker() -> None:
    async def scenario() -> list[str]:
        lane = LongQueryLane(after=1.0, size=1)
        scheduler = _scheduler(lane, workers=2, per_client=1)
        order: list[str] = []
        await scheduler.admit("slow-1", 5)
        lane.enter()  # slow-1's query runs long: the lane is full
        await scheduler.admit("slow-2", 5)
        scheduler.release("slow-2", 1.5)  # slow-2's query was stopped after running long
        for client in ("slow-2", "light"):
            await asyncio.sleep(0)
            asyncio.create_task(scheduler.admit(client, 5)).add_done_callback(lambda _, c=client: order.append(c))
        await asyncio.sleep(0.01)
        return list(order)  # before asyncio.run cancels slow-2's wait, which would add it

    assert asyncio.run(scenario()) == ["light"]


def test_a_client_never_holds_every_worker(settings: Settings) -> None:
    shares = {
        workers: settings.model_copy(update={"max_concurrent_queries": workers}).share_per_client
        for workers in (1, 2, 4)
    }
    assert shares == {1: 1, 2: 1, 4: 2}  # the default MIGKG_CLIENT_SHARE is 2


def test_an_expected_long_query_waits_behind_short_ones() -> None:
    async def scenario() -> list[str]:
        scheduler = _scheduler(workers=1)
        order: list[str] = []
        await scheduler.admit("a", 5)
        for client in ("long", "short"):
            done = asyncio.create_task(scheduler.admit(client, 5, client))
            done.add_done_callback(lambda _, c=client: order.append(c))
            await asyncio.sleep(0)
        scheduler.release("a")
        await asyncio.sleep(0.01)
        return list(order)  # before asyncio.run cancels the other's wait, which would add it

    assert asyncio.run(scenario()) == ["short"]


def test_an_expected_long_query_that_waited_long_enough_goes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fairness, "LONG_WAITS_FIRST", 0.05)

    async def scenario() -> list[str]:
        scheduler = _scheduler(workers=1)
        order: list[str] = []
        await scheduler.admit("a", 5)
        for client in ("long", "short"):
            asyncio.create_task(scheduler.admit(client, 5, client)).add_done_callback(
                lambda _, c=client: order.append(c)
            )
        await asyncio.sleep(0.1)
        scheduler.release("a")
        await asyncio.sleep(0.01)
        return list(order)  # before asyncio.run cancels the other's wait, which would add it

    assert asyncio.run(scenario()) == ["long"]


def test_queries_of_one_shape_keep_their_order_when_its_cost_crosses_short_query() -> None:
    """A shape that ran long when one query came and short when the next did: the first goes first."""

    async def scenario() -> list[str]:
        scheduler = _scheduler(workers=1)
        order: list[str] = []
        await scheduler.admit("a", 5)
        scheduler.costs.record("straddling", fairness.SHORT_QUERY * 1.5)
        for client in ("first", "second"):
            asyncio.create_task(scheduler.admit(client, 5, "straddling")).add_done_callback(
                lambda _, c=client: order.append(c)
            )
            await asyncio.sleep(0)
            scheduler.costs.record("straddling", fairness.SHORT_QUERY * 0.1)  # short from now on
        scheduler.release("a")
        await asyncio.sleep(0.01)
        return list(order)  # before asyncio.run cancels the other's wait, which would add it

    assert asyncio.run(scenario()) == ["first"]


def test_a_query_shape_leaves_out_iris_literals_and_comments() -> None:
    lookup = QueryCosts.shape(f"{LOOKUP} # 1")
    assert lookup == QueryCosts.shape("SELECT ?p ?o WHERE { <urn:x#y> ?p ?o } # another")
    assert QueryCosts.shape('ASK { ?s ?p "a # b \\" c"@en }') == "ASK { ?s ?p _@en }"
    assert QueryCosts.shape("SELECT * { ?s ?p ?o } LIMIT 10") != QueryCosts.shape("SELECT * { ?s ?p ?o } LIMIT 10000")


def test_the_store_learns_which_queries_are_long(settings: Settings) -> None:
    """On the real build: a count over every two-step path holds a worker past SHORT_QUERY, a lookup does not."""
    two_steps = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?c ?d ?e }"
    with app_client(settings) as client:
        costs = client.app.state.migkg.store.scheduler.costs
        for query in (two_steps, *[LOOKUP] * 4):  # a worker's first query may be slow: each run counts half
            answer = client.get("/sparql", params={"query": query}, headers={"cache-control": "no-cache"})
            assert answer.status_code == 200
        assert not costs.short(costs.shape(two_steps))
        assert costs.short(costs.shape(LOOKUP.replace("objective/4", "objective/5")))
