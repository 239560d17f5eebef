using DurableUn.Deployment;
using DurableUn.Pipelines;
using DurableUn.Model;
using DurableUn.Presets;
using DurableUn.Quantization;

namespace DurableUn.Experiments.Specs;

/// <summary>
/// Checks a study's or sweep's numbers against what they mean, before anything trains: ε is an accuracy bound, and a
/// precision's group size must fit the preset model's widths (a group that splits a weight's row unevenly would fail
/// only when the first cell deploys, after the whole preparation).
/// </summary>
public static class SpecChecks
{
    /// <summary>ε and ε_audit bound FA, an accuracy in [0, 1]: anything else (negative, above 1, NaN, ∞) is an error.</summary>
    public static void Epsilon(double? epsilon, string field)
    {
        if (epsilon is { } e && !(e >= 0 && e <= 1))
            throw new ArgumentException($"{field} must be in [0, 1] (it bounds an accuracy), got {e}");
    }

    /// <summary>
    /// Every group or block size fits the preset's hidden and intermediate widths, the row lengths of every projection's
    /// input (A's rows, and a merged weight's). An INT4 group follows the deployment's rule (<see cref="Precision.AlongRows"/>):
    /// a group longer than a row is that whole row, so a group at least as long as every width (e.g. <c>int4:g4096</c>)
    /// quantizes each row as one group; a shorter group must divide the row. NF4/FP4 blocks must divide both widths.
    /// </summary>
    public static void PrecisionsFit(IEnumerable<Precision> precisions, ModelPreset preset) =>
        PrecisionsFit(precisions, ModelPresets.Config(preset, vocabSize: 1), $"{preset.ToString().ToLowerInvariant()} model");   // the widths do not depend on the vocabulary

    /// <summary>As above for a model given by its config (<paramref name="model"/> names it in the message).</summary>
    public static void PrecisionsFit(IEnumerable<Precision> precisions, LlamaConfig config, string model)
    {
        foreach (var name in precisions)
        {
            if (name.Format is not { BlockSize: { } group } format) continue;
            var int4 = format.Format is QuantFormat.Int4 or QuantFormat.Int4Asym;      // AlongRows' rule: a longer group is the row
            if (new[] { config.HiddenSize, config.IntermediateSize }.All(w => (int4 && w < group) || w % group == 0)) continue;
            throw new ArgumentException($"precision {name}: group size {group} must divide the {model}'s widths " +
                                        $"(hidden_size {config.HiddenSize}, intermediate_size {config.IntermediateSize})" +
                                        (int4 ? " that it does not exceed (a group longer than a row is that whole row)" : ""));
        }
    }

    /// <summary>Every precision deploys a model of <paramref name="pipeline"/> (the full pipeline has no adapter to quantize or merge).</summary>
    public static void PrecisionsDeploy(IEnumerable<Precision> precisions, Pipeline pipeline)
    {
        foreach (var p in precisions)
            if (pipeline.Refusal(p) is { } why) throw new ArgumentException(why);
    }
}
