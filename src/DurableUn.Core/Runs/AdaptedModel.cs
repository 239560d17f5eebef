using DurableUn.Adapters;
using DurableUn.Checkpoints;

namespace DurableUn.Runs;

/// <summary>
/// A base model folder put into the QLoRA regime (NF4, blocksize 64, double quantization) with a PEFT adapter
/// from disk: what audit, certify and evaluation load. Without an adapter folder the adapter is a zero one (PEFT's
/// init, B = 0, so scale·B·A = 0): the NF4 base alone, as `logits --precision` measures it. Disposing it frees both.
/// Not: training.
/// </summary>
public sealed class AdaptedModel : IDisposable
{
    private readonly QLoraModel _baseOwner; // owns the NF4 base that Model shares

    private AdaptedModel(PretrainedModel pretrained, QLoraModel baseOwner, QLoraModel model)
    {
        Pretrained = pretrained;
        _baseOwner = baseOwner;
        Model = model;
    }

    public PretrainedModel Pretrained { get; }
    public QLoraModel Model { get; }

    public static AdaptedModel Load(string baseDir, string? adapterDir, QLoraOptions? regime = null)
    {
        var pretrained = PretrainedModel.Load(baseDir);
        try
        {
            if (adapterDir is null)
            {
                var zeroOwner = QLoraModel.FromPretrained(pretrained, regime ?? new QLoraOptions());   // fresh adapter: B = 0
                return new AdaptedModel(pretrained, zeroOwner, zeroOwner.WithAdapter(zeroOwner.Adapter));
            }
            var adapter = PeftAdapterFiles.Load(adapterDir, pretrained.Config.Llama);
            var options = (regime ?? new QLoraOptions()) with { Lora = adapter.Options };
            var owner = QLoraModel.FromPretrained(pretrained, options);
            return new AdaptedModel(pretrained, owner, owner.WithAdapter(adapter));
        }
        catch
        {
            pretrained.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An unlearned run's model as its pipeline saved it: the adapter on the NF4 base (adapter), the new LoRA on the NF4
    /// target it was trained on (fresh-adapter), or the run folder itself, a whole dense model (full).
    /// </summary>
    public static AdaptedModel ForRun(Pipelines.Pipeline pipeline, string baseModel, string target, string runDir) => pipeline switch
    {
        Pipelines.Pipeline.FreshAdapter => Load(target, runDir),
        Pipelines.Pipeline.Full => Load(runDir, null, new QLoraOptions { BaseFormat = null }),
        _ => Load(baseModel, runDir),
    };

    public void Dispose()
    {
        Model.Dispose();
        _baseOwner.Dispose();
        Pretrained.Dispose();
    }
}
