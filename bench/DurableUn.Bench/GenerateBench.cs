using System.Diagnostics;
using DurableUn.Checkpoints;
using DurableUn.Deployment;
using DurableUn.Model;
using DurableUn.Tensors;
using static TorchSharp.torch;
using DurableUn.Runs;

namespace DurableUn.Bench;

/// <summary>
/// Decoding speed of one model folder: single-stream greedy tokens/s of the dense model and of the QLoRA deployment at
/// nf4 (zero adapter: the LoRA matmuls still run), at the given intra-op threads; batched throughput (64 prompts × 48
/// tokens, one left-padded batch, as the suites decode), each the median of three runs after two untimed ones; and a profile of one single-stream decode step (where its time
/// goes, each piece timed alone on the step's shapes). Checks first that the fast decoder equals
/// <see cref="Generation.Reference"/> token for token on both models. Prints one <c>key=value</c> line per result;
/// bench/generate_vs_llamacpp.sh puts them beside llama.cpp's. Not: sampling, a test (timing is never asserted).
/// </summary>
internal static class GenerateBench
{
    public static void Run(string dir, IReadOnlyList<int> prompt, int newTokens, int threads)
    {
        using var pretrained = PretrainedModel.Load(dir);
        using var adapted = AdaptedModel.Load(dir, null);
        using var deployed = Deployer.Deploy(adapted.Model, Precision.Nf4);
        var pad = pretrained.Tokenizer.PadId;
        var models = new (string Name, CausalLm Model)[] { ("dense", pretrained.Model), ("qlora-nf4", deployed.Model) };
        var batch = Enumerable.Range(0, 64).Select(i => (IReadOnlyList<int>)prompt.Take(1 + i % prompt.Count).Append(2 + i % 7).ToList()).ToList();
        var check = new GenerationOptions { MaxNewTokens = 8, IntraOpThreads = threads };
        foreach (var (name, model) in models)
        {
            var few = batch.Take(5).ToList();
            var fast = Generation.Generate(model, few, pad, check);
            var reference = Generation.Reference(model, few, pad, check);
            if (!fast.Zip(reference).All(p => p.First.SequenceEqual(p.Second)))
                throw new InvalidOperationException($"{name}: the fast decoder differs from the reference decoder");
        }
        Console.WriteLine($"check=ok load={File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        foreach (var (name, model) in models)
        {
            var options = new GenerationOptions { MaxNewTokens = newTokens, IntraOpThreads = threads };
            // Warm-up: two whole generations of each kind, so the JIT's tier-1 code (promoted after ~30 calls and a
            // background delay) is what gets timed; a 4-token warm-up left the first model timed on tier-0 code.
            var batchOptions = options with { MaxNewTokens = 48 };
            for (var i = 0; i < 2; i++) { Generation.Generate(model, [prompt], pad, options); Generation.Generate(model, batch, pad, batchOptions); }
            // Then the median of three timed runs of each.
            int[] ids = [];
            var (singles, singleCpus, batcheds) = (new List<double>(), new List<double>(), new List<double>());
            for (var run = 0; run < 3; run++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                ids = Generation.Generate(model, [prompt], pad, options)[0];
                singles.Add(ids.Length / watch.Elapsed.TotalSeconds);
                singleCpus.Add(ids.Length / (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);  // load-robust at 1 thread
                watch.Restart();
                var outputs = Generation.Generate(model, batch, pad, batchOptions);
                batcheds.Add(outputs.Sum(o => o.Length) / watch.Elapsed.TotalSeconds);
            }
            var (single, singleCpu, batched) = (MedianOf(singles), MedianOf(singleCpus), MedianOf(batcheds));
            Console.WriteLine($"model={name} threads={threads} single_tokens_per_s={single:F0} single_tokens_per_cpu_s={singleCpu:F0} batched64_tokens_per_s={batched:F0} ids={string.Join(',', ids.Take(16))}");
        }
        Profile(pretrained.Model, prompt, threads);
    }

    /// <summary>One single-stream decode step, whole and by piece (each piece run alone on the step's shapes, median of 200).</summary>
    private static void Profile(CausalLm model, IReadOnlyList<int> prompt, int threads)
    {
        using var threading = IntraOpThreads.Use(threads);
        using var grad = no_grad();
        using var scope = NewDisposeScope();
        var c = model.Config;
        long past = prompt.Count + 64;                                                    // a step midway through a generation, repeated
        using var cache = new KvCache(c.NumHiddenLayers, past + 1);
        model.Forward(tensor(Enumerable.Range(0, (int)past).Select(i => (long)(i % c.VocabSize)).ToArray()).unsqueeze(0), null, cache);
        var padding = ones(1, past + 1, dtype: ScalarType.Int64);
        var mask = AttentionMask.Causal(1, 1, past, padding, model.HiddenDtype);            // (1, 1, 1, past + 1)
        var (cos, sin) = model.RotaryTables(tensor(new long[] { past }).view(1, 1));       // (1, 1, hd)
        var token = tensor(new long[] { 3 }).view(1, 1);
        void Step() { using var s = NewDisposeScope(); cache.Rewind(past); model.Step(token, cos, sin, mask.narrow(3, 0, past + 1), cache).argmax(-1).data<long>().ToArray(); }
        // Separate and fused projections, alternated in rounds so both see the same load; the median of each.
        var (unfusedTimes, fusedTimes) = (new List<double>(), new List<double>());
        for (var round = 0; round < 10; round++)
        {
            unfusedTimes.Add(Median(Step));
            using (model.FuseProjections()) fusedTimes.Add(Median(Step));
        }
        var unfused = MedianOf(unfusedTimes);
        var step = MedianOf(fusedTimes);
        Console.WriteLine($"step threads={threads} separate_projections={unfused:F3}ms fused_projections={step:F3}ms ratio={unfused / step:F2} load={File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        var x = randn(1, 1, c.HiddenSize);
        var (hd, nh, nkv) = (c.HeadDimension, c.NumAttentionHeads, c.KeyValueHeads);
        Tensor W(long o, long i) => randn(o, i);
        var (wq, wkv, wo, wg, wd, wlm) = (W(nh * hd, c.HiddenSize), W(nkv * hd, c.HiddenSize), W(c.HiddenSize, nh * hd), W(c.IntermediateSize, c.HiddenSize), W(c.HiddenSize, c.IntermediateSize), W(c.VocabSize, c.HiddenSize));
        var h = randn(1, 1, c.IntermediateSize);
        var q = randn(1, nh, 1, hd);
        var k = randn(1, nh, past, hd);
        var layers = c.NumHiddenLayers;
        var pieces = new (string Name, double Ms)[]
        {
            ("projections_qkvo", layers * Median(() => { using var s = NewDisposeScope(); nn.functional.linear(x, wq); nn.functional.linear(x, wkv); nn.functional.linear(x, wkv); nn.functional.linear(q.view(1, 1, -1), wo); })),
            ("mlp_gate_up_down", layers * Median(() => { using var s = NewDisposeScope(); var g = nn.functional.silu(nn.functional.linear(x, wg)) * nn.functional.linear(x, wg); nn.functional.linear(g, wd); })),
            ("attention_sdpa", layers * Median(() => { using var s = NewDisposeScope(); nn.functional.scaled_dot_product_attention(q, k, k, null, 0.0, false); })),
            ("rope_norms_residuals", layers * Median(() => { using var s = NewDisposeScope(); RotaryEmbedding.Apply(q, cos, sin); RotaryEmbedding.Apply(q.narrow(1, 0, nkv), cos, sin); var n = x * (x.pow(2).mean([-1], keepdim: true) + 1e-5).rsqrt(); var m = x * (x.pow(2).mean([-1], keepdim: true) + 1e-5).rsqrt(); _ = x + n + m; })),
            ("lm_head", Median(() => { using var s = NewDisposeScope(); nn.functional.linear(x, wlm); })),
            ("argmax_and_read", Median(() => { using var s = NewDisposeScope(); randn(1, c.VocabSize).argmax(-1).data<long>().ToArray(); })),
        };
        var parts = string.Join(' ', pieces.Select(p => $"{p.Name}={p.Ms:F3}ms({100 * p.Ms / step:F0}%)"));
        Console.WriteLine($"profile threads={threads} step={step:F3}ms {parts} other={step - pieces.Sum(p => p.Ms):F3}ms");
        // What the pieces leave out, timed the same way: the cache writes and the embedding lookup, and the step of a
        // hollow model (this depth, heads and step sequence; head size 2, MLP width 8, vocabulary 16) whose arithmetic is ~nil,
        // so its step time is the fixed cost of the step's calls into libtorch.
        var cacheBuffer = zeros(1, nkv, past + 1, hd);
        var kvNew = randn(1, nkv, 1, hd);
        var embedding = randn(c.VocabSize, c.HiddenSize);
        var extra = new (string Name, double Ms)[]
        {
            ("kv_cache_writes", layers * Median(() => { using var s = NewDisposeScope(); cacheBuffer.narrow(2, past, 1).copy_(kvNew); cacheBuffer.narrow(2, past, 1).copy_(kvNew); cacheBuffer.narrow(2, 0, past + 1); cacheBuffer.narrow(2, 0, past + 1); })),
            ("embedding", Median(() => { using var s = NewDisposeScope(); embedding.index_select(0, token.flatten()); })),
            ("hollow_model_step", HollowStep(c with { HiddenSize = 2 * c.NumAttentionHeads, IntermediateSize = 8, HeadDim = 2, VocabSize = 16 }, past)),
        };
        Console.WriteLine($"profile_remainder threads={threads} " + string.Join(' ', extra.Select(p => $"{p.Name}={p.Ms:F3}ms({100 * p.Ms / step:F0}%)")));
    }

    /// <summary>The fused single-stream decode step of a freshly initialised model of <paramref name="config"/>.</summary>
    private static double HollowStep(LlamaConfig config, long past)
    {
        using var model = new CausalLm(config, new DenseProjections());
        model.eval();
        using var cache = new KvCache(config.NumHiddenLayers, past + 1);
        model.Forward(zeros(1, past, dtype: ScalarType.Int64), null, cache);
        var mask = AttentionMask.Causal(1, 1, past, ones(1, past + 1, dtype: ScalarType.Int64), model.HiddenDtype);
        var (cos, sin) = model.RotaryTables(tensor(new long[] { past }).view(1, 1));
        var token = tensor(new long[] { 3 }).view(1, 1);
        using var fused = model.FuseProjections();
        return Median(() => { using var s = NewDisposeScope(); cache.Rewind(past); model.Step(token, cos, sin, mask, cache).argmax(-1).data<long>().ToArray(); });
    }

    private static double Median(Action action)
    {
        var times = new double[200];
        for (var i = 0; i < times.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        return MedianOf(times);
    }

    private static double MedianOf(IReadOnlyCollection<double> values) => values.Order().ElementAt(values.Count / 2);
}
