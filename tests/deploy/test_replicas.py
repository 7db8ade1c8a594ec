"""Two replicas behind HAProxy on the real build: each request's client is the address the balancer
names, and no one else's X-Forwarded-For is believed; the fair share still tells clients apart; a
replica killed under load is taken out while requests keep succeeding; a release switch rolls
across the replicas with no failed request."""

import json
import os
import re
import shutil
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from api_testing import ENDLESS_QUERY
from deploy_testing import access_log_client, from_address, replicas_serving, server_states

from migkg.deploy.replicas import Replicas

LOOKUP = "SELECT ?p ?o WHERE { <https://w3id.org/migkg/id/gcm/objective/4> ?p ?o }"
NEW_VERSION = "2" * 64
# Each replica has four workers; a client may run two queries at once and have none waiting. Two
# clients' full shares leave a worker for the balancer's /readyz probe, which runs a query too.
LIMITS = {
    "max_concurrent_queries": "4",
    "client_share": "2",
    "client_waiting": "0",
    "query_timeout": "6",
    "long_query_after": "10",
    "release_check": "0.2",
}


@pytest.fixture(scope="module")
def releases(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pointer ``build`` to the real build, and beside it a copy that differs only in its version."""
    root = tmp_path_factory.mktemp("releases")
    second = root / "build.releases" / "r2"
    shutil.copytree(build_dir.resolve(), second)
    info = json.loads((second / "build-info.json").read_text(encoding="utf-8"))
    (second / "build-info.json").write_text(json.dumps(info | {"version": NEW_VERSION}), encoding="utf-8")
    (root / "build").symlink_to(build_dir.resolve())
    return root


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("logs")


@pytest.fixture(scope="module")
def replicas(releases: Path, logs: Path) -> Iterator[Replicas]:
    with replicas_serving(releases / "build", logs, **LIMITS) as running:
        yield running


def _replica_url(replicas: Replicas, index: int) -> str:
    return f"http://127.0.0.1:{replicas.topology.replica_ports[index]}"


def _request_id() -> str:
    return uuid.uuid4().hex


def test_the_replica_sees_the_client_the_balancer_names_not_the_one_it_claims(replicas: Replicas, logs: Path) -> None:
    for address in ("127.0.0.2", "127.0.0.3"):
        request_id = _request_id()
        with from_address(address, replicas.topology.url) as client:
            headers = {"x-request-id": request_id, "x-forwarded-for": "203.0.113.9"}
            assert client.get("/api", headers=headers).status_code == 200
        assert access_log_client(logs, request_id) == address


def test_a_forwarded_for_sent_straight_to_a_replica_is_ignored(replicas: Replicas, logs: Path) -> None:
    """From 127.0.0.1, which uvicorn's default would trust: only the balancer's own address is."""
    request_id = _request_id()
    headers = {"x-request-id": request_id, "x-forwarded-for": "127.0.0.2"}
    assert httpx.get(f"{_replica_url(replicas, 0)}/api", headers=headers).status_code == 200
    assert access_log_client(logs, request_id) == "127.0.0.1"


def _endless_query(address: str, url: str, answers: list[int]) -> threading.Thread:
    def ask() -> None:
        with from_address(address, url) as client:
            answers.append(client.get("/sparql", params={"query": f"{ENDLESS_QUERY} # {_request_id()}"}).status_code)

    thread = threading.Thread(target=ask)
    thread.start()
    return thread


def _until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    give_up = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < give_up, "the expected state was never reached"
        time.sleep(0.05)


def _sessions(replicas: Replicas) -> list[int]:
    return [int(state["scur"]) for state in server_states(replicas).values()]


def test_behind_the_balancer_one_client_past_its_share_gets_429_while_another_is_answered(
    replicas: Replicas,
) -> None:
    heavy: list[int] = []
    threads = []
    for running in range(1, 5):  # two endless queries on each replica: the heavy client's whole share
        threads.append(_endless_query("127.0.0.2", replicas.topology.url, heavy))
        _until(lambda running=running: sum(_sessions(replicas)) == running)
    assert _sessions(replicas) == [2, 2]
    with from_address("127.0.0.2", replicas.topology.url) as client:
        refused = client.get("/sparql", params={"query": f"{ENDLESS_QUERY} # {_request_id()}"})
    assert refused.status_code == 429, refused.text
    with from_address("127.0.0.3", replicas.topology.url) as client:
        for n in range(4):
            answer = client.get("/sparql", params={"query": f"{LOOKUP} # {n}"})
            assert answer.status_code == 200 and answer.json()["results"]["bindings"], answer.text
    assert all(thread.is_alive() for thread in threads), "the light client waited for the heavy one"
    for thread in threads:
        thread.join()
    assert heavy == [503] * 4  # stopped at MIGKG_QUERY_TIMEOUT


class Load:
    """Clients asking through the balancer until stopped, each from an address of its own (one
    client's share is two queries at once): each answer's status, start time and version."""

    def __init__(self, url: str, clients: int = 3) -> None:
        self.url = url
        self.answers: list[tuple[int | str, float, str]] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._ask, args=(f"127.0.1.{n}",)) for n in range(1, clients + 1)]

    def __enter__(self) -> "Load":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def _ask(self, address: str) -> None:
        with from_address(address, self.url) as http:
            while not self._stop.is_set():
                self.answers.append(self._answer(http, "/downloads", {}))
                self.answers.append(self._answer(http, "/sparql", {"query": "ASK { ?s ?p ?o }"}))

    @staticmethod
    def _answer(http: httpx.Client, path: str, params: dict[str, str]) -> tuple[int | str, float, str]:
        started = time.monotonic()
        headers = {"accept": "application/json", "cache-control": "no-cache"}
        try:
            answer = http.get(path, params=params, headers=headers)
        except httpx.HTTPError as error:
            return repr(error), started, ""
        version = answer.json().get("version", "") if path == "/downloads" and answer.status_code == 200 else ""
        return answer.status_code, started, version


def _idle_workers(replicas: Replicas, index: int) -> int:
    metrics = httpx.get(f"{_replica_url(replicas, index)}/metrics").text
    return int(float(re.search(r"^migkg_query_workers_idle (\S+)$", metrics, re.MULTILINE).group(1)))


def test_a_replica_killed_under_load_is_taken_out_and_requests_keep_succeeding(replicas: Replicas) -> None:
    # every worker ready first (none still replacing one stopped before): the survivor takes the whole load
    workers = int(LIMITS["max_concurrent_queries"])
    _until(lambda: all(_idle_workers(replicas, index) == workers for index in (0, 1)))
    victim = replicas.replicas[1]
    with Load(replicas.topology.url) as load:
        time.sleep(0.5)
        os.killpg(victim.pid, signal.SIGKILL)  # the replica and its query workers, as a crash would
        victim.wait()
        killed_at = time.monotonic()  # its socket is closed: a request from now on is refused, not cut
        _until(lambda: server_states(replicas)["replica2"]["status"] == "DOWN")
        time.sleep(0.5)
    failed_after = [answer for answer in load.answers if answer[0] != 200 and answer[1] > killed_at]
    assert not failed_after, f"requests sent after the kill failed: {failed_after[:3]}"
    assert sum(1 for answer in load.answers if answer[1] > killed_at) > 10
    replicas.start_replica(1)
    replicas.wait_until_ready(1)
    _until(lambda: server_states(replicas)["replica2"]["status"] == "UP")


def _replica_version(replicas: Replicas, index: int) -> str:
    return httpx.get(f"{_replica_url(replicas, index)}/readyz").json().get("version", "")


def test_a_release_switch_rolls_across_the_replicas_with_no_failed_request(replicas: Replicas, releases: Path) -> None:
    with Load(replicas.topology.url) as load:
        time.sleep(0.5)
        next_pointer = releases / "build.next"
        next_pointer.symlink_to(Path("build.releases") / "r2")
        os.replace(next_pointer, releases / "build")
        _until(lambda: all(_replica_version(replicas, index) == NEW_VERSION for index in (0, 1)))
        time.sleep(0.5)
    assert {status for status, _, _ in load.answers} == {200}, "a request failed during the switch"
    assert NEW_VERSION in {version for _, _, version in load.answers}
    assert len({version for _, _, version in load.answers if version}) == 2, "both releases answered"


def test_a_graceful_stop_answers_the_request_in_flight_and_takes_no_new_one(replicas: Replicas) -> None:
    """Last in the module: it stops the topology (the fixture's own stop then finds nothing running)."""
    answers: list[int] = []
    in_flight = _endless_query("127.0.0.2", replicas.topology.url, answers)
    _until(lambda: sum(_sessions(replicas)) == 1)
    stopping = threading.Thread(target=replicas.stop)
    stopping.start()
    _until(lambda: _refused(replicas.topology.url))
    in_flight.join()
    stopping.join()
    assert answers == [503], "the query was cut, not answered at MIGKG_QUERY_TIMEOUT by its replica"
    assert [replica.returncode for replica in replicas.replicas] == [0, 0]
    assert replicas.balancer.returncode == 0


def _refused(url: str) -> bool:
    try:
        httpx.get(f"{url}/healthz")
    except httpx.ConnectError:
        return True
    return False
