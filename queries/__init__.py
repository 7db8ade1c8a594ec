"""Every SPARQL file of the project, `queries/<folder>/<name>.rq`, and the one loader for them.

Folders: `views/` (the REST views), `examples/` (YASGUI's and the service description's
examples), `checks/` (quality checks the build runs), `build/` (the build's own queries),
`server/` (the server's own queries) and `pages/` (the sections of the resource pages, with
`layout.toml`, which says what each kind of page shows).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parent


def query_path(folder: str, name: str) -> Path:
    return QUERIES_DIR / folder / f"{name}.rq"


def read_query(path: Path) -> str:
    """The text of one SPARQL file."""
    return path.read_text(encoding="utf-8")


def header_lines(text: str) -> list[str]:
    """The `#` comment a query file starts with, one entry a line, without the `#` (blank lines of the
    comment kept as empty strings): what every file says it answers."""
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line.lstrip("#").strip())
    return header


@cache
def load_query(folder: str, name: str) -> str:
    """The text of `queries/<folder>/<name>.rq`."""
    return read_query(query_path(folder, name))


def query_files(folder: str | Path) -> list[Path]:
    """Every `.rq` file of a folder of `queries/` (or of a directory given as a path), by name."""
    directory = folder if isinstance(folder, Path) else QUERIES_DIR / folder
    return sorted(directory.glob("*.rq"))
