"""Every example query (queries/examples/, the buttons of the query page and the service
description's examples) runs on the real build through /sparql and answers at least one row, and
says in its header comment what it answers."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from migkg.queries import header_lines, query_files, read_query

EXAMPLES = query_files("examples")
SPARQL_JSON = "application/sparql-results+json"


def test_there_are_examples() -> None:
    assert EXAMPLES


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_example_answers_rows(client: TestClient, path: Path) -> None:
    response = client.post("/sparql", data={"query": read_query(path)}, headers={"accept": SPARQL_JSON})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"], f"{path.name} answers no row"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_example_says_what_it_answers(path: Path) -> None:
    assert any(header_lines(read_query(path))), f"{path.name} has no header comment"
