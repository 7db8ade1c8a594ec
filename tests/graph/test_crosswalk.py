"""The crosswalk (graph/stages/crosswalk/, docs/crosswalk.md) on the real build: the links the texts
state, computed links checked against judgements read off the texts, the held-out figures, and the
SSSOM file validated with the sssom package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migkg import resources
from migkg.graph.stages.crosswalk.evaluation import JudgementError, load_judgements

ID = "https://w3id.org/migkg/id/"
SDG = "http://metadata.un.org/sdg/"
CROSSWALK = "https://w3id.org/migkg/graph/crosswalk"


def mapping(select, subject: str, object_: str) -> list[dict]:
    return select(
        f"SELECT ?m ?relation ?justification ?confidence WHERE {{ GRAPH <{CROSSWALK}> {{ ?m a mig:Mapping ; "
        f"mig:mappingSubject <{subject}> ; mig:mappingObject <{object_}> ; mig:mappingPredicate ?relation ; "
        "mig:mappingJustification ?justification ; mig:confidence ?confidence } }"
    )


def test_the_booklets_printed_targets_are_stated_links_with_their_passage(select):
    # Objective 4 (legal identity) prints SDG target 16.9 "provide legal identity for all".
    [row] = mapping(select, ID + "gcm/objective/4", SDG + "16.9")
    assert (
        row["justification"] == "https://w3id.org/semapv/vocab/ManualMappingCuration" and float(row["confidence"]) == 1
    )
    [evidence] = select(f"SELECT ?e WHERE {{ <{row['m']}> mig:evidence ?e }}")
    assert evidence["e"] == ID + "gcm/objective/4/sdg-citation/16.9#provenance"
    assert select(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{ID}gcm/objective/4> skos:relatedMatch <{SDG}16.9> }} }}") == [
        {"g": CROSSWALK}
    ]


def test_the_gfmd_papers_target_10_7_and_the_tables_frameworks_are_stated(select):
    assert mapping(select, ID + "gfmd-2017/section/I", SDG + "10.7")
    [row] = mapping(select, ID + "nua-table/row/1", ID + "migof")
    evidence = {r["e"] for r in select(f"SELECT ?e WHERE {{ <{row['m']}> mig:evidence ?e }}")}
    assert ID + "nua-table/row/1#mention-framework-migof-1" in evidence


# Pairs judged by reading (graph/reference/crosswalk/): element 4 "Enable socioeconomic well-being of
# migrants and society" covers recruitment (obj 6), basic services (15), inclusion (16) and
# remittances (20); it has nothing of search and rescue (8). The table's row 2 "Enhance the
# socioeconomic well-being of migrants and society" is element 4's aim; economic integration
# (GFMD indicator 9) is not about missing migrants (8).
@pytest.mark.parametrize(
    "subject, object_",
    [
        ("migof/element/4", "gcm/objective/15"),
        ("migof/element/4", "gcm/objective/16"),
        ("migof/element/4", "gcm/objective/20"),
        ("migof/element/4", "gcm/objective/6"),
        ("nua-table/row/2", "migof/element/4"),
        ("nua-table/row/2", "gcm/objective/15"),
    ],
)
def test_a_link_judged_by_reading_is_computed(select, subject, object_):
    [row] = mapping(select, ID + subject, ID + object_)
    assert row["justification"] == "https://w3id.org/semapv/vocab/CompositeMatching"
    assert 0 < float(row["confidence"]) < 1


@pytest.mark.parametrize(
    "subject, object_",
    [
        ("migof/element/4", "gcm/objective/8"),
        ("gfmd-2017/indicator/9", "gcm/objective/8"),
        ("migof/element/3", "gcm/objective/8"),
    ],
)
def test_a_pair_judged_unrelated_is_not_mapped(select, subject, object_):
    assert not mapping(select, ID + subject, ID + object_)


def test_the_report_gives_held_out_figures_per_pair_type(build_dir: Path):
    counts = json.loads((build_dir / "build-report.json").read_text(encoding="utf-8"))["counts"]
    figures = counts["crosswalk held-out"]
    assert set(figures) == {
        "element-objective",
        "row-objective",
        "row-element",
        "indicator-objective",
        "recommendation-action",
    }
    for values in figures.values():
        assert {"precision", "recall", "f1", "recall@5", "judged links", "kept"} <= set(values)
        assert 0 <= values["precision"] <= 1 and 0 <= values["recall@5"] <= 1
    # 3 held-out elements x 23 objectives; row 2 x 23 objectives and x 6 elements; 5 indicators
    assert (figures["element-objective"]["judged pairs"], figures["row-objective"]["judged pairs"]) == (69, 23)
    assert (figures["row-element"]["judged pairs"], figures["indicator-objective"]["judged pairs"]) == (6, 115)
    assert 0 < counts["crosswalk model"]["threshold"] < 1


def test_the_evaluation_set_is_complete_per_subject():
    judgements = load_judgements(resources.reference_dir() / "crosswalk")
    objects: dict[str, set[str]] = {}
    for j in judgements:
        objects.setdefault(str(j.subject).removeprefix(ID), set()).add(str(j.object).removeprefix(ID))
    objectives = {f"gcm/objective/{n}" for n in range(1, 24)}
    elements = {f"migof/element/{n}" for n in range(1, 7)}
    for n in range(1, 7):
        assert objects[f"migof/element/{n}"] == objectives
    for n in range(1, 4):
        assert objects[f"nua-table/row/{n}"] == objectives | elements
    for n in range(1, 12):
        assert objects[f"gfmd-2017/indicator/{n}"] == objectives
    assert sum(1 for j in judgements if "/action/" in str(j.object)) >= 100


def test_a_judgement_the_crosswalk_cannot_use_stops_it(tmp_path: Path):
    (tmp_path / "bad.tsv").write_text(
        "subject\tobject\trelation\treason\tsplit\nmigof/element/1\tgcm/objective/1\tsameAs\tx\ttuning\n",
        encoding="utf-8",
    )
    with pytest.raises(JudgementError, match="sameAs"):
        load_judgements(tmp_path)


def test_the_sssom_file_is_valid_and_holds_every_mapping(build_dir: Path, select):
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    path = build_dir / "crosswalk.sssom.tsv"
    mapping_set = parse_sssom_table(path)
    validate(mapping_set, fail_on_error=True)
    [row] = select(f"SELECT (COUNT(?m) AS ?n) WHERE {{ GRAPH <{CROSSWALK}> {{ ?m a mig:Mapping }} }}")
    assert len(mapping_set.df) == row["n"]
    assert mapping_set.metadata["mapping_set_id"] == "https://w3id.org/migkg/crosswalk.sssom.tsv"


def test_the_sssom_validation_fails_on_a_broken_file(build_dir: Path, tmp_path: Path):
    """The same file with an undeclared prefix in one row: the validator must say so."""
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    text = (build_dir / "crosswalk.sssom.tsv").read_text(encoding="utf-8")
    broken = tmp_path / "broken.sssom.tsv"
    broken.write_text(text.replace("\tskos:relatedMatch\t", "\tnowhere:relatedMatch\t", 1), encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017 - sssom raises its own error types, by version
        validate(parse_sssom_table(broken), fail_on_error=True)


def test_every_item_text_has_a_cached_embedding(build_dir: Path):
    """The vectors `make embeddings` caches match the texts of the real sources: when a text changes,
    this fails until the cache is recomputed."""
    counts = json.loads((build_dir / "build-report.json").read_text(encoding="utf-8"))["counts"]
    assert counts["crosswalk items without a cached embedding"] == 0
    assert counts["crosswalk model"]["weights"]["semantic"] > 0


def test_the_embedding_cache_holds_unit_vectors_of_the_models_size():
    from migkg.graph.stages.crosswalk.embeddings import DIMENSIONS, load_cache, text_key

    cache = load_cache(resources.reference_dir() / "crosswalk")
    assert len(cache) > 500
    for vector in list(cache.values())[:50]:
        assert len(vector) == DIMENSIONS and abs(sum(x * x for x in vector) - 1) < 0.01
    assert len(text_key("x")) == 64


def test_vectors_of_different_sizes_are_an_error_not_a_shorter_sum():
    from migkg.graph.stages.crosswalk.embeddings import cosine

    assert cosine((0.6, 0.8), (0.6, 0.8)) == pytest.approx(1.0)
    assert cosine(None, (1.0,)) == 0.0
    with pytest.raises(ValueError, match="2 and 3 dimensions"):
        cosine((0.6, 0.8), (0.6, 0.8, 0.0))
