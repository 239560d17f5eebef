using static TorchSharp.torch;

namespace DurableUn.Quantization;

public static partial class GgufQ4_0
{
    /// <summary>Line-by-line transcription of ggml's quantize_row_q4_0_ref / dequantize_row_q4_0 loops.</summary>
    internal static class Reference
    {
        public static QuantizedTensor Quantize(Tensor x, string name = "tensor")
        {
            QuantGuard.GroupTilesLastDim(x, BlockSize, name, "blockSize");
            float[] v = Blocks.ToFloats(QuantGuard.Fp32Flat(x, name));
            int blocks = v.Length / BlockSize;
            var d16 = new Half[blocks];
            var qs = new byte[blocks * BlockSize / 2];
            for (int b = 0; b < blocks; b++)
            {
                float amax = 0f, max = 0f;
                for (int j = 0; j < BlockSize; j++)
                {
                    float value = v[b * BlockSize + j];
                    if (amax < Math.Abs(value)) { amax = Math.Abs(value); max = value; }
                }
                float d = max / -8f;
                float id = d != 0f ? 1f / d : 0f;
                d16[b] = (Half)d;
                for (int j = 0; j < BlockSize / 2; j++)
                {
                    float x0 = v[b * BlockSize + j] * id;
                    float x1 = v[b * BlockSize + BlockSize / 2 + j] * id;
                    int q0 = Math.Min(15, (int)(x0 + 8.5f));   // (int) truncates toward zero, as C's (int8_t)
                    int q1 = Math.Min(15, (int)(x1 + 8.5f));
                    qs[b * BlockSize / 2 + j] = (byte)(q0 | (q1 << 4));
                }
            }
            return new QuantizedTensor(QuantFormat.Q4_0, tensor(qs).view(blocks, BlockSize / 2), tensor(d16), x.shape, BlockSize, x.dtype);
        }

        public static Tensor Dequantize(QuantizedTensor q, ScalarType? dtype = null)
        {
            byte[] qs = q.Codes.data<byte>().ToArray();
            Half[] d16 = q.Scales.data<Half>().ToArray();
            var output = new float[qs.Length * 2];
            for (int b = 0; b < d16.Length; b++)
            {
                float d = (float)d16[b];
                for (int j = 0; j < BlockSize / 2; j++)
                {
                    byte packed = qs[b * BlockSize / 2 + j];
                    output[b * BlockSize + j] = ((packed & 0x0F) - 8) * d;
                    output[b * BlockSize + BlockSize / 2 + j] = ((packed >> 4) - 8) * d;
                }
            }
            return tensor(output).view(q.Shape).to(dtype ?? q.OriginalDtype);
        }
    }
}
