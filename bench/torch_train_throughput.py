#!/usr/bin/env python3
"""The reference training-throughput configuration in plain PyTorch, for comparison with DurableUn.

Run with Debian's python3-torch (1.13) and libopenblas0-pthread installed (without it Debian's torch falls back
to the reference BLAS, about 30x slower):  /usr/bin/python3 bench/torch_train_throughput.py STEPS WARMUP THREADS
Model: Llama (RMSNorm, rotate-half RoPE, SwiGLU, untied head), vocab 4096, d 256, 4 layers, 4 heads, ffn 688,
sequence 128, batch 16, AdamW (lr 1e-4), gradient clipping at 1.0, fp32, random tokens — the same work per step as
bench/DurableUn.Bench TrainThroughput. Prints tokens/s and GFLOP/s as 6 x parameters x tokens.
"""
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

V, D, L, H, FF, T, B = 4096, 256, 4, 4, 688, 128, 16
HD = D // H


class Norm(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(D))

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(D, D, bias=False) for _ in range(4))
        self.gate, self.up = nn.Linear(D, FF, bias=False), nn.Linear(D, FF, bias=False)
        self.down = nn.Linear(FF, D, bias=False)
        self.n1, self.n2 = Norm(), Norm()

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        h = self.n1(x)
        q = self.q(h).view(b, t, H, HD).transpose(1, 2)
        k = self.k(h).view(b, t, H, HD).transpose(1, 2)
        v = self.v(h).view(b, t, H, HD).transpose(1, 2)
        q, k = rot(q, cos, sin), rot(k, cos, sin)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(HD) + mask, -1)
        x = x + self.o((att @ v).transpose(1, 2).reshape(b, t, D))
        h = self.n2(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


def rot(x, cos, sin):
    x1, x2 = x[..., : HD // 2], x[..., HD // 2:]
    return x * cos + torch.cat([-x2, x1], -1) * sin


class Llama(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(V, D)
        self.blocks = nn.ModuleList(Block() for _ in range(L))
        self.norm = Norm()
        self.head = nn.Linear(D, V, bias=False)
        for p in self.parameters():
            if p.dim() == 2:
                nn.init.normal_(p, 0, 0.02)

    def forward(self, ids):
        t = ids.shape[1]
        inv = 1.0 / (10000 ** (torch.arange(0, HD, 2).float() / HD))
        ang = torch.arange(t).float()[:, None] * inv[None]
        emb = torch.cat([ang, ang], -1)
        cos, sin = emb.cos(), emb.sin()
        mask = torch.full((t, t), float("-inf")).triu(1)
        x = self.embed(ids)
        for blk in self.blocks:
            x = blk(x, cos, sin, mask)
        return self.head(self.norm(x))


def main():
    steps, warmup, threads = (int(a) for a in (sys.argv[1:4] + ["20", "3", "1"][len(sys.argv[1:4]):]))
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = Llama()
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.0)
    ids = torch.randint(0, V, (B, T))

    def step():
        opt.zero_grad()
        logits = model(ids)
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, V), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - start
    tps = steps * B * T / seconds
    print(f"pytorch {torch.__version__} parameters={params} threads={threads} steps={steps} seconds={seconds:.2f} tokens_per_s={tps:.0f} gflop_per_s={6 * params * tps / 1e9:.1f}")


if __name__ == "__main__":
    main()
