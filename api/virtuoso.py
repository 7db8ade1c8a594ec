"""Loading a release into Debian's Virtuoso (`migkg load-virtuoso`), the remote store of api/remote_store.py.

The release's N-Quads dump (``migkg.nq``, the named graphs kept) goes in through Virtuoso's bulk
loader, driven by ``isql-vt`` (Debian's name for Virtuoso's isql) on its SQL port: the graphs of the
previous release (as its record names them) and of this one are cleared, the dump registered anew
(the bulk loader skips a file it has loaded once), loaded, recorded and checkpointed. The record
(graph RELEASE_RECORD of api/remote_store.py) gives each of the dump's graphs with its quads, and
the release's version: it is how the server tells the release's graphs from the store's own, and
checks that they are this release's and whole.
Virtuoso reads the file itself, so it runs on the same machine and the release's directory is in
its ``DirsAllowed``. The server goes on answering meanwhile: until the load ends, from part of the data.

The commands are Virtuoso's SQL, not SPARQL, so they live here rather than in queries/.
"""

import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from migkg.api.buildinfo import load_build_info
from migkg.api.remote_store import RELEASE_RECORD, VERSION_INFO, VOID_TRIPLES

ISQL = "isql-vt"
DUMP = "migkg.nq"
ISQL_TIMEOUT = 3600.0  # seconds for one load, a 100-times larger release included
RESULT_MARK = "migkg:"  # the lines of our own SELECTs, told apart from isql's other output
_RECORD_ID = f"iri_to_id('{RELEASE_RECORD}')"


class LoadFailed(Exception):
    """The release could not be loaded; the message says what to do."""


@dataclass(frozen=True)
class Isql:
    """How to reach Virtuoso's SQL port (``ServerPort`` of its [Parameters]) as a DBA."""

    port: int = 1111
    user: str = "dba"
    password: str = "dba"

    def run(self, script: str) -> list[str]:
        """Runs the SQL statements of ``script``; the lines our SELECTs mark with RESULT_MARK, unmarked."""
        if shutil.which(ISQL) is None:
            raise LoadFailed(f"{ISQL} is not installed: run `make install` (Debian's virtuoso-opensource)")
        done = subprocess.run(
            [ISQL, str(self.port), self.user, self.password, "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF"],
            input=script,
            capture_output=True,
            text=True,
            timeout=ISQL_TIMEOUT,
            check=False,
        )
        # isql ends with 0 after a failed statement: its "*** Error" lines are what tell.
        errors = [line for line in done.stderr.splitlines() + done.stdout.splitlines() if line.startswith("*** Error")]
        if done.returncode != 0 or errors:
            raise LoadFailed(f"{ISQL} on port {self.port}: {'; '.join(errors) or done.stderr.strip()}")
        marked = (line.strip() for line in done.stdout.splitlines())
        return [line.removeprefix(RESULT_MARK).strip() for line in marked if line.startswith(RESULT_MARK)]


def load_release(release: Path, isql: Isql, base_iri: str) -> int:
    """Replaces the release in Virtuoso with ``release`` and records its graphs; the quads it then holds."""
    dump = (release / DUMP).resolve()
    if not dump.is_file():
        raise LoadFailed(f"no {DUMP} in {release}: run `make build` first")
    if not (release / "build-info.json").is_file():
        raise LoadFailed(f"no build-info.json in {release}: it is not a release (run `make build`)")
    version = load_build_info(release / "build-info.json").version
    graphs = _dump_graphs(dump)
    if not graphs:
        raise LoadFailed(f"{dump} holds no named graph")
    previous = isql.run(f"SELECT concat('{RESULT_MARK} ', id_to_iri(S)) FROM DB.DBA.RDF_QUAD WHERE G = {_RECORD_ID};")
    *errors, held = isql.run(_load_script(dump, version, graphs, previous, f"{base_iri}graph/default"))
    if errors:
        raise LoadFailed(f"Virtuoso could not load {dump}: {'; '.join(errors)}")
    if not int(held):
        raise LoadFailed(
            f"Virtuoso loaded nothing from {dump}: is {dump.parent} in the DirsAllowed of its virtuoso.ini?"
        )
    if int(held) != graphs.total():
        raise LoadFailed(f"Virtuoso holds {held} of the {graphs.total()} quads of {dump}")
    return int(held)


def _dump_graphs(dump: Path) -> Counter[str]:
    """The quads of each named graph in an N-Quads dump. A triple outside any named graph (the
    build writes none) is left out, as the embedded store's union of the named graphs leaves it."""
    quads = ox.parse(path=dump, format=ox.RdfFormat.N_QUADS)
    return Counter(quad.graph_name.value for quad in quads if isinstance(quad.graph_name, ox.NamedNode))


def _load_script(dump: Path, version: str, graphs: Counter[str], previous: list[str], default_graph: str) -> str:
    """Clear the previous release's graphs, the dump's and the record, bulk-load the dump, record its
    version and graphs, checkpoint, report the quads its graphs hold."""
    file = _sql_string(str(dump))
    ids = ", ".join(f"iri_to_id({_sql_string(graph)})" for graph in sorted(graphs))
    cleared = ", ".join([_RECORD_ID, *(f"iri_to_id({_sql_string(graph)})" for graph in sorted({*graphs, *previous}))])
    return "\n".join(
        [
            "log_enable(3, 1);",  # row autocommit without the transaction log: a bulk delete, not a transaction
            f"DELETE FROM DB.DBA.RDF_QUAD WHERE G IN ({cleared});",
            f"DELETE FROM DB.DBA.load_list WHERE ll_file = {file};",
            f"ld_add({file}, {_sql_string(default_graph)});",  # the graph of triples without one: none in a dump
            "rdf_loader_run();",
            *(
                f"DB.DBA.RDF_QUAD_URI_L({_sql_string(RELEASE_RECORD)}, {_sql_string(graph)},"
                f" {_sql_string(VOID_TRIPLES)}, {quads});"
                for graph, quads in sorted(graphs.items())
            ),
            f"DB.DBA.RDF_QUAD_URI_L({_sql_string(RELEASE_RECORD)}, {_sql_string(RELEASE_RECORD)},"
            f" {_sql_string(VERSION_INFO)}, {_sql_string(version)});",
            "checkpoint;",
            f"SELECT concat('{RESULT_MARK} load error: ', ll_error) FROM DB.DBA.load_list"
            f" WHERE ll_file = {file} AND ll_error IS NOT NULL;",
            f"SELECT concat('{RESULT_MARK} ', cast(COUNT(*) AS VARCHAR)) FROM DB.DBA.RDF_QUAD WHERE G IN ({ids});",
            "",
        ]
    )


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
