#!/usr/bin/env python3
"""Golden data for NF4 and double quantization, from an independent re-implementation of bitsandbytes' reference
backend (bitsandbytes/backends/default/ops.py quantize_4bit / quantize_blockwise, functional.py create_dynamic_map)
in torch, written from the algorithm, not from our C#. The C# tests compare bit for bit against its output.

Regenerate (Debian python3-torch 1.13 is enough; bitsandbytes itself is not needed):
    /usr/bin/python3 scripts/make_quant_golden.py > tests/DurableUn.Tests/Golden/nf4_golden.json

Floats are written as their uint32 bit patterns so that nothing is lost in decimal round trips.
The script also reports on stderr where bucketize (the current reference backend) and argmin (older releases) disagree:
only on exact midpoints, where bucketize goes to the lower code.
"""
import json
import sys

import numpy as np
import torch

NF4 = torch.tensor([
    -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
    -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
    0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
    0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0], dtype=torch.float32)


def dynamic_map():
    data = []
    for i in range(7):  # signed, max_exponent_bits=7, total_bits=8: no extra linear items
        bounds = torch.linspace(0.1, 1, 2 ** i + 1)
        means = (bounds[:-1] + bounds[1:]) / 2.0
        data += ((10 ** (-6 + i)) * means).tolist()
        data += (-(10 ** (-6 + i)) * means).tolist()
    data += [0, 1.0]
    data.sort()
    return torch.tensor(data, dtype=torch.float32)


def bits(t):
    return t.detach().contiguous().numpy().astype(np.float32).view(np.uint32).tolist()


def blockwise(flat, code, blocksize):
    n = flat.numel()
    blocks = -(-n // blocksize)
    padded = torch.nn.functional.pad(flat, (0, blocks * blocksize - n)).view(blocks, blocksize)
    absmax = padded.abs().max(dim=1).values.clamp(min=1e-38)
    scaled = torch.clamp(padded * (1.0 / absmax).view(-1, 1), -1, 1).reshape(-1)[:n]
    q = torch.bucketize(scaled, (code[:-1] + code[1:]) / 2)
    ties_differ = int((q != torch.argmin((scaled.unsqueeze(-1) - code).abs(), dim=-1)).sum())
    return q, absmax, ties_differ


def nf4_case(name, x, blocksize, nested):
    flat = x.reshape(-1).float()
    q, absmax, differ = blockwise(flat, NF4, blocksize)
    if q.numel() % 2:
        q = torch.cat([q, torch.tensor([7])])  # bnb pads the scaled values with 0.0, whose code is 7
    packed = (q[::2] << 4) | q[1::2]
    case = {"name": name, "shape": list(x.shape), "blocksize": blocksize, "nested": nested,
            "input": bits(flat), "packed": packed.tolist(), "absmax": bits(absmax)}
    if nested:
        offset = absmax.mean()  # float32, libtorch's own summation order
        q8, absmax2, differ8 = blockwise(absmax - offset, dynamic_map(), 256)
        case.update({"q8": q8.tolist(), "absmax2": bits(absmax2), "offset": bits(offset.reshape(1))[0]})
        differ += differ8
    print(f"{name}: bucketize and argmin disagree on {differ} values", file=sys.stderr)
    return case


def main():
    generator = torch.Generator().manual_seed(20260505)
    ties = torch.cat([torch.tensor([1.0]), (NF4[:-1] + NF4[1:]) / 2, torch.zeros(48)])  # absmax 1: scaled == x, every midpoint
    cases = [
        nf4_case("one_block", torch.randn(64, generator=generator), 64, False),
        nf4_case("odd_partial", torch.randn(7, 9, generator=generator) * 0.02, 64, False),
        nf4_case("midpoint_ties", ties, 64, False),
        nf4_case("blocksize_128", torch.randn(4, 96, generator=generator) * 3, 128, False),
        nf4_case("nested_two_blocks", torch.randn(130, 128, generator=generator) * 0.05, 64, True),
    ]
    json.dump({"dynamic_map": bits(dynamic_map()), "nf4": bits(NF4), "cases": cases}, sys.stdout)


if __name__ == "__main__":
    main()
