"""A plain (non-editable) install works away from the checkout: the wheel carries the ontology,
shapes, queries, sources, reference data, templates and UI assets, and `migkg build` and
`migkg serve` run from any directory.

The wheel is built from a copy of the tracked files (plus the npm assets `make install` fetched),
so nothing outside what a clone has can leak in. It is installed without dependencies into a
fresh virtual environment that sees the project's environment's site-packages (for rdflib,
pyoxigraph and the rest) but not its editable install of migkg."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
UI_ASSETS = tuple(
    f"api/static/node_modules/{package}"
    for package in ("@zazuko/yasgui/build", "swagger-ui-dist", "vega", "vega-lite", "vega-embed", "world-atlas")
)


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result


def _copy_checkout(target: Path) -> None:
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    for assets in UI_ASSETS:
        if not (ROOT / assets).is_dir():
            pytest.fail(f"{assets} is missing: run `make install` (it fetches the UI assets from npm)")
        shutil.copytree(ROOT / assets, target / assets)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed; returns its bin directory."""
    work = tmp_path_factory.mktemp("install")
    checkout = work / "checkout"
    _copy_checkout(checkout)
    _run(
        sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", work / "wheel", checkout, cwd=work
    )
    venv = work / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    site = Path(
        subprocess.run(
            [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # A path line in a .pth file adds that directory alone: its own .pth files (the editable
    # install's finder among them) are not run, so `migkg` can only come from the wheel.
    (site / "project-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    wheel = next((work / "wheel").glob("migkg-*.whl"))
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        venv / "bin" / "python",
        "install",
        "--quiet",
        "--no-deps",
        wheel,
        cwd=work,
    )
    return venv / "bin"


def test_the_installed_package_owns_its_data(installed, tmp_path):
    found = _run(
        installed / "python",
        "-c",
        "import migkg, migkg.resources as r, migkg.queries as q; "
        "print(migkg.__file__); print(r.ontology_file()); print(q.QUERIES_DIR)",
        cwd=tmp_path,
    )
    paths = [Path(line) for line in found.stdout.splitlines()]
    assert all(installed.parent in path.parents for path in paths), paths
    assert paths[1].is_file()


def test_build_and_serve_from_outside_the_checkout(installed, tmp_path):
    _run(installed / "migkg", "build", "--output", "release", cwd=tmp_path)
    assert (tmp_path / "release" / "build-info.json").is_file()
    port = _free_port()
    server = subprocess.Popen(
        [installed / "migkg", "serve", "--port", str(port)],
        cwd=tmp_path,
        env={**os.environ, "MIGKG_BUILD_DIR": str(tmp_path / "release")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base, server)
        objective = httpx.get(f"{base}/api/objectives/4", timeout=30).json()
        assert objective["name"] == "Legal identity and documentation"
        turtle = httpx.get(f"{base}/id/gcm/objective/4", headers={"Accept": "text/turtle"}, timeout=30)
        assert turtle.status_code == 200 and "Legal identity and documentation" in turtle.text
        page = httpx.get(f"{base}/sparql", headers={"Accept": "text/html"}, timeout=30)
        assert page.status_code == 200 and "yasgui.min.js" in page.text
        assert (
            httpx.get(f"{base}/static/node_modules/@zazuko/yasgui/build/yasgui.min.js", timeout=30).status_code == 200
        )
        assert httpx.get(f"{base}/docs", timeout=30).status_code == 200
        for pictures in ("/map", "/charts"):
            assert httpx.get(f"{base}{pictures}", headers={"Accept": "text/html"}, timeout=30).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(base: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"migkg serve exited with {server.returncode}: {server.stdout.read().decode()[-3000:]}")
        try:
            if httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"migkg serve did not answer within {seconds} s")
