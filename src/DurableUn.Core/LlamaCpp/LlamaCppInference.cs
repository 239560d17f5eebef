using LLama;
using LLama.Common;
using LLama.Native;

namespace DurableUn.LlamaCpp;

/// <summary>
/// llama.cpp's forward pass over many token sequences at once (its batch API: one <see cref="LLamaBatch"/> with a
/// sequence id per prompt, in one context whose KV cache holds one stream per sequence): greedy continuations, and
/// the log-probability of given continuations from its logits — both from one prefill of each prompt
/// (<see cref="ScoreAndAnswer"/>), as a measurement needs both. Token ids in, ids or numbers out; templates and BOS are
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
        if (maxNewTokens < 1 || prompts.Count == 0) return prompts.Select(_ => Array.Empty<int>()).ToList();
        var result = new int[prompts.Count][];
        var order = Enumerable.Range(0, prompts.Count).OrderBy(i => prompts[i].Count).ToArray();   // similar lengths together
        var chunks = order.Chunk(settings.Sequences).ToList();
        using var context = Context(model, chunks.Max(c => c.Length), prompts.Max(p => p.Count) + maxNewTokens, settings);
        foreach (var chunk in chunks)
        {
            context.NativeHandle.MemoryClear(data: false);   // every cell free again; each is written before it is read
            var batch = new LLamaBatch();
            var row = new int[chunk.Length];           // each sequence's last prompt token in the batch
            for (var s = 0; s < chunk.Length; s++)
            {
                var p = prompts[chunk[s]];
                for (var t = 0; t < p.Count; t++) batch.Add(p[t], t, (LLamaSeqId)s, t == p.Count - 1);
                row[s] = batch.TokenCount - 1;
            }
            Decode(context, batch, model);
            var outputs = row.Select(r => new List<int> { ArgMax(context.NativeHandle.GetLogitsIth(r)) }).ToArray();
            ContinueGreedily(context, model, chunk.Select(i => prompts[i].Count).ToArray(), outputs, maxNewTokens, stops);
            for (var s = 0; s < chunk.Length; s++) result[chunk[s]] = outputs[s].ToArray();
        }
        return result;
    }

    /// <summary>
    /// Each item's teacher-forced completion score and its greedy continuation, from one prefill of its prompt: the
    /// prompt and the completion (all but its last token) go in as one sequence, whose logits give each completion
    /// token's natural-log probability (fp64 from llama.cpp's fp32 logits) and whether it is the argmax; the logits at
    /// the last prompt token also give the first greedy token. The completion's cells are then removed from the
    /// sequence and greedy decoding continues from the prompt as <see cref="Greedy"/> does (argmax, at most
    /// <paramref name="maxNewTokens"/>, cut after the first stop id, which is kept).
    /// </summary>
    public static IReadOnlyList<ScoredAnswer> ScoreAndAnswer(LlamaCppModel model, IReadOnlyList<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion)> items,
                                                             int maxNewTokens, IReadOnlySet<int> stops, LlamaCppSettings? settings = null)
    {
        settings = (settings ?? new LlamaCppSettings()).Validate();
        if (items.Any(p => p.Prompt.Count == 0 || p.Completion.Count == 0)) throw new ArgumentException("each item needs a prompt and a completion token");
        if (maxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(maxNewTokens), maxNewTokens, "at least one new token");
        if (items.Count == 0) return [];
        int Span(int i) => items[i].Prompt.Count + Math.Max(items[i].Completion.Count - 1, maxNewTokens);
        var result = new ScoredAnswer[items.Count];
        var order = Enumerable.Range(0, items.Count).OrderBy(Span).ToArray();   // similar lengths together
        var chunks = order.Chunk(settings.Sequences).ToList();
        using var context = Context(model, chunks.Max(c => c.Length), Enumerable.Range(0, items.Count).Max(Span), settings);
        foreach (var chunk in chunks)
        {
            context.NativeHandle.MemoryClear(data: false);   // every cell free again; each is written before it is read
            var batch = new LLamaBatch();
            var first = new int[chunk.Length];   // batch row whose logits predict the first completion token
            for (var s = 0; s < chunk.Length; s++)
            {
                var (prompt, completion) = items[chunk[s]];
                var ids = prompt.Concat(completion).ToArray();
                first[s] = batch.TokenCount + prompt.Count - 1;
                // logits from the last prompt token through the second-to-last completion token
                for (var t = 0; t < ids.Length - 1; t++) batch.Add(ids[t], t, (LLamaSeqId)s, t >= prompt.Count - 1);
            }
            Decode(context, batch, model);
            var scores = new CompletionScore[chunk.Length];
            var outputs = new List<int>[chunk.Length];
            for (var s = 0; s < chunk.Length; s++)
            {
                var completion = items[chunk[s]].Completion;
                var logProbs = new double[completion.Count];
                var correct = new bool[completion.Count];
                for (var k = 0; k < completion.Count; k++)
                {
                    var logits = context.NativeHandle.GetLogitsIth(first[s] + k);
                    var argmax = ArgMax(logits);
                    logProbs[k] = logits[completion[k]] - LogSumExp(logits);
                    correct[k] = argmax == completion[k];
                    if (k == 0) outputs[s] = [argmax];   // the greedy answer's first token: the same logits
                }
                scores[s] = new CompletionScore(logProbs, correct);
                context.NativeHandle.MemorySequenceRemove((LLamaSeqId)s, items[chunk[s]].Prompt.Count, -1);   // keep the prompt's cells only
            }
            ContinueGreedily(context, model, chunk.Select(i => items[i].Prompt.Count).ToArray(), outputs, maxNewTokens, stops);
            for (var s = 0; s < chunk.Length; s++) result[chunk[s]] = new ScoredAnswer(scores[s], outputs[s].ToArray());
        }
        return result;
    }

    /// <summary>
    /// Greedy steps after each sequence's first token (the last of <paramref name="outputs"/>[s], its prompt of
    /// <paramref name="promptLengths"/>[s] tokens in sequence s of the cache), until every sequence has stopped or has
    /// <paramref name="maxNewTokens"/> tokens. A sequence that has stopped is fed its last token again, its logits
    /// unread: llama.cpp splits a step over per-sequence caches into runs of consecutive sequence ids, so keeping every
    /// sequence in the step keeps it one forward pass, and a row costs far less than a pass on the models measured here.
    /// </summary>
    private static void ContinueGreedily(LLamaContext context, LlamaCppModel model, IReadOnlyList<int> promptLengths, List<int>[] outputs,
                                         int maxNewTokens, IReadOnlySet<int> stops)
    {
        var active = outputs.Select(o => !stops.Contains(o[^1]) && maxNewTokens > 1).ToArray();
        var batch = new LLamaBatch();
        var row = new int[outputs.Length];
        for (var step = 1; step < maxNewTokens && active.Any(a => a); step++)
        {
            batch.Clear();
            for (var s = 0; s < outputs.Length; s++)
            {
                row[s] = batch.TokenCount;
                batch.Add(outputs[s][^1], promptLengths[s] + step - 1, (LLamaSeqId)s, active[s]);
            }
            Decode(context, batch, model);
            for (var s = 0; s < outputs.Length; s++)
            {
                if (!active[s]) continue;
                var id = ArgMax(context.NativeHandle.GetLogitsIth(row[s]));
                outputs[s].Add(id);
                active[s] = !stops.Contains(id) && step + 1 < maxNewTokens;
            }
        }
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

    /// <summary>A context for <paramref name="sequences"/> sequences of at most <paramref name="length"/> tokens each,
    /// a batch that holds every prompt token at once, and one KV stream per sequence (llama.cpp's default,
    /// kv_unified = false): each row attends over its own sequence's cells only. A unified cache would make every row
    /// attend over (masked) cells of every sequence of the batch, a cost that grows with the square of the batch.</summary>
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
            KVUnified = false,
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

/// <summary>An item's teacher-forced completion score and its greedy continuation (stop id kept).</summary>
public sealed record ScoredAnswer(CompletionScore Score, int[] Greedy);
