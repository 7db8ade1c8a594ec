"""Fixtures for the pipeline tests: the real build in build/ (made by `make build`)."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph
import pytest

from migkg.graph.core.namespaces import PREFIX_IRIS

ROOT = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("MIGKG_BUILD_DIR", ROOT / "build"))


@pytest.fixture(scope="session")
def build_dir() -> Path:
    if not (BUILD / "build-info.json").exists():
        pytest.fail("build/ is missing: run `make build` (or `make test`, which builds first)")
    return BUILD


@pytest.fixture(scope="session")
def store(build_dir: Path) -> pyoxigraph.Store:
    return pyoxigraph.Store.read_only(str(build_dir / "store"))


@pytest.fixture(scope="session")
def select(store):
    """Run a SELECT over every named graph; rows as dicts of plain Python values."""

    def run(query: str) -> list[dict]:
        result = store.query(query, prefixes=PREFIX_IRIS, use_default_graph_as_union=True)
        return [{v.value: _plain(row[v]) for v in result.variables if row[v] is not None} for row in result]

    return run


def _plain(term):
    if isinstance(term, pyoxigraph.Literal):
        datatype = term.datatype.value
        if datatype.endswith("#integer"):
            return int(term.value)
        if datatype.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value
