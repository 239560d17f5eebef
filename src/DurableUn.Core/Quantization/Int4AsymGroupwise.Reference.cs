using static TorchSharp.torch;

namespace DurableUn.Quantization;

public static partial class Int4AsymGroupwise
{
    /// <summary>Loop version of <see cref="Int4AsymGroupwise"/>, one group at a time; the tests hold the two bit-equal.</summary>
    internal static class Reference
    {
        public static QuantizedTensor Quantize(Tensor x, int groupSize = Int4Groupwise.DefaultGroupSize, string name = "tensor")
        {
            QuantGuard.GroupTilesLastDim(x, groupSize, name, nameof(groupSize));
            float[] v = Blocks.ToFloats(QuantGuard.Fp32Flat(x, name));
            int groups = v.Length / groupSize;
            var scale = new float[groups];
            var zero = new byte[groups];
            var codes = new byte[v.Length];
            for (int g = 0; g < groups; g++)
            {
                float low = 0f, high = 0f;   // starting at 0 widens the range to include 0
                for (int i = g * groupSize; i < (g + 1) * groupSize; i++)
                {
                    low = Math.Min(low, v[i]);
                    high = Math.Max(high, v[i]);
                }
                scale[g] = (high - low) / MaxLevel;
                float divisor = scale[g] == 0f ? 1f : scale[g];
                float z = Math.Clamp(MathF.Round(-low / divisor), 0f, MaxLevel);
                zero[g] = (byte)z;
                for (int i = g * groupSize; i < (g + 1) * groupSize; i++)
                    codes[i] = (byte)Math.Clamp(MathF.Round(v[i] / divisor) + z, 0f, MaxLevel);
            }
            return new QuantizedTensor(QuantFormat.Int4Asym, tensor(codes).view(groups, groupSize), tensor(scale), x.shape, groupSize, x.dtype)
            {
                ZeroPoints = tensor(zero),
            };
        }

        public static Tensor Dequantize(QuantizedTensor q, ScalarType? dtype = null)
        {
            byte[] codes = q.Codes.data<byte>().ToArray();
            byte[] zero = q.ZeroPoints!.data<byte>().ToArray();
            float[] scale = Blocks.ToFloats(q.Scales);
            var output = new float[codes.Length];
            for (int i = 0; i < codes.Length; i++)
            {
                int g = i / q.BlockSize;
                output[i] = (codes[i] - zero[g]) * scale[g];
            }
            return tensor(output).view(q.Shape).to(dtype ?? q.OriginalDtype);
        }
    }
}
