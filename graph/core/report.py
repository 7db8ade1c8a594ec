"""The build report: what was repaired, what looks wrong, what was counted."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Note:
    """One repair or warning, tied to a source and (where known) a resource and an offset."""

    source: str
    kind: str
    message: str
    resource: str | None = None
    offset: int | None = None
    line: int | None = None


@dataclass
class Notes:
    """Repairs (what a stage fixed, with the reason), warnings (what it kept but flags) and text it
    deliberately left out. Each parser and stage returns its own; the build gathers them."""

    repairs: list[Note] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    ignored: list[Note] = field(default_factory=list)

    def repair(self, source: str, kind: str, message: str, **where) -> None:
        self.repairs.append(Note(source, kind, message, **where))

    def warn(self, source: str, kind: str, message: str, **where) -> None:
        self.warnings.append(Note(source, kind, message, **where))

    def ignore(self, source: str, kind: str, message: str, **where) -> None:
        """Text deliberately not turned into triples (captions, page furniture)."""
        self.ignored.append(Note(source, kind, message, **where))

    def extend(self, other: Notes) -> None:
        self.repairs += other.repairs
        self.warnings += other.warnings
        self.ignored += other.ignored


@dataclass
class BuildReport(Notes):
    """Every stage's notes, the counts and the stage times; publish turns it into
    build-report.json and .md."""

    counts: dict = field(default_factory=dict)
    stages: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "counts": self.counts,
            "repairs": [asdict(note) for note in self.repairs],
            "warnings": [asdict(note) for note in self.warnings],
            "ignored": [asdict(note) for note in self.ignored],
            "stages_seconds": self.stages,
        }
