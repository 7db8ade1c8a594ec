"""One confidence from the features: a logistic regression fitted on the tuning half of the
evaluation set (a judged link is 1, `none` 0), so that the confidence reads as the probability that
a reader would judge the pair a link; and the threshold above which a candidate becomes a mapping:
for each pair type the tuning half judges, the one with the best F0.5 on its tuning pairs
(precision counts twice recall: a wrong link is worse than a missing one); for the others, the one
with the best F0.5 on all tuning pairs."""

from __future__ import annotations

import math
from dataclasses import dataclass

from migkg.graph.stages.crosswalk.features import FEATURES

NEWTON_STEPS = 25
L2 = 1e-2  # ridge penalty on the weights (not the bias): keeps the fit finite where a feature separates
BETA = 0.5


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]
    bias: float
    threshold: float  # for a pair type the tuning half does not judge
    thresholds: dict[str, float]  # per pair type it does

    def threshold_for(self, pair_type: str) -> float:
        return self.thresholds.get(pair_type, self.threshold)

    def confidence(self, values: dict[str, float]) -> float:
        return _sigmoid(self.bias + sum(w * values[name] for w, name in zip(self.weights, FEATURES, strict=True)))


def fit(examples: list[tuple[dict[str, float], bool, str]]) -> Model:
    """Newton's method on the penalised log loss, from zero (deterministic); ``examples`` are
    (features, judged a link, pair type)."""
    if len({label for _, label, _ in examples}) < 2:
        raise ValueError("the tuning half needs judged links and judged non-links")
    rows = [([1.0] + [values[name] for name in FEATURES], 1.0 if label else 0.0) for values, label, _ in examples]
    size = len(FEATURES) + 1
    theta = [0.0] * size
    for _ in range(NEWTON_STEPS):
        gradient = [L2 * t if i else 0.0 for i, t in enumerate(theta)]
        hessian = [[(L2 if i == j and i else 0.0) for j in range(size)] for i in range(size)]
        for x, y in rows:
            p = _sigmoid(sum(t * v for t, v in zip(theta, x, strict=True)))
            for i in range(size):
                gradient[i] += (p - y) * x[i]
                for j in range(size):
                    hessian[i][j] += p * (1 - p) * x[i] * x[j]
        theta = [t - s for t, s in zip(theta, _solve(hessian, gradient), strict=True)]
    model = Model(tuple(theta[1:]), theta[0], 0.5, {})
    scored = [(model.confidence(values), label, kind) for values, label, kind in examples]
    thresholds = {
        kind: _best_threshold([(c, label) for c, label, k in scored if k == kind])
        for kind in sorted({kind for _, label, kind in scored if label})
    }
    return Model(model.weights, model.bias, _best_threshold([(c, label) for c, label, _ in scored]), thresholds)


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the system is small and positive definite)."""
    n = len(vector)
    a = [[*row, value] for row, value in zip(matrix, vector, strict=True)]
    for column in range(n):
        pivot = max(range(column, n), key=lambda r: abs(a[r][column]))
        a[column], a[pivot] = a[pivot], a[column]
        for row in range(column + 1, n):
            factor = a[row][column] / a[column][column]
            for k in range(column, n + 1):
                a[row][k] -= factor * a[column][k]
    solution = [0.0] * n
    for row in reversed(range(n)):
        solution[row] = (a[row][n] - sum(a[row][k] * solution[k] for k in range(row + 1, n))) / a[row][row]
    return solution


def _best_threshold(scored: list[tuple[float, bool]]) -> float:
    return max((step / 100 for step in range(5, 96)), key=lambda t: (_f_beta(scored, t), t))


def _f_beta(scored: list[tuple[float, bool]], threshold: float) -> float:
    hits = sum(1 for c, label in scored if c >= threshold and label)
    predicted = sum(1 for c, _ in scored if c >= threshold)
    actual = sum(1 for _, label in scored if label)
    if not hits:
        return 0.0
    precision, recall = hits / predicted, hits / actual
    return (1 + BETA**2) * precision * recall / (BETA**2 * precision + recall)
