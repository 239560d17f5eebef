using static TorchSharp.torch;

namespace DurableUn.Data.Tokenized;

/// <summary>
/// A right-padded training batch: input ids, labels (−100 on prompt and padding) and the attention mask, each
/// (B, T) int64. Right padding keeps positions 0..len−1 for real tokens, so no position ids are needed.
/// Not: left padding for generation (Model.Generation pads prompts itself).
/// </summary>
public sealed record TokenBatch(Tensor InputIds, Tensor Labels, Tensor AttentionMask) : IDisposable
{
    public long Size => InputIds.shape[0];

    public static TokenBatch RightPadded(IReadOnlyList<EncodedExample> examples, int padId)
    {
        if (examples.Count == 0) throw new ArgumentException("a batch needs at least one example");
        var width = examples.Max(e => e.Length);
        var ids = new long[examples.Count, width];
        var labels = new long[examples.Count, width];
        var mask = new long[examples.Count, width];
        for (var i = 0; i < examples.Count; i++)
        {
            var input = examples[i].InputIds;
            var label = examples[i].Labels;
            for (var j = 0; j < width; j++)
            {
                var real = j < input.Length;
                ids[i, j] = real ? input[j] : padId;
                labels[i, j] = real ? label[j] : EncodedExample.IgnoreIndex;
                mask[i, j] = real ? 1 : 0;
            }
        }
        return new TokenBatch(tensor(ids), tensor(labels), tensor(mask));
    }

    public void Dispose()
    {
        InputIds.Dispose();
        Labels.Dispose();
        AttentionMask.Dispose();
    }
}
