using DurableUn.Data.Tokenized;
using DurableUn.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>
/// The forget and retain examples of one run, tokenized. The encoder is needed only by the IdK methods, which encode
/// refusals as new answers; everything else works on the examples alone.
/// </summary>
/// <param name="Forget">Forget examples (QA pairs or text chunks), the anchor of every batch.</param>
/// <param name="Retain">Retain examples, drawn to pair with forget ones.</param>
/// <param name="PadId">Padding id for right-padded batches.</param>
/// <param name="Encoder">The encoder the examples were made with (IdkNLL, IdkDPO).</param>
public sealed record UnlearningData(
    IReadOnlyList<EncodedExample> Forget, IReadOnlyList<EncodedExample> Retain, int PadId, QaEncoder? Encoder = null);

/// <summary>
/// Everything a method may use during one unlearning run. The caller builds it (the CLI in the QLoRA regime: the target
/// adapter on the NF4 base); methods never construct models.
/// </summary>
public sealed record UnlearningContext
{
    /// The model being unlearned; only <see cref="Trainable"/> of its parameters change.
    public required CausalLm Model { get; init; }
    /// The target before unlearning, frozen: NPO/DPO/KL/RMU compare with it, always under no_grad.
    public required CausalLm Reference { get; init; }
    /// The parameters that get gradients, masks and optimizer steps (in the QLoRA regime the adapter's A and B).
    public required IReadOnlyList<Parameter> Trainable { get; init; }
    /// <summary>
    /// Builds a view of <see cref="Model"/> whose trainable weights pass through the given transform in forward, sharing
    /// the same Parameter objects, so a loss on the view back-propagates into <see cref="Trainable"/>. The transform is
    /// called with the Parameter itself. Needed by SAF only.
    /// </summary>
    public Func<Func<Tensor, Tensor>, CausalLm>? MakeView { get; init; }
    /// <summary>
    /// Builds a view whose adapted projections compute with their merged weight W + scale·B'·A' (A', B' after the
    /// first transform) passed through the second transform with the projection's base weight, sharing the adapter's
    /// Parameters (<see cref="Adapters.QLoraModel.MergedView"/>). Only where a LoRA sits on a frozen base (the adapter and
    /// fresh-adapter pipelines); null elsewhere. Needed by SAF at a merged-* precision only.
    /// </summary>
    public Func<Func<Tensor, Tensor>, Func<Tensor, Adapters.FrozenWeight, Tensor>, CausalLm>? MakeMergedView { get; init; }
    /// Seeds batch order, pairing, refusal and relabel draws, and RMU's control vector.
    public long Seed { get; init; }
    public required UnlearningData Data { get; init; }
}
