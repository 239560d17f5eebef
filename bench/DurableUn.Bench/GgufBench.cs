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
/// Each timing is the median of three runs after one untimed run (gguf-measure alternates the two precisions' runs),
/// printed with wall and CPU seconds and the load average (a shared machine's
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
        Precision[] compared = [Precision.Int4, precision];
        foreach (var p in compared) PrecisionEvaluation.Measure(model.Model, [p], AccuracyMetric.KeyFact, encoder, forget, retain);   // untimed
        // Alternated (int4, gguf, int4, gguf, ...) so a neighbour's load drifts onto both sides alike.
        var wall = compared.Select(_ => new List<double>()).ToArray();
        var cpu = compared.Select(_ => new List<double>()).ToArray();
        var last = new PrecisionMeasurement[compared.Length];
        for (var run = 0; run < 3; run++)
            for (var k = 0; k < compared.Length; k++)
            {
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                last[k] = PrecisionEvaluation.Measure(model.Model, [compared[k]], AccuracyMetric.KeyFact, encoder, forget, retain)[0];
                wall[k].Add(watch.Elapsed.TotalSeconds);
                cpu[k].Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
            }
        for (var k = 0; k < compared.Length; k++)
        {
            var median = wall[k].Order().ElementAt(1);
            Console.WriteLine($"precision={compared[k].Name} items={items} seconds={median:F2} cpu_seconds={cpu[k].Order().ElementAt(1):F2} items_per_s={items / median:F1} " +
                              $"fa={last[k].Forget.Aggregate:F3} ra={last[k].Retain.Aggregate:F3} load={Load()}");
        }
        Console.WriteLine($"ratio gguf/int4: wall {wall[1].Order().ElementAt(1) / wall[0].Order().ElementAt(1):F2}, cpu {cpu[1].Order().ElementAt(1) / cpu[0].Order().ElementAt(1):F2}");
        Stages(model, precision, encoder, forget, retain);
    }

    /// <summary>Where a GGUF measurement's time goes, one run of each stage (after the runs above warmed every path):
    /// merge, f32 export, llama.cpp's quantizer, load, and llama.cpp's scoring and greedy answers.</summary>
    private static void Stages(AdaptedModel model, Precision precision, QaEncoder encoder, IReadOnlyList<QaItem> forget, IReadOnlyList<QaItem> retain)
    {
        var folder = Directory.CreateTempSubdirectory("durableun-gguf-stages-").FullName;
        try
        {
            var watch = Stopwatch.StartNew();
            double Lap() { var s = watch.Elapsed.TotalSeconds; watch.Restart(); return s; }
            using var full = FullPrecisionModel.Merged(model.Model, ((Tokenization.HfTokenizer)encoder.Tokenizer).Path);
            var merge = Lap();
            var f32 = Path.Combine(folder, "model-f32.gguf");
            GgufExport.Write(f32, full.Config, full.Weights, full.TokenizerPath, GgufType.F32);
            var export = Lap();
            var file = LlamaCppQuantizer.Quantize(f32, Path.Combine(folder, "model-q.gguf"), precision.Gguf!.Value);
            var quantize = Lap();
            using var engine = LlamaCppModel.Load(file.Path);
            var load = Lap();
            var llamaEncoder = new QaEncoder(new LlamaCppTokenizer(engine), encoder.Template);
            var items = forget.Concat(retain).ToList();
            var pairs = items.Select(i => llamaEncoder.Encode(i.Question, i.Answer)).Select(e => ((IReadOnlyList<int>)e.PromptIds, (IReadOnlyList<int>)e.CompletionIds)).ToList();
            LlamaCppInference.ScoreAndAnswer(engine, pairs, 48, engine.EndOfGeneration);
            var decode = Lap();
            Console.WriteLine($"stages merge={merge:F3} export={export:F3} quantize={quantize:F3} load={load:F3} score_and_answer={decode:F3} loadavg={Load()}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
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
