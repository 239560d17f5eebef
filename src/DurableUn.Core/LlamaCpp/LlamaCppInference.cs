using LLama;
using LLama.Common;
using LLama.Native;

namespace DurableUn.LlamaCpp;

/// <summary>
/// llama.cpp's forward pass over many token sequences at once (its batch API: one <see cref="LLamaBatch"/> with a
/// sequence id per prompt, in a context whose KV cache is shared by them): greedy continuations, and the
/// log-probability of given continuations from its logits. Token ids in, ids or numbers out; templates and BOS are
/// the caller's (<see cref="LlamaCppTokenizer"/> lets our QaEncoder build the same prompts it builds for our model).
/// Not: sampling with temperature; not: prompts longer than the file's context length.
/// </summary>
public static class LlamaCppInference
{
    /// <summary>
    /// Greedy continuations (argmax at each step, lowest id on a tie, as torch.argmax), at most
    /// <paramref name="maxNewTokens"/> each, cut after the first stop id (which is kept, as our Generation.Greedy keeps it).
    /// </summary>
    public static IReadOnlyList<int[]> Greedy(LlamaCppModel model, IReadOnlyList<IReadOnlyList<int>> prompts, int maxNewTokens,
                                              IReadOnlySet<int> stops, LlamaCppSettings? settings = null)
    {
        settings = (settings ?? new LlamaCppSettings()).Validate();
        if (prompts.Any(p => p.Count == 0)) throw new ArgumentException("a prompt has no tokens");
        var result = new int[prompts.Count][];
        var order = Enumerable.Range(0, prompts.Count).OrderBy(i => prompts[i].Count).ToArray();   // similar lengths together
        foreach (var chunk in order.Chunk(settings.Sequences))
        {
            var longest = chunk.Max(i => prompts[i].Count) + maxNewTokens;
            using var context = Context(model, chunk.Length, longest, settings);
            var batch = new LLamaBatch();
            var outputs = chunk.Select(_ => new List<int>()).ToArray();
            var row = new int[chunk.Length];           // each sequence's logits row in the last batch
            for (var s = 0; s < chunk.Length; s++)
            {
                var p = prompts[chunk[s]];
                for (var t = 0; t < p.Count; t++) batch.Add(p[t], t, (LLamaSeqId)s, t == p.Count - 1);
                row[s] = batch.TokenCount - 1;
            }
            var active = Enumerable.Range(0, chunk.Length).ToList();
            for (var step = 0; step < maxNewTokens && active.Count > 0; step++)
            {
                Decode(context, batch, model);
                var next = active.Select(s => (s, id: ArgMax(context.NativeHandle.GetLogitsIth(row[s])))).ToList();
                batch.Clear();
                active.Clear();
                foreach (var (s, id) in next)
                {
                    outputs[s].Add(id);
                    if (stops.Contains(id) || step + 1 == maxNewTokens) continue;
                    batch.Add(id, prompts[chunk[s]].Count + step, (LLamaSeqId)s, true);
                    row[s] = batch.TokenCount - 1;
                    active.Add(s);
                }
            }
            for (var s = 0; s < chunk.Length; s++) result[chunk[s]] = outputs[s].ToArray();
        }
        return result;
    }

    /// <summary>
    /// Teacher forcing: for each (prompt, completion) pair, the natural-log probability of each completion token given
    /// the prompt and the completion tokens before it (fp64 from llama.cpp's fp32 logits), and whether it is the argmax.
    /// </summary>
    public static IReadOnlyList<CompletionScore> Completions(LlamaCppModel model, IReadOnlyList<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion)> pairs,
                                                             LlamaCppSettings? settings = null)
    {
        settings = (settings ?? new LlamaCppSettings()).Validate();
        if (pairs.Any(p => p.Prompt.Count == 0 || p.Completion.Count == 0)) throw new ArgumentException("each pair needs a prompt and a completion token");
        var result = new CompletionScore[pairs.Count];
        var order = Enumerable.Range(0, pairs.Count).OrderBy(i => pairs[i].Prompt.Count + pairs[i].Completion.Count).ToArray();
        foreach (var chunk in order.Chunk(settings.Sequences))
        {
            var longest = chunk.Max(i => pairs[i].Prompt.Count + pairs[i].Completion.Count);
            using var context = Context(model, chunk.Length, longest, settings);
            var batch = new LLamaBatch();
            var first = new int[chunk.Length];   // batch row whose logits predict the first completion token
            for (var s = 0; s < chunk.Length; s++)
            {
                var (prompt, completion) = pairs[chunk[s]];
                var ids = prompt.Concat(completion).ToArray();
                first[s] = batch.TokenCount + prompt.Count - 1;
                // logits from the last prompt token through the second-to-last completion token
                for (var t = 0; t < ids.Length - 1; t++) batch.Add(ids[t], t, (LLamaSeqId)s, t >= prompt.Count - 1);
            }
            Decode(context, batch, model);
            for (var s = 0; s < chunk.Length; s++)
            {
                var completion = pairs[chunk[s]].Completion;
                var logProbs = new double[completion.Count];
                var correct = new bool[completion.Count];
                for (var k = 0; k < completion.Count; k++)
                {
                    var logits = context.NativeHandle.GetLogitsIth(first[s] + k);
                    logProbs[k] = logits[completion[k]] - LogSumExp(logits);
                    correct[k] = ArgMax(logits) == completion[k];
                }
                result[chunk[s]] = new CompletionScore(logProbs, correct);
            }
        }
        return result;
    }

    /// <summary>Log-probabilities of every next token after the last id (one sequence).</summary>
    public static double[] NextTokenLogProbs(LlamaCppModel model, IReadOnlyList<int> ids, LlamaCppSettings? settings = null)
    {
        settings = (settings ?? new LlamaCppSettings()).Validate();
        if (ids.Count == 0) throw new ArgumentException("no tokens to score");
        using var context = Context(model, 1, ids.Count, settings);
        var batch = new LLamaBatch();
        for (var t = 0; t < ids.Count; t++) batch.Add(ids[t], t, LLamaSeqId.Zero, t == ids.Count - 1);
        Decode(context, batch, model);
        var logits = context.NativeHandle.GetLogitsIth(ids.Count - 1);
        var logZ = LogSumExp(logits);
        var result = new double[logits.Length];
        for (var i = 0; i < logits.Length; i++) result[i] = logits[i] - logZ;
        return result;
    }

    /// <summary>A context for <paramref name="sequences"/> sequences of at most <paramref name="length"/> tokens:
    /// one KV cache shared by all (unified), a batch that holds every prompt token at once.</summary>
    private static LLamaContext Context(LlamaCppModel model, int sequences, int length, LlamaCppSettings settings)
    {
        if (length > model.TrainedContext)
            throw new ArgumentException($"{model.Path}: a sequence of {length} tokens is longer than the file's context length {model.TrainedContext}");
        var tokens = (uint)(sequences * length);
        var parameters = new ModelParams(model.Path)
        {
            ContextSize = tokens,
            BatchSize = tokens,
            SeqMax = (uint)sequences,
            KVUnified = true,
            Threads = model.Threads,
            BatchThreads = model.Threads,
        };
        if (settings.ExactActivations)
        {
            parameters.TypeK = GGMLType.GGML_TYPE_F32;
            parameters.TypeV = GGMLType.GGML_TYPE_F32;
            parameters.FlashAttention = false;
        }
        var mark = LlamaCppRuntime.Mark();
        try { return model.Weights.CreateContext(parameters); }
        catch (LLama.Exceptions.RuntimeError e)
        { throw new InvalidOperationException($"{model.Path}: llama.cpp could not make a context of {tokens} tokens: {LlamaCppModel.FirstWords(mark)}", e); }
    }

    private static void Decode(LLamaContext context, LLamaBatch batch, LlamaCppModel model)
    {
        var mark = LlamaCppRuntime.Mark();
        var status = context.NativeHandle.Decode(batch);
        if (status != DecodeResult.Ok)
            throw new InvalidOperationException($"{model.Path}: llama.cpp decode returned {status}: {LlamaCppModel.FirstWords(mark)}");
    }

    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    /// <summary>log Σ exp(logits) in fp64, shifted by the max.</summary>
    private static double LogSumExp(ReadOnlySpan<float> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        var sum = 0.0;
        foreach (var l in logits) sum += Math.Exp(l - max);
        return max + Math.Log(sum);
    }
}

/// <summary>A teacher-forced completion: each token's log-probability and whether it was the argmax.</summary>
public sealed record CompletionScore(double[] LogProbs, bool[] Correct);
