"""Sharing the query workers fairly between clients.

Each query waits for a worker in its client's own line. A freed worker goes to the client whose
recent use of the workers (worker-seconds, halved every USE_HALF_LIFE seconds) less the time its
first query has waited is least: a client that used little goes first, and one that used much
still gets its turn once it has waited that long. No client runs more than its share at once, so
one client's many or slow queries cannot hold back another's lookups. Past its share of waiting
places a client gets 429; the whole line has a bound too (503). A query waits as long as it could
still be answered within the timeout: the time it waited counts against it.

Short queries go first: a query whose shape (QueryCosts) has held a worker for SHORT_QUERY or
longer (each run counting half) is expected long, and waits behind every short query until it has
waited LONG_WAITS_FIRST itself. A lookup then waits for a worker to free, not for the slow queries
queued before it. That is judged when a worker frees, not when the query came, so the queries of one
shape waiting together are all short or all long: a shape whose runs straddle SHORT_QUERY does not
have some of its queries overtake the others. No worker is kept idle for short queries that may
come: that would cost a mix of long and short queries its throughput.

Queries that run long are bounded apart (LongQueryLane): at most a set number may run past a
threshold at once, so some workers always turn over quickly for short queries. While that lane is
full, the other workers go only to clients none of whose queries ran long in the last LONG_MEMORY
seconds: a client whose queries keep running long cannot hold the short queries' workers either.
"""

import asyncio
import itertools
import re
import time
from collections import OrderedDict, defaultdict, deque
from contextvars import ContextVar
from dataclasses import dataclass

USE_HALF_LIFE = 2.0  # seconds over which a client's use of the workers counts half
LONG_MEMORY = 10.0  # seconds a client is remembered for a query that ran long
REMEMBERED = 1024  # clients remembered before those whose use has faded are forgotten
SHORT_QUERY = 0.025  # seconds a query may hold a worker and still count as short
LONG_WAITS_FIRST = 5.0  # seconds after which an expected-long query goes before the short ones
SHAPES_REMEMBERED = 4096  # query shapes whose cost is kept, the least recently run dropped first
# what a shape leaves out: IRIs, quoted literals and comments, each matched whole from its start,
# so that a `#` in an IRI or a literal is not a comment (numbers stay: LIMIT 10 is not LIMIT 10000)
CONSTANTS = re.compile(r"""<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\#[^\n]*""")
SERVER = "server"  # the client of queries the server runs outside any request (at start-up)
current_client: ContextVar[str] = ContextVar("current_client", default=SERVER)


class StoreBusy(Exception):
    """Every worker stayed busy for as long as the query could wait, or the whole line is full."""


class ClientOverShare(Exception):
    """The client already has its share of queries waiting."""


class LongLaneFull(Exception):
    """The query ran past the long-query threshold while the long-query lane was full."""


@dataclass(frozen=True)
class Shares:
    workers: int  # queries running at once, all clients together
    per_client: int  # queries one client may run at once
    waiting_per_client: int  # queries one client may have waiting; one more is refused (429)
    waiting: int  # queries all clients together may have waiting; one more is refused (503)


class FairScheduler:
    """Admits queries to the workers, one line per client (every method runs on the event loop)."""

    def __init__(self, shares: Shares, lane: "LongQueryLane", costs: "QueryCosts") -> None:
        self.shares = shares
        self.lane = lane
        self.costs = costs
        self._running: dict[str, int] = defaultdict(int)  # client → its queries running
        self.running = 0  # all clients' together
        self._lines: dict[str, deque[Place]] = defaultdict(deque)
        self._arrivals = itertools.count()
        self._waiting = 0
        self._use = RecentUse(USE_HALF_LIFE)
        self._ran_long: dict[str, float] = {}  # client → when a query of its ran long, last

    async def admit(self, client: str, wait: float, shape: str = "") -> None:
        """Returns once ``client`` may run a query of ``shape`` (then ``release`` must follow); waits at
        most ``wait`` s, behind the short queries of every client while its shape is expected long."""
        if self._may_run(client) and not self._someone_may_run():
            self._start(client)
            return
        if len(self._lines.get(client, ())) >= self.shares.waiting_per_client:
            raise ClientOverShare
        if self._waiting >= self.shares.waiting:
            raise StoreBusy
        turn = asyncio.get_running_loop().create_future()
        place = Place(time.monotonic(), next(self._arrivals), turn, shape)
        self._lines[client].append(place)
        self._waiting += 1
        try:
            await asyncio.wait_for(asyncio.shield(turn), wait)
        except (TimeoutError, asyncio.CancelledError) as stop:
            if turn.done():  # admitted just as it gave up: the place goes to the next in line
                self.release(client)
            else:
                self._leave_line(client, place)
            if isinstance(stop, TimeoutError):
                raise StoreBusy from None
            raise

    def release(self, client: str, worked: float = 0.0) -> None:
        """``client``'s query is done after holding a worker ``worked`` seconds."""
        self.running -= 1
        self._running[client] -= 1
        if not self._running[client]:
            del self._running[client]
        self._use.add(client, worked)
        if worked >= self.lane.after:
            self._remember_long(client)
        self._admit_next()

    def _remember_long(self, client: str) -> None:
        now = time.monotonic()
        self._ran_long[client] = now
        if len(self._ran_long) > REMEMBERED:
            self._ran_long = {c: when for c, when in self._ran_long.items() if now - when < LONG_MEMORY}

    def _leave_line(self, client: str, place: "Place") -> None:
        line = self._lines[client]
        line.remove(place)
        if not line:
            del self._lines[client]
        self._waiting -= 1

    def _may_run(self, client: str) -> bool:
        if self.running >= self.shares.workers or self._running.get(client, 0) >= self.shares.per_client:
            return False
        ran_long = self._ran_long.get(client)
        return not (ran_long is not None and time.monotonic() - ran_long < LONG_MEMORY and self.lane.full())

    def _someone_may_run(self) -> bool:
        return any(line and self._may_run(client) for client, line in self._lines.items())

    def _admit_next(self) -> None:
        while self.running < self.shares.workers:
            ready = [client for client, line in self._lines.items() if line and self._may_run(client)]
            if not ready:
                return
            now = time.monotonic()
            client = min(ready, key=lambda c: self._priority(c, now))
            line = self._lines[client]
            turn = line.popleft().turn
            if not line:
                del self._lines[client]
            self._waiting -= 1
            self._start(client)
            turn.set_result(None)

    def _start(self, client: str) -> None:
        self.running += 1
        self._running[client] += 1

    def _priority(self, client: str, now: float) -> tuple[bool, float, int]:
        first = self._lines[client][0]
        waited = now - first.arrived
        # asked now, not at arrival: queries of one shape are all short or all long, whenever they came
        counts_short = self.costs.short(first.shape) or waited >= LONG_WAITS_FIRST
        return not counts_short, self._use.of(client, now) - waited, first.number


@dataclass(frozen=True, eq=False)  # a place is itself, not any place with the same fields
class Place:
    """A query's place in its client's line."""

    arrived: float  # time.monotonic()
    number: int  # in order of arrival, all lines together
    turn: asyncio.Future  # set when the query may run
    shape: str  # QueryCosts.shape of its text: whether it is expected short


class QueryCosts:
    """How long each shape of query held a worker, halfway toward each new run: the query text with
    its IRIs, literals and comments left out, so that one lookup tells how the next, of another IRI,
    will go."""

    def __init__(self) -> None:
        self._seconds: OrderedDict[str, float] = OrderedDict()

    @staticmethod
    def shape(text: str) -> str:
        return CONSTANTS.sub("_", text)

    def short(self, shape: str) -> bool:
        """Whether a query of this shape is expected to be short (one never run is)."""
        return self._seconds.get(shape, 0.0) < SHORT_QUERY

    def record(self, shape: str, seconds: float) -> None:
        before = self._seconds.pop(shape, seconds)
        self._seconds[shape] = (before + seconds) / 2
        if len(self._seconds) > SHAPES_REMEMBERED:
            self._seconds.popitem(last=False)


class RecentUse:
    """Worker-seconds each client used, decayed: halved every ``half_life`` seconds."""

    def __init__(self, half_life: float) -> None:
        self.half_life = half_life
        self._use: dict[str, tuple[float, float]] = {}  # client → (seconds, when)

    def of(self, client: str, now: float) -> float:
        seconds, when = self._use.get(client, (0.0, now))
        return seconds * 0.5 ** ((now - when) / self.half_life)

    def add(self, client: str, seconds: float) -> None:
        now = time.monotonic()
        self._use[client] = (self.of(client, now) + seconds, now)
        if len(self._use) > REMEMBERED:
            self._use = {c: (self.of(c, now), now) for c in self._use if self.of(c, now) > 1e-3}


class LongQueryLane:
    """How many queries run past ``after`` seconds at once, at most ``size`` (used on the event loop)."""

    def __init__(self, after: float, size: int) -> None:
        self.after = after
        self.size = size
        self._inside = 0

    def enter(self) -> None:
        """Counts one more long query, or raises LongLaneFull when the lane has no room."""
        if self._inside >= self.size:
            raise LongLaneFull
        self._inside += 1

    def full(self) -> bool:
        return self._inside >= self.size

    def leave(self) -> None:
        self._inside -= 1
