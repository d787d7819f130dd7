"""Optuna 5.0.0's TPE on the functions and histories that TpeSamplerTest and SamplerBenchmark use.

    python3 -m venv /tmp/optuna-venv && /tmp/optuna-venv/bin/pip install optuna==5.0.0
    /tmp/optuna-venv/bin/python optuna_tpe_reference.py parzen        # the log densities in TpeSamplerTest
    /tmp/optuna-venv/bin/python optuna_tpe_reference.py bench 20      # median and quartiles, seeds 0..19
    /tmp/optuna-venv/bin/python optuna_tpe_reference.py trajectories > optuna_tpe_trajectories.json
"""
import json
import math
import sys

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_gamma, default_weights

B, C, T = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def branin_at(x0, x1):
    term = x1 - B * x0 * x0 + C * x0 - 6
    return term * term + 10 * (1 - T) * math.cos(x0) + 10


def branin(trial):
    return branin_at(trial.suggest_float("x0", -5, 10), trial.suggest_float("x1", 0, 15))


def hartmann6(trial):
    x = [trial.suggest_float(f"x{d}", 0, 1) for d in range(6)]
    return -sum(ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2 for j in range(6))) for i in range(4))


def parzen():
    # TPESampler's defaults: prior weight 1, magic clip, endpoints not considered, default_weights.
    parameters = _ParzenEstimatorParameters(1.0, True, False, default_weights, True)
    n = 40
    xs = [(-5 + 15 * ((i * 0.618034) % 1), 15 * ((i * 0.414214 + 0.3) % 1)) for i in range(n)]
    order = sorted(range(n), key=lambda i: branin_at(*xs[i]))
    space = {"x0": FloatDistribution(-5, 10), "x1": FloatDistribution(0, 15)}
    points = {"x0": np.array([-5 + 15 * ((j * 0.7548777) % 1) for j in range(8)]),
              "x1": np.array([15 * ((j * 0.5698403) % 1) for j in range(8)])}
    for name, group in [("below", sorted(order[:default_gamma(n)])), ("above", sorted(order[default_gamma(n):]))]:
        estimator = _ParzenEstimator({"x0": np.array([xs[i][0] for i in group]),
                                      "x1": np.array([xs[i][1] for i in group])}, space, parameters)
        print(name, repr(estimator.log_pdf(points).tolist()))
    space = {"lr": FloatDistribution(1e-4, 1, log=True), "h": IntDistribution(8, 64),
             "c": CategoricalDistribution([0, 1, 2])}
    observations = {"lr": np.array([1e-3, 0.2, 0.05, 3e-4, 0.9, 1e-2, 0.5]), "h": np.array([8, 64, 30, 17, 42, 8, 55]),
                    "c": np.array([0, 2, 1, 1, 0, 2, 2])}
    estimator = _ParzenEstimator(observations, space, parameters)
    print("mixed", repr(estimator.log_pdf({"lr": np.array([1e-4, 2e-3, 0.3, 1.0]), "h": np.array([8, 20, 33, 64]),
                                           "c": np.array([0, 1, 2, 1])}).tolist()))


def bench(seeds):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    for name, function in [("branin", branin), ("hartmann6", hartmann6)]:
        for label, make in [("random", lambda s: optuna.samplers.RandomSampler(seed=s)),
                            ("tpe", lambda s: optuna.samplers.TPESampler(seed=s))]:
            bests = []
            for seed in range(seeds):
                study = optuna.create_study(sampler=make(seed))
                study.optimize(function, n_trials=50)
                bests.append(study.best_value)
            print(f"{name} {label} median {np.median(bests):.3f} quartiles {np.percentile(bests, 25):.3f} - "
                  f"{np.percentile(bests, 75):.3f}", flush=True)


def trajectories(seed=0, recorded=(10, 20, 30, 40, 49)):
    """Optuna's 50 trials of one seed per function, and at some trials the candidates it drew and scored."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    acquisition = optuna.samplers.TPESampler._compute_acquisition_func
    steps = []

    def recording(self, samples, below, above):
        values = acquisition(self, samples, below, above)
        steps.append({"candidates": np.array([samples[k] for k in sorted(samples)]).T.tolist(),
                      "scores": values.tolist(), "chosen": int(np.argmax(values))})
        return values

    optuna.samplers.TPESampler._compute_acquisition_func = recording
    runs = []
    for name, function in [("branin", branin), ("hartmann6", hartmann6)]:
        steps.clear()
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
        study.optimize(function, n_trials=50)
        startup = 50 - len(steps)
        runs.append({"function": name, "seed": seed,
                     "trials": [{"params": [t.params[k] for k in sorted(t.params)], "value": t.value}
                                for t in study.trials],
                     "steps": [dict(steps[t - startup], trial=t) for t in recorded]})
    optuna.samplers.TPESampler._compute_acquisition_func = acquisition
    print(json.dumps(runs))


if __name__ == "__main__":
    {"parzen": parzen, "trajectories": trajectories}.get(sys.argv[1], lambda: bench(int(sys.argv[2])))()
