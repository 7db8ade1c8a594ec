"""The query workers are checked, not found dead by a query: a worker that dies while idle is
reaped at once (no zombie) and replaced before a query is sent to it; a dead template (the process
that forks the workers) is started anew; a query whose client hangs up is stopped and its worker freed."""

import os
import signal
import socket
import time
from pathlib import Path

import httpx
from api_testing import LiveServer, app_client, endless_query_request, holds_within

from migkg.api import store as store_module
from migkg.api.settings import Settings
from migkg.api.store import embedded_data, prestart_template

ASK = "ASK { ?s ?p ?o }"
JSON = "application/sparql-results+json"


def _state(pid: int) -> str | None:
    """The process's state letter (R, S, Z…), None once it is gone and reaped."""
    try:  # read, not checked first: the process may be reaped before or during the read
        status = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):  # ENOENT once reaped, ESRCH if reaped mid-read
        return None
    return status.rsplit(")", 1)[1].split()[0]


def test_a_worker_killed_while_idle_is_reaped_and_replaced_before_a_query(settings: Settings) -> None:
    with app_client(settings.model_copy(update={"max_concurrent_queries": 2})) as client:
        store = client.app.state.migkg.store
        dead = [worker.pid for worker in store._all]
        for pid in dead:
            os.kill(pid, signal.SIGKILL)
        assert holds_within(lambda: all(_state(pid) is None for pid in dead), 1.0), "a killed worker is left a zombie"
        for n in range(4):  # every query lands on a live worker (each a new text: none from the cache)
            query = f"{ASK} # {n}"
            response = client.post("/sparql", data={"query": query}, headers={"accept": JSON})
            assert response.status_code == 200, response.text
        assert len(store._all) == 2 and all(worker.alive() for worker in store._all)
        assert not {worker.pid for worker in store._all} & set(dead)


def test_a_client_that_hangs_up_frees_its_worker_within_a_second(settings: Settings) -> None:
    # one worker and a long timeout: a light query can only run once the hung-up query is stopped
    limits = {"max_concurrent_queries": 1, "query_timeout": 30.0}
    with LiveServer(settings.model_copy(update=limits)) as server:
        with socket.create_connection(("127.0.0.1", server.port)) as client:
            client.sendall(endless_query_request())
            time.sleep(1.0)  # the query is running
        hung_up = time.perf_counter()
        answer = httpx.post(f"{server.url}/sparql", data={"query": ASK}, timeout=30)
        assert answer.status_code == 200, answer.text
        assert time.perf_counter() - hung_up < 1.5, "the hung-up query still held the only worker"


def test_workers_hold_a_small_release_in_memory_and_read_a_larger_one_from_its_store(settings: Settings) -> None:
    count = "SELECT (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } }"
    answers = {}
    for limit in (settings.memory_store_max_bytes, 0):  # the build's N-Quads are under the default
        with app_client(settings.model_copy(update={"memory_store_max_bytes": limit})) as client:
            response = client.post("/sparql", data={"query": count}, headers={"accept": JSON})
            assert response.status_code == 200, response.text
            answers[client.app.state.migkg.store.data.name] = response.json()["results"]["bindings"]
    assert set(answers) == {"migkg.nq", "store"}
    assert answers["migkg.nq"] == answers["store"]


def test_a_dead_template_is_started_anew_and_its_workers_answer_meanwhile(settings: Settings) -> None:
    with app_client(settings.model_copy(update={"max_concurrent_queries": 2})) as client:
        store = client.app.state.migkg.store
        template = store._template.process.pid
        os.kill(template, signal.SIGKILL)
        response = client.post("/sparql", data={"query": f"{ASK} # the template is gone"}, headers={"accept": JSON})
        assert response.status_code == 200, response.text  # its workers are not its to take along
        workers = [worker.pid for worker in store._all]
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        # orphans now, reaped by init: ended once gone or a zombie
        assert holds_within(lambda: all(_state(pid) in (None, "Z") for pid in workers), 1.0)
        for n in range(4):
            response = client.post("/sparql", data={"query": f"{ASK} # {n}"}, headers={"accept": JSON})
            assert response.status_code == 200, response.text
        assert store._template.process.pid != template and store._template.alive()
        assert len(store._all) == 2 and not {worker.pid for worker in store._all} & set(workers)


def test_the_template_prestarted_for_the_release_is_taken_over_and_one_for_another_is_stopped(
    settings: Settings,
) -> None:
    release = settings.build_dir.resolve()
    data = embedded_data(release, settings.memory_store_max_bytes)
    prestart_template(release / "store")  # as if the pointer had named another release's data
    prestart_template(data)  # what `migkg serve` starts while it imports the server
    other, prestarted = (store_module._prestarted[d].process.pid for d in (release / "store", data))
    with app_client(settings) as client:
        assert client.app.state.migkg.store._template.process.pid == prestarted
        assert _state(other) is None, "the template for other data is left running, or a zombie"
        assert not store_module._prestarted
