"""Writes tests/DurableUn.Tests/Golden/ks_2samp.json.

Oracle: scipy.stats.ks_2samp(x, y) with its defaults (alternative='two-sided', method='auto'),
scipy 1.10.1 from Debian's python3-scipy. Each case records the inputs, the statistic, the
p-value and the branch scipy takes: 'exact' when max(n1, n2) <= 10000, else 'asymp'
(kstwo.sf(d, round(n1*n2/(n1+n2)))).

Run: /usr/bin/python3 scripts/make_ks_golden.py
"""
import json
import sys
import warnings

import numpy as np
import scipy
from scipy import stats

rng = np.random.default_rng(20240601)
cases = []


def add(name, x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = stats.ks_2samp(x, y)
    # scipy warns when the exact path fails (e.g. a rounded probability just above 1) and it
    # falls back to the asymptotic one.
    exact = max(len(x), len(y)) <= 10000 and not caught
    method = "exact" if exact else "asymp"
    cases.append({"name": name, "method": method, "x": x.tolist(), "y": y.tolist(),
                  "statistic": float(r.statistic), "pvalue": float(r.pvalue)})


add("tiny equal sizes, disjoint", [1, 2, 3], [4, 5, 6])
add("one each", [0.5], [0.25])
add("identical samples", [1, 2, 3, 4], [1, 2, 3, 4])
add("all tied across samples", [2, 2, 2], [2, 2, 2, 2, 2])
add("ties between samples", [1, 1, 2, 3, 3, 3], [1, 2, 2, 3, 4])
add("interleaved equal n=5", [1, 3, 5, 7, 9], [2, 4, 6, 8, 10])
add("unequal 3 vs 7", [0.1, 0.5, 0.9], [0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 1.0])
for n1, n2, shift in [(10, 10, 0.0), (10, 10, 1.0), (20, 20, 0.5), (40, 40, 0.3),
                      (15, 25, 0.0), (15, 25, 0.8), (7, 13, 0.5), (30, 45, 0.4),
                      (50, 50, 2.0), (100, 100, 0.2), (100, 137, 0.25), (200, 200, 0.15),
                      (400, 400, 0.1), (400, 400, 3.0), (37, 400, 0.4), (1, 50, 0.0),
                      (2, 300, 1.0)]:
    add(f"normal n1={n1} n2={n2} shift={shift}", rng.normal(size=n1), rng.normal(shift, size=n2))
add("rounded values with many ties 60 vs 80",
    np.round(rng.normal(size=60), 1), np.round(rng.normal(0.3, size=80), 1))
add("truth ratios, forget-quality style 40 vs 40",
    rng.lognormal(-0.5, 0.3, size=40), rng.lognormal(-0.1, 0.3, size=40))
add("n1=1000 n2=1500 shift=0.05, 3 decimals",
    np.round(rng.normal(size=1000), 3), np.round(rng.normal(0.05, size=1500), 3))
# Past 10000 points scipy goes asymptotic. Integers (normal x 100, rounded) keep the file small.
for n1, n2, shift in [(10001, 40, 0.3), (10001, 300, 0.1), (10001, 10001, 0.03), (10001, 10001, 0.0)]:
    add(f"asymptotic n1={n1} n2={n2} shift={shift}",
        np.round(rng.normal(size=n1) * 100), np.round(rng.normal(shift, size=n2) * 100))

meta = {"generator": "scripts/make_ks_golden.py", "scipy": scipy.__version__,
        "numpy": np.__version__, "python": sys.version.split()[0],
        "call": "scipy.stats.ks_2samp(x, y)  # alternative='two-sided', method='auto'"}
with open("tests/DurableUn.Tests/Golden/ks_2samp.json", "w") as fh:
    json.dump({"meta": meta, "cases": cases}, fh)
for c in cases:
    print(f'{c["name"]:45s} {c["method"]:6s} D={c["statistic"]:.6f} p={c["pvalue"]:.6e}')
