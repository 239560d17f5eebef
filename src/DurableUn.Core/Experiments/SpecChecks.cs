using DurableUn.Deployment;
using DurableUn.Presets;

namespace DurableUn.Experiments;

/// <summary>
/// Checks a study's or sweep's numbers against what they mean, before anything trains: ε is an accuracy bound, and a
/// precision's group size must fit the preset model's widths (a group that does not divide a weight's row would fail
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

    /// <summary>Every group or block size divides the preset's hidden and intermediate widths (every projection's input).</summary>
    public static void PrecisionsFit(IEnumerable<Precision> precisions, ModelPreset preset)
    {
        var config = ModelPresets.Config(preset, vocabSize: 1); // the widths do not depend on the vocabulary
        foreach (var name in precisions)
        {
            if (name.Format?.BlockSize is not { } group) continue;
            if (config.HiddenSize % group != 0 || config.IntermediateSize % group != 0)
                throw new ArgumentException($"precision {name}: group size {group} must divide the {preset.ToString().ToLowerInvariant()} " +
                                            $"model's widths (hidden_size {config.HiddenSize}, intermediate_size {config.IntermediateSize})");
        }
    }
}
