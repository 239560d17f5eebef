using TorchSharp;

namespace DurableUn.Quantization;

/// <summary>
/// The second level of bitsandbytes double quantization (<c>compress_statistics=True</c>, QLoRA §3): the per-block
/// absmax of a 4-bit tensor, itself quantized to 8 bits. When a <see cref="QuantizedTensor"/> carries this, its
/// <c>Scales</c> are the uint8 codes q8 and absmax = <see cref="DynamicMap"/>[q8] · <paramref name="Absmax"/>[b / BlockSize] + Offset.
/// On disk these are bnb's <c>nested_absmax</c>, <c>nested_quant_map</c> (the dynamic map), <c>nested_blocksize</c>, <c>nested_offset</c>.
/// </summary>
/// <param name="Absmax">fp32 [ceil(blocks / BlockSize)]: max |absmax − Offset| per 256-block (clamped ≥ 1e-38).</param>
/// <param name="Offset">mean of the first-level absmax, subtracted before quantizing so the 8-bit code is centred.</param>
/// <param name="BlockSize">first-level scales per second-level block: 256 in bitsandbytes.</param>
public sealed record NestedScales(torch.Tensor Absmax, float Offset, int BlockSize);
