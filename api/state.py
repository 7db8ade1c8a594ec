"""What the routes share: settings, the store, the build's identity, templates, example queries."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from fastapi.templating import Jinja2Templates

from migkg import resources
from migkg.api.buildinfo import BuildInfo
from migkg.api.description import ExampleQuery
from migkg.api.result_cache import ResultCache
from migkg.api.search import SearchIndex
from migkg.api.semantic import QueryEncoder
from migkg.api.settings import Settings
from migkg.api.sources import SourceText, load_sources
from migkg.api.store import QueryStore

TEMPLATES = Jinja2Templates(directory=resources.templates_dir())


class NoBuild(Exception):
    """There is no build to serve: ``missing`` is the part of the build directory that is not there."""

    def __init__(self, missing: Path) -> None:
        super().__init__(f"No build to serve: {missing} does not exist.")
        self.missing = missing


@dataclass
class AppState:
    settings: Settings
    store: QueryStore | None = None  # None: no build yet, routes that need one answer 503
    build_info: BuildInfo | None = None
    search: SearchIndex | None = None  # None: no search index in the build
    encoder: QueryEncoder | None = None  # None: no sentence model installed, search is lexical only
    results: ResultCache = field(default_factory=lambda: ResultCache(0))  # answers to repeated /sparql queries
    graphs: list[str] = field(default_factory=list)
    examples: list[ExampleQuery] = field(default_factory=list)
    templates: Jinja2Templates = TEMPLATES
    cache: dict[str, object] = field(default_factory=dict)  # per-build computed documents (VoID, ontology HTML)

    def require_build(self) -> "AppState":
        """This state, if there is a build to serve (its store and build-info.json); NoBuild if not."""
        if self.store is None:
            raise NoBuild(self.settings.store_dir)
        if self.build_info is None:
            raise NoBuild(self.settings.build_info_path)
        return self

    def build_report(self) -> dict:
        """build-report.json, read once; NoBuild when it is not there."""
        if "build-report" not in self.cache:
            path = self.settings.build_dir / "build-report.json"
            if not path.is_file():
                raise NoBuild(path)
            self.cache["build-report"] = json.loads(path.read_text(encoding="utf-8"))
        return self.cache["build-report"]

    def source_texts(self) -> dict[str, SourceText]:
        """The vendored source texts, read and verified against their checksums once."""
        if "sources" not in self.cache:
            self.cache["sources"] = load_sources(resources.sources_dir())
        return self.cache["sources"]

    def search_index(self) -> SearchIndex:
        """The build's search index; NoBuild when the build has none."""
        if self.search is None:
            raise NoBuild(self.settings.search_index_path)
        return self.search
