using static TorchSharp.torch;

namespace DurableUn.Quantization;

internal static partial class Blockwise4Bit
{
    /// <summary>
    /// The obviously-correct version of <see cref="Blockwise4Bit"/>: plain loops over a float array, one block at a time.
    /// Slow (it exists to be read and to check the fast path bit for bit), same inputs, same record out.
    /// </summary>
    internal static class Reference
    {
        public static QuantizedTensor Quantize(Tensor x, QuantFormat format, FourBitCodebook code, int blockSize, bool doubleQuant, string name)
        {
            QuantGuard.Bnb4BitBlockSize(blockSize);
            float[] v = Blocks.ToFloats(QuantGuard.Fp32Flat(x, name));
            int n = v.Length;
            int blocks = (int)Blocks.Count(n, blockSize);
            var absmax = new float[blocks];
            var codes = new byte[n + n % 2];
            for (int b = 0; b < blocks; b++)
            {
                int start = b * blockSize, end = Math.Min(n, start + blockSize);
                float max = 0f;
                for (int i = start; i < end; i++) max = Math.Max(max, Math.Abs(v[i]));
                absmax[b] = Math.Max(max, MinAbsmax);
                float reciprocal = 1f / absmax[b];
                for (int i = start; i < end; i++) codes[i] = (byte)code.Nearest(Math.Clamp(v[i] * reciprocal, -1f, 1f));
            }
            if (n % 2 == 1) codes[n] = (byte)code.Nearest(0f);   // bnb pads the scaled values with 0.0 before packing

            var packed = new byte[codes.Length / 2];
            for (int k = 0; k < packed.Length; k++) packed[k] = (byte)((codes[2 * k] << 4) | codes[2 * k + 1]);

            var result = new QuantizedTensor(format, tensor(packed), tensor(absmax), x.shape, blockSize, x.dtype);
            if (!doubleQuant) return result;
            var (q8, nested) = DoubleQuant.Reference.Compress(absmax);
            return result with { Scales = q8, Nested = nested };
        }

        public static Tensor Dequantize(QuantizedTensor q, FourBitCodebook code, ScalarType? dtype)
        {
            float[] absmax = q.Nested is null ? Blocks.ToFloats(q.Scales) : DoubleQuant.Reference.Expand(q.Scales, q.Nested);
            byte[] packed = q.Codes.data<byte>().ToArray();
            var output = new float[q.NumElements];
            for (int i = 0; i < output.Length; i++)
            {
                int nibble = i % 2 == 0 ? packed[i / 2] >> 4 : packed[i / 2] & 0xF;
                output[i] = code.Values[nibble] * absmax[i / q.BlockSize];
            }
            return tensor(output).view(q.Shape).to(dtype ?? q.OriginalDtype);
        }
    }
}
