using DurableUn.Adapters;
using DurableUn.Data;
using DurableUn.Finetuning;
using DurableUn.Pipelines;
using DurableUn.Runs;
using DurableUn.Experiments.Specs;

namespace DurableUn.Experiments.Preparation;

/// <summary>
/// The target or retain model of a prepared benchmark, loaded as its pipeline measures and unlearns it
/// (docs/design.md#pipelines):
/// <list type="bullet">
/// <item>adapter: the NF4 base with the fine-tuned adapter;</item>
/// <item>fresh-adapter: the full fine-tune quantized to NF4 as the QLoRA base, with a fresh LoRA (B = 0, so the
/// model is the NF4 target itself) that unlearning trains;</item>
/// <item>full: the full fine-tune with dense (unquantized) projections and a zero adapter that nothing trains, so
/// every deployment sees exactly its weights.</item>
/// </list>
/// A benchmark whose facts are in the base (<see cref="PreparationSpec.TargetIsBase"/>: WPU) has no fine-tune: its
/// target is the study's base and its retain model the floor base (pretrained without the forget people), each loaded
/// as NF4 with a fresh LoRA (B = 0) in the adapter and fresh-adapter pipelines and dense in the full one.
/// </summary>
internal static class PreparedModels
{
    public static AdaptedModel Load(PreparedLayout layout, DatasetKind d, FinetuneSplit split, PreparationSpec spec)
    {
        var folder = split == FinetuneSplit.Full ? TargetFolder(layout, spec, d) : layout.Retain(d);
        var fresh = new QLoraOptions { Lora = new LoraOptions { Rank = spec.LoraRank, Alpha = spec.LoraAlpha } };
        return spec.Pipeline switch
        {
            Pipeline.Adapter when !spec.TargetIsBase(d) => AdaptedModel.Load(layout.Model, folder),
            Pipeline.Adapter or Pipeline.FreshAdapter => AdaptedModel.Load(folder, null, fresh),
            Pipeline.Full => AdaptedModel.Load(folder, null, fresh with { BaseFormat = null }),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Pipeline, null),
        };
    }

    /// <summary>The folder the target of <paramref name="d"/> is loaded from and unlearning runs record: the fine-tuned
    /// adapter or model, or the study's base when the facts are in it.</summary>
    public static string TargetFolder(PreparedLayout layout, PreparationSpec spec, DatasetKind d) =>
        spec.TargetIsBase(d) ? layout.Model : layout.Target(d);
}
