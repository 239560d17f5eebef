"""Writes safetensors_dtypes.safetensors by following the format spec by hand (no safetensors package).

Spec: huggingface/safetensors README (docs/formats.md#safetensors): u64 little-endian header length N, N bytes of JSON header
padded with spaces to a multiple of 8, then the tensors' little-endian row-major bytes at data_offsets.
Layout choices mirror DurableUn's writer so the C# test can also compare bytes: "__metadata__" first, tensors
sorted by name and stored in that order, compact JSON with keys dtype, shape, data_offsets.
Values come from numpy and torch 1.13 (bf16 has no numpy dtype). Run with Debian's interpreter:
    /usr/bin/python3 tests/DurableUn.Tests/Golden/make_safetensors_golden.py
"""
import json
import os
import struct

import numpy as np
import torch


def bf16_bytes(values):
    return torch.tensor(values, dtype=torch.bfloat16).view(torch.int16).numpy().astype("<i2").tobytes()


# name -> (dtype, shape, little-endian bytes)
TENSORS = {
    "a_f32": ("F32", [2, 3], (np.arange(6, dtype="<f4") * 0.5 - 1).tobytes()),
    "b_f16": ("F16", [4], np.array([1.0, -2.5, 65504.0, 2.0 ** -24], dtype="<f2").tobytes()),
    "c_bf16": ("BF16", [2, 2], bf16_bytes([1.0, -0.5, 3.140625, -(2.0 ** 100)])),
    "d_i8": ("I8", [3], np.array([-128, 0, 127], dtype="i1").tobytes()),
    "e_u8": ("U8", [2, 2], np.array([0, 1, 200, 255], dtype="u1").tobytes()),
    "f_i32": ("I32", [2], np.array([-2 ** 31, 7], dtype="<i4").tobytes()),
    "g_i64": ("I64", [1], np.array([2 ** 40], dtype="<i8").tobytes()),
    "h_bool": ("BOOL", [3], np.array([True, False, True], dtype="?").tobytes()),
    "i_scalar": ("F32", [], np.array(42.0, dtype="<f4").tobytes()),
    "j_empty": ("F32", [0, 3], b""),
}

header = {"__metadata__": {"format": "pt"}}
data = b""
for name in sorted(TENSORS):
    dtype, shape, raw = TENSORS[name]
    header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw

text = json.dumps(header, separators=(",", ":")).encode("utf-8")
text += b" " * ((8 - len(text) % 8) % 8)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "safetensors_dtypes.safetensors")
with open(out, "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + data)
print(out, 8 + len(text) + len(data), "bytes")
