"""The store behind the API: a small interface, and the embedded Oxigraph implementation.

Queries run in a pool of pre-started worker processes, each holding the release open: its store
read-only, or its N-Quads in memory. A template process loads the release once and forks each
worker (api/worker.py), so a new worker is ready in milliseconds and the loaded pages are shared.
A query past its deadline, or whose client hung up, has its process killed (pyoxigraph offers no
cancellation) and a fresh worker takes its place in the background, so the work really stops and
the answer (or the 503) goes out at once.

Everything here runs on the event loop: each worker's socket is read by an asyncio protocol, and
the deadline and the long-query threshold are timers, so a query costs no thread hop. The template
is reaped as soon as it ends (a reader on its pidfd); the workers are its children, reaped by the
kernel as they end (the template ignores SIGCHLD), so none is left a zombie, and signalled through
pidfds.
"""

import asyncio
import contextlib
import os
import pickle
import select
import signal
import socket
import struct
import subprocess
import sys
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from migkg.api import metrics
from migkg.api.fairness import FairScheduler, LongQueryLane, QueryCosts, Shares, current_client
from migkg.api.jobs import QueryAnswer, QueryFailure, QueryJob
from migkg.api.worker import READY

STARTUP_TIMEOUT = 60.0  # seconds for a new worker to open the release
EXIT_TIMEOUT = 5.0  # seconds close() waits for killed workers to be reaped


class QueryTimedOut(Exception):
    """The query ran past its deadline and was stopped."""


class QueryStore(Protocol):
    """What the routes need from a store; a remote SPARQL 1.1 store can implement it too."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def execute(self, job: QueryJob) -> QueryAnswer | QueryFailure: ...

    @property
    def idle_workers(self) -> int | None:
        """Query workers waiting for a query, where the store has its own (None for a remote store)."""
        ...


class _Channel(asyncio.Protocol):
    """The parent's end of a worker's socket, in ``multiprocessing.connection.Connection``'s framing
    (which the worker uses): a 4-byte big-endian signed length, or -1 and an 8-byte length, then a pickle."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._buffer = bytearray()
        self._arrived: deque[object] = deque()
        self._waiter: asyncio.Future | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while (message := self._take_message()) is not None:
            self._deliver(message)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(EOFError("the query worker closed its socket"))

    def send(self, message: object) -> None:
        payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        header = struct.pack("!i", len(payload)) if len(payload) <= 0x7FFFFFFF else struct.pack("!iQ", -1, len(payload))
        self.transport.write(header + payload)

    def next_message(self) -> asyncio.Future:
        """The next message from the worker (a future; EOFError once the worker has gone)."""
        message = asyncio.get_running_loop().create_future()
        if self._arrived:
            message.set_result(self._arrived.popleft())
        elif self.closed:
            message.set_exception(EOFError("the query worker closed its socket"))
        else:
            self._waiter = message
        return message

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def _take_message(self) -> tuple[object] | None:
        """The first whole message in the buffer (in a 1-tuple: a message may be None), or None."""
        if len(self._buffer) < 4:
            return None
        (size,) = struct.unpack_from("!i", self._buffer)
        start = 4
        if size == -1:
            if len(self._buffer) < 12:
                return None
            (size,) = struct.unpack_from("!Q", self._buffer, 4)
            start = 12
        if len(self._buffer) < start + size:
            return None
        message = pickle.loads(memoryview(self._buffer)[start : start + size])
        del self._buffer[: start + size]
        return (message,)

    def _deliver(self, message: tuple[object]) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(message[0])
            self._waiter = None
        else:
            self._arrived.append(message[0])


class _Template:
    """The process that forks the workers (api/worker.py): it holds the release as loaded once, so a new
    worker is ready in milliseconds. Each request is one byte with the worker's socket attached.

    A plain ``subprocess.Popen``, so that ``migkg serve`` can start it before the event loop exists
    (``prestart_template``); once started, a reader on its pidfd reaps it as soon as it ends."""

    def __init__(self, process: subprocess.Popen, control: socket.socket) -> None:
        self.process = process
        self.control = control
        self.pidfd = -1

    @classmethod
    def spawn(cls, data: Path) -> "_Template":
        """A template starting to load ``data``; it says READY on its control socket once loaded."""
        control, child_end = socket.socketpair()
        try:
            with child_end:
                command = [sys.executable, "-m", "migkg.api.worker", str(child_end.fileno()), str(data)]
                process = subprocess.Popen(command, pass_fds=[child_end.fileno()], stdin=subprocess.DEVNULL)
        except BaseException:
            control.close()
            raise
        control.setblocking(False)
        return cls(process, control)

    @classmethod
    async def start(cls, data: Path) -> "_Template":
        """A template that has loaded ``data`` (the one prestarted for it, if any); a half-started one
        is killed on any failure."""
        template = _take_prestarted(data) or cls.spawn(data)
        try:
            ready = await asyncio.wait_for(asyncio.get_running_loop().sock_recv(template.control, 1), STARTUP_TIMEOUT)
            template._reap_when_ended()
        except (OSError, TimeoutError):
            ready = b""
        except BaseException:
            template.kill()
            raise
        if ready != READY:
            template.kill()
            raise RuntimeError(f"query worker template failed to open {data}")
        return template

    def alive(self) -> bool:
        return self.control.fileno() != -1 and self.process.poll() is None

    def fork(self, worker_end: socket.socket) -> None:
        """Asks for a worker on ``worker_end``; OSError if the template has gone (or stopped reading)."""
        socket.send_fds(self.control, [b"W"], [worker_end.fileno()])

    def kill(self) -> None:
        """Stops the process at once; its workers live on until killed themselves."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        self.control.close()

    async def ended(self) -> None:
        """Returns once the process has ended and been reaped, its pidfd let go."""
        while self.process.poll() is None:
            await asyncio.sleep(0.005)
        self._reap()

    def _reap_when_ended(self) -> None:
        self.pidfd = os.pidfd_open(self.process.pid)
        asyncio.get_running_loop().add_reader(self.pidfd, self._reap)

    def _reap(self) -> None:
        if self.pidfd >= 0:
            asyncio.get_running_loop().remove_reader(self.pidfd)
            os.close(self.pidfd)
            self.pidfd = -1
        self.process.poll()


_prestarted: dict[Path, _Template] = {}  # templates started before the event loop, by what they load


def prestart_template(data: Path) -> None:
    """Starts loading ``data`` now, for the OxigraphStore that opens it later to take over: ``migkg
    serve`` calls this before it imports the rest of the server, so the load runs meanwhile."""
    _prestarted[data] = _Template.spawn(data)


def _take_prestarted(data: Path) -> _Template | None:
    """The template prestarted for ``data``, if any; any other is stopped (the release moved on)."""
    found = _prestarted.pop(data, None)
    for other in _prestarted.values():
        other.kill()
        other.process.wait()
    _prestarted.clear()
    return found


def embedded_data(directory: Path, memory_store_max_bytes: int) -> Path | None:
    """What each query worker of the release in ``directory`` opens: its N-Quads, into memory, while
    they are small enough; else its RocksDB store; None when the release has no store."""
    if not (directory / "store").is_dir():
        return None
    nquads = directory / "migkg.nq"
    if nquads.is_file() and nquads.stat().st_size <= memory_store_max_bytes:
        return nquads
    return directory / "store"


class _Worker:
    """One worker process, forked by the template, and the server's end of its socket. Not the
    server's child: it is signalled through a pidfd, which names that process and no later one."""

    def __init__(self, pid: int, pidfd: int, channel: _Channel) -> None:
        self.pid = pid
        self.pidfd = pidfd
        self.channel = channel

    @classmethod
    async def start(cls, template: _Template) -> "_Worker":
        """A new worker, once it has said it is ready; OSError if the template has gone."""
        server_end, worker_end = socket.socketpair()
        try:
            with worker_end:
                template.fork(worker_end)
            _, channel = await asyncio.get_running_loop().create_unix_connection(_Channel, sock=server_end)
        except BaseException:
            server_end.close()
            raise
        try:  # closing the socket also ends a worker not ready yet: it stops at its first read
            ready = await asyncio.wait_for(channel.next_message(), STARTUP_TIMEOUT)
            pidfd = os.pidfd_open(ready[1]) if isinstance(ready, tuple) and ready[0] == "ready" else None
        except (EOFError, TimeoutError, ProcessLookupError):  # it ended, or never said it was ready
            pidfd = None
        except BaseException:
            channel.close()
            raise
        if pidfd is None:
            channel.close()
            raise RuntimeError("a query worker failed to start (its log says why)")
        return cls(ready[1], pidfd, channel)

    def alive(self) -> bool:
        """Whether the process still runs and its socket is open."""
        return not self.channel.closed and not self.exited()

    def exited(self) -> bool:
        """A pidfd reads ready once its process has ended."""
        return self.pidfd < 0 or bool(select.select([self.pidfd], [], [], 0)[0])

    def ask(self, job: QueryJob) -> asyncio.Future:
        """The worker's answer to ``job``, to come (EOFError if the worker dies first)."""
        self.channel.send(job)
        return self.channel.next_message()

    def kill(self) -> None:
        """Stops the process at once (the kernel reaps it: the template ignores SIGCHLD); idempotent."""
        if self.pidfd >= 0:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        self.channel.close()

    async def stop(self) -> None:
        """Kills the process, waits until it has ended, then lets go of its pidfd."""
        self.kill()
        if self.pidfd < 0:
            return
        try:
            if not self.exited():
                loop = asyncio.get_running_loop()
                ended = loop.create_future()
                loop.add_reader(self.pidfd, lambda: ended.done() or ended.set_result(None))
                try:
                    await ended
                finally:
                    loop.remove_reader(self.pidfd)
        finally:
            os.close(self.pidfd)
            self.pidfd = -1


@dataclass(frozen=True)
class Admission:
    """A query the scheduler let in: whose it is, its deadline (``query_timeout`` from its arrival,
    so the wait counts), when it was admitted, and its shape, whose cost it records when finished."""

    client: str
    deadline: float
    at: float
    shape: str
    costs: QueryCosts

    def finished(self) -> float:
        """The seconds the query held its place since admitted, recorded as its shape's cost."""
        worked = asyncio.get_running_loop().time() - self.at
        self.costs.record(self.shape, worked)
        return worked


async def admitted(scheduler: FairScheduler, query_timeout: float, text: str) -> Admission:
    """Waits for the scheduler to admit the current client's query, expected short or long as its
    shape has run (``scheduler.costs``)."""
    client = current_client.get()
    shape = QueryCosts.shape(text)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + query_timeout
    await scheduler.admit(client, query_timeout, shape)
    return Admission(client, deadline, loop.time(), shape, scheduler.costs)


async def answered_in_lanes(
    answer: asyncio.Future, lane: LongQueryLane, admitted: float, deadline: float
) -> QueryAnswer | QueryFailure:
    """The answer once it comes; QueryTimedOut past the deadline, LongLaneFull when the query runs past
    the lane's threshold while the long-query lane is full. The caller stops what is left running."""
    loop = asyncio.get_running_loop()
    short_until = min(admitted + lane.after, deadline)
    done, _ = await asyncio.wait((answer,), timeout=max(short_until - loop.time(), 0))
    if done:
        return answer.result()
    if loop.time() >= deadline:
        raise QueryTimedOut
    lane.enter()
    try:
        done, _ = await asyncio.wait((answer,), timeout=max(deadline - loop.time(), 0))
    finally:
        lane.leave()
    if done:
        return answer.result()
    raise QueryTimedOut


class OxigraphStore:
    """The release's data in pyoxigraph, opened by one process per worker and shared between clients
    by a FairScheduler: ``data`` is the store directory (opened read-only) or the N-Quads it was
    loaded from (loaded into memory). ``query_timeout`` bounds each query's wait and run together."""

    def __init__(self, data: Path, shares: Shares, lane: LongQueryLane, query_timeout: float) -> None:
        self.data = data
        self.size = shares.workers
        self.lane = lane
        self.query_timeout = query_timeout
        # the costs are this store's release's: another release, other costs
        self.scheduler = FairScheduler(shares, lane, QueryCosts())
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._renewals: set[asyncio.Task] = set()
        self._template: _Template | None = None
        self._template_replaced = asyncio.Lock()

    async def start(self) -> None:
        if not self.data.exists():
            raise FileNotFoundError(f"no Oxigraph store at {self.data}; run `make build` first")
        self._template = await _Template.start(self.data)
        for worker in await asyncio.gather(*(self._spawn() for _ in range(self.size))):
            self._idle.put_nowait(worker)

    @property
    def idle_workers(self) -> int:
        """Workers waiting for a query: not running one, and not being replaced."""
        return self._idle.qsize()

    async def close(self) -> None:
        for renewal in list(self._renewals):
            renewal.cancel()
        await asyncio.gather(*self._renewals, return_exceptions=True)
        workers = list(self._all)
        self._all.clear()
        ended = [worker.stop() for worker in workers]
        if self._template is not None:
            self._template.kill()
            ended.append(self._template.ended())
        await asyncio.wait_for(asyncio.gather(*ended), EXIT_TIMEOUT)

    async def execute(self, job: QueryJob) -> QueryAnswer | QueryFailure:
        admission = await admitted(self.scheduler, self.query_timeout, job.text)
        worker = self._idle.get_nowait()  # admitted, so one is idle
        still_good = False
        try:
            if not worker.alive():  # it died while idle: the query goes to a new one, not to a dead socket
                worker = await self._respawn(worker)
            answer = await self._run(worker, job, admission.at, admission.deadline)
            still_good = True
            return answer
        except EOFError:  # the worker died while running the query (e.g. out of memory)
            return QueryFailure(500, "The query worker stopped unexpectedly; the query was abandoned.")
        finally:
            # Timed out, stopped in the long lane, died or abandoned by its client (cancelled): the
            # worker is killed now and the client's place is freed once a new worker is ready.
            worked = admission.finished()
            if still_good:
                self._give_back(worker, admission.client, worked)
            else:
                worker.kill()
                self._renew_in_background(worker, admission.client, worked)

    async def _run(
        self, worker: _Worker, job: QueryJob, admitted: float, deadline: float
    ) -> QueryAnswer | QueryFailure:
        answer = worker.ask(job)
        try:
            return await answered_in_lanes(answer, self.lane, admitted, deadline)
        finally:
            answer.cancel()  # a no-op once answered; otherwise the worker is killed by the caller

    def _give_back(self, worker: _Worker, client: str, worked: float) -> None:
        self._idle.put_nowait(worker)
        self.scheduler.release(client, worked)

    def _renew_in_background(self, worker: _Worker, client: str, worked: float) -> None:
        renewal = asyncio.ensure_future(self._renew(worker, client, worked))
        self._renewals.add(renewal)
        renewal.add_done_callback(self._renewals.discard)

    async def _renew(self, worker: _Worker, client: str, worked: float) -> None:
        try:
            worker = await self._respawn(worker)
        except (RuntimeError, OSError):
            pass  # the dead worker goes back: the next query to take it tries again, and reports a failure
        finally:
            self._give_back(worker, client, worked)

    async def _spawn(self) -> _Worker:
        template = await self._live_template()
        try:
            worker = await _Worker.start(template)
        except OSError:  # the template has gone since: a new one forks the worker
            template.kill()
            worker = await _Worker.start(await self._live_template())
        self._all.add(worker)
        return worker

    async def _live_template(self) -> _Template:
        """The template, started anew if it has died (its workers live on)."""
        async with self._template_replaced:
            if not self._template.alive():
                self._template.kill()
                self._template = await _Template.start(self.data)
            return self._template

    async def _respawn(self, worker: _Worker) -> _Worker:
        worker.kill()
        self._all.discard(worker)
        metrics.worker_restarted()
        try:
            return await self._spawn()
        finally:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(worker.stop(), EXIT_TIMEOUT)
