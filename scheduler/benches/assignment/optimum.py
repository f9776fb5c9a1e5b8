"""Exact optimum of a scheduling batch, for the scheduler benchmark's market families.

The benchmark writes each batch as a file (every feasible task-node pair with its cost, the
nodes' free GPUs, the GPUs the scheduler placed, and its placement beside it); this script solves the generalized
assignment problem with the HiGHS integer-programming solver and prints one JSON line:

  optimum_gpus   the most GPUs any schedule places (stage 1);
  cost_at_ours   the least cost of a schedule placing at least the auction's GPUs (stage 2);
  lp_gpus        the LP relaxation's GPUs, an upper bound whatever the MIP's status;
  status, gap    the solver's status and remaining relative gap per stage.

Benchmark-only: `pip install -r scheduler/benches/assignment/requirements.txt` (wheels, no
build); CI never runs it.

  python3 scheduler/benches/assignment/optimum.py BATCH_FILE [TIME_LIMIT_SECONDS]
"""

import hashlib
import json
import os
import sys

import highspy
import numpy as np


def read(path):
    with open(path) as f:
        words = f.read().split()
    at = 0

    def take(n):
        nonlocal at
        out = np.array(words[at : at + n], dtype=np.int64)
        at += n
        return out

    assert words[at] == "nodes"; at += 1
    n = int(words[at]); at += 1
    free = take(n)
    assert words[at] == "tasks"; at += 1
    t = int(words[at]); at += 1
    gpus = take(t)
    assert words[at] == "pairs"; at += 1
    p = int(words[at]); at += 1
    pairs = take(3 * p).reshape(p, 3)
    assert words[at] == "ours"; at += 1
    ours = int(words[at])
    return free, gpus, pairs, ours


def solve(free, gpus, pairs, objective, sense, extra_row, integral, time_limit, start=None):
    """One solve over x[pair] in {0, 1} (or [0, 1] if not integral), from `start` if given."""
    tasks, nodes = len(gpus), len(free)
    p = len(pairs)
    g = gpus[pairs[:, 0]].astype(np.float64)
    # Column j: 1 in its task's row, g in its node's row, g in the extra row if any.
    rows_per_col = 3 if extra_row is not None else 2
    index = np.empty(p * rows_per_col, dtype=np.int32)
    value = np.empty(p * rows_per_col, dtype=np.float64)
    index[0::rows_per_col] = pairs[:, 0]
    value[0::rows_per_col] = 1.0
    index[1::rows_per_col] = tasks + pairs[:, 1]
    value[1::rows_per_col] = g
    if extra_row is not None:
        index[2::rows_per_col] = tasks + nodes
        value[2::rows_per_col] = g
    col_start = np.arange(0, p * rows_per_col + 1, rows_per_col, dtype=np.int32)
    row_lower = [-highspy.kHighsInf] * (tasks + nodes)
    row_upper = [1.0] * tasks + [float(c) for c in free]
    if extra_row is not None:
        row_lower.append(float(extra_row))
        row_upper.append(highspy.kHighsInf)

    lp = highspy.HighsLp()
    lp.num_col_ = p
    lp.num_row_ = len(row_lower)
    lp.col_cost_ = np.asarray(objective, dtype=np.float64)
    lp.col_lower_ = np.zeros(p)
    lp.col_upper_ = np.ones(p)
    lp.row_lower_ = np.array(row_lower)
    lp.row_upper_ = np.array(row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = col_start
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.sense_ = sense
    if integral:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * p

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 1e-6)
    h.passModel(lp)
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = start.tolist()
        solution.value_valid = True
        h.setSolution(solution)
    h.run()
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    gap = info.mip_gap if integral else 0.0
    bound = info.mip_dual_bound if integral else info.objective_function_value
    return info.objective_function_value, bound, status, gap


def main():
    path = sys.argv[1]
    time_limit = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    free, gpus, pairs, ours = read(path)
    g = gpus[pairs[:, 0]].astype(np.float64)
    cost = pairs[:, 2].astype(np.float64)
    maximize = highspy.ObjSense.kMaximize
    minimize = highspy.ObjSense.kMinimize

    # Stage 1 does not depend on the schedule measured: it is kept beside the batch, under the
    # batch's hash, and reused while the batch is the same.
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read().rsplit(b"ours", 1)[0]).hexdigest()
    cache = path + ".stage1.json"
    stage1 = None
    if os.path.exists(cache):
        with open(cache) as f:
            stage1 = json.load(f)
        if stage1.get("digest") != digest:
            stage1 = None
    if stage1 is None:
        lp_gpus, _, _, _ = solve(free, gpus, pairs, g, maximize, None, False, time_limit)
        best, best_bound, status1, gap1 = solve(free, gpus, pairs, g, maximize, None, True, time_limit)
        stage1 = dict(digest=digest, lp=lp_gpus, best=best, bound=best_bound, status=status1, gap=gap1)
        with open(cache, "w") as f:
            json.dump(stage1, f)
    lp_gpus, best, best_bound = stage1["lp"], stage1["best"], stage1["bound"]
    status1, gap1 = stage1["status"], stage1["gap"]
    if os.environ.get("SCHEDULER_OPTIMUM_GPUS_ONLY"):
        at_ours, at_ours_bound, status2, gap2 = 0, 0, "Skipped", 0.0
    else:
        # The auction's own schedule is a feasible start: the solver only has to improve on it.
        start = None
        placed = path.rsplit(".", 1)[0] + ".ours"
        if os.path.exists(placed):
            column = {(int(t), int(n)): j for j, (t, n, _) in enumerate(pairs)}
            start = np.zeros(len(pairs))
            with open(placed) as f:
                for line in f:
                    t, n = map(int, line.split())
                    start[column[(t, n)]] = 1.0
        at_ours, at_ours_bound, status2, gap2 = solve(
            free, gpus, pairs, cost, minimize, ours, True, time_limit, start
        )
    print(
        json.dumps(
            {
                "optimum_gpus": round(best),
                "optimum_gpus_bound": int(np.floor(best_bound + 1e-6)),
                "lp_gpus": int(np.floor(lp_gpus + 1e-6)),
                "cost_at_ours": round(at_ours),
                "cost_at_ours_bound": int(np.ceil(at_ours_bound - 1e-6)),
                "status": [status1, status2],
                "gap": [gap1, gap2],
            }
        )
    )


if __name__ == "__main__":
    main()
