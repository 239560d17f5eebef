using DurableUn.Data.Tokenized;
using DurableUn.Model;
using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>
/// One batch as a loss sees it: the trainable model's logits (B, T, V), the labels (B, T) with −100 where nothing is
/// scored, and the frozen reference model's logits when the loss compares with it. Losses are pure functions of
/// these (see <see cref="UnlearningLosses"/>), so golden tests need no model.
/// </summary>
public sealed record Scored(Tensor Logits, Tensor Labels, Tensor? ReferenceLogits = null)
{
    /// <summary>
    /// Runs <paramref name="model"/> on the right-padded batch (no attention mask needed: the causal mask keeps real
    /// tokens from seeing the padding after them, and padding carries no label) and, when given, the reference under
    /// no_grad so it never receives a gradient.
    /// </summary>
    public static Scored Of(CausalLm model, TokenBatch batch, CausalLm? reference = null) =>
        new(model.Forward(batch.InputIds).Logits, batch.Labels, reference is null ? null : ReferenceLogitsOf(reference, batch));

    /// The reference model's logits, computed without a graph.
    public static Tensor ReferenceLogitsOf(CausalLm reference, TokenBatch batch)
    {
        using var _ = no_grad();
        return reference.Forward(batch.InputIds).Logits;
    }

    public Tensor RequireReference() =>
        ReferenceLogits ?? throw new InvalidOperationException("this loss compares with the reference model, but no reference logits were computed");
}
