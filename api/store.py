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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol

from migkg.api.fairness import FairScheduler, LongLaneFull, LongQueryLane, Shares, current_client
from migkg.api.jobs import QueryAnswer, QueryFailure, QueryJob

STARTUP_TIMEOUT = 60.0  # seconds for a new worker to open the store
REAP_INTERVAL = 1.0  # seconds between checks that every worker still runs
ABANDON_CHECK = 0.05  # seconds between looks, while a query runs, at whether its client still waits


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

    def run(
        self, job: QueryJob, deadline: float, abandoned: threading.Event, lane: LongQueryLane
    ) -> QueryAnswer | QueryFailure:
        """The worker's answer; QueryTimedOut past the deadline, QueryAbandoned once ``abandoned`` is
        set, LongLaneFull when the query runs long while the long-query lane is full."""
        self.conn.send(job)
        long_from = time.monotonic() + lane.after
        in_lane = False
        try:
            while not self.conn.poll(min(ABANDON_CHECK, max(deadline - time.monotonic(), 0))):
                if abandoned.is_set():
                    raise QueryAbandoned
                now = time.monotonic()
                if now >= deadline:
                    raise QueryTimedOut
                if not in_lane and now >= long_from:
                    lane.enter()
                    in_lane = True
            return self.conn.recv()
        finally:
            if in_lane:
                lane.leave()

    def alive(self) -> bool:
        """Whether the process still runs (asking reaps it if it has ended: no zombie is left)."""
        return self.process.poll() is None

    def kill(self) -> None:
        """Stops the process; a second call (the store closing while a thread replaces it) does nothing."""
        if self.conn.closed:
            return
        self.process.kill()
        self.process.wait()
        self.conn.close()


class OxigraphStore:
    """The build's pyoxigraph store, opened read-only by one process per worker and shared between
    clients by a FairScheduler; ``query_timeout`` bounds each query's wait and run together."""

    def __init__(self, store_dir: Path, shares: Shares, lane: LongQueryLane, query_timeout: float) -> None:
        self.store_dir = store_dir
        self.size = shares.workers
        self.lane = lane
        self.query_timeout = query_timeout
        self.scheduler = FairScheduler(shares, lane)
        self._threads = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="migkg-query")
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
        client = current_client.get()
        deadline = time.monotonic() + self.query_timeout
        await self.scheduler.admit(client, self.query_timeout)
        admitted = time.monotonic()
        worker = self._idle.get_nowait()  # admitted, so one is idle
        # The thread, not this coroutine, hands the worker back: a cancelled request must not
        # return a worker that is still busy with its query. Cancelling (the client hung up)
        # tells the thread to stop the query, which frees the worker within ABANDON_CHECK.
        abandoned = threading.Event()
        loop = asyncio.get_running_loop()

        def hand_back(worker: _Worker) -> None:  # from the thread: the worker and the client's place are free
            loop.call_soon_threadsafe(self._release, worker, client, time.monotonic() - admitted)

        future = loop.run_in_executor(self._threads, self._run, worker, job, deadline, abandoned, hand_back)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            abandoned.set()
            raise

    def _run(
        self,
        worker: _Worker,
        job: QueryJob,
        deadline: float,
        abandoned: threading.Event,
        hand_back: Callable[[_Worker], None],
    ) -> QueryAnswer | QueryFailure:
        try:
            if not worker.alive():  # it died while idle: the query goes to a new one, not to a dead socket
                worker = self._replace(worker)
            return worker.run(job, deadline, abandoned, self.lane)
        except (QueryTimedOut, QueryAbandoned, LongLaneFull):
            worker = self._replace(worker)
            raise
        except (EOFError, OSError):  # the worker died (e.g. out of memory)
            worker = self._replace(worker)
            return QueryFailure(500, "The query worker stopped unexpectedly; the query was abandoned.")
        finally:
            hand_back(worker)

    def _release(self, worker: _Worker, client: str, worked: float) -> None:
        self._idle.put_nowait(worker)
        self.scheduler.release(client, worked)

    def _spawn(self) -> _Worker:
        worker = _Worker(self.store_dir)
        self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        self._all.discard(worker)
        return self._spawn()
