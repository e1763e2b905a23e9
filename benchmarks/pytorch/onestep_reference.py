"""PyTorch reference for the one-step recourse throughput comparison (float32, batched).

Reads the network, rows and action set that the C# side exported (OneStepThroughputComparison in
benchmarks/Microsoft.ML.Recourse.Benchmarks) and does, for every row, the work the one-step generator does:
g(x) and its input gradient, the closed-form one-step delta over the same box action set with the same maximum
change, g(x + delta), validity g(x + delta) >= threshold and the L1 cost. Prints one JSON object with rows/s per
thread count and batch size (by wall-clock time and by the process's CPU time), and writes the deltas (float32, rows x d) for the C# side to compare.

    python3 onestep_reference.py --data DIR [--threads 1 2] [--batch-sizes 512 4096 26048] [--repetitions 7] [--warm-up-seconds 2]
"""

import argparse
import json
import os
import statistics
import time

import numpy as np
import torch


def load(directory):
    with open(os.path.join(directory, "problem.json"), encoding="utf-8") as f:
        problem = json.load(f)
    d = problem["featureCount"]
    rows = np.fromfile(os.path.join(directory, problem["rowsFile"]), dtype="<f4").reshape(-1, d)
    layers = []
    for layer in problem["layers"]:
        # The C# layout is input-major (in x out); nn.Linear holds out x in.
        weights = np.fromfile(os.path.join(directory, layer["weightsFile"]), dtype="<f4").reshape(layer["inputCount"], layer["outputCount"])
        biases = np.fromfile(os.path.join(directory, layer["biasesFile"]), dtype="<f4")
        linear = torch.nn.Linear(layer["inputCount"], layer["outputCount"])
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(weights.T.copy()))
            linear.bias.copy_(torch.from_numpy(biases))
        layers.append(linear)
    if problem["activation"] != "Relu":
        raise SystemExit(f"only ReLU networks are supported, got {problem['activation']}")
    modules = []
    for i, linear in enumerate(layers):
        modules.append(linear)
        if i < len(layers) - 1:
            modules.append(torch.nn.ReLU())
    network = torch.nn.Sequential(*modules).eval()
    for p in network.parameters():
        p.requires_grad_(False)
    return problem, torch.from_numpy(rows), network


class BoxActions:
    """The action set's boxes in model units: lo = min(max(-m, L - x), 0), hi = max(min(m, U - x), 0), then the directions."""

    def __init__(self, features):
        f32 = torch.float32
        self.maximum_change = torch.tensor([float(f["maximumChange"]) for f in features], dtype=f32)
        self.lower_value = torch.tensor([float(f["lowerValue"]) for f in features], dtype=f32)
        self.upper_value = torch.tensor([float(f["upperValue"]) for f in features], dtype=f32)
        kinds = [f["actionability"] for f in features]
        self.can_decrease = torch.tensor([k in ("Free", "DecreaseOnly") for k in kinds])
        self.can_increase = torch.tensor([k in ("Free", "IncreaseOnly") for k in kinds])
        self.cost_per_unit = torch.tensor([f["costPerUnitChange"] for f in features], dtype=f32)

    def ends(self, x):
        zero = torch.zeros((), dtype=x.dtype)
        lower = torch.minimum(torch.maximum(-self.maximum_change, self.lower_value - x), zero)
        upper = torch.maximum(torch.minimum(self.maximum_change, self.upper_value - x), zero)
        return torch.where(self.can_decrease, lower, zero), torch.where(self.can_increase, upper, zero)


def one_step(network, actions, x, threshold, sign):
    """Score, input gradient, one-step delta, re-score, validity and cost for a batch of rows."""
    x = x.detach().requires_grad_(True)
    score = torch.sigmoid(network(x)).squeeze(1)
    (gradient,) = torch.autograd.grad(score.sum(), x)
    with torch.no_grad():
        c = sign * gradient
        lower, upper = actions.ends(x)
        delta = torch.where(c > 0, lower, torch.where(c < 0, upper, torch.zeros((), dtype=x.dtype)))
        after = torch.sigmoid(network(x + delta)).squeeze(1)
        valid = after >= threshold
        cost = (delta.abs() * actions.cost_per_unit).sum(1)
    return score.detach(), delta, after, valid, cost


def run_all(network, actions, rows, threshold, sign, batch_size):
    deltas = []
    for start in range(0, rows.shape[0], batch_size):
        _, delta, _, _, _ = one_step(network, actions, rows[start:start + batch_size], threshold, sign)
        deltas.append(delta)
    return torch.cat(deltas)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="the directory the C# side exported")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[512, 4096, 26048])
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--warm-up-seconds", type=float, default=2.0)
    args = parser.parse_args()

    problem, rows, network = load(args.data)
    actions = BoxActions(problem["features"])
    threshold = problem["threshold"]
    sign = -1.0 if problem["direction"] == "Recourse" else 1.0
    count = rows.shape[0]

    torch.set_num_threads(1)
    deltas = run_all(network, actions, rows, threshold, sign, count)
    deltas.numpy().astype("<f4").tofile(os.path.join(args.data, "pytorch-deltas.f32"))

    timings = []
    for threads in args.threads:
        torch.set_num_threads(threads)
        for batch_size in args.batch_sizes:
            # Warm-up as on the C# side: at least --warm-up-seconds and one pass.
            warm_up_start = time.perf_counter()
            run_all(network, actions, rows, threshold, sign, batch_size)
            while time.perf_counter() - warm_up_start < args.warm_up_seconds:
                run_all(network, actions, rows, threshold, sign, batch_size)
            seconds, cpu_seconds = [], []
            for _ in range(args.repetitions):
                start, cpu_start = time.perf_counter(), time.process_time()
                run_all(network, actions, rows, threshold, sign, batch_size)
                seconds.append(time.perf_counter() - start)
                cpu_seconds.append(time.process_time() - cpu_start)
            # CPU time is less disturbed than wall time when other jobs share the cores.
            timings.append({
                "threads": threads,
                "batchSize": batch_size,
                "medianSeconds": statistics.median(seconds),
                "rowsPerSecond": count / statistics.median(seconds),
                "rowsPerCpuSecond": count / statistics.median(cpu_seconds),
            })
    print(json.dumps({"torch": torch.__version__, "blas": loaded_blas(), "rows": count, "timings": timings}))


def loaded_blas():
    """The BLAS libraries this process has mapped (Debian's torch uses whichever libblas.so.3 the loader finds)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower()}
        return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "none found"
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
