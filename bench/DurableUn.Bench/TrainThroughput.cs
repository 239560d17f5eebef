using System.Diagnostics;
using DurableUn.Model;
using DurableUn.Training;
using static TorchSharp.torch;

namespace DurableUn.Bench;

/// <summary>
/// Training throughput of the reference configuration: vocab 4096, d_model 256, 4 layers, 4 heads,
/// ffn 688, sequence 128, batch 16, AdamW, fp32, random tokens. Reports tokens/s and GFLOP/s counted as
/// 6 × parameters × tokens (forward + backward, the usual estimate). bench/torch_train_throughput.py runs the same
/// model in PyTorch; bench/train_throughput.sh runs both and prints the ratio.
/// Before timing, one step is checked against the reference path: the loss of the first step must equal the
/// cross-entropy of a uniform-ish random model (≈ ln 4096) within 5 %, so a broken model is never timed.
/// </summary>
internal static class TrainThroughput
{
    public static void Run(int steps, int warmup, int threads)
    {
        if (threads > 0) set_num_threads(threads);
        var config = new LlamaConfig
        {
            VocabSize = 4096, HiddenSize = 256, IntermediateSize = 688, NumHiddenLayers = 4, NumAttentionHeads = 4,
            MaxPositionEmbeddings = 128, RmsNormEps = 1e-5,
        };
        manual_seed(0);
        using var model = new CausalLm(config, new DenseProjections());
        var parameters = model.parameters().ToList();
        var count = parameters.Sum(p => p.numel());
        const int batch = 16, seq = 128;
        var ids = randint(0, config.VocabSize, [batch, seq]);
        Tensor Loss(int step, int micro)
        {
            var logits = model.forward(ids);                                           // (B, T, V)
            return nn.functional.cross_entropy(logits[.., ..^1].reshape(-1, config.VocabSize), ids[.., 1..].reshape(-1));
        }
        var options = new TrainingOptions { Steps = warmup, LearningRate = 1e-4, MaxGradNorm = 1.0, SnapshotEvery = int.MaxValue / 2 };
        var first = Trainer.Run(parameters, Loss, options);
        var expected = Math.Log(config.VocabSize);
        if (Math.Abs(first[0].Loss - expected) > 0.05 * expected)
            throw new InvalidOperationException($"sanity check failed: first loss {first[0].Loss:F3}, expected ≈ {expected:F3}");
        var watch = Stopwatch.StartNew();
        Trainer.Run(parameters, Loss, options with { Steps = steps });
        var seconds = watch.Elapsed.TotalSeconds;
        var tokensPerSecond = steps * batch * seq / seconds;
        var gflops = 6.0 * count * tokensPerSecond / 1e9;
        Console.WriteLine($"durableun parameters={count} threads={get_num_threads()} steps={steps} seconds={seconds:F2} tokens_per_s={tokensPerSecond:F0} gflop_per_s={gflops:F1}");
    }
}
