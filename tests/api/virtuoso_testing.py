"""Virtuoso for the tests: a server of their own on loopback, loaded with the real build by the
project's loader, and the app served over it (docs/remote-store.md). `backend` runs a test module
on each store: a module overrides its `client` fixture to follow it (tests/api/test_sparql.py).
`loaded_virtuoso` starts another one holding a release of a module's own (tests/api/test_w3c_protocol.py)."""

import configparser
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from api_testing import app_client, free_port
from fastapi.testclient import TestClient

from migkg.api.settings import Settings
from migkg.api.virtuoso import Isql, load_release

SERVER = "virtuoso-t"
START_TIMEOUT = 60.0  # seconds for a new database to be made and the server to answer (about 5 here)
STOP_TIMEOUT = 30.0
BACKENDS = ["embedded", "virtuoso"]


class Virtuoso:
    """One ``virtuoso-t +foreground`` with its database, ini and log in ``directory``."""

    def __init__(self, directory: Path, allowed: list[Path]) -> None:
        self.directory = directory
        self.isql = Isql(port=free_port())
        self.http_port = free_port()
        self.ini = directory / "virtuoso.ini"
        self.log = directory / "virtuoso-t.log"
        self._write_ini(allowed)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def start(self) -> None:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [SERVER, "+foreground", "+configfile", str(self.ini)],
                cwd=self.directory,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        give_up = time.monotonic() + START_TIMEOUT
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > give_up:
                self.stop()
                pytest.fail(f"{SERVER} did not start; its log: {self.log}", pytrace=False)
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def load(self, release: Path, base_iri: str) -> int:
        return load_release(release, self.isql, base_iri)

    def _answers(self) -> bool:
        try:
            response = httpx.get(
                self.url, params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"}
            )
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def _write_ini(self, allowed: list[Path]) -> None:
        """Loopback ports, files in ``directory``, and limits above the server's: its own row cap
        (ResultSetMaxRows) silently cuts results, its cost estimate refuses queries before they run."""
        ini = configparser.ConfigParser()
        ini.optionxform = str  # Virtuoso's keys are CamelCase
        database = self.directory / "virtuoso"
        ini["Database"] = {
            "DatabaseFile": f"{database}.db",
            "ErrorLogFile": f"{database}.log",
            "LockFile": f"{database}.lck",
            "TransactionFile": f"{database}.trx",
            "xa_persistent_file": f"{database}.pxa",
        }
        ini["TempDatabase"] = {"DatabaseFile": f"{database}-temp.db", "TransactionFile": f"{database}-temp.trx"}
        ini["Parameters"] = {
            "ServerPort": f"127.0.0.1:{self.isql.port}",
            "DisableUnixSocket": "1",
            "DirsAllowed": ", ".join(str(path) for path in [self.directory, *allowed]),
            "NumberOfBuffers": "20000",  # 160 MB of pages: the build and its indexes, in memory
            "MaxDirtyBuffers": "15000",
            "CheckpointInterval": "0",  # the loader checkpoints; nothing else writes
        }
        ini["HTTPServer"] = {
            "ServerPort": f"127.0.0.1:{self.http_port}",
            "ServerRoot": str(self.directory),
            "ServerThreads": "8",
        }
        ini["SPARQL"] = {
            "ResultSetMaxRows": "1000000",
            "MaxQueryCostEstimationTime": "0",
            "MaxQueryExecutionTime": "0",
        }
        with self.ini.open("w") as file:
            ini.write(file)


@contextmanager
def loaded_virtuoso(directory: Path, release: Path) -> Iterator[Virtuoso]:
    """Virtuoso on loopback, its files in ``directory``, holding ``release`` (a directory with its
    migkg.nq) loaded with `migkg load-virtuoso`'s loader; stopped on leaving."""
    if shutil.which(SERVER) is None or shutil.which("isql-vt") is None:
        pytest.fail(f"{SERVER} and isql-vt are not installed: run `make install`", pytrace=False)
    server = Virtuoso(directory, [release])
    server.start()
    try:
        server.load(release, Settings().base_iri)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """Virtuoso holding the real build."""
    with loaded_virtuoso(tmp_path_factory.mktemp("virtuoso"), build_dir.resolve()) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_settings(build_dir: Path, virtuoso: Virtuoso) -> Settings:
    return Settings(build_dir=build_dir, store_url=virtuoso.url)


@pytest.fixture(scope="session")
def virtuoso_client(virtuoso_settings: Settings) -> Iterator[TestClient]:
    """The app over Virtuoso: the release's files from the build, its data from the remote store."""
    with app_client(virtuoso_settings) as test_client:
        yield test_client


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Which store answers: the embedded one (the release's own) or Virtuoso."""
    return request.param
