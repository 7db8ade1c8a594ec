"""Publish stage: every successful build is a release, and the build directory is a pointer to one.

`DIR.releases/<release-id>/` holds what a build directory held before releases; `DIR` itself is a
relative symlink to the current one, switched atomically (a new link under a temporary name,
`os.replace`d over `DIR`). A release id is the UTC build time and the first 12 hex of the version
(`20261202T100310Z-7420d109ce24`), so ids sort by time. The build writes into
`DIR.releases/.tmp-…`, renamed to its id only once complete; a build directory of the old layout is
moved in as a release of its own before the pointer first moves. The newest `KEEP_RELEASES` are
kept, and never is the current one deleted."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

KEEP_RELEASES = 3
STAGING_PREFIX = ".tmp-"
_STAMP = "%Y%m%dT%H%M%SZ"
_LEGACY = "legacy-"


@dataclass(frozen=True)
class Release:
    """A release by id, and where it is now (its directory, or the staging directory of the new one)."""

    id: str
    path: Path

    def info(self) -> dict:
        """Its build-info.json (empty if it has none, as an old build directory may)."""
        try:
            return json.loads((self.path / "build-info.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}


@dataclass(frozen=True)
class Plan:
    """What publishing the staged build will do: its id, the release it follows, the releases kept."""

    new: Release
    previous: Release | None
    kept: tuple[Release, ...]
    legacy: Release | None  # the old-layout build directory, moved in as a release before the switch


def release_id(built: datetime, version: str) -> str:
    """``<UTC build time>-<first 12 hex of the version>``.

    Example:
        >>> release_id(datetime(2026, 12, 2, 10, 3, 10, tzinfo=UTC), "7420d109ce24" + "0" * 52)
        '20261202T100310Z-7420d109ce24'
    """
    return f"{built.astimezone(UTC).strftime(_STAMP)}-{version[:12]}"


def sort_key(name: str) -> str:
    """Release ids sort by time; a `legacy-<mtime>` id by its modification time."""
    return name.removeprefix(_LEGACY)


def releases_dir(output: Path) -> Path:
    """`DIR.releases`, beside the pointer `DIR`."""
    return output.with_name(output.name + ".releases")


def staging_dir(output: Path) -> Path:
    """A fresh temporary directory inside `DIR.releases/` for the build to write into."""
    home = releases_dir(output)
    home.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=home))
    staging.chmod(0o755)  # mkdtemp's 0700 would hide the release from a server running as another user
    return staging


def discard(staging: Path, output: Path) -> None:
    """A failed build: remove its staging directory, and `DIR.releases/` too if that is left empty."""
    shutil.rmtree(staging, ignore_errors=True)
    with contextlib.suppress(OSError):  # it holds releases
        releases_dir(output).rmdir()


def list_releases(output: Path) -> list[Release]:
    """The releases in `DIR.releases/`, oldest first (staging directories are not releases)."""
    home = releases_dir(output)
    if not home.is_dir():
        return []
    found = [Release(p.name, p) for p in home.iterdir() if p.is_dir() and not p.is_symlink() and p.name[0] != "."]
    return sorted(found, key=lambda r: sort_key(r.id))


def current(output: Path) -> Release | None:
    """The release `DIR` points at; an old-layout build directory as the release it will become."""
    if output.is_symlink():
        target = output.resolve()
        return Release(target.name, target) if target.is_dir() else None
    if output.is_dir():
        return Release(legacy_id(output), output)
    return None


def legacy_id(directory: Path) -> str:
    """The id an old-layout build directory gets: from its build-info.json, else `legacy-<mtime>`."""
    info = Release(directory.name, directory).info()
    if isinstance(info.get("release"), str) and re.fullmatch(r"[0-9A-Za-z-]+", info["release"]):
        return info["release"]
    try:
        built = datetime.fromisoformat(str(info["built"]).replace("Z", "+00:00"))
        if built.tzinfo is None:
            built = built.replace(tzinfo=UTC)
        if re.fullmatch(r"[0-9a-f]{12,}", str(info["version"])):
            return release_id(built, info["version"])
    except (KeyError, ValueError):
        pass
    return _LEGACY + datetime.fromtimestamp(directory.stat().st_mtime, UTC).strftime(_STAMP)


def kept(ids: list[str], keep: int, current_id: str) -> list[str]:
    """The ids kept: the newest `keep` by id order, and the current one whatever its place."""
    ordered = sorted(set(ids), key=sort_key)
    return sorted({*ordered[-keep:], current_id}, key=sort_key)


def plan(staging: Path, output: Path, keep: int = KEEP_RELEASES) -> Plan:
    """What publishing `staging` (its build-info.json written, with `release`) into `DIR` will do."""
    new = Release(json.loads((staging / "build-info.json").read_text(encoding="utf-8"))["release"], staging)
    existing = list_releases(output)
    legacy = None
    if output.is_dir() and not output.is_symlink():
        legacy = Release(legacy_id(output), output)
        existing = sorted([*existing, legacy], key=lambda r: sort_key(r.id))
    if any(r.id == new.id for r in existing):
        raise FileExistsError(f"release {new.id} exists already in {releases_dir(output)}")
    previous = current(output) or (existing[-1] if existing else None)
    by_id = {r.id: r for r in [*existing, new]}
    ids = kept(list(by_id), keep, new.id)
    return Plan(new=new, previous=previous, kept=tuple(by_id[i] for i in ids), legacy=legacy)


def switch(plan: Plan, output: Path, keep: int = KEEP_RELEASES) -> Path:
    """Move the staged build to its release directory and point `DIR` at it; then drop old releases.

    An old-layout `DIR` is first moved in as a release (never deleted) and pointed at, so `DIR` is
    missing only between that rename and the first link. Returns the new release's directory."""
    home = releases_dir(output)
    if plan.legacy is not None:
        plan.legacy.path.rename(home / plan.legacy.id)
        point(output, home / plan.legacy.id)
    target = home / plan.new.id
    plan.new.path.rename(target)
    point(output, target)
    prune(output, keep)
    return target


def point(output: Path, target: Path) -> None:
    """Make `DIR` a relative symlink to `target`, atomically: a new link `os.replace`d over it."""
    link = output.with_name(f"{output.name}.tmp-link-{os.getpid()}")
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(target, output.parent))
    os.replace(link, output)


def prune(output: Path, keep: int = KEEP_RELEASES) -> list[str]:
    """Delete all but the newest `keep` releases (never the one `DIR` points at); returns their ids."""
    pointed = current(output)
    releases = list_releases(output)
    if not releases:
        return []
    keeping = set(kept([r.id for r in releases], keep, pointed.id if pointed else releases[-1].id))
    dropped = [r for r in releases if r.id not in keeping]
    for release in dropped:
        shutil.rmtree(release.path)
    return [r.id for r in dropped]
