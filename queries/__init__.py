"""Every SPARQL file of the project, `queries/<folder>/<name>.rq`, and the one loader for them.

Folders: `views/` (the REST views), `examples/` (YASGUI's and the service description's
examples), `checks/` (quality checks the build runs), `build/` (the build's own queries) and
`server/` (the server's own queries).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path



QUERIES_DIR = Path(__file__).resolve().parent


def query_path(folder: str, name: str) -> Path:
    return QUERIES_DIR / folder / f"{name}.rq"


@cache
def load_query(folder: str, name: str) -> str:
    """The text of `queries/<folder>/<name>.rq`."""
    return query_path(folder, name).read_text(encoding="utf-8")


def query_files(folder: str) -> list[Path]:
    """Every `.rq` file of a folder, sorted by name."""
    return sorted((QUERIES_DIR / folder).glob("*.rq"))
