"""Writes paired_tests.json: scipy's exact McNemar (binomtest on the discordant pairs) and Wilcoxon signed-rank
p-values on fixed inputs, and scipy's percentile bootstrap of a mean on fixed samples (a Monte Carlo reference:
the C# side uses its own seeded resampler, so it is compared within a band, not digit for digit).
Run with Debian's interpreter (python3-scipy 1.10.1):
    /usr/bin/python3 tests/DurableUn.Tests/Golden/make_paired_golden.py
"""
import json
import os
import sys

import numpy as np
import scipy
from scipy import stats

rng = np.random.default_rng(20)

mcnemar = []
for k, n in [(0, 1), (1, 1), (0, 5), (1, 5), (2, 5), (3, 7), (0, 20), (4, 20), (10, 20), (9, 19), (17, 40),
             (50, 200), (85, 200), (99, 200), (3, 250), (120, 400), (600, 1400)]:
    # onlyFirst = k, onlySecond = n - k
    mcnemar.append({"only_first": k, "only_second": n - k, "pvalue": float(stats.binomtest(k, n, 0.5).pvalue)})

wilcoxon = []


def add(name, d, method="auto"):
    d = [float(v) for v in d]
    r = stats.wilcoxon(d, method=method) if method != "auto" else stats.wilcoxon(d)
    wilcoxon.append({"name": name, "d": d, "method": method, "statistic": float(r.statistic), "pvalue": float(r.pvalue)})


# scipy's own documented example (exact, n = 15): statistic 24, p 0.041259765625
add("scipy docs corn heights", [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75])
add("one positive", [0.3])
add("all positive, n = 8", rng.uniform(0.01, 1, 8))
add("centre of the distribution, n = 4", [1, -2, -3, 4])
add("mixed signs, n = 20", rng.normal(0.05, 0.1, 20))
add("mixed signs, n = 50 (last exact)", rng.normal(0.02, 0.1, 50))
add("mixed signs, n = 51 (first approximate)", rng.normal(0.02, 0.1, 51))
add("probabilities, 220 items", rng.normal(0.003, 0.02, 220))
add("strong shift, 100 items (far tail)", rng.normal(0.05, 0.02, 100))
add("zeros switch to the normal approximation", [0, 0, 0.1, -0.2, 0.3, 0.05, -0.07, 0.4, 0.11, 0.02, -0.5, 0.6])
add("zeros and ties, 200 items", np.round(rng.normal(0, 0.01, 200), 3))
# tied |d| without zeros at n <= 50: scipy 1.10 'auto' takes the exact table on a truncated rank sum; DurableUn
# uses the normal approximation there, so the golden is scipy's method='approx' (see WilcoxonSignedRank)
add("ties without zeros, n = 12 (approx)", [0.1, -0.1, 0.2, 0.2, -0.3, 0.4, 0.5, -0.5, 0.6, 0.7, 0.8, 0.9], method="approx")

bootstrap = []
for name, sample in [("probability differences, 200 items", rng.normal(0.01, 0.05, 200)),
                     ("0/1 recall differences, 220 items", rng.choice([-1.0, 0.0, 0.0, 0.0, 1.0], 220)),
                     ("skewed, 30 items", rng.exponential(0.1, 30) - 0.05)]:
    res = stats.bootstrap((sample,), np.mean, confidence_level=0.95, n_resamples=200_000, method="percentile",
                          random_state=np.random.default_rng(0))
    bootstrap.append({"name": name, "d": [float(v) for v in sample], "low": float(res.confidence_interval.low),
                      "high": float(res.confidence_interval.high), "n_resamples": 200_000})

out = {
    "meta": {"generator": "tests/DurableUn.Tests/Golden/make_paired_golden.py", "scipy": scipy.__version__,
             "numpy": np.__version__, "python": sys.version.split()[0],
             "calls": ["scipy.stats.binomtest(only_first, only_first + only_second, 0.5).pvalue",
                       "scipy.stats.wilcoxon(d)  # zero_method='wilcox', correction=False, method='auto' unless given",
                       "scipy.stats.bootstrap((d,), np.mean, confidence_level=0.95, method='percentile')"]},
    "mcnemar": mcnemar, "wilcoxon": wilcoxon, "bootstrap": bootstrap,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "paired_tests.json")
with open(path, "w") as f:
    json.dump(out, f, indent=None)
    f.write("\n")
print(path)
