using DurableUn.Checkpoints;
using DurableUn.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Adapters;

/// <summary>
/// A causal LM in the QLoRA regime (docs/design.md#words): a <see cref="CausalLm"/> whose projections are
/// <see cref="LoraLinear"/> layers over a shared frozen <see cref="QLoraBase"/>, with a trainable <see cref="LoraAdapter"/>.
/// <list type="bullet">
/// <item><see cref="FromPretrained(PretrainedModel, QLoraOptions, long)"/>: the one explicit call that quantizes a dense checkpoint.</item>
/// <item><see cref="WithAdapter"/>: another model on the SAME base (no copy, no re-quantization) with its own copy of an
/// adapter: the frozen reference of NPO/KL/DPO/RMU, or a loaded PEFT adapter.</item>
/// <item><see cref="View"/>: a model sharing the base AND this model's adapter Parameters, with a transform on A and B
/// (DurableUn-SAF's fake-quantized forward); its loss back-propagates into this model's adapter.</item>
/// </list>
/// Ownership: a model disposes its CausalLm; the base is disposed by the model that created it (FromPretrained/FromWeights),
/// so dispose models made by WithAdapter or View first. Not: training loops, optimizers, file I/O.
/// </summary>
public sealed class QLoraModel : IDisposable
{
    private readonly bool _ownsBase;

    private QLoraModel(QLoraBase baseModel, LoraAdapter adapter, bool ownsBase)
    {
        Base = baseModel;
        _ownsBase = ownsBase;
        adapter.ValidateAgainst(baseModel.Config, "adapter");
        Settings = new LoraLayerSettings(adapter.Options.Scale, adapter.Options.Dropout, baseModel.Options.ComputeDtype);
        // Fresh Parameters: this model trains its own copy; the caller's tensors are never touched.
        Adapter = adapter with
        {
            Layers = adapter.Layers.ToDictionary(kv => kv.Key, kv => new LoraWeights(Trainable(kv.Value.A), Trainable(kv.Value.B)), StringComparer.Ordinal),
        };
        Model = baseModel.Build(Adapter.Layers, Settings, registerAdapter: true);
        TrainableParameters = Model.parameters().Where(p => p.requires_grad).ToList();
    }

    /// <summary>The model to run and train; only the adapter's Parameters require gradients.</summary>
    public CausalLm Model { get; }

    /// <summary>The frozen base, shared with every model built from it.</summary>
    public QLoraBase Base { get; }

    /// <summary>The live adapter: its A and B are the Parameters in <see cref="TrainableParameters"/>.</summary>
    public LoraAdapter Adapter { get; }

    /// <summary>Every lora_A/lora_B Parameter, nothing else.</summary>
    public IReadOnlyList<Parameter> TrainableParameters { get; }

    /// <summary>Scale, dropout and compute dtype of this model's LoRA layers.</summary>
    public LoraLayerSettings Settings { get; }

    /// <summary>Quantizes the projections of a loaded dense model and adds a freshly initialised adapter (seeded).</summary>
    public static QLoraModel FromPretrained(PretrainedModel pretrained, QLoraOptions options, long seed = 0)
    {
        var weights = ModelWeights.StateDict(pretrained.Model);
        try
        {
            return FromWeights(pretrained.Model.Config, weights, options, seed, pretrained.Folder.WeightsPath);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }

    /// <summary>As <see cref="FromPretrained(PretrainedModel, QLoraOptions, long)"/> from a config and HF-named tensors (not consumed).</summary>
    public static QLoraModel FromWeights(LlamaConfig config, IReadOnlyDictionary<string, Tensor> weights, QLoraOptions options, long seed = 0, string source = "weights")
    {
        var baseModel = QLoraBase.Quantize(config, weights, options, source);
        return new QLoraModel(baseModel, LoraAdapter.Initialize(config, options.Lora, seed), ownsBase: true);
    }

    /// <summary>A model over an existing base (e.g. one read by <see cref="BnbCheckpoint.Read"/>) that does not own it.</summary>
    public static QLoraModel Create(QLoraBase baseModel, LoraAdapter adapter) => new(baseModel, adapter, ownsBase: false);

    /// <summary>A new model on the same base with a copy of <paramref name="adapter"/>; the base is shared, not copied.</summary>
    public QLoraModel WithAdapter(LoraAdapter adapter) => new(Base, adapter, ownsBase: false);

    /// <summary>Detached copies of the current adapter.</summary>
    public LoraAdapter SnapshotAdapter() => Adapter.Snapshot();

    /// <summary>
    /// A model sharing this base and this model's adapter Parameters whose LoRA layers apply <paramref name="transform"/>
    /// to A and B on each forward (e.g. <c>w => FakeQuant.Int4(w)</c>); gradients of a loss on it reach this model's adapter.
    /// </summary>
    public CausalLm View(Func<Tensor, Tensor> transform) =>
        Base.Build(Adapter.Layers, Settings with { Transform = transform }, registerAdapter: false);

    /// <summary>
    /// As <see cref="View"/>, but each adapted projection computes with its merged weight W + scale·B'·A' (A' and B'
    /// after <paramref name="transform"/>) passed through <paramref name="merged"/> with its base weight, e.g. rounded
    /// as a merge into the NF4 base would round it; gradients reach this model's adapter through both.
    /// </summary>
    public CausalLm MergedView(Func<Tensor, Tensor> transform, Func<Tensor, FrozenWeight, Tensor> merged) =>
        Base.Build(Adapter.Layers, Settings with { Transform = transform, MergedTransform = merged }, registerAdapter: false);

    public void Dispose()
    {
        Model.Dispose();
        if (_ownsBase) Base.Dispose();
    }

    private static Parameter Trainable(Tensor t) => new(t.detach().to_type(ScalarType.Float32).contiguous().clone(), requires_grad: true);
}
