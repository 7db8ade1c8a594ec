"""The build's quality report (/api/quality): the notes of build-report.json and the results of
the SHACL report."""

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from migkg.api.prefixes import PREFIXES
from migkg.queries import load_query

SEVERITIES = {PREFIXES["sh"] + name: name for name in ("Violation", "Warning", "Info")}
CATEGORIES = {"repair": "repairs", "warning": "warnings", "ignored": "ignored"}  # category → key in the report


def shacl_summary(path: Path) -> dict[str, Any]:
    """Whether the graph conforms, and every result, from the SHACL report ``path`` (Turtle)."""
    store = ox.Store()
    store.load(path=path, format=ox.RdfFormat.TURTLE)
    rows = list(store.query(load_query("server", "shacl-results")))
    results = [
        {
            "focus": row["focus"].value,
            "path": row["path"].value if row["path"] else None,
            "value": str(row["value"]) if row["value"] else None,
            "severity": SEVERITIES.get(row["severity"].value, row["severity"].value),
            "message": row["message"].value if row["message"] else None,
        }
        for row in rows
        if row["focus"]
    ]
    return {"conforms": bool(rows) and rows[0]["conforms"].value == "true", "results": results}


def notes(report: dict[str, Any], category: str | None, source: str | None) -> list[dict[str, Any]]:
    """The report's repairs, warnings and ignored passages, each with its category, filtered."""
    return [
        {"category": name, **note}
        for name, key in CATEGORIES.items()
        if category in (None, name)
        for note in report[key]
        if source in (None, note["source"])
    ]


def totals(report: dict[str, Any]) -> dict[str, int]:
    return {key: len(report[key]) for key in CATEGORIES.values()}
