using static TorchSharp.torch;

namespace DurableUn.Quantization;

internal static partial class DoubleQuant
{
    /// <summary>Loop version of <see cref="DoubleQuant"/>, one 256-block at a time; the tests hold the two bit-equal.</summary>
    internal static class Reference
    {
        public static (Tensor Codes, NestedScales Nested) Compress(float[] absmax)
        {
            float offset;
            using (var t = tensor(absmax)) offset = Mean(t);   // the one statistic we take from libtorch, see DoubleQuant
            int n = absmax.Length;
            int blocks = (int)Blocks.Count(n, BlockSize);
            var absmax2 = new float[blocks];
            var codes = new byte[n];
            for (int b = 0; b < blocks; b++)
            {
                int start = b * BlockSize, end = Math.Min(n, start + BlockSize);
                float max = 0f;
                for (int i = start; i < end; i++) max = Math.Max(max, Math.Abs(absmax[i] - offset));
                absmax2[b] = Math.Max(max, Blockwise4Bit.MinAbsmax);
                float reciprocal = 1f / absmax2[b];
                for (int i = start; i < end; i++)
                    codes[i] = DynamicMap.Nearest(Math.Clamp((absmax[i] - offset) * reciprocal, -1f, 1f));
            }
            return (tensor(codes), new NestedScales(tensor(absmax2), offset, BlockSize));
        }

        public static float[] Expand(Tensor codes, NestedScales nested)
        {
            byte[] q = codes.data<byte>().ToArray();
            float[] absmax2 = Blocks.ToFloats(nested.Absmax);
            var absmax = new float[q.Length];
            for (int i = 0; i < q.Length; i++)
            {
                float scaled = DynamicMap.Values[q[i]] * absmax2[i / nested.BlockSize];   // one rounding
                absmax[i] = scaled + nested.Offset;                                      // and a second, as torch
            }
            return absmax;
        }
    }
}
