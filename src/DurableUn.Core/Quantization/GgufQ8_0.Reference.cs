using static TorchSharp.torch;

namespace DurableUn.Quantization;

public static partial class GgufQ8_0
{
    /// <summary>Line-by-line transcription of ggml's quantize_row_q8_0_ref / dequantize_row_q8_0 loops.</summary>
    internal static class Reference
    {
        public static QuantizedTensor Quantize(Tensor x, string name = "tensor")
        {
            QuantGuard.GroupTilesLastDim(x, BlockSize, name, "blockSize");
            float[] v = Blocks.ToFloats(QuantGuard.Fp32Flat(x, name));
            int blocks = v.Length / BlockSize;
            var d16 = new Half[blocks];
            var codes = new sbyte[v.Length];
            for (int b = 0; b < blocks; b++)
            {
                float amax = 0f;
                for (int j = 0; j < BlockSize; j++) amax = Math.Max(amax, Math.Abs(v[b * BlockSize + j]));
                float d = amax / 127f;
                float id = d != 0f ? 1f / d : 0f;
                d16[b] = (Half)d;
                for (int j = 0; j < BlockSize; j++)
                    codes[b * BlockSize + j] = (sbyte)MathF.Round(v[b * BlockSize + j] * id, MidpointRounding.AwayFromZero);
            }
            return new QuantizedTensor(QuantFormat.Q8_0, tensor(codes).view(blocks, BlockSize), tensor(d16), x.shape, BlockSize, x.dtype);
        }

        public static Tensor Dequantize(QuantizedTensor q, ScalarType? dtype = null)
        {
            sbyte[] codes = q.Codes.data<sbyte>().ToArray();
            Half[] d16 = q.Scales.data<Half>().ToArray();
            var output = new float[codes.Length];
            for (int i = 0; i < codes.Length; i++) output[i] = codes[i] * (float)d16[i / BlockSize];
            return tensor(output).view(q.Shape).to(dtype ?? q.OriginalDtype);
        }
    }
}
