"""What the routes share: settings, the store, the build's identity, templates, example queries."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request
from fastapi.responses import PlainTextResponse
from fastapi.templating import Jinja2Templates

from migkg.api.buildinfo import BuildInfo
from migkg.api.description import ExampleQuery
from migkg.api.responses import error
from migkg.api.search import SearchIndex
from migkg.api.settings import Settings
from migkg.api.store import QueryStore

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")


@dataclass
class AppState:
    settings: Settings
    store: QueryStore | None = None  # None: no build yet, queries answer 503
    build_info: BuildInfo | None = None
    search: SearchIndex | None = None  # None: no search index in the build, /api/search answers 503
    graphs: list[str] = field(default_factory=list)
    examples: list[ExampleQuery] = field(default_factory=list)
    templates: Jinja2Templates = TEMPLATES
    cache: dict[str, object] = field(default_factory=dict)  # per-build computed documents (VoID, ontology HTML)

    @staticmethod
    def of(request: Request) -> "AppState":
        return request.app.state.migkg

    @staticmethod
    def site_root(request: Request) -> str:
        """The server's own root URL (no trailing slash), as the client reached it."""
        return str(request.base_url).rstrip("/")

    def build_report(self) -> dict | None:
        """build-report.json, read once; None when there is no build."""
        if "build-report" not in self.cache:
            path = self.settings.build_dir / "build-report.json"
            self.cache["build-report"] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
        return self.cache["build-report"]

    def no_store_response(self) -> PlainTextResponse:
        return error(
            503,
            f"No graph to query: {self.settings.store_dir} does not exist. Run `make build`, then restart.",
            {"Retry-After": str(self.settings.retry_after)},
        )
