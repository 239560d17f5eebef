using static TorchSharp.torch;

namespace DurableUn.Quantization;

public static partial class Int8Rowwise
{
    /// <summary>Loop version of <see cref="Int8Rowwise"/>, one row at a time; the tests hold the two bit-equal.</summary>
    internal static class Reference
    {
        public static QuantizedTensor Quantize(Tensor x, string name = "tensor")
        {
            float[] v = Blocks.ToFloats(QuantGuard.Fp32Flat(x, name));
            int columns = x.dim() == 0 ? 1 : (int)x.shape[^1];
            int rows = v.Length / columns;
            var absmax = new float[rows];
            var codes = new sbyte[v.Length];
            for (int r = 0; r < rows; r++)
            {
                float max = 0f;
                for (int c = 0; c < columns; c++) max = Math.Max(max, Math.Abs(v[r * columns + c]));
                absmax[r] = max;
                float multiplier = max == 0f ? 0f : (1f / max) * 127f;
                for (int c = 0; c < columns; c++)
                    codes[r * columns + c] = (sbyte)MathF.Round(v[r * columns + c] * multiplier);   // MathF.Round: half to even
            }
            return new QuantizedTensor(QuantFormat.Int8, tensor(codes).view(rows, columns), tensor(absmax), x.shape, columns, x.dtype);
        }

        public static Tensor Dequantize(QuantizedTensor q, ScalarType? dtype = null)
        {
            sbyte[] codes = q.Codes.data<sbyte>().ToArray();
            float[] absmax = Blocks.ToFloats(q.Scales);
            var output = new float[codes.Length];
            for (int i = 0; i < codes.Length; i++) output[i] = codes[i] * absmax[i / q.BlockSize] * InverseOf127;
            return tensor(output).view(q.Shape).to(dtype ?? q.OriginalDtype);
        }
    }
}
