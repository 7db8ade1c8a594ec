"""The engine's own limit that MIGKG_MAX_QUERY_DEPTH keeps queries below: pyoxigraph's parser
recurses once per bracket and its stack overflows (a segfault, not an error) a couple of thousand
levels down. Each query runs in a subprocess, since the crash takes the process with it."""

import subprocess
import sys

import pytest

from migkg.api.guard import ENGINE_SAFE_OPENERS
from migkg.api.settings import Settings

RUN_QUERY = "import sys, pyoxigraph; list(pyoxigraph.Store().query(sys.stdin.read()))"
REVISIT = (
    "pyoxigraph no longer crashes on {what}: its limit has moved; measure the new crash depth and revisit "
    "ENGINE_SAFE_OPENERS (api/guard.py) and the default of MIGKG_MAX_QUERY_DEPTH"
)


def nested_braces(depth: int) -> str:
    return "SELECT * WHERE " + "{ " * depth + "}" * depth


def nested_parentheses(depth: int) -> str:
    return "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }"


def run_in_subprocess(query: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", RUN_QUERY], input=query, text=True, capture_output=True, timeout=120)


@pytest.mark.parametrize(
    ("what", "query"),
    [("2,500 nested braces", nested_braces(2500)), ("5,000 nested parentheses", nested_parentheses(5000))],
)
def test_the_engine_dies_by_a_signal_on_deep_nesting(what: str, query: str) -> None:
    assert len(query.encode()) <= Settings().max_query_bytes, "the bomb fits within the query size limit"
    finished = run_in_subprocess(query)
    assert finished.returncode < 0, REVISIT.format(what=what)


def test_the_engine_survives_the_nesting_the_guard_lets_through() -> None:
    """Below ENGINE_SAFE_OPENERS brackets no reading of a text can nest too deep (braces cost the most)."""
    for query in (nested_braces(ENGINE_SAFE_OPENERS), nested_parentheses(ENGINE_SAFE_OPENERS)):
        finished = run_in_subprocess(query)
        assert finished.returncode == 0, finished.stderr


def test_the_default_depth_limit_is_far_below_the_engines() -> None:
    assert Settings().max_query_depth * 10 <= ENGINE_SAFE_OPENERS
