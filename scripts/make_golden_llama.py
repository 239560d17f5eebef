#!/usr/bin/env python3
"""Golden logits, loss and gradients of a tiny Llama, from an independent plain-PyTorch implementation.

Run with Debian's python3-torch (PyTorch 1.13):  /usr/bin/python3 scripts/make_golden_llama.py
Writes tests/DurableUn.Tests/Golden/llama_tiny_step0.safetensors holding
  - the weights under Hugging Face names (model.layers.0.self_attn.q_proj.weight, ...),
  - "input_ids" (B, T) int64 and "labels" (B, T) int64 (-100 = ignored),
  - "expected.logits" (B, T, V), "expected.loss" (scalar), "grad.<name>" for every weight,
  - and the config as JSON in the safetensors __metadata__ under "config".
The model below is written from the transformers LlamaForCausalLM equations (RMSNorm in fp32, rotate-half RoPE
with llama3 rope_scaling, grouped-query attention, SwiGLU, untied lm_head); it shares no code with DurableUn.
The file is written by hand from the safetensors spec (8-byte header length, JSON header, raw little-endian data).
"""
import json
import math
import os
import struct

import torch

torch.manual_seed(1234)
torch.set_default_dtype(torch.float32)

CONFIG = {
    "model_type": "llama", "hidden_act": "silu",
    "vocab_size": 32, "hidden_size": 16, "intermediate_size": 40, "num_hidden_layers": 2,
    "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 64,
    "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": False,
    "rope_scaling": {"rope_type": "llama3", "factor": 4.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                     "original_max_position_embeddings": 16},
    "bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 0,
}
C = CONFIG
D, H, KV, F, V, L = C["hidden_size"], C["num_attention_heads"], C["num_key_value_heads"], C["intermediate_size"], C["vocab_size"], C["num_hidden_layers"]
HD = D // H


def weights():
    w = {"model.embed_tokens.weight": torch.randn(V, D) * 0.5}
    for i in range(L):
        p = f"model.layers.{i}."
        w[p + "self_attn.q_proj.weight"] = torch.randn(H * HD, D) * 0.3
        w[p + "self_attn.k_proj.weight"] = torch.randn(KV * HD, D) * 0.3
        w[p + "self_attn.v_proj.weight"] = torch.randn(KV * HD, D) * 0.3
        w[p + "self_attn.o_proj.weight"] = torch.randn(D, H * HD) * 0.3
        w[p + "mlp.gate_proj.weight"] = torch.randn(F, D) * 0.3
        w[p + "mlp.up_proj.weight"] = torch.randn(F, D) * 0.3
        w[p + "mlp.down_proj.weight"] = torch.randn(D, F) * 0.3
        w[p + "input_layernorm.weight"] = 1 + 0.1 * torch.randn(D)
        w[p + "post_attention_layernorm.weight"] = 1 + 0.1 * torch.randn(D)
    w["model.norm.weight"] = 1 + 0.1 * torch.randn(D)
    w["lm_head.weight"] = torch.randn(V, D) * 0.3
    return {k: v.clone().requires_grad_(True) for k, v in w.items()}


def inv_freq():
    base = 1.0 / (C["rope_theta"] ** (torch.arange(0, HD, 2, dtype=torch.float64) / HD))
    s = C["rope_scaling"]
    low_wl = s["original_max_position_embeddings"] / s["low_freq_factor"]
    high_wl = s["original_max_position_embeddings"] / s["high_freq_factor"]
    out = []
    for f in base.tolist():
        wl = 2 * math.pi / f
        if wl > low_wl:
            out.append(f / s["factor"])
        elif wl >= high_wl:
            smooth = (s["original_max_position_embeddings"] / wl - s["low_freq_factor"]) / (s["high_freq_factor"] - s["low_freq_factor"])
            out.append((1 - smooth) * f / s["factor"] + smooth * f)
        else:
            out.append(f)
    return torch.tensor(out, dtype=torch.float32)


def rms(x, w):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + C["rms_norm_eps"]))


def rotate(x, cos, sin):
    x1, x2 = x[..., : HD // 2], x[..., HD // 2:]
    return x * cos + torch.cat([-x2, x1], -1) * sin


def forward(w, ids):
    B, T = ids.shape
    h = w["model.embed_tokens.weight"][ids]
    ang = torch.arange(T, dtype=torch.float32)[:, None] * inv_freq()[None, :]
    emb = torch.cat([ang, ang], -1)
    cos, sin = emb.cos()[None, None], emb.sin()[None, None]
    causal = torch.full((T, T), float("-inf")).triu(1)
    for i in range(L):
        p = f"model.layers.{i}."
        x = rms(h, w[p + "input_layernorm.weight"])
        q = (x @ w[p + "self_attn.q_proj.weight"].T).view(B, T, H, HD).transpose(1, 2)
        k = (x @ w[p + "self_attn.k_proj.weight"].T).view(B, T, KV, HD).transpose(1, 2)
        v = (x @ w[p + "self_attn.v_proj.weight"].T).view(B, T, KV, HD).transpose(1, 2)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        k, v = k.repeat_interleave(H // KV, 1), v.repeat_interleave(H // KV, 1)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(HD) + causal, -1)
        y = (att @ v).transpose(1, 2).reshape(B, T, H * HD)
        h = h + y @ w[p + "self_attn.o_proj.weight"].T
        x = rms(h, w[p + "post_attention_layernorm.weight"])
        g = torch.nn.functional.silu(x @ w[p + "mlp.gate_proj.weight"].T) * (x @ w[p + "mlp.up_proj.weight"].T)
        h = h + g @ w[p + "mlp.down_proj.weight"].T
    h = rms(h, w["model.norm.weight"])
    return h @ w["lm_head.weight"].T


def main():
    w = weights()
    ids = torch.tensor([[1, 5, 9, 3, 17, 22, 4, 2], [1, 30, 12, 12, 7, 2, 6, 11]], dtype=torch.int64)
    labels = ids.clone()
    labels[0, :3] = -100  # a masked prompt
    labels[1, :5] = -100
    logits = forward(w, ids)
    loss = torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, V), labels[:, 1:].reshape(-1), ignore_index=-100)
    loss.backward()
    tensors = {k: v.detach() for k, v in w.items()}
    tensors["input_ids"] = ids
    tensors["labels"] = labels
    tensors["expected.logits"] = logits.detach()
    tensors["expected.loss"] = loss.detach().reshape(())
    for k, v in w.items():
        tensors["grad." + k] = v.grad
    out = os.path.join(os.path.dirname(__file__), "..", "tests", "DurableUn.Tests", "Golden", "llama_tiny_step0.safetensors")
    write_safetensors(out, tensors, {"config": json.dumps(CONFIG, sort_keys=True), "producer": "scripts/make_golden_llama.py, torch " + torch.__version__})
    print(f"wrote {out}: loss {loss.item():.6f}")


def write_safetensors(path, tensors, metadata):
    dtypes = {torch.float32: "F32", torch.int64: "I64"}
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        data = t.numpy().tobytes()
        header[name] = {"dtype": dtypes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


if __name__ == "__main__":
    main()
