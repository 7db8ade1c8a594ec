"""/api/quality: the build's quality report — SHACL outcome, repairs, warnings, text left out."""

from pathlib import Path
from typing import Annotated, Literal

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from migkg.api.internal import load_query
from migkg.api.problems import problem, problem_responses
from migkg.api.state import AppState

router = APIRouter(prefix="/api")
SEVERITIES = {"http://www.w3.org/ns/shacl#Violation": "Violation", "http://www.w3.org/ns/shacl#Warning": "Warning",
              "http://www.w3.org/ns/shacl#Info": "Info"}
CATEGORIES = {"repair": "repairs", "warning": "warnings", "ignored": "ignored"}


class ShaclResult(BaseModel):
    focus: str
    path: str | None
    value: str | None = Field(description="the offending value, in N-Triples syntax")
    severity: str = Field(description="Violation, Warning or Info")
    message: str | None


class Shacl(BaseModel):
    conforms: bool
    results: list[ShaclResult]


class Note(BaseModel):
    category: Literal["repair", "warning", "ignored"]
    source: str = Field(description="the source document's id")
    kind: str
    message: str
    resource: str | None
    offset: int | None = Field(description="character offset in the source file")
    line: int | None


class QualityReport(BaseModel):
    version: str | None = Field(description="the build's version (sha256 of its N-Quads)")
    triples: int
    shacl: Shacl
    stages_seconds: dict[str, float]
    totals: dict[str, int] = Field(description="repairs, warnings and ignored passages in the whole build")
    notes: list[Note] = Field(description="the notes that pass the filters")


@router.get("/quality", tags=["quality"], summary="The build's quality report", response_model=QualityReport,
            responses=problem_responses(422, 503))
@router.head("/quality", include_in_schema=False)
async def quality(
    request: Request,
    category: Annotated[Literal["repair", "warning", "ignored"] | None,
                        Query(description="only repairs, only warnings, or only the text left out")] = None,
    source: Annotated[str | None, Query(description="only notes on this source document (see /api/documents)",
                                        pattern="^[a-z0-9-]{1,40}$", examples=["gcm-booklet"])] = None,
) -> Response:
    """Whether the graph passed SHACL (and every warning it raised), how long each build stage took,
    and every repair the parsers made to the source text with its reason, every warning about it,
    and what they deliberately left out (captions, page furniture). Read from build/build-report.json
    and build/shacl-report.ttl."""
    state = AppState.of(request)
    report = state.build_report()
    if report is None:
        return problem(request, 503, f"No build report in {state.settings.build_dir}.", hint="Run `make build`.")
    if "shacl" not in state.cache:
        state.cache["shacl"] = _shacl(state.settings.build_dir / "shacl-report.ttl")
    notes = [{"category": category_name, **note}
             for category_name, key in CATEGORIES.items() if category in (None, category_name)
             for note in report[key] if source in (None, note["source"])]
    body = {
        "version": state.build_info.version if state.build_info else None,
        "triples": report["counts"].get("triples", 0),
        "shacl": state.cache["shacl"],
        "stages_seconds": report["stages_seconds"],
        "totals": {key: len(report[key]) for key in CATEGORIES.values()},
        "notes": notes,
    }
    return JSONResponse(body)


def _shacl(path: Path) -> dict:
    store = ox.Store()
    store.load(path=path, format=ox.RdfFormat.TURTLE)
    rows = list(store.query(load_query("shacl-results")))
    results = [{"focus": row["focus"].value, "path": row["path"].value if row["path"] else None,
                "value": str(row["value"]) if row["value"] else None,
                "severity": SEVERITIES.get(row["severity"].value, row["severity"].value),
                "message": row["message"].value if row["message"] else None} for row in rows if row["focus"]]
    return {"conforms": bool(rows) and rows[0]["conforms"].value == "true", "results": results}
