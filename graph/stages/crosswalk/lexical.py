"""Lexical similarity: the cosine of TF-IDF vectors over word stems (sublinear term frequency,
smoothed inverse document frequency), every item's text one document."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache
from pathlib import Path

import snowballstemmer

WORD = re.compile(r"[a-z]+(?:['’][a-z]+)*")


def load_stopwords(directory: Path) -> frozenset[str]:
    lines = (directory / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


class TfIdf:
    """Unit TF-IDF vectors of a set of texts, keyed as given."""

    def __init__(self, texts: dict, stopwords: frozenset[str]):
        self._stem = cache(snowballstemmer.stemmer("english").stemWord)  # the texts repeat their words
        self._stopwords = stopwords
        counts = {key: Counter(self.terms(text)) for key, text in texts.items()}
        frequency = Counter(term for terms in counts.values() for term in terms)
        idf = {term: math.log((1 + len(counts)) / (1 + df)) + 1 for term, df in frequency.items()}
        self.vectors = {
            key: _unit({t: (1 + math.log(n)) * idf[t] for t, n in terms.items()}) for key, terms in counts.items()
        }

    def terms(self, text: str) -> list[str]:
        words = WORD.findall(text.lower().replace("’", "'"))
        return [self._stem(word) for word in words if len(word) > 2 and word not in self._stopwords]

    def cosine(self, a, b) -> float:
        first, second = self.vectors[a], self.vectors[b]
        if len(first) > len(second):
            first, second = second, first
        return sum(weight * second.get(term, 0.0) for term, weight in first.items())


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
    return {term: value / norm for term, value in vector.items()}
