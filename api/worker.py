"""The query workers: each runs in its own process so that a query can be killed at its deadline.

One template process (``python -m migkg.api.worker CONTROL_FD DATA``) imports what a worker needs
and loads the release's N-Quads into a store in memory, where queries that scan run 2–11× faster
than on RocksDB (`Settings.memory_store_max_bytes` decides which), or, for a store directory,
leaves it to each worker to open it read-only after the fork (RocksDB's threads would not survive
one). For each socket the server sends it, the template forks a worker: ready in milliseconds,
sharing the loaded pages with its siblings. The kernel reaps the workers as they end.

A worker answers jobs from its socket: it executes the query with pyoxigraph, takes the format the
server chose for the kind of result it got, cuts the result at the row cap and serializes it with
pyoxigraph's own writers. It knows nothing of HTTP.
"""

import gc
import os
import signal
import socket
import sys
import traceback
from multiprocessing.connection import Connection

import pyoxigraph as ox

from migkg.api.jobs import QueryAnswer, QueryFailure, QueryJob
from migkg.api.results import serialize
from migkg.api.syntax_errors import readable, unknown_function

READY = b"R"  # the template's word on its control socket once it can fork workers


def template_main(control: socket.socket, data: str) -> None:
    """Fork a worker for each socket the server sends, until the server closes the control socket.

    SIGTERM and SIGINT sent to the whole process group (a service manager stopping the server, or
    Ctrl-C) are ignored here and in the workers: the server drains its requests first, then closes
    the sockets or kills us.
    """
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps each worker as it ends: no zombies
    loaded = None if os.path.isdir(data) else open_store(data)
    gc.freeze()  # no collection in a worker walks what is loaded now, so its pages stay shared
    control.sendall(READY)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 1, 1)
        except OSError:
            return
        if not message:
            return
        for fd in fds:
            _fork_worker(control, fd, loaded, data)


def _fork_worker(control: socket.socket, fd: int, loaded: ox.Store | None, data: str) -> None:
    """A worker on socket ``fd``; if the fork fails, the closed socket tells the server."""
    try:
        pid = os.fork()
    except OSError:
        os.close(fd)
        return
    if pid:
        os.close(fd)
        return
    try:
        control.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        worker_main(Connection(fd), loaded or open_store(data))
    except BaseException:
        traceback.print_exc()
        os._exit(1)  # never back into the template's loop
    os._exit(0)


def worker_main(conn: Connection, store: ox.Store) -> None:
    """Serve jobs until the server closes its end of the socket; the first message says ready, and
    this process's id (the server signals it by a pidfd)."""
    try:
        conn.send(("ready", os.getpid()))
        while True:
            conn.send(run_job(store, conn.recv()))
    except (EOFError, BrokenPipeError, ConnectionResetError):  # the server has closed the socket, or gone
        return


def open_store(data: str) -> ox.Store:
    """A store directory opened read-only, or an N-Quads file loaded into a store in memory."""
    if os.path.isdir(data):
        return ox.Store.read_only(data)
    store = ox.Store()
    # lenient: the build checked these N-Quads in full when it loaded them into store/ (40 % faster)
    store.bulk_load(path=data, format=ox.RdfFormat.N_QUADS, lenient=True)
    return store


def run_job(store: ox.Store, job: QueryJob) -> QueryAnswer | QueryFailure:
    try:
        result = store.query(job.text, **_query_options(job))
    except SyntaxError as error:
        return QueryFailure(400, f"Malformed query: {readable(str(error), job.text)}")
    except OSError as error:
        return QueryFailure(500, f"The store failed while reading: {error}")
    except RuntimeError as error:  # evaluation errors, e.g. an unknown function or a SERVICE call that failed
        refusal = unknown_function(str(error))
        return QueryFailure(400, refusal) if refusal else QueryFailure(500, f"Query evaluation failed: {error}")
    try:
        return serialize(result, job, lambda: store.query(job.text, **_query_options(job)))
    except (OSError, RuntimeError) as error:
        return QueryFailure(500, f"Query evaluation failed: {error}")


def _query_options(job: QueryJob) -> dict:
    options: dict = {"base_iri": job.base_iri}
    if job.default_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    if job.named_graphs is not None:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    if job.union_default_graph:
        options["use_default_graph_as_union"] = True
    return options


if __name__ == "__main__":  # started by migkg.api.store: python -m migkg.api.worker CONTROL_FD DATA
    template_main(socket.socket(fileno=int(sys.argv[1])), sys.argv[2])
