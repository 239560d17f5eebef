using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Model;

/// <summary>
/// Builds the additive attention mask (B, 1, T, T_total): 0 where a query may attend, a large negative number
/// where it may not (a key in its future, or a padding key). Query i of this step sits at absolute slot
/// <c>past + i</c>. A fully masked row (a padding query) keeps its diagonal so softmax never sees all −inf;
/// such positions carry no loss and are never read.
/// </summary>
public static class AttentionMask
{
    /// <param name="paddingMask">(B, T_total), 1 for real tokens and 0 for padding; null means no padding.</param>
    public static Tensor Causal(long batch, long t, long past, Tensor? paddingMask, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var total = past + t;
        var query = ScalarOps.Range(past, total).view(t, 1);     // (T, 1)
        var key = ScalarOps.Range(0, total).view(1, total);     // (1, T_total)
        var allowed = key.le(query).view(1, 1, t, total).expand(batch, 1, t, total); // causal
        if (paddingMask is not null)
        {
            var keep = paddingMask.to_type(ScalarType.Bool).view(batch, 1, 1, total);
            allowed = allowed.logical_and(keep).logical_or(key.eq(query).view(1, 1, t, total)); // diagonal stays open
        }
        var negative = dtype == ScalarType.Float32 ? float.MinValue : -1e30;   // finfo.min, as transformers uses
        var mask = zeros(batch, 1, t, total, dtype: ScalarType.Float32).Filled(allowed.logical_not(), negative);
        return mask.to_type(dtype).MoveToOuterDisposeScope();
    }
}
