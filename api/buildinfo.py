"""The build's identity (build-info.json): version and time for caching headers, files for /downloads."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True)
class BuildFile:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class BuildInfo:
    version: str
    built: datetime
    files: tuple[BuildFile, ...]
    release: str | None = None  # the release's id, where the build is a release (graph/stages/releases.py)

    @property
    def etag_seed(self) -> str:
        return self.version[:32]

    @cached_property  # on every answer's headers: formatted once
    def last_modified(self) -> str:
        """The build time as an HTTP date (seconds precision, GMT)."""
        return format_datetime(self.built.astimezone(UTC).replace(microsecond=0), usegmt=True)


def load_build_info(path: Path) -> BuildInfo | None:
    """Read build-info.json; None when there is no build yet."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    built = datetime.fromisoformat(data["built"].replace("Z", "+00:00"))
    if built.tzinfo is None:
        built = built.replace(tzinfo=UTC)
    files = tuple(_files(data.get("files", {})))
    return BuildInfo(version=data["version"], built=built, files=files, release=data.get("release"))


def _files(files: dict | list) -> list[BuildFile]:
    """Accept either {name: {size, sha256}} or [{name|path, size, sha256}]."""
    entries = files.items() if isinstance(files, dict) else ((f.get("name") or f["path"], f) for f in files)
    return [
        BuildFile(name=str(name), size=int(meta.get("size") or meta.get("bytes", 0)), sha256=str(meta["sha256"]))
        for name, meta in entries
    ]
