using System.Diagnostics;
using DurableUn.Quantization;
using static TorchSharp.torch;

namespace DurableUn.Bench;

/// <summary>
/// Quantize/dequantize throughput per format on one 4096 × 4096 fp32 tensor (a 7B-class projection). Validates first:
/// the fast path must equal the loop reference bit for bit on the bench tensor, else nothing is timed.
/// Entry point: <c>QuantizationBench.Run()</c>. Not: a BenchmarkDotNet harness (one warm-up, then the median of a few runs).
/// </summary>
public static class QuantizationBench
{
    private const int Repetitions = 3;

    private sealed record Format(
        string Name,
        Func<Tensor, QuantizedTensor> Quantize,
        Func<QuantizedTensor, Tensor> Dequantize,
        Func<Tensor, QuantizedTensor> ReferenceQuantize,
        Func<QuantizedTensor, Tensor> ReferenceDequantize);

    private static readonly Format[] Formats =
    [
        new("nf4", x => Nf4.Quantize(x), q => Nf4.Dequantize(q),
            x => Blockwise4Bit.Reference.Quantize(x, QuantFormat.Nf4, Nf4.Codebook, 64, false, "bench"), q => Blockwise4Bit.Reference.Dequantize(q, Nf4.Codebook, null)),
        new("nf4+dq", x => Nf4.Quantize(x, doubleQuant: true), q => Nf4.Dequantize(q),
            x => Blockwise4Bit.Reference.Quantize(x, QuantFormat.Nf4, Nf4.Codebook, 64, true, "bench"), q => Blockwise4Bit.Reference.Dequantize(q, Nf4.Codebook, null)),
        new("fp4", x => Fp4.Quantize(x), q => Fp4.Dequantize(q),
            x => Blockwise4Bit.Reference.Quantize(x, QuantFormat.Fp4, Fp4.Codebook, 64, false, "bench"), q => Blockwise4Bit.Reference.Dequantize(q, Fp4.Codebook, null)),
        new("int8", x => Int8Rowwise.Quantize(x), q => Int8Rowwise.Dequantize(q), x => Int8Rowwise.Reference.Quantize(x), q => Int8Rowwise.Reference.Dequantize(q)),
        new("int4", x => Int4Groupwise.Quantize(x), q => Int4Groupwise.Dequantize(q), x => Int4Groupwise.Reference.Quantize(x), q => Int4Groupwise.Reference.Dequantize(q)),
        new("int4-asym", x => Int4AsymGroupwise.Quantize(x), q => Int4AsymGroupwise.Dequantize(q), x => Int4AsymGroupwise.Reference.Quantize(x), q => Int4AsymGroupwise.Reference.Dequantize(q)),
        new("q8_0", x => GgufQ8_0.Quantize(x), q => GgufQ8_0.Dequantize(q), x => GgufQ8_0.Reference.Quantize(x), q => GgufQ8_0.Reference.Dequantize(q)),
        new("q4_0", x => GgufQ4_0.Quantize(x), q => GgufQ4_0.Dequantize(q), x => GgufQ4_0.Reference.Quantize(x), q => GgufQ4_0.Reference.Dequantize(q)),
    ];

    public static void Run()
    {
        using var x = randn([4096, 4096], generator: new Generator(0));   // 16.8 M fp32 = 64 MiB
        double megaElements = x.numel() / 1e6;
        Console.WriteLine($"threads {get_num_threads()}, tensor 4096x4096 fp32 ({x.numel() * 4 / (1 << 20)} MiB)");
        Console.WriteLine($"{"format",-10} {"quantize Melem/s",17} {"GB/s in",8} {"dequantize Melem/s",19} {"GB/s out",9}");
        foreach (var f in Formats)
        {
            Validate(f, x);
            double quantize = MedianSeconds(() => { using var scope = NewDisposeScope(); f.Quantize(x); });
            var q = f.Quantize(x);
            double dequantize = MedianSeconds(() => { using var scope = NewDisposeScope(); f.Dequantize(q); });
            Console.WriteLine($"{f.Name,-10} {megaElements / quantize,17:F0} {megaElements * 4e-3 / quantize,8:F2} {megaElements / dequantize,19:F0} {megaElements * 4e-3 / dequantize,9:F2}");
        }
    }

    /// <summary>Fast and reference must agree on the bench tensor's codes, scales and dequantized values.</summary>
    private static void Validate(Format f, Tensor x)
    {
        var fast = f.Quantize(x);
        var reference = f.ReferenceQuantize(x);
        bool same = Same(fast.Codes, reference.Codes) && Same(fast.Scales, reference.Scales)
                    && Same(f.Dequantize(fast), f.ReferenceDequantize(reference));
        if (!same) throw new InvalidOperationException($"{f.Name}: fast path differs from the reference on the bench tensor.");
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static double MedianSeconds(Action action)
    {
        action();   // warm-up
        var times = new double[Repetitions];
        for (int i = 0; i < Repetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times[i] = watch.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[Repetitions / 2];
    }
}
