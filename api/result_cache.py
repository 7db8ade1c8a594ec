"""Answers to repeated queries, kept for the release that gave them.

An answer is the same for the same query text, dataset and chosen formats on the same build, so
it is kept, keyed by exactly those and the build's version: a new build never meets an old
answer. The cache holds at most ``max_bytes`` of answer bodies, dropping the least recently used;
an answer bigger than an eighth of that is not kept (it would push out many small ones). Failures
are never kept. One event loop uses it, so it needs no lock.
"""

from collections import OrderedDict
from dataclasses import dataclass

from migkg.api.jobs import QueryAnswer, QueryJob

LARGEST_SHARE = 8  # an answer may take at most 1/8 of the cache


@dataclass(frozen=True)
class CacheKey:
    version: str  # the build's
    text: str
    formats: tuple[str | None, ...]  # the media type chosen for each kind of result (None: 406)
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    union_default_graph: bool

    @classmethod
    def of(cls, version: str, job: QueryJob) -> "CacheKey":
        formats = tuple(offer.media_type if offer else None for _, offer in sorted(job.offers.items()))
        return cls(version, job.text, formats, job.default_graphs, job.named_graphs, job.union_default_graph)


class ResultCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._answers: OrderedDict[CacheKey, QueryAnswer] = OrderedDict()

    def get(self, key: CacheKey) -> QueryAnswer | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key: CacheKey, answer: QueryAnswer) -> None:
        if len(answer.body) * LARGEST_SHARE > self.max_bytes or key in self._answers:
            return
        self._answers[key] = answer
        self.size += len(answer.body)
        while self.size > self.max_bytes:
            _, dropped = self._answers.popitem(last=False)
            self.size -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._answers)
