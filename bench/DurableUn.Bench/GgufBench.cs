using System.Diagnostics;
using DurableUn.Checkpoints;
using DurableUn.Checkpoints.Gguf;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.LlamaCpp;
using DurableUn.Model;
using DurableUn.Runs;

namespace DurableUn.Bench;

/// <summary>
/// What a GGUF precision costs next to ours, on one model folder (e.g. a study's model/ with an adapter of
/// adapters/):
/// <list type="bullet">
/// <item><c>gguf-measure</c>: items/s of one precision's measurement (FA and RA on the forget and retain files, key_fact
/// plus token accuracy, as a study cell measures) at int4 (our engine) and at a gguf precision (export, llama.cpp's
/// quantizer, llama.cpp's engine: the whole deployment counted). Checked first: gguf-f32 gives merged-fp32's per-item
/// scores.</item>
/// <item><c>gguf-decode</c>: single-stream greedy tokens/s of llama.cpp on the folder's q4_k_m file and of our dense
/// decoder on the folder. Checked first: at f32 llama.cpp and our decoder give the same tokens.</item>
/// </list>
/// Each timing is the median of three runs after one untimed run, printed with the load average (a shared machine's
/// numbers mean little without it). Not a test: nothing about speed is asserted.
/// </summary>
internal static class GgufBench
{
    public static void Measure(string modelDir, string? adapterDir, string forgetFile, string retainFile, string gguf)
    {
        var precision = Precision.Parse(gguf);
        var (forget, retain) = (QaFile.Load(forgetFile), QaFile.Load(retainFile));
        using var model = AdaptedModel.Load(modelDir, adapterDir);
        var encoder = new QaEncoder(model.Pretrained.Tokenizer, new PromptTemplate.Plain());
        var check = PrecisionEvaluation.Measure(model.Model, [Precision.MergedFp32, Precision.Parse("gguf-f32")], AccuracyMetric.KeyFact, encoder, forget, retain);
        if (!check[0].Forget.PerExample.SequenceEqual(check[1].Forget.PerExample) || !check[0].Retain.PerExample.SequenceEqual(check[1].Retain.PerExample))
            throw new InvalidOperationException("gguf-f32 and merged-fp32 give different per-item scores; the GGUF path is not the study's");
        Console.WriteLine($"check=ok load={Load()}");
        var items = forget.Count + retain.Count;
        foreach (var p in new[] { Precision.Int4, precision })
        {
            PrecisionEvaluation.Measure(model.Model, [p], AccuracyMetric.KeyFact, encoder, forget, retain);
            var seconds = new List<double>();
            PrecisionMeasurement m = null!;
            for (var run = 0; run < 3; run++)
            {
                var watch = Stopwatch.StartNew();
                m = PrecisionEvaluation.Measure(model.Model, [p], AccuracyMetric.KeyFact, encoder, forget, retain)[0];
                seconds.Add(watch.Elapsed.TotalSeconds);
            }
            var median = seconds.Order().ElementAt(1);
            Console.WriteLine($"precision={p.Name} items={items} seconds={median:F2} items_per_s={items / median:F1} fa={m.Forget.Aggregate:F3} ra={m.Retain.Aggregate:F3} load={Load()}");
        }
    }

    public static void Decode(string modelDir, string prompt, int newTokens, int threads)
    {
        using var pretrained = PretrainedModel.Load(modelDir);
        var config = pretrained.Config.Llama;
        var folder = Directory.CreateTempSubdirectory("durableun-gguf-bench-").FullName;
        try
        {
            var weights = ModelWeights.StateDict(pretrained.Model);
            using var full = new FullPrecisionModel(config, weights, pretrained.Folder.TokenizerPath!);
            var f32 = GgufDeployment.Build(full, LlamaFileType.F32, folder);
            var q4km = LlamaCppQuantizer.Quantize(f32.Path, Path.Combine(folder, "model-q4_k_m.gguf"), LlamaFileType.Q4_K_M);
            var tok = pretrained.Tokenizer;
            var ids = (tok.BosId is int bos ? new[] { bos } : []).Concat(tok.Encode(prompt)).ToList();
            var stops = config.EosTokenIds.Append(tok.EosId).ToHashSet();
            using (var exact = LlamaCppModel.Load(f32.Path, threads))
            {
                var theirs = LlamaCppInference.Greedy(exact, [ids], 16, stops)[0];
                var ours = Generation.Greedy(pretrained.Model, [ids], 16, [.. stops], tok.PadId)[0];
                if (!theirs.SequenceEqual(ours)) throw new InvalidOperationException($"f32: llama.cpp decodes {string.Join(',', theirs)}, ours {string.Join(',', ours)}");
            }
            Console.WriteLine($"check=ok load={Load()}");
            using var shipped = LlamaCppModel.Load(q4km.Path, threads);
            var options = new GenerationOptions { MaxNewTokens = newTokens, IntraOpThreads = threads };   // no stop: every run decodes newTokens
            var none = new HashSet<int>();
            Time("llama.cpp-q4_k_m", threads, () => LlamaCppInference.Greedy(shipped, [ids], newTokens, none, new LlamaCppSettings { Sequences = 1 })[0].Length);
            Time("ours-dense-f32", threads, () => Generation.Generate(pretrained.Model, [ids], tok.PadId, options)[0].Length);
            foreach (var t in weights.Values) t.Dispose();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Time(string name, int threads, Func<int> decode)
    {
        decode();
        var rates = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            var n = decode();
            rates.Add(n / watch.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"decoder={name} threads={threads} tokens_per_s={rates.Order().ElementAt(1):F0} load={Load()}");
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
