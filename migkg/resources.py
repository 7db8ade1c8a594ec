"""Where the package's data lives: the ontology, shapes, vendored sources and reference
data, templates and the npm-installed UI assets.

Every one of them is package data of the wheel, so the same paths work from a checkout (editable
install) and from a plain `pip install .`; nothing is found relative to the repository. (The SPARQL
files have their own loader, `migkg.queries`.)
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _package_dir(package: str) -> Path:
    # Installed as ordinary directories (never zipped), so a traversable is a real path.
    return Path(str(files(package)))


def ontology_file() -> Path:
    return _package_dir("migkg.ontology") / "migkg.ttl"


def shapes_dir() -> Path:
    return _package_dir("migkg.shapes")


def sources_dir() -> Path:
    """The five texts as vendored, with manifest.toml."""
    return _package_dir("migkg.graph") / "sources"


def reference_dir() -> Path:
    """The UN SDG KOS and the registries of actor and place names."""
    return _package_dir("migkg.graph") / "reference"


def templates_dir() -> Path:
    return _package_dir("migkg.api") / "templates"


def static_dir() -> Path:
    """YASGUI and Swagger UI, installed from npm by `make install` into api/static/node_modules."""
    return _package_dir("migkg.api") / "static"
