"""The store behind the API: a small interface, and the embedded Oxigraph implementation.

Queries run in a pool of pre-started worker processes, each holding the store open read-only.
A query past its deadline has its process killed (pyoxigraph offers no cancellation) and a
fresh worker takes its place, so the work really stops and other queries are not held up.
"""

import asyncio
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol

from migkg.api.jobs import QueryAnswer, QueryFailure, QueryJob

STARTUP_TIMEOUT = 60.0  # seconds for a new worker to open the store
REAP_INTERVAL = 1.0  # seconds between checks that every worker still runs
ABANDON_CHECK = 0.05  # seconds between looks, while a query runs, at whether its client still waits


class StoreBusy(Exception):
    """Every worker stayed busy for the whole waiting time."""


class QueryTimedOut(Exception):
    """The query ran past its deadline and was stopped."""


class QueryAbandoned(Exception):
    """Nobody waits for the answer any more (the client hung up): the query was stopped."""


class QueryStore(Protocol):
    """What the routes need from a store; a remote SPARQL 1.1 store can implement it too."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def execute(self, job: QueryJob) -> QueryAnswer | QueryFailure: ...


class _Worker:
    """One worker process (``python -m migkg.api.worker``) and the parent's end of its socket.

    A plain subprocess rather than multiprocessing: it never re-imports the parent's main module.
    """

    def __init__(self, store_dir: Path) -> None:
        parent_sock, child_sock = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "migkg.api.worker", str(child_sock.fileno()), str(store_dir)],
            pass_fds=[child_sock.fileno()],
            stdin=subprocess.DEVNULL,
        )
        child_sock.close()
        self.conn = Connection(parent_sock.detach())
        if not self.conn.poll(STARTUP_TIMEOUT) or self.conn.recv() != "ready":  # the store is open
            self.kill()
            raise RuntimeError(f"query worker failed to open {store_dir}")

    def run(self, job: QueryJob, timeout: float, abandoned: threading.Event) -> QueryAnswer | QueryFailure:
        """The worker's answer; QueryTimedOut past the deadline, QueryAbandoned once ``abandoned`` is set."""
        self.conn.send(job)
        deadline = time.monotonic() + timeout
        while not self.conn.poll(min(ABANDON_CHECK, max(deadline - time.monotonic(), 0))):
            if abandoned.is_set():
                raise QueryAbandoned
            if time.monotonic() >= deadline:
                raise QueryTimedOut
        return self.conn.recv()

    def alive(self) -> bool:
        """Whether the process still runs (asking reaps it if it has ended: no zombie is left)."""
        return self.process.poll() is None

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.conn.close()


class OxigraphStore:
    """The build's pyoxigraph store, opened read-only by ``workers`` processes."""

    def __init__(self, store_dir: Path, workers: int, query_timeout: float, queue_wait: float) -> None:
        self.store_dir = store_dir
        self.size = workers
        self.query_timeout = query_timeout
        self.queue_wait = queue_wait
        self._threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="migkg-query")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._reaper: asyncio.Task | None = None

    async def start(self) -> None:
        if not self.store_dir.is_dir():
            raise FileNotFoundError(f"no Oxigraph store at {self.store_dir}; run `make build` first")
        loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(loop.run_in_executor(self._threads, self._spawn) for _ in range(self.size)))
        for worker in workers:
            self._idle.put_nowait(worker)
        self._reaper = asyncio.create_task(self._reap())

    async def _reap(self) -> None:
        """Asks every worker, now and then, whether it still runs: one that died is reaped at once
        (no zombie) and replaced when it is next taken."""
        while True:
            await asyncio.sleep(REAP_INTERVAL)
            for worker in list(self._all):
                worker.alive()

    async def close(self) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
        for worker in list(self._all):
            worker.kill()
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    async def execute(self, job: QueryJob) -> QueryAnswer | QueryFailure:
        assert self._idle is not None, "start() was not awaited"
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_wait)
        except TimeoutError:
            raise StoreBusy from None
        loop = asyncio.get_running_loop()
        if not worker.alive():  # it died while idle: the query goes to a new one, not to a dead socket
            worker = await loop.run_in_executor(self._threads, self._replace, worker)
        # The thread, not this coroutine, hands the worker back: a cancelled request must not
        # return a worker that is still busy with its query. Cancelling (the client hung up)
        # tells the thread to stop the query, which frees the worker within ABANDON_CHECK.
        abandoned = threading.Event()
        future = loop.run_in_executor(self._threads, self._run_then_release, worker, job, abandoned, loop)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            abandoned.set()
            raise

    def _run_then_release(
        self, worker: _Worker, job: QueryJob, abandoned: threading.Event, loop: asyncio.AbstractEventLoop
    ) -> QueryAnswer | QueryFailure:
        try:
            return worker.run(job, self.query_timeout, abandoned)
        except (QueryTimedOut, QueryAbandoned):
            worker = self._replace(worker)
            raise
        except (EOFError, OSError):  # the worker died (e.g. out of memory)
            worker = self._replace(worker)
            return QueryFailure(500, "The query worker stopped unexpectedly; the query was abandoned.")
        finally:
            loop.call_soon_threadsafe(self._idle.put_nowait, worker)

    def _spawn(self) -> _Worker:
        worker = _Worker(self.store_dir)
        self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        self._all.discard(worker)
        return self._spawn()
