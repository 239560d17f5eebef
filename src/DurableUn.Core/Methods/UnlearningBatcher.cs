using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Randomness;

namespace DurableUn.Methods;

/// <summary>
/// Builds the batch of every step as a pure function of (seed, step): forget is the anchor (open-unlearning's
/// ForgetRetainDataset), its order reshuffled each epoch; each forget item gets a retain partner from
/// <see cref="ForgetRetainPairing"/>, a refusal (IdK) and a mismatched answer (SalUn) drawn the same way, so a resumed
/// run sees the batches the interrupted one would have seen. The last batch of an epoch may be smaller.
/// Not: padding to a fixed width, sampling retain without forget.
/// </summary>
public sealed class UnlearningBatcher
{
    // Independent streams: a refusal draw must not coincide with the retain draw of the same item.
    private const ulong RefusalStream = 0x9E3779B97F4A7C15;
    private const ulong RelabelStream = 0xC2B2AE3D27D4EB4F;

    private readonly UnlearningData _data;
    private readonly ulong _seed;
    private readonly int _batchSize;
    private readonly BatchExtras _extras;
    private readonly int[][] _refusalCompletions;

    public UnlearningBatcher(UnlearningData data, ulong seed, int batchSize, BatchExtras extras)
    {
        if (data.Forget.Count == 0) throw new ArgumentException("the forget set is empty");
        if (data.Retain.Count == 0) throw new ArgumentException("the retain set is empty");
        if (batchSize < 1) throw new ArgumentException($"batch_size must be ≥ 1, got {batchSize}", "batch_size");
        if (extras.HasFlag(BatchExtras.Relabelled) && data.Forget.Count < 2)
            throw new ArgumentException("relabelling forget answers needs at least 2 forget items, got 1");
        (_data, _seed, _batchSize, _extras) = (data, seed, batchSize, extras);
        _refusalCompletions = extras.HasFlag(BatchExtras.Idk) ? EncodeRefusals(data) : [];
    }

    public int BatchesPerEpoch => (_data.Forget.Count + _batchSize - 1) / _batchSize;

    /// Forget item indices of optimizer step <paramref name="step"/>.
    public IReadOnlyList<int> ForgetIndices(int step)
    {
        var epoch = step / BatchesPerEpoch;
        var order = SeededRng.For(_seed ^ (ulong)epoch, "forget-order").Shuffled(Enumerable.Range(0, _data.Forget.Count));
        var start = step % BatchesPerEpoch * _batchSize;
        return order.GetRange(start, Math.Min(_batchSize, order.Count - start));
    }

    public UnlearningBatch Batch(int step)
    {
        var epoch = step / BatchesPerEpoch;
        var indices = ForgetIndices(step);
        var forget = indices.Select(i => _data.Forget[i]).ToList();
        var retain = indices.Select(i => _data.Retain[ForgetRetainPairing.RetainIndex(i, _data.Retain.Count, _seed, epoch)]).ToList();
        return new UnlearningBatch(
            Pad(forget),
            Pad(retain),
            _extras.HasFlag(BatchExtras.Idk) ? Pad(indices.Select(i => WithAnswer(i, Refusal(i, epoch))).ToList()) : null,
            _extras.HasFlag(BatchExtras.Relabelled) ? Pad(indices.Select(i => WithAnswer(i, _data.Forget[Mismatched(i, epoch)].CompletionIds)).ToList()) : null);
    }

    /// Index of another forget item (never <paramref name="i"/> itself) whose answer relabels item i in this epoch.
    public int Mismatched(int i, int epoch)
    {
        var n = _data.Forget.Count;
        return (i + 1 + ForgetRetainPairing.RetainIndex(i, n - 1, _seed ^ RelabelStream, epoch)) % n;
    }

    private int[] Refusal(int i, int epoch) =>
        _refusalCompletions[ForgetRetainPairing.RetainIndex(i, _refusalCompletions.Length, _seed ^ RefusalStream, epoch)];

    /// Forget item i's prompt (question) with a different completion: the prompt tokens stay exactly as trained.
    private EncodedExample WithAnswer(int i, int[] completion) => new(_data.Forget[i].PromptIds, completion);

    private TokenBatch Pad(List<EncodedExample> examples) => TokenBatch.RightPadded(examples, _data.PadId);

    /// <summary>
    /// Each refusal as a completion (its tokens then EOS, as the template writes an answer). Completions are encoded
    /// apart from prompts (QaEncoder), so encoding under an empty question gives exactly the answer's tokens.
    /// </summary>
    private static int[][] EncodeRefusals(UnlearningData data)
    {
        var encoder = data.Encoder ?? throw new ArgumentException("IdK answers need the encoder of the forget examples (UnlearningData.Encoder)");
        return Refusals.All.Select(r => encoder.Encode(string.Empty, r).CompletionIds).ToArray();
    }
}
