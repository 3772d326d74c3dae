"""Graph statistics of neuro4ml.analysis.connectome (scipy.sparse) against networkx, on real connectomes.

For each connectome, times reciprocity, the clustering coefficients (undirected and
directed) and one degree-preserving rewiring, with the library and with networkx
(``overall_reciprocity``, ``clustering``, ``directed_edge_swap``), best of ``--repeats``,
and checks that both give the same statistics. Writes ``results/connectome_networkx.json``.

    .venv/bin/python benchmarks/connectome_networkx.py
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import networkx as nx
import numpy as np

from neuro4ml.analysis import connectome as cg
from neuro4ml.data.connectomes import load_celegans


def best_time(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for dataset in ("witvliet_8", "cook_2019"):
        A = load_celegans(dataset).chemical
        B = cg.presence(A)
        graph = nx.from_scipy_sparse_array(B, create_using=nx.DiGraph)
        n_edges = B.nnz
        assert np.isclose(cg.reciprocity(A), nx.overall_reciprocity(graph))
        undirected = graph.to_undirected()
        reference = nx.clustering(undirected)
        assert np.allclose(cg.clustering(A), [reference[i] for i in range(B.shape[0])])
        cases = {
            "reciprocity": (lambda: cg.reciprocity(A), lambda: nx.overall_reciprocity(graph)),
            "clustering (undirected)": (lambda: cg.clustering(A), lambda: nx.clustering(graph.to_undirected())),
            "clustering (directed)": (lambda: cg.clustering(A, directed=True), lambda: nx.clustering(graph)),
            "rewiring, 10 swaps per edge": (
                lambda: cg.rewire(A, swaps_per_edge=10, rng=0),
                lambda: nx.directed_edge_swap(graph.copy(), nswap=10 * n_edges, max_tries=10**8, seed=0),
            ),
        }
        for name, (ours, theirs) in cases.items():
            t_ours, t_theirs = best_time(ours, args.repeats), best_time(theirs, args.repeats)
            rows.append({"dataset": dataset, "neurons": B.shape[0], "edges": n_edges, "statistic": name,
                         "neuro4ml_s": t_ours, "networkx_s": t_theirs, "ratio": t_theirs / t_ours})
            print(f"{dataset:11s} {name:28s} neuro4ml {t_ours * 1e3:8.2f} ms  networkx {t_theirs * 1e3:8.2f} ms  "
                  f"networkx / neuro4ml {t_theirs / t_ours:6.1f}x")
    out = Path(__file__).parent / "results" / "connectome_networkx.json"
    out.write_text(json.dumps({"python": platform.python_version(), "networkx": nx.__version__, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
