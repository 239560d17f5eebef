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
/// </summary>
internal static class PreparedModels
{
    public static AdaptedModel Load(PreparedLayout layout, DatasetKind d, FinetuneSplit split, PreparationSpec spec)
    {
        var folder = split == FinetuneSplit.Full ? layout.Target(d) : layout.Retain(d);
        var fresh = new QLoraOptions { Lora = new LoraOptions { Rank = spec.LoraRank, Alpha = spec.LoraAlpha } };
        return spec.Pipeline switch
        {
            Pipeline.Adapter => AdaptedModel.Load(layout.Model, folder),
            Pipeline.FreshAdapter => AdaptedModel.Load(folder, null, fresh),
            Pipeline.Full => AdaptedModel.Load(folder, null, fresh with { BaseFormat = null }),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Pipeline, null),
        };
    }
}
