using System.Text.Json.Serialization;

namespace DurableUn.Pipelines;

/// <summary>
/// One path from base to deployed model: where the forget facts live in the target, what unlearning trains, and which
/// deployments matter (docs/design.md#pipelines). Every method runs in every pipeline. Stored in study.json, sweep.json
/// and every row of results.json by its CLI name.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Pipeline>))]
public enum Pipeline
{
    /// The QLoRA regime: NF4 base + a LoRA adapter fine-tuned on forget ∪ retain; unlearning continues that adapter.
    [JsonStringEnumMemberName("adapter")] Adapter,
    /// The base fully fine-tuned on forget ∪ retain, stored in NF4 as the QLoRA base; unlearning trains a new LoRA
    /// (B = 0) on it, as a practitioner unlearns a full fine-tune they serve with QLoRA.
    [JsonStringEnumMemberName("fresh-adapter")] FreshAdapter,
    /// Target fully fine-tuned and kept in full precision; unlearning updates every weight with AdamW, and the whole
    /// model is quantized for deployment (Zhang et al., ICLR 2025).
    [JsonStringEnumMemberName("full")] Full,
}

public static class Pipelines
{
    /// The CLI and file name of a pipeline.
    public static string Name(this Pipeline pipeline) => pipeline switch
    {
        Pipeline.Adapter => "adapter",
        Pipeline.FreshAdapter => "fresh-adapter",
        Pipeline.Full => "full",
        _ => throw new ArgumentOutOfRangeException(nameof(pipeline), pipeline, null),
    };

    public static IReadOnlyList<Pipeline> All { get; } = Enum.GetValues<Pipeline>();

    public static Pipeline Parse(string name) =>
        All.FirstOrDefault(p => p.Name() == name) is var p && p.Name() == name
            ? p
            : throw new ArgumentException($"unknown pipeline \"{name}\"; known: {string.Join(", ", All.Select(x => x.Name()))}");
}
