using static TorchSharp.torch;

namespace DurableUn.Quantization;

public static partial class Int4Groupwise
{
    /// <summary>Loop version of <see cref="Int4Groupwise"/>, one group at a time; the tests hold the two bit-equal.</summary>
    internal static class Reference
    {
        public static QuantizedTensor Quantize(Tensor x, int groupSize = DefaultGroupSize, string name = "tensor")
        {
            QuantGuard.GroupTilesLastDim(x, groupSize, name, nameof(groupSize));
            float[] v = Blocks.ToFloats(QuantGuard.Fp32Flat(x, name));
            int groups = v.Length / groupSize;
            var scale = new float[groups];
            var codes = new sbyte[v.Length];
            for (int g = 0; g < groups; g++)
            {
                float max = 0f;
                for (int i = g * groupSize; i < (g + 1) * groupSize; i++) max = Math.Max(max, Math.Abs(v[i]));
                scale[g] = max / MaxCode;
                float divisor = scale[g] == 0f ? 1f : scale[g];
                for (int i = g * groupSize; i < (g + 1) * groupSize; i++)
                    codes[i] = (sbyte)Math.Clamp(MathF.Round(v[i] / divisor), -MaxCode, MaxCode);   // half to even
            }
            return new QuantizedTensor(QuantFormat.Int4, tensor(codes).view(groups, groupSize), tensor(scale), x.shape, groupSize, x.dtype);
        }

        public static Tensor Dequantize(QuantizedTensor q, ScalarType? dtype = null)
        {
            sbyte[] codes = q.Codes.data<sbyte>().ToArray();
            float[] scale = Blocks.ToFloats(q.Scales);
            var output = new float[codes.Length];
            for (int i = 0; i < codes.Length; i++) output[i] = codes[i] * scale[i / q.BlockSize];
            return tensor(output).view(q.Shape).to(dtype ?? q.OriginalDtype);
        }
    }
}
