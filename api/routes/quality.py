"""/api/quality: the build's quality report — SHACL outcome, repairs, warnings, text left out."""

from typing import Annotated, Literal

from fastapi import Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from migkg.api.deps import CHECKED_PARAMETERS, Built
from migkg.api.jsonio import JSONResponse
from migkg.api.problems import problem_responses
from migkg.api.quality import notes, shacl_summary, totals
from migkg.api.routing import Router

router = Router(prefix="/api")


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


@router.get(
    "/quality",
    tags=["quality"],
    summary="The build's quality report",
    response_model=QualityReport,
    responses=problem_responses(422, 503),
    dependencies=CHECKED_PARAMETERS,
)
@router.head("/quality", include_in_schema=False, dependencies=CHECKED_PARAMETERS)
async def quality(
    state: Built,
    category: Annotated[
        Literal["repair", "warning", "ignored"] | None,
        Query(description="only repairs, only warnings, or only the text left out"),
    ] = None,
    source: Annotated[
        str | None,
        Query(
            description="only notes on this source document (see /api/documents)",
            pattern="^[a-z0-9-]{1,40}$",
            examples=["gcm-booklet"],
        ),
    ] = None,
) -> Response:
    """Whether the graph passed SHACL (and every warning it raised), how long each build stage took,
    and every repair the parsers made to the source text with its reason, every warning about it,
    and what they deliberately left out (captions, page furniture). Read from build/build-report.json
    and build/shacl-report.ttl."""
    report = state.build_report()
    if "shacl" not in state.cache:
        state.cache["shacl"] = shacl_summary(state.build_dir / "shacl-report.ttl")
    body = {
        "version": state.build_info.version,
        "triples": report["counts"].get("triples", 0),
        "shacl": state.cache["shacl"],
        "stages_seconds": report["stages_seconds"],
        "totals": totals(report),
        "notes": notes(report, category, source),
    }
    return JSONResponse(body)
