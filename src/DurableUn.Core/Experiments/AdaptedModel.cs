using DurableUn.Adapters;
using DurableUn.Checkpoints;

namespace DurableUn.Experiments;

/// <summary>
/// A base model folder put into the QLoRA regime (NF4, blocksize 64, double quantization) with a PEFT adapter
/// from disk: what audit, certify and evaluation load. Disposing it frees both. Not: training.
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

    public static AdaptedModel Load(string baseDir, string adapterDir, QLoraOptions? regime = null)
    {
        var pretrained = PretrainedModel.Load(baseDir);
        try
        {
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

    public void Dispose()
    {
        Model.Dispose();
        _baseOwner.Dispose();
        Pretrained.Dispose();
    }
}
