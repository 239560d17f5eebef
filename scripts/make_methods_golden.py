"""Writes tests/DurableUn.Tests/Golden/methods_losses.json.

Oracle: the unlearning losses of docs/methods.md#notation written independently in plain PyTorch (torch 1.13 from Debian),
the way open-unlearning / MUSE / FailureLLMUnlearning compute them (F.cross_entropy with ignore_index, F.kl_div,
F.logsigmoid, F.mse_loss), with the one deliberate difference DurableUn makes: the retain KL masks padding and
unlabelled positions. Inputs are fixed random logits / hidden states for a two-example batch whose second example
is shorter (padded, label -100), so masking is exercised. Everything is float32, as in the C# code.

Run: /usr/bin/python3 scripts/make_methods_golden.py
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20260501)
B, T, V, D = 2, 6, 7, 4
IGNORE = -100


def labels(rows):
    return torch.tensor(rows, dtype=torch.long)


forget_labels = labels([[IGNORE, IGNORE, 3, 1, 5, 2], [IGNORE, IGNORE, IGNORE, 4, 2, IGNORE]])
retain_labels = labels([[IGNORE, 6, 0, 2, IGNORE, IGNORE], [IGNORE, IGNORE, 1, 1, 3, 2]])
alt_labels = labels([[IGNORE, IGNORE, 5, 5, 2, IGNORE], [IGNORE, IGNORE, IGNORE, 0, 6, 2]])


def randn(*shape, scale=2.0):
    return (torch.randn(*shape) * scale).float()


inputs = {
    "forget_logits": randn(B, T, V), "forget_ref_logits": randn(B, T, V), "forget_labels": forget_labels,
    "retain_logits": randn(B, T, V), "retain_ref_logits": randn(B, T, V), "retain_labels": retain_labels,
    "alt_logits": randn(B, T, V), "alt_ref_logits": randn(B, T, V), "alt_labels": alt_labels,
    "forget_hidden": randn(B, T, D), "retain_hidden": randn(B, T, D), "retain_ref_hidden": randn(B, T, D),
}
control = torch.rand(D)
inputs["control"] = control / control.norm() * 2.0


def shifted(logits, lab):
    return logits[:, :-1, :], lab[:, 1:]


def nll(logits, lab):
    lg, lb = shifted(logits, lab)
    return F.cross_entropy(lg.reshape(-1, V), lb.reshape(-1), ignore_index=IGNORE)


def seq_sum(logits, lab):
    lg, lb = shifted(logits, lab)
    return F.cross_entropy(lg.transpose(-1, -2), lb, ignore_index=IGNORE, reduction="none").sum(-1)


def kl_masked(logits, ref, lab):
    lg, lb = shifted(logits, lab)
    rf, _ = shifted(ref, lab)
    per = F.kl_div(F.log_softmax(lg, -1), F.log_softmax(rf, -1), log_target=True, reduction="none").sum(-1)
    mask = (lb != IGNORE).float()
    return (per * mask).sum() / mask.sum()


def npo_seq(logits, ref, lab, beta):
    neg_log_ratio = seq_sum(logits, lab) - seq_sum(ref, lab)
    return -F.logsigmoid(beta * neg_log_ratio).mean() * 2 / beta


def npo_logits(logits, ref, beta):
    return -F.logsigmoid(beta * (ref - logits)).mean() * 2 / beta


def simnpo(logits, lab, beta, delta):
    per = seq_sum(logits, lab) / (lab != IGNORE).sum(-1) - delta
    return -F.logsigmoid(beta * per).mean() * 2 / beta


def dpo(win, win_ref, win_lab, lose, lose_ref, lose_lab, beta):
    win_ratio = -(seq_sum(win, win_lab) - seq_sum(win_ref, win_lab))
    lose_ratio = -(seq_sum(lose, lose_lab) - seq_sum(lose_ref, lose_lab))
    return -2 / beta * F.logsigmoid(beta * (win_ratio - lose_ratio)).mean()


def activation(h, target, lab):
    sq = F.mse_loss(h, target.expand_as(h), reduction="none").mean(2)
    mask = (lab != IGNORE).float()
    return ((sq * mask).sum(1) / mask.sum(1)).mean()


f, fr, fl = inputs["forget_logits"], inputs["forget_ref_logits"], forget_labels
r, rr, rl = inputs["retain_logits"], inputs["retain_ref_logits"], retain_labels
a, ar, al = inputs["alt_logits"], inputs["alt_ref_logits"], alt_labels

cases = [
    # name, options (as --set assignments), value
    ("ga", {}, -nll(f, fl)),
    ("graddiff", {"forget_weight": 0.7, "retain_weight": 1.3}, -0.7 * nll(f, fl) + 1.3 * nll(r, rl)),
    ("ga-kl", {"retain_weight": 0.9}, -nll(f, fl) + 0.9 * kl_masked(r, rr, rl)),
    ("npo", {"beta": 0.1}, npo_seq(f, fr, fl, 0.1)),
    ("npo-gdr", {"beta": 0.5, "forget_weight": 0.8, "retain_weight": 1.2}, 0.8 * npo_seq(f, fr, fl, 0.5) + 1.2 * nll(r, rl)),
    ("npo-klr", {"beta": 0.1}, npo_seq(f, fr, fl, 0.1) + kl_masked(r, rr, rl)),
    ("npo-logits", {"form": "logits", "beta": 0.1}, npo_logits(f, fr, 0.1)),
    ("simnpo", {"delta": 0.3}, 0.125 * simnpo(f, fl, 4.5, 0.3) + nll(r, rl)),
    ("idkdpo", {"beta": 0.2, "retain_weight": 0.5}, dpo(a, ar, al, f, fr, fl, 0.2) + 0.5 * nll(r, rl)),
    ("idknll", {"retain_weight": 0.5}, nll(a, al) + 0.5 * nll(r, rl)),
    ("rmu", {"forget_weight": 1.5, "retain_weight": 2.0},
     1.5 * activation(inputs["forget_hidden"], inputs["control"], fl)
     + 2.0 * activation(inputs["retain_hidden"], inputs["retain_ref_hidden"], rl)),
    ("salun", {"retain_weight": 0.8}, nll(a, al) + 0.8 * nll(r, rl)),
    ("sure", {}, -nll(f, fl) + nll(r, rl)),
    ("sure-npo-kl", {"forget_loss": "npo", "retain_loss": "kl"}, npo_seq(f, fr, fl, 0.1) + kl_masked(r, rr, rl)),
]

out = {
    "generator": "scripts/make_methods_golden.py",
    "torch": torch.__version__,
    "inputs": {k: {"shape": list(v.shape), "data": v.reshape(-1).tolist()} for k, v in inputs.items()},
    "cases": [{"name": n, "settings": {k: str(v) for k, v in s.items()}, "value": float(v)} for n, s, v in cases],
}
path = os.path.join(os.path.dirname(__file__), "..", "tests", "DurableUn.Tests", "Golden", "methods_losses.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")
