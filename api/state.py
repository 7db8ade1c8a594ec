"""What the routes share: settings, the release answering (store, build info, search, caches), templates, examples."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from fastapi.templating import Jinja2Templates

from migkg import resources
from migkg.api.buildinfo import BuildInfo
from migkg.api.description import ExampleQuery
from migkg.api.releases import Release, ReleaseSwitch, pinned_release
from migkg.api.result_cache import ResultCache
from migkg.api.search import SearchIndex
from migkg.api.semantic import QueryEncoder
from migkg.api.settings import Settings
from migkg.api.sources import SourceText, load_sources
from migkg.api.store import QueryStore

TEMPLATES = Jinja2Templates(directory=resources.templates_dir())
_NO_RESULTS = ResultCache(0)


class NoBuild(Exception):
    """There is no build to serve: ``missing`` is the part of the build directory that is not there."""

    def __init__(self, missing: Path) -> None:
        super().__init__(f"No build to serve: {missing} does not exist.")
        self.missing = missing


@dataclass
class AppState:
    """What the routes share. The release-made parts (store, build info, search index, caches) are
    those of the release the request is pinned to (api/releases.py), or of the live one outside requests."""

    settings: Settings
    releases: ReleaseSwitch = field(init=False)  # the live release, and the switch to the next
    encoder: QueryEncoder | None = None  # None: no sentence model installed, search is lexical only
    examples: list[ExampleQuery] = field(default_factory=list)
    templates: Jinja2Templates = TEMPLATES
    _unreleased_cache: dict[str, object] = field(default_factory=dict)  # before there is any release

    def __post_init__(self) -> None:
        self.releases = ReleaseSwitch(self.settings)

    @property
    def release(self) -> Release | None:
        """The release this request is answered from; None: no build yet, routes that need one answer 503."""
        return pinned_release.get() or self.releases.live

    @property
    def store(self) -> QueryStore | None:
        return self.release.store if self.release else None

    @property
    def build_info(self) -> BuildInfo | None:
        return self.release.build_info if self.release else None

    @property
    def search(self) -> SearchIndex | None:  # None: no search index in the build
        return self.release.search if self.release else None

    @property
    def results(self) -> ResultCache:  # answers to repeated /sparql queries
        return self.release.results if self.release else _NO_RESULTS

    @property
    def graphs(self) -> list[str]:
        return self.release.graphs if self.release else []

    @property
    def cache(self) -> dict[str, object]:  # per-release computed documents (VoID, ontology HTML)
        return self.release.cache if self.release else self._unreleased_cache

    @property
    def build_dir(self) -> Path:
        """The release's own directory (downloads, reports), or the configured one before any release."""
        return self.release.directory if self.release else self.settings.build_dir

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
            path = self.build_dir / "build-report.json"
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
