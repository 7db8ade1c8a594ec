"""The scaled data set: the built graph replicated with fresh IRIs to about N times its size.

Copy 0 is the build itself. Copy k (1 ≤ k < N) is the build's N-Quads with every resource IRI
``https://w3id.org/migkg/id/…`` rewritten to ``https://w3id.org/migkg/id/copy-k/…``. Graph
names, the ontology and the UN's SDG IRIs stay as they are: the ontology and SDG graphs are
identical in every copy, so they are stored once, while the instance data (objectives,
actions, practices, annotations, actors, places…) grows N times and keeps pointing at the same
SDG targets. The benchmark's queries name copy-0 IRIs, so lookups stay lookups while scans,
groupings and sorts see N times the data.

The copies are streamed into one Oxigraph bulk load (no N-times file on disk). The store is
kept under ``bench/results/tmp/`` keyed by the build's version, so it is made once per build.
"""

from __future__ import annotations

import io
import json
import shutil
import time
from pathlib import Path

import pyoxigraph as ox

RESOURCE_PREFIX = b"<https://w3id.org/migkg/id/"


class _Copies(io.RawIOBase):
    """A readable stream of ``factor`` rewritten copies of the N-Quads, made one copy at a time."""

    def __init__(self, nquads: bytes, factor: int) -> None:
        self.nquads = nquads
        self.factor = factor
        self.copy = 0
        self.chunk = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while not self.chunk:
            if self.copy >= self.factor:
                return 0
            data = (
                self.nquads
                if self.copy == 0
                else self.nquads.replace(RESOURCE_PREFIX, RESOURCE_PREFIX + b"copy-%d/" % self.copy)
            )
            self.chunk = memoryview(data)
            self.copy += 1
        n = min(len(buffer), len(self.chunk))
        buffer[:n] = self.chunk[:n]
        self.chunk = self.chunk[n:]
        return n


def scaled_build(build_dir: Path, work_dir: Path, factor: int) -> tuple[Path, dict]:
    """A build directory (``store/`` + ``build-info.json``) holding ``factor`` copies; made if missing."""
    info = json.loads((build_dir / "build-info.json").read_text(encoding="utf-8"))
    target = work_dir / f"scaled-{factor}x-{info['version'][:12]}"
    done = target / "scale.json"
    if done.is_file():
        return target, json.loads(done.read_text(encoding="utf-8"))
    for old in work_dir.glob(f"scaled-{factor}x-*"):  # an earlier build's copy, or an interrupted one
        shutil.rmtree(old, ignore_errors=True)
    target.mkdir(parents=True)
    started = time.perf_counter()
    nquads = (build_dir / "migkg.nq").read_bytes()
    store = ox.Store(str(target / "store"))
    store.bulk_load(
        input=io.BufferedReader(_Copies(nquads, factor), buffer_size=1 << 20), format=ox.RdfFormat.N_QUADS, lenient=True
    )
    store.optimize()
    quads = len(store)
    store.flush()
    del store
    scaled_info = dict(info, version=f"{info['version']}-x{factor}")
    (target / "build-info.json").write_text(json.dumps(scaled_info, indent=2) + "\n", encoding="utf-8")
    meta = {
        "factor": factor,
        "quads": quads,
        "base_quads": nquads.count(b"\n"),
        "seconds_to_make": round(time.perf_counter() - started, 1),
        "build_version": info["version"],
    }
    done.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return target, meta


if __name__ == "__main__":
    import sys

    root = Path(__file__).resolve().parent.parent
    path, meta = scaled_build(
        root / "build", root / "bench" / "results" / "tmp", int(sys.argv[1]) if len(sys.argv) > 1 else 100
    )
    print(path, meta)
