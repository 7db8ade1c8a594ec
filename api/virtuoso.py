"""Loading a release into Debian's Virtuoso (`migkg load-virtuoso`), the remote store of api/remote_store.py.

The release's N-Quads dump (``migkg.nq``, the named graphs kept) goes in through Virtuoso's bulk
loader, driven by ``isql-vt`` (Debian's name for Virtuoso's isql) on its SQL port: the previous
release's graphs (every graph under the base IRI's ``graph/``) are cleared, the dump registered
anew (the bulk loader skips a file it has loaded once), loaded and checkpointed. Virtuoso reads
the file itself, so it runs on the same machine and the release's directory is in its
``DirsAllowed``. The server goes on answering meanwhile: until the load ends, from part of the data.

The commands are Virtuoso's SQL, not SPARQL, so they live here rather than in queries/.
"""

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ISQL = "isql-vt"
DUMP = "migkg.nq"
ISQL_TIMEOUT = 3600.0  # seconds for one load, a 100-times larger release included
RESULT_MARK = "migkg:"  # the lines of our own SELECTs, told apart from isql's other output


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
    """Replaces the release graphs in Virtuoso with those of ``release``; the quads it then holds."""
    dump = (release / DUMP).resolve()
    if not dump.is_file():
        raise LoadFailed(f"no {DUMP} in {release}: run `make build` first")
    *errors, quads = isql.run(_load_script(dump, f"{base_iri}graph/"))
    if errors:
        raise LoadFailed(f"Virtuoso could not load {dump}: {'; '.join(errors)}")
    if not int(quads):
        raise LoadFailed(
            f"Virtuoso loaded nothing from {dump}: is {dump.parent} in the DirsAllowed of its virtuoso.ini?"
        )
    return int(quads)


def _load_script(dump: Path, graphs: str) -> str:
    """Clear the release graphs, load the dump with the bulk loader, checkpoint, report."""
    file, prefix = _sql_string(str(dump)), _sql_string(graphs)
    return "\n".join(
        [
            "log_enable(3, 1);",  # row autocommit without the transaction log: a bulk delete, not a transaction
            f"DELETE FROM DB.DBA.RDF_QUAD WHERE starts_with(id_to_iri(G), {prefix});",
            f"DELETE FROM DB.DBA.load_list WHERE ll_file = {file};",
            f"ld_add({file}, {_sql_string(graphs + 'default')});",  # the graph of triples without one: none in a dump
            "rdf_loader_run();",
            "checkpoint;",
            f"SELECT concat('{RESULT_MARK} load error: ', ll_error) FROM DB.DBA.load_list"
            f" WHERE ll_file = {file} AND ll_error IS NOT NULL;",
            f"SELECT concat('{RESULT_MARK} ', cast(COUNT(*) AS VARCHAR)) FROM DB.DBA.RDF_QUAD"
            f" WHERE starts_with(id_to_iri(G), {prefix});",
            "",
        ]
    )


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
