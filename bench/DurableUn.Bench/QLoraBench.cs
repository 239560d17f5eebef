using System.Diagnostics;
using DurableUn.Adapters;
using DurableUn.Model;
using static TorchSharp.torch;

namespace DurableUn.Bench;

/// <summary>
/// One training step (forward, backward, AdamW-free SGD update of the adapter) of the QLoRA model (NF4 + double quant
/// base, r 8 on all linear) against the same LoRA on a dense fp32 base, on the reference configuration:
/// vocab 4096, d 256, 4 layers, 4 heads, ffn 688, sequence 128, batch 16. Target: NF4 ≤ 1.3× dense.
/// Validates before timing: both models start from the same weights and adapter, so their first loss must agree to
/// within NF4's rounding (1 %), and the fast dequantize must equal <c>Nf4.Dequantize</c> bit for bit on every projection.
/// Entry point: <c>QLoraBench.Run(steps, warmup)</c>. Not: optimizer cost (identical for both), bf16 compute.
/// </summary>
internal static class QLoraBench
{
    public static void Run(int steps = 5, int warmup = 1)
    {
        var config = new LlamaConfig
        {
            VocabSize = 4096, HiddenSize = 256, IntermediateSize = 688, NumHiddenLayers = 4, NumAttentionHeads = 4,
            MaxPositionEmbeddings = 128, RmsNormEps = 1e-5,
        };
        manual_seed(0);
        Dictionary<string, Tensor> weights;
        using (var dense = new CausalLm(config, new DenseProjections())) weights = ModelWeights.StateDict(dense);
        using var nf4 = QLoraModel.FromWeights(config, weights, new QLoraOptions(), seed: 0);
        using var fp32 = QLoraModel.FromWeights(config, weights, new QLoraOptions { BaseFormat = null }, seed: 0);
        using var ids = randint(0, config.VocabSize, [16, 128]);

        foreach (var (path, w) in nf4.Base.Projections)
        {
            using var fast = w.Weight(ScalarType.Float32);
            using var reference = DurableUn.Quantization.Nf4.Dequantize(w.Quantized!, ScalarType.Float32);
            if (!fast.eq(reference).all().item<bool>()) throw new InvalidOperationException($"fast dequantize differs from the reference on {path}");
        }
        var (lossNf4, lossFp32) = (Step(nf4, ids, config), Step(fp32, ids, config));
        if (Math.Abs(lossNf4 - lossFp32) > 0.01 * lossFp32)
            throw new InvalidOperationException($"sanity check failed: NF4 loss {lossNf4:F4} vs fp32-base loss {lossFp32:F4}");
        Console.WriteLine($"qlora check: loss nf4={lossNf4:F4} fp32-base={lossFp32:F4}");

        // Interleaved (fp32, nf4, fp32, nf4 …) so that load from other processes hits both alike; medians reported.
        var (nf4Times, fp32Times) = (new List<double>(), new List<double>());
        for (var i = 0; i < warmup; i++) { Step(fp32, ids, config); Step(nf4, ids, config); }
        for (var i = 0; i < steps; i++)
        {
            fp32Times.Add(Time(fp32, ids, config));
            nf4Times.Add(Time(nf4, ids, config));
        }
        var (nf4Seconds, fp32Seconds) = (Median(nf4Times), Median(fp32Times));
        // What NF4 adds to a step at most: dequantizing every projection once (autograd keeps the weight for backward).
        var dequantTimes = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            foreach (var w in nf4.Base.Projections.Values) w.Weight(ScalarType.Float32).Dispose();
            dequantTimes.Add((Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds);
        }
        var dequant = Median(dequantTimes);
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        Console.WriteLine($"qlora step (CPU time) threads={get_num_threads()} nf4={nf4Seconds * 1000:F0}ms fp32-base={fp32Seconds * 1000:F0}ms ratio={nf4Seconds / fp32Seconds:F2} " +
                          $"nf4_steps_ms={string.Join(',', nf4Times.Select(t => (t * 1000).ToString("F0")))} fp32_steps_ms={string.Join(',', fp32Times.Select(t => (t * 1000).ToString("F0")))} " +
                          $"dequantize_all_projections={dequant * 1000:F1}ms({100 * dequant / nf4Seconds:F1}% of the nf4 step) load={load}");
    }

    /// <summary>CPU seconds of this process for one step: on a machine shared with other work, wall time mostly measures
    /// the neighbours (a 2-core machine at load 20 gives a process a tenth of a core), CPU time the step's own work.
    /// With more than one intra-op thread it includes libtorch's spin-waiting, so compare at 1 thread.</summary>
    private static double Time(QLoraModel model, Tensor ids, LlamaConfig config)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        Step(model, ids, config);
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
    }

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    /// <summary>Forward, backward, plain SGD on the adapter; returns the loss.</summary>
    private static double Step(QLoraModel model, Tensor ids, LlamaConfig config)
    {
        using var scope = NewDisposeScope();
        var logits = model.Model.forward(ids);                                                  // (B, T, V)
        var loss = nn.functional.cross_entropy(logits[.., ..^1].reshape(-1, config.VocabSize), ids[.., 1..].reshape(-1));
        loss.backward();
        using (no_grad())
            foreach (var p in model.TrainableParameters)
            {
                p.add_(p.grad!, alpha: -1e-4);
                p.grad!.zero_();
            }
        return loss.item<float>();
    }
}
