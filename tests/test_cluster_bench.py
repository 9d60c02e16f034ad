"""bench/cluster.py: the grouping and the logistic model that the clustering figures rest on."""

from __future__ import annotations

import importlib.util
import sys

from tests.conftest import ROOT


def _bench_cluster():
    saved = list(sys.path)  # the script puts bench/ first on the path for its own imports
    try:
        path = ROOT / "bench" / "cluster.py"
        spec = importlib.util.spec_from_file_location("bench_cluster", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path[:] = saved


bench = _bench_cluster()


def test_complete_link_does_not_chain_through_a_loose_pair():
    links = [("a", "b"), ("b", "c")]  # a and c are not linked
    single = bench.group(["a", "b", "c"], links, complete=False)
    complete = bench.group(["a", "b", "c"], links, complete=True)
    assert single["a"] == single["b"] == single["c"]
    assert complete["a"] == complete["b"] != complete["c"]
    # a triangle is one story either way
    closed = bench.group(["a", "b", "c"], [*links, ("a", "c")], complete=True)
    assert closed["a"] == closed["b"] == closed["c"]


def _pair(mixed: float, names: int) -> dict[str, float]:
    return {k: 0.0 for k in bench.LOGISTIC} | {"mixed": mixed, "names": names}


def test_logistic_model_learns_which_feature_separates():
    same = [_pair(0.3 + 0.01 * i, 3) for i in range(10)]
    different = [_pair(0.05 + 0.01 * i, 3) for i in range(10)]
    model = bench.Logistic(same + different, [True] * 10 + [False] * 10)
    assert min(map(model, same)) > 0.5 > max(map(model, different))
    weights = dict(zip(bench.LOGISTIC, model.weights, strict=True))
    assert weights["mixed"] > 1 and abs(weights["names"]) < 1e-9  # names never varied


def test_mutual_nearest_pairs_only_each_others_best():
    vecs = [{"x": 1.0}, {"x": 0.9, "y": 0.1}, {"y": 1.0}, {"y": 0.8, "z": 0.6}]
    assert bench.mutual_nearest(vecs) == {(0, 1), (2, 3)}
