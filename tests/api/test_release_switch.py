"""Releases switched under a running server: the build directory is a pointer (a symlink) to a
release; the server follows it, answers every request from one release, and closes the old one
once its requests are answered. The releases here are copies of the real build, told apart by
their version (and, for one, by its N-Quads dump)."""

import hashlib
import json
import os
import shutil
import threading
import time
from pathlib import Path

import httpx
import pytest
from api_testing import LiveServer, holds_within
from rdflib import Graph, Namespace, URIRef

from migkg.api.buildinfo import load_build_info
from migkg.api.settings import Settings
from migkg.graph.stages import catalog, void

DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")

CHECK = 0.1  # seconds between the server's looks at the pointer


def _release(root: Path, name: str, build: Path, version: str, extra_line: str = "") -> Path:
    """A release directory: the real build with its own version (and a line more in its N-Quads)."""
    release = root / "build.releases" / name
    shutil.copytree(build, release, symlinks=True)
    info = json.loads((release / "build-info.json").read_text(encoding="utf-8"))
    info["version"] = version
    info["release"] = name
    if extra_line:
        dump = release / "migkg.nq"
        dump.write_bytes(dump.read_bytes() + extra_line.encode())
        data = dump.read_bytes()
        info["files"]["migkg.nq"] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    (release / "build-info.json").write_text(json.dumps(info), encoding="utf-8")
    return release


def _point(root: Path, release: Path) -> None:
    """Switch the pointer as the build does: a new symlink renamed over the old one."""
    link = root / "build.next"
    link.symlink_to(release.relative_to(root))
    os.replace(link, root / "build")


def _alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


@pytest.fixture
def two_releases(tmp_path: Path, build_dir: Path) -> tuple[Path, Path, Path]:
    first = _release(tmp_path, "r1", build_dir, "1" * 64)
    second = _release(tmp_path, "r2", build_dir, "2" * 64, extra_line="# release two\n")
    _point(tmp_path, first)
    return tmp_path, first, second


def _serving(tmp_path: Path, settings: Settings) -> LiveServer:
    limits = {"build_dir": tmp_path / "build", "release_check": CHECK, "max_concurrent_queries": 2}
    return LiveServer(settings.model_copy(update=limits))


def _version(url: str) -> str:
    return httpx.get(f"{url}/downloads", headers={"accept": "application/json"}).json()["version"]


def _workers(server: LiveServer) -> set[int]:
    return {worker.pid for worker in server.app.state.migkg.releases.live.store._all}


def test_a_new_release_is_served_with_no_failed_request_and_no_mixed_answer(two_releases, settings) -> None:
    root, _, second = two_releases
    answers: list[tuple[int, str, str]] = []  # status, ETag, the version the body names
    stop = threading.Event()

    def keep_asking(url: str) -> None:
        with httpx.Client(base_url=url, headers={"accept": "application/json"}) as http:
            while not stop.is_set():
                listing = http.get("/downloads")
                body_version = listing.json().get("version", "") if listing.status_code == 200 else ""
                answers.append((listing.status_code, listing.headers.get("etag", ""), body_version))
                query = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"cache-control": "no-cache"})
                answers.append((query.status_code, query.headers.get("etag", ""), ""))

    with _serving(root, settings) as server:
        assert _version(server.url) == "1" * 64
        old_workers = _workers(server)
        askers = [threading.Thread(target=keep_asking, args=(server.url,)) for _ in range(3)]
        for asker in askers:
            asker.start()
        time.sleep(0.5)
        _point(root, second)
        assert holds_within(lambda: _version(server.url) == "2" * 64, 10), (
            "the server did not switch to the new release"
        )
        time.sleep(0.5)
        stop.set()
        for asker in askers:
            asker.join()
        assert holds_within(lambda: not any(_alive(pid) for pid in old_workers), 5), (
            "the old release's workers still run"
        )
        assert old_workers.isdisjoint(_workers(server))

    assert {status for status, _, _ in answers} == {200}, "a request failed during the switch"
    listings = [(etag, version) for _, etag, version in answers if version]
    assert {version for _, version in listings} == {"1" * 64, "2" * 64}, "both releases answered"
    mixed = [(etag, version) for etag, version in listings if not etag.startswith(f'W/"{version[:32]}-')]
    assert not mixed, f"an answer's ETag names another release than its body: {mixed[:3]}"


def test_a_download_begun_on_the_old_release_is_finished_from_it(two_releases, settings) -> None:
    root, first, second = two_releases
    with _serving(root, settings) as server:
        old_workers = _workers(server)
        with httpx.stream("GET", f"{server.url}/downloads/migkg.nq") as download:
            chunks = download.iter_bytes(65536)
            head = next(chunks)
            _point(root, second)
            assert holds_within(lambda: _version(server.url) == "2" * 64, 10)
            assert all(_alive(pid) for pid in old_workers), "the old release was closed under a request"
            body = head + b"".join(chunks)
        assert body == (first / "migkg.nq").read_bytes(), "the download mixed two releases"
        new = httpx.get(f"{server.url}/downloads/migkg.nq").content
        listed = httpx.get(f"{server.url}/downloads", headers={"accept": "application/json"}).json()["files"]
        assert hashlib.sha256(new).hexdigest() == next(f["sha256"] for f in listed if f["name"] == "migkg.nq")
        assert new.endswith(b"# release two\n")
        assert holds_within(lambda: not any(_alive(pid) for pid in old_workers), 5), (
            "the old release was not closed after"
        )


def test_a_broken_release_is_refused_and_the_current_one_still_served(two_releases, settings) -> None:
    root, _, _ = two_releases
    broken = root / "build.releases" / "broken"
    (broken / "store").mkdir(parents=True)
    (broken / "store" / "CURRENT").write_text("not a store\n")
    with _serving(root, settings) as server:
        _point(root, broken)
        time.sleep(CHECK * 10)
        assert _version(server.url) == "1" * 64
        assert httpx.get(f"{server.url}/sparql", params={"query": "ASK {}"}).status_code == 200


def test_over_a_remote_store_a_release_opens_once_the_store_holds_it(virtuoso, build_dir, settings) -> None:
    """The pointer names a release the store does not hold yet: the server keeps serving the one it
    has, and switches once `migkg load-virtuoso` has loaded the new one."""
    root = virtuoso.directory / "switching"  # inside Virtuoso's DirsAllowed
    loaded = load_build_info(build_dir / "build-info.json").version
    first = _release(root, "r1", build_dir, loaded)
    second = _release(root, "r2", build_dir, "2" * 64, extra_line="# release two\n")
    _point(root, first)
    try:
        with _serving(root, settings.model_copy(update={"store_url": virtuoso.url})) as server:
            _point(root, second)
            time.sleep(CHECK * 10)
            assert _version(server.url) == loaded
            virtuoso.load(second, settings.base_iri)
            assert holds_within(lambda: _version(server.url) == "2" * 64, 10)
    finally:
        virtuoso.load(build_dir.resolve(), settings.base_iri)


def _info(release: Path) -> dict:
    return json.loads((release / "build-info.json").read_text(encoding="utf-8"))


def test_the_catalog_lists_each_kept_release_and_every_download_url_serves_its_file(two_releases, settings) -> None:
    root, first, second = two_releases
    releases = [("r1", _info(first)), ("r2", _info(second))]
    catalog.write_catalog(second, releases, void.DATASET, "migkg")  # as the build writes it for r2
    _point(root, second)
    with _serving(root, settings) as server:
        answer = httpx.get(f"{server.url}/catalog", headers={"accept": "text/turtle"})
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/turtle")
        graph = Graph().parse(data=answer.text, format="turtle")
        urls = list(graph.subject_objects(DCAT.downloadURL))
        assert len(urls) == 2 * len(catalog.DISTRIBUTIONS)
        for distribution, url in urls:
            checksum = graph.value(graph.value(distribution, SPDX.checksum), SPDX.checksumValue)
            size = int(graph.value(distribution, DCAT.byteSize))
            path = str(url).removeprefix(settings.base_iri)
            body = httpx.get(f"{server.url}/{path}").content
            assert (len(body), hashlib.sha256(body).hexdigest()) == (size, str(checksum)), url
        first_nq = httpx.get(f"{server.url}/downloads/r1/migkg.nq").content
        assert first_nq == (first / "migkg.nq").read_bytes(), "the older release's dump is its own"
        for unknown in ("/downloads/r3/migkg.nq", "/downloads/r1/store", "/downloads/.r1/migkg.nq"):
            assert httpx.get(f"{server.url}{unknown}").status_code == 404, unknown
        assert URIRef(f"{settings.base_iri}release/r2") in set(graph.objects(void.DATASET, DCAT.hasCurrentVersion))
