#!/usr/bin/env python3
"""Broken-input generator for the built `durableun` CLI: writes malformed files of every kind the tool
reads, runs the command that reads each, and classifies the outcome:
  clean  exit 1..127 (not 70), output's last line one error naming the file or option, no stack trace
  crash  exit >= 128 other than 130, exit 70 (internal error), or "Unhandled exception"/a stack trace
  hang   no exit within the time limit
  wrong  exit 0 on an input that must be refused
Usage: generate.py DURABLEUN_DLL WORKDIR [--only PREFIX]. Needs a smoke model, which it makes with `init`.
Not a test: a tool to count, before and after a change. Deterministic (no randomness)."""
import json, os, shutil, struct, subprocess, sys, time

DLL, WORK = sys.argv[1], os.path.abspath(sys.argv[2])
ONLY = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
TIMEOUT = 120


def run(args, timeout=TIMEOUT):
    t = time.time()
    try:
        p = subprocess.run(["dotnet", DLL, *args], capture_output=True, text=True, timeout=timeout, cwd=WORK,
                           env={**os.environ, "DURABLEUN_THREADS": "1"})
        return p.returncode, p.stdout + p.stderr, time.time() - t
    except subprocess.TimeoutExpired:
        return None, "", time.time() - t


def copy(src, name):
    dst = os.path.join(WORK, "cases", name)
    if os.path.exists(dst): shutil.rmtree(dst)
    shutil.copytree(src, dst)
    return dst


def write(path, data):
    if os.path.isdir(path): shutil.rmtree(path)
    elif os.path.exists(path): os.remove(path)
    if data is None: os.makedirs(path); return
    with open(path, "wb") as f: f.write(data if isinstance(data, bytes) else data.encode())


def poison_safetensors(path, value):
    """Overwrites the first element of the first F32 tensor with value (NaN or Inf)."""
    raw = bytearray(open(path, "rb").read())
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    for name, t in sorted(header.items()):
        if name != "__metadata__" and t["dtype"] in ("F32", "BF16", "F16"):
            off = 8 + n + t["data_offsets"][0]
            if t["dtype"] == "F32": raw[off:off + 4] = struct.pack("<f", value)
            else: raw[off:off + 2] = (b"\xc0\x7f" if value != value else b"\x80\x7f")
            break
    open(path, "wb").write(bytes(raw))


results = []


def case(name, args, must_fail=True, mention=None, timeout=TIMEOUT):
    if not name.startswith(ONLY): return
    code, out, secs = run(args, timeout)
    lines = [l for l in out.strip().splitlines() if l.strip()]
    last = lines[-1] if lines else ""
    trace = "Unhandled exception" in out or "   at " in out
    if code is None: verdict = "hang"
    elif code == 0: verdict = "wrong" if must_fail else "clean"
    elif code >= 128 and code != 130 or code == 70 or trace: verdict = "crash"
    elif mention and mention not in out: verdict = "unnamed"
    else: verdict = "clean"
    results.append((name, verdict, code, last[:200]))
    print(f"{verdict:8} {str(code):5} {name:40} {last[:160]}", flush=True)


os.makedirs(os.path.join(WORK, "cases"), exist_ok=True)
model = os.path.join(WORK, "model")
if not os.path.exists(model): run(["init", "--preset", "smoke", "--out", model])
data = os.path.join(WORK, "data")
if not os.path.exists(data): run(["data", "make", "--dataset", "tofu", "--preset", "smoke", "--out", data])

# tokenizer.json
tok = json.load(open(os.path.join(model, "tokenizer.json"), encoding="utf-8"))
tok_text = json.dumps(tok)
def tok_variant(f):
    t = json.loads(tok_text); f(t); return json.dumps(t)
tokenizers = {
    "bom": b"\xef\xbb\xbf" + tok_text.encode(),
    "unknown-model-type": tok_variant(lambda t: t["model"].__setitem__("type", "Frobnicator")),
    "missing-vocab": tok_variant(lambda t: t["model"].pop("vocab")),
    "extra-field": tok_variant(lambda t: t.__setitem__("frob", 1)),
    "version-99": tok_variant(lambda t: t.__setitem__("version", "99")),
    "huge-id": tok_variant(lambda t: t["model"]["vocab"].__setitem__("zzz", 10**30)),
    "id-beyond-vocab": tok_variant(lambda t: t["model"]["vocab"].__setitem__("zzz", 100000)),
    "negative-id": tok_variant(lambda t: t["model"]["vocab"].__setitem__("zzz", -1)),
    "empty": b"", "not-json": "{nope", "array": "[]", "directory": None,
    "added-tokens-garbage": tok_variant(lambda t: t.__setitem__("added_tokens", [1, 2])),
}
for k, v in tokenizers.items():
    m = copy(model, f"tok-{k}"); write(os.path.join(m, "tokenizer.json"), v)
    case(f"tokenizer/{k}/generate", ["generate", m, "--prompt", "hello", "--max-new-tokens", "1"], mention="tokenizer.json")
    case(f"tokenizer/{k}/info", ["info", m], mention="tokenizer.json") if k in ("bom", "id-beyond-vocab") else None

# config.json
cfg = json.load(open(os.path.join(model, "config.json")))
def cfg_variant(f):
    c = json.loads(json.dumps(cfg)); f(c); return json.dumps(c)
configs = {
    "empty": b"", "not-json": "{", "array": "[1]", "directory": None,
    "vocab-negative": cfg_variant(lambda c: c.__setitem__("vocab_size", -1)),
    "hidden-string": cfg_variant(lambda c: c.__setitem__("hidden_size", "64")),
    "missing-hidden": cfg_variant(lambda c: c.pop("hidden_size")),
    "huge-number": cfg_variant(lambda c: c.__setitem__("num_hidden_layers", 10**40)),
}
for k, v in configs.items():
    m = copy(model, f"cfg-{k}"); write(os.path.join(m, "config.json"), v)
    case(f"config/{k}/info", ["info", m], mention="config.json")

# safetensors
st = os.path.join(model, "model.safetensors")
raw = open(st, "rb").read()
tensors = {
    "truncated": raw[: len(raw) // 2], "empty": b"", "garbage": b"\x00" * 100,
    "header-len-huge": struct.pack("<Q", 2**60) + raw[8:], "header-not-json": struct.pack("<Q", 5) + b"{nope" + raw[13:],
}
for k, v in tensors.items():
    m = copy(model, f"st-{k}"); write(os.path.join(m, "model.safetensors"), v)
    case(f"safetensors/{k}/info", ["info", m], mention="model.safetensors")
for k, val in {"nan": float("nan"), "inf": float("inf")}.items():
    m = copy(model, f"st-{k}"); poison_safetensors(os.path.join(m, "model.safetensors"), val)
    for cmd in (["logits", m, "--prompt", "hello"], ["generate", m, "--prompt", "hello", "--max-new-tokens", "1"],
                ["export", "gguf", m, "--type", "f32", "--out", os.path.join(WORK, "cases", f"{k}.gguf")]):
        case(f"safetensors/{k}/{cmd[0]}", cmd, mention="model.safetensors")

# dataset files
for k, v in {"empty": b"", "not-json": "[{", "row-string": '["a", "b"]', "row-missing-answer": '[{"question": "q"}]',
             "directory": None, "number": "7", "bad-utf8": b'[{"question": "\xff", "answer": "a"}]'}.items():
    d = copy(data, f"data-{k}"); write(os.path.join(d, "forget01.json"), v)
    case(f"data/{k}/show", ["data", "show", d], mention="forget01.json")
for k, v in {"directory": None, "garbage": "{", "array": "[]"}.items():
    d = copy(data, f"manifest-{k}"); write(os.path.join(d, "dataset.json"), v)
    case(f"data/manifest-{k}/show", ["data", "show", d], mention="dataset.json")
d = copy(data, "data-parquet"); os.remove(os.path.join(d, "forget01.json")); write(os.path.join(d, "forget01.parquet"), "not parquet")
case("data/not-parquet/show", ["data", "show", d], mention="forget01.parquet")
d = copy(data, "data-huge-row")
rows = json.load(open(os.path.join(d, "forget01.json"))); rows[0]["question"] = "word " * 10_000_000
json.dump(rows, open(os.path.join(d, "forget01.json"), "w"))
case("data/huge-row/show", ["data", "show", d], must_fail=False, timeout=60)

# certificates
cert = {"schema_version": 1, "dataset": "tofu", "method": "ga", "epsilon": 0.1, "precisions": ["bf16"], "metric": "token_accuracy",
        "base_sha256": "0", "data_sha256": "0", "seeds": [{"seed": 0, "run_dir": "nowhere", "adapter_sha256": "0", "options_sha256": "0",
        "fa": {"bf16": 0.0}, "ra": {"bf16": 1.0}, "pass": True}], "cert_rate": 1.0, "stable": True}
certs = {"empty": b"", "truncated": json.dumps(cert)[:40], "array": "[]", "string": '"x"', "null": "null", "directory": None,
         "missing-seeds": json.dumps({k: v for k, v in cert.items() if k != "seeds"}),
         "seed-null-fa": json.dumps({**cert, "seeds": [{**cert["seeds"][0], "fa": None}]}),
         "epsilon-string": json.dumps({**cert, "epsilon": "x"}), "version-2": json.dumps({**cert, "schema_version": 2})}
for k, v in certs.items():
    p = os.path.join(WORK, "cases", f"cert-{k}.json"); write(p, v)
    case(f"certificate/{k}/verify", ["certify", "--verify", p], mention=f"cert-{k}.json")

# study folders (report)
for k, v in {"empty": b"", "garbage": "{", "array": "[]", "directory": None, "bad-preset": '{"preset": "huge"}',
             "null-methods": '{"methods": null}'}.items():
    s = os.path.join(WORK, "cases", f"study-{k}"); shutil.rmtree(s, ignore_errors=True); os.makedirs(s)
    write(os.path.join(s, "study.json"), v)
    case(f"study/{k}/report", ["report", s], mention="study.json")
for k, v in {"empty": b"", "garbage": "{", "array": "[]", "directory": None, "null-fields": '{"key": null}'}.items():
    s = os.path.join(WORK, "cases", f"cell-{k}"); shutil.rmtree(s, ignore_errors=True); os.makedirs(os.path.join(s, "cells"))
    write(os.path.join(s, "study.json"), "{}")
    write(os.path.join(s, "cells", "tofu__ga__calibrated__seed0.json"), v)
    case(f"cell/{k}/report", ["report", s], mention="tofu__ga__calibrated__seed0.json")

# arguments
exists = os.path.join(WORK, "cases", "existing"); os.makedirs(exists, exist_ok=True); write(os.path.join(exists, "keep.txt"), "keep")
args = {
    "unknown-option-init": ["init", "--preset", "smoke", "--sed", "5", "--out", os.path.join(WORK, "cases", "never")],
    "unknown-option-info": ["info", model, "--frob"],
    "init-existing-out": ["init", "--preset", "smoke", "--out", exists],
    "finetune-existing-out": ["finetune", "--model", model, "--data", data, "--out", exists, "--steps", "1"],
    "finetune-lr-0": ["finetune", "--model", model, "--data", data, "--out", os.path.join(WORK, "cases", "ft"), "--lr", "0"],
    "finetune-steps-0": ["finetune", "--model", model, "--data", data, "--out", os.path.join(WORK, "cases", "ft"), "--steps", "0"],
    "shard-x": ["study", "--preset", "smoke", "--shard", "x", "--out", os.path.join(WORK, "cases", "st")],
    "shard-5-2": ["study", "--preset", "smoke", "--shard", "5/2", "--out", os.path.join(WORK, "cases", "st")],
    "precision-g7": ["study", "--preset", "smoke", "--precisions", "bf16,int4:g7", "--out", os.path.join(WORK, "cases", "st")],
    "epsilon-negative": ["study", "--preset", "smoke", "--epsilon", "-1", "--out", os.path.join(WORK, "cases", "st")],
    "audit-epsilon-2": ["study", "--preset", "smoke", "--audit-epsilon", "2", "--out", os.path.join(WORK, "cases", "st")],
    "logits-no-prompt": ["logits", model],
    "generate-zero-tokens": ["generate", model, "--prompt", "x", "--max-new-tokens", "0"],
    "seed-not-number": ["init", "--preset", "smoke", "--seed", "abc", "--out", os.path.join(WORK, "cases", "never")],
}
for k, v in args.items(): case(f"args/{k}", v)
case("args/generate-past-context", ["generate", model, "--prompt", "x", "--max-new-tokens", "100000"], must_fail=False, timeout=300)
if not os.path.exists(os.path.join(exists, "keep.txt")): results.append(("args/init-existing-out-deleted", "wrong", 0, "")); print("wrong: existing folder emptied")
left = [n for n in os.listdir(os.path.join(WORK, "cases")) if ".tmp" in n]
if left: results.append(("leftover-staging", "wrong", 0, str(left))); print("wrong: leftovers", left)

counts = {}
for _, v, _, _ in results: counts[v] = counts.get(v, 0) + 1
print("TOTAL", len(results), " ".join(f"{k}={v}" for k, v in sorted(counts.items())))
